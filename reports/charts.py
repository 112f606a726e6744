"""The dashboard's charts, defined once for the page and the PDF (issue 9).

Each builder is a pure function from plain rows to a Vega-Lite spec (a dict): the page draws it with
vega-embed (``static/js/charts.js``, with Vega's CSP-safe expression interpreter) beside its data
table (``templates/reports/_chart.html``, from ``Chart``). The PDF embeds ``svg(spec)``, drawn from the
spec's data and ``usermeta`` by ``reports/chart_svg.py`` in about a millisecond (Vega's own renderer,
vl-convert, took about 0.1 s a chart). Numbers are written the Vietnamese way ("2.020", "32,4"): by the
spec's own locale on the page, whatever the browser's language, and by ``chart_svg`` in the PDF.

A row may carry ``href``, the list behind its count (the member list filtered to those members):
every mark drawn for that row links there, and so does the count's cell in the table.

Builders and their rows:

- ``bar``: ``{label, value, href?}``, horizontal bars in the rows' order;
- ``grouped_bar``: ``{label, series, value, href?}`` (the series in the rows' order or ``series_order``);
- ``pyramid``: ``{band, gender, value, href?}`` (gender: ``Member.Gender`` value), men on the left;
- ``line_by_month``: ``{month: "2026-05", series, value, href?}`` (counts, or rates with
  ``value_format=PERCENT``: the attendance at meetings by month).
"""

import functools
from dataclasses import dataclass

from django.utils.formats import number_format

from members.models import Member
from reports import chart_svg

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
# d3-format and d3-time-format locales (Vega's formatLocale / timeFormatLocale, given in the spec's
# config so that vega-embed uses them; chart_svg writes numbers the same way): "." groups thousands,
# "," marks decimals.
NUMBER_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]}
TIME_LOCALE = {
    "dateTime": "%A, %d/%m/%Y %X",
    "date": "%d/%m/%Y",
    "time": "%H:%M:%S",
    "periods": ["SA", "CH"],
    "days": ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
    "shortDays": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
    "months": [f"Tháng {month}" for month in range(1, 13)],
    "shortMonths": [f"Th{month}" for month in range(1, 13)],
}
COUNT = ",d"  # d3 format of a count: 2.020
PERCENT = ",.1~f"  # d3 format of a rate with one decimal, trailing zeros trimmed: 76,5 and 100
# The page's font (Bootstrap's system stack) and the PDF's: Liberation Serif 2.x under the family name
# that templates/reports/pdf/report.html gives it by @font-face, which WeasyPrint also uses for the
# text of an SVG. chart_svg measures the labels with the same files (REPORT_FONT_DIR).
PAGE_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif'
PDF_FONT = '"LiberationSerif2", "Liberation Serif", "DejaVu Serif", serif'
PDF_WIDTH = 600  # px: 15.9 cm, the text width of an A4 report
PALETTE = ["#b3131b", "#1f5f9e", "#d99a00", "#2e7d32", "#6a1b9a", "#546e7a", "#ef6c00"]
BAR_STEP = 22  # px per bar (per group of bars)


def bar(
    rows: list[dict],
    *,
    title: str,
    description: str = "",
    label_title: str | None = None,
    value_title: str | None = None,
    value_format: str = COUNT,
) -> dict:
    """Horizontal bars, one per row, in the rows' order, each with its value written at its end
    (members by sector, admissions by grassroots organization, the attention counts)."""
    values = [_datum(row, label=str(row["label"])) for row in rows]
    spec = _spec(title, description, values, table={"row": "label", "column": None})
    _drawing(spec, "bar", value_format, value_title)
    spec.update(
        height={"step": BAR_STEP},
        encoding={**_bars(label_title, value_title, value_format), **_links(values)},
        layer=[{"mark": {"type": "bar", "color": PALETTE[0]}}, _value_text(value_format)],
    )
    return spec


