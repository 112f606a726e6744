"""Section IV of the PDF report, "Công tác kiểm tra, giám sát và thi hành kỷ luật đảng", written like seed
001 from the frozen figures of the hand-counted year 2025 (test_statistics_inspections.py): counts and
forms, never a name, a finding or a sender. The PDF is rendered by the service the Celery task calls.
The year has no meeting, study or rating: the section shows as II, the narrative as III."""

from datetime import date

import pytest

from reports import document
from reports.statistics import statistics
from tests.reports import test_statistics_inspections as hand_counted
from tests.reports.test_pdf import pdf_text

# The hand-counted year of the case work.
PERIOD, year = hand_counted.PERIOD, hand_counted.year

pytestmark = pytest.mark.django_db

SECTION = "II. CÔNG TÁC KIỂM TRA, GIÁM SÁT VÀ THI HÀNH KỶ LUẬT ĐẢNG"


def _section(text: str) -> str:
    """The text of section IV: from its heading to the next one (the narrative) or the closing."""
    start = text.index(SECTION)
    ends = [text.find(marker, start) for marker in ("III. ĐÁNH GIÁ CHUNG", "Nơi nhận")]
    return text[start : min(end for end in ends if end > 0)]


def test_the_bloc_report_writes_the_year_of_case_work_as_sentences(bloc, year, make_report):
    report = make_report(bloc, PERIOD, strengths="Công tác kiểm tra được duy trì thường xuyên.")
    text = pdf_text(report)

    assert report.figures["inspections"] == statistics(bloc, PERIOD)["inspections"]
    section = _section(text)
    for expected in (
        SECTION,
        "Trong năm 2025, cấp ủy, ủy ban kiểm tra các cấp đã ban hành quyết định kiểm tra, giám sát đối "
        "với 3 tổ chức đảng (trong đó 2 chi, đảng bộ cơ sở) và 3 đồng chí đảng viên (trong đó 1 đồng chí "
        "bí thư cấp ủy); tổng số 8 cuộc, gồm: kiểm tra khi có dấu hiệu vi phạm 3 cuộc, kiểm tra việc "
        "thực hiện nhiệm vụ kiểm tra, giám sát và thi hành kỷ luật đảng 1 cuộc, kiểm tra tài chính đảng "
        "1 cuộc, giám sát thường xuyên 1 cuộc, giám sát chuyên đề 1 cuộc, giải quyết tố cáo 1 cuộc.",
        "Qua kiểm tra, giám sát, đã kết luận 3 trường hợp có vi phạm.",
        # B's khiển trách; m1's khai trừ and m3's khiển trách; not m2's cảnh cáo, annulled on appeal.
        "Thi hành kỷ luật 1 tổ chức đảng bằng hình thức khiển trách và 2 đảng viên (khiển trách 1, "
        "khai trừ 1).",
        "Về đơn thư, đã tiếp nhận 5 đơn thư tố cáo, khiếu nại, phản ánh; giải quyết xong 2 đơn.",
        "Đến ngày 31/12/2025, còn 3 đơn đang giải quyết, trong đó 2 đơn quá hạn.",
    ):
        assert expected in section, expected
    # The narrative follows, renumbered.
    assert "III. ĐÁNH GIÁ CHUNG" in text and "Công tác kiểm tra được duy trì thường xuyên." in text
    assert "cảnh cáo" not in section


def test_the_section_names_nobody_and_tells_no_finding(org_a, year, make_report):
    report = make_report(org_a, PERIOD)
    section = _section(pdf_text(report))

    for member in (year["secretary"], *year["members"]):
        assert member.full_name not in section
    for secret in ("Nhận xét của đoàn kiểm tra", "Người gửi", "Nội dung đơn", "Tố cáo không đúng"):
        assert secret not in section
    assert (
        "Trong năm 2025, Đảng ủy, Ủy ban Kiểm tra Đảng ủy và các chi bộ trực thuộc đã tiến hành 1 cuộc "
        "kiểm tra khi có dấu hiệu vi phạm đối với 1 tổ chức đảng." in section
    )
    assert "Thi hành kỷ luật 1 đảng viên bằng hình thức khiển trách." in section
    assert "Đến ngày 31/12/2025, còn 1 đơn đang giải quyết, trong đó 1 đơn quá hạn." in section


