"""The dashboard's chart definitions (reports/charts.py): Vega-Lite specs that vl-convert draws (as
vega-embed does on the page), whose marks link to the rows behind them, in Vietnamese numbers; their SVG
for the PDF (reports/chart_svg.py); their table and their include; the Vega scripts served from npm."""

import json
import re
from html.parser import HTMLParser

import pytest
import vl_convert
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from members.models import Member
from reports import charts

SECTORS = [
    {"label": "Cơ quan Nhà nước", "value": 2020, "href": "/members/?sector=co_quan_nha_nuoc"},
    {"label": "Doanh nghiệp ngoài nhà nước", "value": 12345, "href": "/members/?sector=dn_ngoai_nha_nuoc"},
    {"label": "Khác", "value": 0},
]
TARGETS = [
    {"label": "Đảng bộ Sở Tài chính", "series": "Chỉ tiêu", "value": 750},
    {"label": "Đảng bộ Sở Tài chính", "series": "Đã kết nạp", "value": 993, "href": "/members/?admitted=A"},
    {"label": "Chi bộ Báo Gia Lai", "series": "Chỉ tiêu", "value": 10},
    {"label": "Chi bộ Báo Gia Lai", "series": "Đã kết nạp", "value": 3, "href": "/members/?admitted=B"},
]
AGES = [
    {
        "band": "Từ 30 trở xuống",
        "gender": Member.Gender.MALE,
        "value": 120,
        "href": "/members/?age=30&gender=nam",
    },
    {
        "band": "Từ 30 trở xuống",
        "gender": Member.Gender.FEMALE,
        "value": 150,
        "href": "/members/?age=30&gender=nu",
    },
    {"band": "Trên 60", "gender": Member.Gender.MALE, "value": 1300, "href": "/members/?age=61&gender=nam"},
    {"band": "Trên 60", "gender": Member.Gender.FEMALE, "value": 28, "href": "/members/?age=61&gender=nu"},
]
MONTHS = [  # out of order: the axis keeps the calendar's
    {"month": "2026-06", "series": "Kết nạp", "value": 1500, "href": "/members/?m=6"},
    {"month": "2026-04", "series": "Kết nạp", "value": 12, "href": "/members/?m=4"},
    {"month": "2026-05", "series": "Chuyển đi", "value": 3, "href": "/members/?m=5"},
]
BUILDERS = {
    "bar": (charts.bar, SECTORS, ["Cơ quan Nhà nước", "Doanh nghiệp ngoài nhà nước", "2.020", "12.345"]),
    "grouped": (charts.grouped_bar, TARGETS, ["Đảng bộ Sở Tài chính", "Chỉ tiêu", "Đã kết nạp", "993"]),
    "pyramid": (charts.pyramid, AGES, ["Từ 30 trở xuống", "Trên 60", "1.200"]),
    "line": (charts.line_by_month, MONTHS, ["04/2026", "05/2026", "06/2026", "Kết nạp", "1.400"]),
}


def _texts(svg: str) -> list[str]:
    return re.findall(r">([^<>]+)</text>", svg)


def _links(spec: dict) -> list[str]:
    """The links of the marks as vl-convert draws the page's spec (it prefixes its own base URL)."""
    svg = vl_convert.vegalite_to_svg(spec)
    return re.findall(r'<a xlink:href="[^"]*?(/members/[^"]*)"', svg.replace("&amp;", "&"))


@pytest.mark.parametrize("kind", BUILDERS)
def test_each_chart_renders_to_svg_with_its_labels_and_title(kind):
    build, rows, expected = BUILDERS[kind]
    spec = build(rows, title="Đảng viên của Đảng bộ Khối")
    texts = _texts(charts.svg(spec))
    assert "Đảng viên của Đảng bộ Khối" in texts
    for text in expected:
        assert text in texts


@pytest.mark.parametrize("kind", BUILDERS)
def test_every_mark_of_a_row_with_a_link_links_to_it(kind):
    build, rows, _expected = BUILDERS[kind]
    links = _links(build(rows, title="Biểu đồ"))
    assert {row["href"] for row in rows if row.get("href")} == set(links)
    assert "undefined" not in json.dumps(links)