def grouped_bar(
    rows: list[dict],
    *,
    title: str,
    description: str = "",
    label_title: str | None = None,
    value_title: str | None = None,
    value_format: str = COUNT,
    series_order: list[str] | None = None,
) -> dict:
    """Bars of each label side by side, one per series (admissions against the target by
    grassroots organization: "Chỉ tiêu" and "Đã kết nạp"), with their values written. The series
    come in the rows' order, or in ``series_order`` (the rating levels, best first, whichever year
    names them first)."""
    values, series = _series_data(rows)
    table = {"row": "label", "column": "series"}
    if series_order is not None:
        series = [name for name in series_order if name in series]
        table["columns"] = series
    spec = _spec(title, description, values, table=table)
    _drawing(spec, "grouped", value_format, value_title, series=series)
    spec.update(
        height={"step": BAR_STEP // 2, "for": "offset"},
        encoding={
            **_bars(label_title, value_title, value_format),
            "yOffset": {"field": "series", "type": "nominal", "sort": series},
            "color": _color(series),
            **_links(values),
        },
        layer=[{"mark": "bar"}, _value_text(value_format, color={"value": "black"})],
    )
    return spec


def pyramid(
    rows: list[dict],
    *,
    title: str,
    description: str = "",
    band_title: str | None = None,
    value_title: str | None = None,
) -> dict:
    """An age pyramid by gender: the bands from the youngest (the rows' first band) at the bottom,
    men to the left of the axis and women to the right (``gender``: a ``Member.Gender`` value)."""
    labels = {value: str(label) for value, label in Member.Gender.choices}
    left, right = labels[Member.Gender.MALE], labels[Member.Gender.FEMALE]
    values = []
    for row in rows:
        gender = labels[row["gender"]]
        datum = _datum(row, label=str(row["band"]), series=gender)
        datum["signed"] = -datum["value"] if gender == left else datum["value"]
        values.append(datum)
    bands = list(dict.fromkeys(datum["label"] for datum in values))
    spec = _spec(
        title, description, values, table={"row": "label", "column": "series", "columns": [left, right]}
    )
    _drawing(spec, "pyramid", COUNT, value_title, series=[left, right])
    spec["usermeta"]["colors"] = {left: PALETTE[1], right: PALETTE[0]}
    spec.update(
        height={"step": BAR_STEP},
        mark="bar",
        encoding={
            "y": {"field": "label", "type": "nominal", "sort": bands[::-1], "title": band_title},
            "x": {
                "field": "signed",
                "type": "quantitative",
                "title": value_title,
                # Both sides count up from the axis: the men's bars are drawn leftwards.
                "axis": {"labelExpr": f"format(abs(datum.value), '{COUNT}')", "tickMinStep": 1},
            },
            "color": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "scale": {"domain": [left, right], "range": [PALETTE[1], PALETTE[0]]},
                "legend": {"orient": "top"},
            },
            **_links(values),
        },
    )
    return spec


def line_by_month(
    rows: list[dict],
    *,
    title: str,
    description: str = "",
    value_title: str | None = None,
    value_format: str = COUNT,
) -> dict:
    """One line per series over the months (movements by month), a point per month that links to
    its rows. ``month`` is "YYYY-MM"; the axis writes it "05/2026" and keeps the calendar order."""
    values, series = _series_data(rows, label=lambda row: _month_label(row["month"]))
    for datum, row in zip(values, rows, strict=True):
        datum["month"] = row["month"]
    months = sorted({datum["month"] for datum in values})
    spec = _spec(
        title,
        description,
        values,
        table={"row": "label", "column": "series", "rows": [_month_label(month) for month in months]},
    )
    _drawing(spec, "line", value_format, value_title, series=series)
    spec.update(
        encoding={
            "x": {
                "field": "label",
                "type": "ordinal",
                "sort": [_month_label(month) for month in months],
                "title": None,
                "axis": {"labelAngle": 0},
            },
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": value_title,
                "axis": {"format": value_format, "tickMinStep": 1},
            },
            "color": _color(series),
        },
        layer=[
            {"mark": {"type": "line", "aria": False}},
            {"mark": {"type": "point", "filled": True, "size": 60, "opacity": 1}, "encoding": _links(values)},
        ],
    )
    return spec


def svg(spec: dict, *, width: int = PDF_WIDTH) -> str:
    """The chart as an SVG document for the PDF (WeasyPrint draws SVG): ``width`` pixels wide, in
    the PDF's serif font, without the links (a PDF is read away from the portal)."""
    return chart_svg.draw(spec, width=width, font_family=PDF_FONT, palette=PALETTE, bar_step=BAR_STEP)


@dataclass(frozen=True)
class Cell:
    text: str
    href: str = ""
    number: bool = False


@dataclass(frozen=True)
class Chart:
    """What ``templates/reports/_chart.html`` draws: the chart of ``spec`` and, beside it, its
    data as a table. ``name`` is unique on the page (the elements' ids); ``row_header`` heads the
    column of the labels and ``value_header`` the column of the values of a one-series chart."""

    name: str
    spec: dict
    row_header: str
    value_header: str = ""

    @property
    def element_id(self) -> str:
        return f"chart-{self.name}"

    @property
    def spec_id(self) -> str:
        return f"chart-{self.name}-spec"

    @property
    def title(self) -> str:
        return self.spec["title"]["text"]

    @property
    def description(self) -> str:
        return self.spec["description"]

    @functools.cached_property
    def _table(self) -> tuple[list[str], list[list[Cell]]]:
        return table(self.spec)

    @property
    def headers(self) -> list[str]:
        """The table's column headers, the labels' first."""
        columns, _rows = self._table
        return [self.row_header, *(columns or [self.value_header])]

    @property
    def rows(self) -> list[list[Cell]]:
        """The table's rows: the label, then one cell per series, linked to the rows behind it."""
        return self._table[1]