def test_a_period_without_case_work_has_no_section(org_b, make_report):
    report = make_report(org_b, "2025-Q2", render=False, strengths="Đánh giá.")

    context = document.document_context(report)

    # Only section I and the narrative (II): no case, discipline or letter in the quarter.
    assert context["case_work_sentences"] is None and context["narrative_number"] == "II"


def test_a_period_without_case_work_still_says_so_in_its_sentences(org_b):
    figures = statistics(org_b, "2025-Q2")

    assert document.case_work_sentences(org_b, figures, "quý II năm 2025", date(2025, 6, 30)) == [
        "Trong quý II năm 2025, chưa ghi nhận cuộc kiểm tra, giám sát nào.",
        "Không có đảng viên nào bị thi hành kỷ luật.",
        "Không tiếp nhận đơn thư tố cáo, khiếu nại, phản ánh nào và không có đơn thư tồn đọng.",
    ]


def test_a_chi_bo_speaks_of_itself(org_b, year):
    figures = statistics(org_b, PERIOD)

    as_of = date.fromisoformat(figures["period"]["as_of"])
    sentences = document.case_work_sentences(org_b, figures, "năm 2025", as_of)

    assert sentences == [
        "Trong năm 2025, Chi bộ đã tiến hành 1 cuộc giám sát thường xuyên đối với 1 đồng chí đảng viên.",
        "Không có đảng viên nào bị thi hành kỷ luật.",
        "Về đơn thư, đã tiếp nhận 1 đơn thư tố cáo, khiếu nại, phản ánh.",
        "Đến ngày 31/12/2025, không còn đơn thư tồn đọng.",
    ]


def test_several_forms_and_kinds_are_listed_in_the_order_of_the_choices(bloc):
    figures = {
        "inspections": {
            "cases": 21,
            # Given out of order, as PostgreSQL's jsonb may give them back.
            "by_kind": {"giam_sat_chuyen_de": 7, "dau_hieu_vi_pham": 2, "tai_chinh_dang": 12},
            "organizations_covered": 14,
            "grassroots_covered": 14,
            "members_covered": 7,
            "secretaries_covered": 7,
            "violations_found": 0,
        },
        "discipline": {
            "organizations": 2,
            "organizations_by_form": {"canh_cao": 1, "khien_trach": 1, "giai_tan": 0},
            "members": 1,
            "members_by_form": {"khai_tru": 1, "khien_trach": 0, "canh_cao": 0, "cach_chuc": 0},
        },
        "complaints": {"received": 0, "resolved": 0, "pending": 2, "overdue": 0},
    }
    sentences = document.case_work_sentences(bloc, figures, "năm 2020", date(2020, 12, 31))

    assert sentences == [
        "Trong năm 2020, cấp ủy, ủy ban kiểm tra các cấp đã ban hành quyết định kiểm tra, giám sát đối "
        "với 14 tổ chức đảng (trong đó 14 chi, đảng bộ cơ sở) và 7 đồng chí đảng viên (trong đó 7 đồng chí "
        "bí thư cấp ủy); tổng số 21 cuộc, gồm: kiểm tra khi có dấu hiệu vi phạm 2 cuộc, kiểm tra tài chính "
        "đảng 12 cuộc, giám sát chuyên đề 7 cuộc.",
        "Thi hành kỷ luật 2 tổ chức đảng (khiển trách 1, cảnh cáo 1) và 1 đảng viên bằng hình thức khai trừ.",
        "Không tiếp nhận đơn thư tố cáo, khiếu nại, phản ánh nào.",
        "Đến ngày 31/12/2020, còn 2 đơn đang giải quyết.",
    ]


def test_a_report_frozen_before_the_case_work_keeps_its_numbering(org_b, make_report):
    report = make_report(org_b, "2025-Q2", render=False, strengths="Đánh giá.")
    report.figures = {
        key: value
        for key, value in report.figures.items()
        if key not in ("inspections", "discipline", "complaints")
    }

    context = document.document_context(report)

    assert context["case_work_sentences"] is None
    assert context["narrative_number"] == "II"  # nor any meeting or study in the quarter
