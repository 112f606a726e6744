"""Section V of the PDF report, "Đánh giá, xếp loại chất lượng và thi đua", written like seed 002 from the
frozen figures of the hand-counted years (test_statistics_ratings.py); and the annex's "Ratings and
emulation" sheet, one row per key. The PDF is rendered by the service the Celery task calls. The years have
no meeting, study or case work: the section shows as II, the narrative as III."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from reports import document, labels
from reports.annex import write_annex
from reports.statistics import statistics
from tests.reports import test_statistics_ratings as hand_counted
from tests.reports.test_pdf import pdf_text

PERIOD, ratings_years = hand_counted.PERIOD, hand_counted.ratings_years

pytestmark = pytest.mark.django_db

SECTION = "II. ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG VÀ THI ĐUA"


def _section(text: str) -> str:
    """The text of section V: from its heading to the next one (the narrative) or the closing."""
    start = text.index(SECTION)
    ends = [text.find(marker, start) for marker in ("III. ĐÁNH GIÁ CHUNG", "Nơi nhận")]
    return text[start : min(end for end in ends if end > 0)]


def test_the_annual_report_writes_the_ratings_as_the_bloc_does(bloc, ratings_years, make_report):
    report = make_report(bloc, PERIOD, strengths="Công tác đánh giá được thực hiện nghiêm túc.")
    text = pdf_text(report)

    assert report.figures["ratings"] == statistics(bloc, PERIOD)["ratings"]
    section = _section(text)
    for expected in (
        SECTION,
        "Kết quả đánh giá, xếp loại chất lượng năm 2025, có 3 tổ chức cơ sở đảng được đánh giá, xếp loại "
        "chất lượng, trong đó 1 hoàn thành xuất sắc nhiệm vụ và 2 hoàn thành tốt nhiệm vụ; tỷ lệ tổ chức cơ "
        "sở đảng hoàn thành tốt nhiệm vụ trở lên đạt 100%.",
        "Về đảng viên, có 12 đảng viên được đánh giá, xếp loại chất lượng, trong đó 3 hoàn thành xuất sắc "
        "nhiệm vụ, 7 hoàn thành tốt nhiệm vụ, 1 hoàn thành nhiệm vụ và 1 không hoàn thành nhiệm vụ; số đảng "
        "viên hoàn thành tốt, hoàn thành xuất sắc nhiệm vụ đạt 83,3%.",
        # The annual report names the groups over the quota.
        "Tỷ lệ xếp loại hoàn thành xuất sắc nhiệm vụ còn cao hơn quy định (vượt tỷ lệ so với số được xếp "
        "loại hoàn thành tốt nhiệm vụ) ở: đảng viên Chi bộ Báo Gia Lai; các tổ chức đảng do Đảng ủy Khối các "
        "cơ quan và doanh nghiệp tỉnh đánh giá.",
        "Kết quả chấm điểm thi đua năm 2025 theo Bảng chấm điểm thi đua năm 2025: 3 tổ chức cơ sở đảng được "
        "chấm điểm, trong đó 1 đạt loại Xuất sắc, 1 đạt loại Tốt và 1 đạt loại Khá; dẫn đầu là Đảng bộ Sở "
        "Tài chính (95 điểm).",
        # The table of the distribution.
        "Tổ chức cơ sở đảng năm 2025 3 1 2 0 0 100",
        "Đảng viên năm 2025 12 3 7 1 1 83,3",
    ):
        assert expected in section, expected
    # The narrative follows, renumbered.
    assert "III. ĐÁNH GIÁ CHUNG" in text and "Công tác đánh giá được thực hiện nghiêm túc." in text
    for member in (*ratings_years["a1"], *ratings_years["b"]):
        assert member.full_name not in section


def test_a_legacy_year_quotes_the_clean_and_strong_share(bloc, ratings_years):
    figures = statistics(bloc, "2016")

    assert document.rating_sentences(bloc, figures, annual=True) == [
        "Kết quả đánh giá, xếp loại chất lượng năm 2016, tỷ lệ cơ sở đạt trong sạch, vững mạnh là 66,7% "
        "(2/3 tổ chức cơ sở đảng), không có cơ sở đảng yếu kém.",
        "Về đảng viên, có 4 đảng viên được đánh giá, xếp loại chất lượng, trong đó 1 hoàn thành xuất sắc "
        "nhiệm vụ, 2 hoàn thành tốt nhiệm vụ và 1 hoàn thành nhiệm vụ; số đảng viên hoàn thành tốt, hoàn "
        "thành xuất sắc nhiệm vụ đạt 75%.",
    ]
    table = document.rating_table(figures)
    assert table["columns"][-2:] == ["Trong sạch, vững mạnh", "Yếu kém"]
    assert table["rows"][0] == {
        "label": "Tổ chức cơ sở đảng năm 2016",
        "rated": 3,
        "counts": [0, 1, 0, 0, 2, 0],
        "share": 100.0,
    }


def test_a_quarter_counts_the_groups_over_the_quota_without_naming_them(bloc, ratings_years):
    sentences = document.rating_sentences(bloc, statistics(bloc, "2025-Q4"), annual=False)

    assert "Có 2 nhóm có tỷ lệ xếp loại hoàn thành xuất sắc nhiệm vụ còn cao hơn quy định." in sentences
    assert not any("Chi bộ Báo Gia Lai" in sentence for sentence in sentences)


def test_an_organization_speaks_of_its_own_rating_and_rank(org_a, ratings_years):
    sentences = document.rating_sentences(org_a, statistics(org_a, PERIOD), annual=True)

    assert sentences == [
        "Kết quả đánh giá, xếp loại chất lượng năm 2025, Đảng bộ được xếp loại hoàn thành xuất sắc nhiệm vụ.",
        "Về đảng viên, có 8 đảng viên được đánh giá, xếp loại chất lượng, trong đó 1 hoàn thành xuất sắc "
        "nhiệm vụ, 5 hoàn thành tốt nhiệm vụ, 1 hoàn thành nhiệm vụ và 1 không hoàn thành nhiệm vụ; số đảng "
        "viên hoàn thành tốt, hoàn thành xuất sắc nhiệm vụ đạt 75%.",
        "Kết quả chấm điểm thi đua năm 2025 theo Bảng chấm điểm thi đua năm 2025: Đảng bộ Sở Tài chính đạt "
        "95 điểm, xếp thứ 1, loại Xuất sắc.",
    ]


def test_a_period_without_ratings_has_no_section(org_b, make_report):
    report = make_report(org_b, "2025-Q2", render=False, strengths="Đánh giá.")

    context = document.document_context(report)

    assert context["rating_sentences"] is None
    assert context["narrative_number"] == "II"  # nor any meeting, study or case work: I, then the narrative


def test_a_report_frozen_before_the_ratings_keeps_its_numbering(bloc, ratings_years, make_report):
    report = make_report(bloc, PERIOD, render=False, strengths="Đánh giá.")
    assert document.document_context(report)["narrative_number"] == "III"
    report.figures = {
        key: value for key, value in report.figures.items() if key not in ("ratings", "emulation")
    }

    context = document.document_context(report)

    assert context["rating_sentences"] is None
    assert context["narrative_number"] == "II"


def test_the_annex_has_a_row_per_rating_key(bloc, ratings_years):
    figures = statistics(bloc, PERIOD)
    stream = BytesIO()
    write_annex(figures, stream)

    sheet = next(
        ws
        for ws in load_workbook(BytesIO(stream.getvalue())).worksheets
        if ws["B2"].value == "ratings.members.rated"
    )
    rows = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if not row[1] or not str(row[1]).startswith("ratings."):
            break
        rows[row[1]] = row[2]
    assert list(rows) == [key for _label, key in labels.rating_rows()]
    assert rows["ratings.members.rated"] == 12
    assert rows["ratings.members.by_level.htxs"] == 3
    assert rows["ratings.members.good_or_excellent_percent"] == 83.3
    assert rows["ratings.organizations.by_level.tsvm"] == 0
    assert rows["ratings.organizations.tsvm_percent"] is None
    assert rows["ratings.over_quota"] == "B, DUK"
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    # The levels by year, then the ranking of the bloc's sheet.
    assert [2025, 12, 3, 7, 1, 1, 3, 1, 2, 0, 0, 0, 0] in [row[:13] for row in values]
    assert [1, "A", "Đảng bộ Sở Tài chính", 95, "Xuất sắc", "Cụm 1", 1] in [row[:7] for row in values]
