"""Sections II ("Sinh hoạt chi bộ") and III ("Học tập, quán triệt nghị quyết") of the PDF report,
written like seed 002 from the frozen figures of the hand-counted first quarter of 2025
(tests/meetings/conftest.py): đảng bộ A 13 of 17 members (76,5%), its committee never met, A1 and A2
met in March only."""

import pytest

from reports import document
from reports.statistics import statistics
from tests.meetings import conftest as meeting_fixtures
from tests.reports.studies import hand_counted, record_studies
from tests.reports.test_pdf import pdf_text

# The hand-counted quarter of the meetings (it replaces, in this module, the reports' own `quarter`).
cell_a2, people, quarter = meeting_fixtures.cell_a2, meeting_fixtures.people, meeting_fixtures.quarter

PERIOD = "2025-Q1"
IN_PERIOD = "quý I năm 2025"

pytestmark = pytest.mark.django_db


def test_the_report_writes_the_meetings_and_the_study_as_sentences(
    org_a, cell_a1, quarter, staff_user, make_report
):
    record_studies(hand_counted(org_a, cell_a1), staff_user)

    report = make_report(org_a, PERIOD, strengths="Chất lượng sinh hoạt chi bộ từng bước được nâng lên.")
    text = pdf_text(report)

    assert report.figures["meetings"] == statistics(org_a, PERIOD)["meetings"]
    for expected in (
        "II. SINH HOẠT CHI BỘ",
        "Trong quý I năm 2025, chưa có chi bộ, đảng ủy cơ sở nào duy trì sinh hoạt định kỳ đủ các tháng; "
        "sinh hoạt thường kỳ đạt 2/9 kỳ theo quy định (22,2%); "
        "tỷ lệ đảng viên dự sinh hoạt đạt 76,5%, tỷ lệ cấp ủy viên dự sinh hoạt đạt 100%.",
        "Các chi bộ đã sinh hoạt chuyên đề 2/2 kỳ theo quy định (100%).",
        # The chi bộ behind, by name; the đảng bộ cơ sở meets as its committee.
        "Còn 3 tổ chức chưa sinh hoạt đủ theo quy định: "
        "Đảng ủy Sở Tài chính (chưa sinh hoạt thường kỳ tháng 01, 02, 03/2025); "
        "Chi bộ Phòng Ngân sách (chưa sinh hoạt thường kỳ tháng 01, 02/2025); "
        "Chi bộ Phòng Tổng hợp (chưa sinh hoạt thường kỳ tháng 01, 02/2025).",
        "III. HỌC TẬP, QUÁN TRIỆT NGHỊ QUYẾT",
        "Trong quý I năm 2025, các cấp ủy, tổ chức đảng đã tổ chức 2 hội nghị học tập, quán triệt nghị "
        "quyết, chỉ thị của Đảng; 100% đảng viên và 91,2% quần chúng được nghiên cứu, học tập.",
        "IV. ĐÁNH GIÁ CHUNG",  # no case work nor rating in the quarter: no section for them
        "Chất lượng sinh hoạt chi bộ từng bước được nâng lên.",
    ):
        assert expected in text, expected


def test_a_chi_bo_report_speaks_of_the_chi_bo_itself(cell_a1, quarter):
    figures = statistics(cell_a1, PERIOD)

    assert document.meeting_sentences(cell_a1, figures["meetings"], IN_PERIOD) == [
        "Trong quý I năm 2025, Chi bộ sinh hoạt thường kỳ 1/3 tháng theo quy định; "
        "tỷ lệ đảng viên dự sinh hoạt đạt 70%, tỷ lệ cấp ủy viên dự sinh hoạt đạt 100%.",
        "Chi bộ đã sinh hoạt chuyên đề 1/1 kỳ theo quy định (100%).",
        "Tổ chức chưa sinh hoạt đủ theo quy định: Chi bộ Phòng Ngân sách (chưa sinh hoạt thường kỳ "
        "tháng 01, 02/2025).",
    ]
    assert document.study_sentences(cell_a1, figures["study"], IN_PERIOD) == [
        "Trong quý I năm 2025, chưa ghi nhận hội nghị học tập, quán triệt nghị quyết, chỉ thị nào."
    ]


def _meetings(**changes) -> dict:
    figures = {
        "cells_total": 50,
        "cells_meeting_every_month": 50,
        "cells_meeting_every_month_percent": 100.0,
        "by_kind": {"chi_bo_co_so": {"total": 50, "every_month": 50}},
        "regular_held": 150,
        "regular_due": 150,
        "regular_held_percent": 100.0,
        "thematic_held": 48,
        "thematic_due": 50,
        "thematic_held_percent": 96.0,
        "thematic_meetings": 51,
        "attendance_percent": 84.6,
        "committee_attendance_percent": 93.1,
        "behind": [],
    }
    return {**figures, **changes}


def test_every_chi_bo_meeting_monthly_reads_as_the_press_writes_it(bloc):
    assert document.meeting_sentences(bloc, _meetings(), IN_PERIOD) == [
        "Trong quý I năm 2025, 100% chi bộ duy trì sinh hoạt định kỳ hằng tháng; "
        "tỷ lệ đảng viên dự sinh hoạt đạt 84,6%, tỷ lệ cấp ủy viên dự sinh hoạt đạt 93,1%.",
        "Các chi bộ đã sinh hoạt chuyên đề 48/50 kỳ theo quy định (96%), với 51 lượt sinh hoạt chuyên đề.",
    ]


def test_beyond_ten_organizations_behind_the_others_are_counted(bloc):
    behind = [
        {
            "code": f"C{n:02d}",
            "name": f"Chi bộ {n:02d}",
            "kind": "chi_bo_co_so",
            "grassroots": f"C{n:02d}",
            "regular_missing": ["2024-12", "2025-02"],
            "thematic_missing": ["2025-01"] if n == 0 else [],
        }
        for n in range(12)
    ]
    meetings = _meetings(cells_meeting_every_month=38, cells_meeting_every_month_percent=76.0, behind=behind)

    sentences = document.meeting_sentences(bloc, meetings, IN_PERIOD)

    assert sentences[0].startswith(
        "Trong quý I năm 2025, 38/50 chi bộ (76%) duy trì sinh hoạt định kỳ hằng tháng; "
        "sinh hoạt thường kỳ đạt 150/150 kỳ theo quy định (100%);"
    )
    assert sentences[-1].startswith(
        "Còn 12 tổ chức chưa sinh hoạt đủ theo quy định: Chi bộ 00 (chưa sinh hoạt thường kỳ tháng "
        "12/2024, tháng 02/2025 và chưa sinh hoạt chuyên đề quý I/2025); Chi bộ 01 ("
    )
    assert sentences[-1].endswith(
        "; Chi bộ 09 (chưa sinh hoạt thường kỳ tháng 12/2024, tháng 02/2025) và 2 tổ chức khác."
    )
    assert "Chi bộ 10" not in sentences[-1]


def test_a_report_frozen_before_the_meetings_keeps_its_numbering(org_b, make_report):
    report = make_report(org_b, PERIOD, render=False, strengths="Đánh giá.")
    # Frozen before the meetings, so before the case work as well.
    report.figures = {
        key: value
        for key, value in report.figures.items()
        if key not in ("meetings", "study", "inspections", "discipline", "complaints")
    }

    context = document.document_context(report)

    assert context["meeting_sentences"] is None and context["narrative_number"] == "II"