def table(spec: dict) -> tuple[list[str], list[list[Cell]]]:
    """The data of a spec built here as a table: the series (empty for a one-series chart) and the
    rows, each a label followed by the value of every series (empty where the chart has none)."""
    shape = spec["usermeta"]["table"]
    values = spec["data"]["values"]
    row_names = shape.get("rows") or list(dict.fromkeys(datum["label"] for datum in values))
    column = shape["column"]
    columns = shape.get("columns") or (list(dict.fromkeys(d[column] for d in values)) if column else [])
    cells = {(datum["label"], datum[column] if column else None): datum for datum in values}
    rows = []
    for name in row_names:
        row = [Cell(name)]
        for series in columns or [None]:
            datum = cells.get((name, series))
            if datum is None:
                row.append(Cell("", number=True))
            else:
                row.append(Cell(_number(datum["value"]), datum["href"], number=True))
        rows.append(row)
    return columns, rows


# Helpers ----------------------------------------------------------------------------------------


def _spec(title: str, description: str, values: list[dict], *, table: dict) -> dict:
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start"},
        "description": description or title,
        "width": "container",
        "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": values},
        "usermeta": {"table": table},
        "config": {
            "locale": {"number": NUMBER_LOCALE, "time": TIME_LOCALE},
            "font": PAGE_FONT,
            "range": {"category": PALETTE},
            "view": {"stroke": None},
            # The marks say their label and value in Vietnamese (``description``); the axes' and
            # legends' generated ARIA text would be English, and the table beside says it all.
            "axis": {"aria": False, "labelLimit": 260},
            "legend": {"aria": False},
        },
    }


def _drawing(spec: dict, kind: str, value_format: str, value_title: str | None, series=()) -> None:
    """What ``chart_svg`` needs to draw the spec for the PDF: its shape, its number format (a count's
    axis has no half tick), the value axis' title and the series in their order."""
    spec["usermeta"].update(
        kind=kind,
        format=value_format,
        min_step=1 if value_format == COUNT else 0.1,
        value_title=value_title,
        series=list(series),
    )


def _datum(row: dict, *, label: str, series: str | None = None) -> dict:
    value = row["value"] or 0
    said = f"{label}, {series}" if series is not None else label
    datum = {"label": label, "value": value, "description": f"{said}: {_number(value)}"}
    if series is not None:
        datum["series"] = series
    # Empty rather than missing: Vega-Lite would make a missing link the text "undefined".
    datum["href"] = str(row.get("href") or "")
    return datum


def _series_data(rows: list[dict], *, label=lambda row: str(row["label"])) -> tuple[list[dict], list[str]]:
    values = [_datum(row, label=label(row), series=str(row["series"])) for row in rows]
    return values, list(dict.fromkeys(datum["series"] for datum in values))


def _links(values: list[dict]) -> dict:
    """The encodings of a mark drawn for one row: its link when the rows have one, the text a screen
    reader says and the tooltip."""
    encoding = {
        "description": {"field": "description", "type": "nominal"},
        "tooltip": {"field": "description", "type": "nominal"},
    }
    if any(datum["href"] for datum in values):
        encoding["href"] = {"field": "href", "type": "nominal"}
    return encoding


def _bars(label_title: str | None, value_title: str | None, value_format: str) -> dict:
    """Horizontal bars: a band per label in the rows' order, the values along the x axis."""
    return {
        "y": {"field": "label", "type": "nominal", "sort": None, "title": label_title},
        "x": {
            "field": "value",
            "type": "quantitative",
            "title": value_title,
            "axis": {"format": value_format, "tickMinStep": 1},
        },
    }


def _value_text(value_format: str, **encoding) -> dict:
    """The layer writing each bar's value at its end (a link too, not said twice to a screen reader)."""
    return {
        "mark": {"type": "text", "align": "left", "dx": 3, "aria": False},
        "encoding": {"text": {"field": "value", "type": "quantitative", "format": value_format}, **encoding},
    }


def _color(series: list[str]) -> dict:
    return {
        "field": "series",
        "type": "nominal",
        "title": None,
        "scale": {"domain": series},
        "legend": {"orient": "top"},
    }


def _month_label(month: str) -> str:
    """ "2026-05" → "05/2026"."""
    year, number = month.split("-")
    return f"{number}/{year}"


def _number(value) -> str:
    return number_format(value, force_grouping=True)