def test_a_row_without_a_link_has_none():
    """A bar with no list behind it (the zero of "Khác") is not a link to "undefined"."""
    spec = charts.bar(SECTORS, title="Đảng viên theo khối")
    assert [datum["href"] for datum in spec["data"]["values"]] == [SECTORS[0]["href"], SECTORS[1]["href"], ""]
    assert "undefined" not in vl_convert.vegalite_to_svg(spec)


def test_no_link_at_all_leaves_the_marks_plain():
    spec = charts.bar([{"label": "Chi bộ", "value": 3}], title="Chi bộ")
    assert "href" not in json.dumps(spec["encoding"])
    assert _links(spec) == []


def test_numbers_are_written_the_vietnamese_way():
    spec = charts.bar(
        [{"label": "Vượt chỉ tiêu", "value": 32.4}, {"label": "Đảng bộ", "value": 1234567.5}],
        title="Tỷ lệ",
        value_format=",.1f",
    )
    texts = _texts(charts.svg(spec))
    assert "32,4" in texts
    assert "1.234.567,5" in texts
    assert spec["config"]["locale"]["number"]["thousands"] == "."
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_marks_say_their_label_and_value_to_a_screen_reader():
    svg = vl_convert.vegalite_to_svg(charts.grouped_bar(TARGETS, title="Kết nạp so với chỉ tiêu"))
    labels = re.findall(r'aria-label="([^"]*)"', svg)
    assert "Đảng bộ Sở Tài chính, Đã kết nạp: 993" in labels
    assert "Chi bộ Báo Gia Lai, Chỉ tiêu: 10" in labels


def test_title_and_description_are_in_the_spec():
    spec = charts.bar(SECTORS, title="Đảng viên theo khối", description="Số đảng viên của mỗi khối")
    assert spec["title"]["text"] == "Đảng viên theo khối"
    assert spec["description"] == "Số đảng viên của mỗi khối"
    assert charts.bar(SECTORS, title="Đảng viên theo khối")["description"] == "Đảng viên theo khối"


def test_the_pyramid_draws_men_left_of_the_axis_and_women_right():
    spec = charts.pyramid(AGES, title="Tháp tuổi")
    spec["width"] = 400
    bars = {}

    def collect(node):
        if isinstance(node, dict):
            if node.get("marktype") == "rect":
                for item in node.get("items", []):
                    bars[item["description"]] = (item["x"], item["x"] + item["width"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(vl_convert.vegalite_to_scenegraph(spec))
    men, women = str(Member.Gender.MALE.label), str(Member.Gender.FEMALE.label)
    axis = bars[f"Trên 60, {men}: 1.300"][1]
    assert bars[f"Trên 60, {women}: 28"][0] == pytest.approx(axis)
    assert bars[f"Từ 30 trở xuống, {men}: 120"][1] == pytest.approx(axis)
    assert bars[f"Từ 30 trở xuống, {men}: 120"][0] < axis


def test_the_months_keep_the_calendars_order():
    texts = _texts(charts.svg(charts.line_by_month(MONTHS, title="Biến động theo tháng")))
    months = [text for text in texts if text.endswith("/2026")]
    assert months == ["04/2026", "05/2026", "06/2026"]


def test_the_pdf_svg_has_no_links_and_uses_the_reports_font():
    svg = charts.svg(charts.bar(SECTORS, title="Đảng viên theo khối"))
    assert "<a " not in svg
    assert re.search(r'font-family="[^"]*LiberationSerif2', svg)
    assert 'width="600"' in svg


def test_the_pdf_count_axis_has_whole_ticks_only():
    """Two members at most: the ticks are 0, 1 and 2, not 0, 0,5, 1 … written "0, 1, 1, 2"."""
    texts = _texts(charts.svg(charts.bar([{"label": "Chi bộ", "value": 2}], title="Đảng viên")))
    ticks = [text for text in texts if text.isdigit()]
    assert ticks == ["0", "1", "2", "2"]  # the three ticks, then the bar's own value
    assert not [text for text in texts if "," in text]


def test_the_pdf_rates_keep_their_decimal_and_their_percent_axis():
    rows = [{"month": "2026-07", "series": "Đảng viên", "value": 76.5}]
    rows.append({"month": "2026-08", "series": "Đảng viên", "value": 100})
    texts = _texts(charts.svg(charts.line_by_month(rows, title="Tỷ lệ", value_format=charts.PERCENT)))
    assert ["0", "20", "40", "60", "80", "100"] == [text for text in texts if text.isdigit()]
    assert "07/2026" in texts and "08/2026" in texts


def test_a_pdf_label_too_long_for_the_axis_is_cut():
    name = "Đảng bộ Công ty Trách nhiệm hữu hạn Một thành viên Khai thác Công trình Thủy lợi tỉnh Gia Lai"
    texts = _texts(charts.svg(charts.bar([{"label": name, "value": 5}], title="Đảng viên")))
    cut = [text for text in texts if text.startswith("Đảng bộ Công ty")]
    assert len(cut) == 1 and cut[0].endswith("…") and len(cut[0]) < len(name)


def test_the_table_of_a_chart_has_its_numbers_and_links():
    chart = charts.Chart("targets", charts.grouped_bar(TARGETS, title="Kết nạp"), row_header="Tổ chức")
    assert chart.headers == ["Tổ chức", "Chỉ tiêu", "Đã kết nạp"]
    assert [[(cell.text, cell.href) for cell in row] for row in chart.rows] == [
        [("Đảng bộ Sở Tài chính", ""), ("750", ""), ("993", "/members/?admitted=A")],
        [("Chi bộ Báo Gia Lai", ""), ("10", ""), ("3", "/members/?admitted=B")],
    ]


def test_the_table_of_a_one_series_chart_and_of_missing_values():
    bars = charts.Chart(
        "sectors", charts.bar(SECTORS, title="Khối"), row_header="Khối", value_header="Đảng viên"
    )
    assert bars.headers == ["Khối", "Đảng viên"]
    assert [cell.text for cell in bars.rows[1]] == ["Doanh nghiệp ngoài nhà nước", "12.345"]
    months = charts.Chart("months", charts.line_by_month(MONTHS, title="Tháng"), row_header="Tháng")
    assert [[cell.text for cell in row] for row in months.rows] == [
        ["04/2026", "12", ""],
        ["05/2026", "", "3"],
        ["06/2026", "1.500", ""],
    ]


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.links, self.cells, self._script = [], [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self._script = attrs
            self.scripts.append(attrs)
        elif tag == "a":
            self.links.append(attrs["href"])

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] = data

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def test_the_chart_include_gives_the_spec_as_json_and_a_linked_table():
    spec = charts.bar(SECTORS, title="Đảng viên theo khối")
    html = render_to_string(
        "reports/_chart.html",
        {"chart": charts.Chart("sectors", spec, row_header="Khối", value_header="Đảng viên")},
    )
    page = _Page()
    page.feed(html)
    [script] = page.scripts  # nothing the browser would run: the CSP allows no inline script
    assert script["type"] == "application/json"
    assert script["id"] == "chart-sectors-spec"
    assert json.loads(script["text"]) == spec
    assert 'data-chart-spec="chart-sectors-spec"' in html
    assert page.links == [SECTORS[0]["href"], SECTORS[1]["href"]]
    assert "<table" in html and "<caption" in html and 'scope="row"' in html


def test_the_chart_scripts_come_from_npm_and_are_served():
    """Every script the chart pages load exists where the static files are found (node_modules at
    set-up, STATICFILES_DIRS), and vega-embed's bundle carries the CSP-safe interpreter it uses."""
    page = _Page()
    page.feed(render_to_string("reports/_chart_scripts.html"))
    sources = [script["src"].removeprefix("/static/") for script in page.scripts]
    assert sources == [
        "vendor/vega/vega.min.js",
        "vendor/vega-lite/vega-lite.min.js",
        "vendor/vega-embed/vega-embed.min.js",
        "js/charts.js",
    ]
    for source in sources:
        assert finders.find(source), source
    with open(finders.find("vendor/vega-embed/vega-embed.min.js"), encoding="utf-8") as bundle:
        assert "expressionInterpreter" in bundle.read()
