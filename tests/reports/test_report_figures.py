"""The done-when test of the reports (issue 13): a fixture bloc counted by hand, its quarterly and annual
reports drafted, finalized and rendered through the services, and the hand counts found in the PDF's text
(pdftotext) the Vietnamese way, "2.020" and "32,4%", with the diacritics intact and only Liberation Serif 2
embedded (pdffonts); the XLSX annex written from the same frozen figures carries the same counts.

The bloc on 31/12/2025 (the clock reads 28/11/2026, the year 2025 decided):

- Đảng bộ Sở Tài chính (A, đảng bộ cơ sở, cơ quan Nhà nước), with Chi bộ Phòng Ngân sách (A1: 13 members,
  3 of them women) and Chi bộ Văn phòng (A2: 2,000 members entered from a file, 650 of them women);
- Chi bộ Báo Gia Lai (B, chi bộ cơ sở, đơn vị sự nghiệp: 7 members, 1 woman).

Section I: 2 tổ chức cơ sở đảng (1 đảng bộ cơ sở, 1 chi bộ cơ sở), 2 chi bộ trực thuộc; 13 + 2,000 = 2,013
members in the state sector and 7 in public service, 2,020 in all, every one official; women 3 + 650 + 1 =
654, 654/2,020 = 32.38% → "32,4%". Nobody joined or left in 2025.

Section II, the meetings of the fourth quarter (none before): B met on 10/10 (7 of 7 present), 10/11 (5 of 7)
and 10/12 (7 of 7); A1 on 15/10 (12 of 13) and 14/11, a regular meeting combined with the thematic one
(11 of 13); A's committee and A2 never met. Due a monthly meeting: A, A1, A2, B.
- Q4: regular 5 of 4 × 3 = 12 months (41,7%); only B met every month (1/4, 25%); thematic, due from the
  three chi bộ once a quarter: 1 of 3 (33,3%); attendance (7 + 5 + 7 + 12 + 11) = 42 of (3 × 7 + 2 × 13) = 47
  (89,4%). By kind: chi bộ cơ sở 1, 1 every month, 3/3, thematic 0/1; chi bộ trực thuộc 2, 0, 2/6 (33,3%),
  thematic 1/2 (50%); đảng ủy cơ sở 1, 0, 0/3, no thematic due.
- 2025: regular 5 of 4 × 12 = 48 (10,4%), nobody every month; thematic 1 of 3 × 4 = 12 (8,3%).

Section III, in March 2025 only: one study session at A, 12 of 37 members (32,4%) and 18 of 20 non-members
(90%). No study in the fourth quarter: no section III in the quarterly report.

Section IV, in May and June 2025 only: the bloc's inspection commission inspected B on signs of a violation
(5/5), its standing committee A's Party finances (2/6): 2 cases, 2 organizations, both grassroots; no
discipline, no letter. No section IV in the quarterly report.

Section V, the year 2025: B's 7 members rated 1 htxs, 5 htt, 1 ht (6 of 7 well or better: 85,7%); A and B
rated htt (2 of 2: 100%). The quarter touches 2025 too: section V in both reports.
"""

import io
import subprocess
import unicodedata
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from openpyxl import load_workbook

from emulation.services import ratings
from inspections.models import Body, Case
from inspections.services import cases
from meetings import services as meeting_services
from meetings.models import Attendance, Meeting
from meetings.services.meetings import Mark
from organizations.models import Organization
from reports import document
from reports.annex import write_annex
from tests.factories import MemberFactory, OrganizationFactory, register_in_bulk
from tests.reports.studies import record_studies
from tests.reports.test_pdf import pdf_bytes_text, pdf_text

pytestmark = pytest.mark.django_db

D = date
QUARTER, YEAR = "2025-Q4", "2025"


@pytest.fixture(autouse=True)
def _review_day(settings):
    settings.PORTAL_NOW = "2026-11-28T03:00:00+00:00"


def _members(cell, count, women, by, prefix):
    return [
        MemberFactory(
            organization=cell,
            full_name=f"{'Nguyễn Thị' if n < women else 'Phạm Văn'} {prefix} {n:02d}",
            gender="nu" if n < women else "nam",
            official=True,
            by=by,
        )
        for n in range(count)
    ]


def _meeting(cell, day, absent, by, kind=Meeting.Kind.REGULAR):
    meeting = meeting_services.record_meeting(organization=cell, held_on=day, kind=kind, by=by)
    meeting_services.record_attendance(
        meeting=meeting, marks=[Mark(member.pk, Attendance.Status.ABSENT) for member in absent], by=by
    )


@pytest.fixture
def counted_bloc(bloc, org_a, cell_a1, org_b, staff_user):
    """The bloc of the module's docstring."""
    by = staff_user
    a2 = OrganizationFactory(
        code="A2", name="Chi bộ Văn phòng", kind=Organization.Kind.SUBORDINATE_CELL, parent=org_a, by=by
    )
    register_in_bulk(a2, 2000, women=650, by=by)
    a1 = _members(cell_a1, 13, 3, by, "Ngân Sách")
    b = _members(org_b, 7, 1, by, "Báo")

    _meeting(org_b, D(2025, 10, 10), [], by)
    _meeting(org_b, D(2025, 11, 10), b[5:], by)
    _meeting(org_b, D(2025, 12, 10), [], by)
    _meeting(cell_a1, D(2025, 10, 15), a1[12:], by)
    _meeting(cell_a1, D(2025, 11, 14), a1[11:], by, kind=Meeting.Kind.COMBINED)

    record_studies([(org_a, D(2025, 3, 12), "57-NQ/TW", (37, 12), (20, 18))], by)

    for body, kind, number, day, target in (
        (Body.COMMISSION, Case.Kind.SIGNS_OF_VIOLATION, "05-QĐ/UBKTĐUK", D(2025, 5, 5), org_b),
        (Body.STANDING, Case.Kind.FINANCE, "20-QĐ/ĐUK", D(2025, 6, 2), org_a),
    ):
        cases.open_case(
            organization=bloc,
            body=body,
            kind=kind,
            decision_no=number,
            opened_on=day,
            target_organization=target,
            by=by,
        )

    for member, level in zip(b, ["htxs", "htt", "htt", "htt", "htt", "htt", "ht"], strict=True):
        ratings.record_decided_member(member=member, year=2025, level=level, by=by)
    for organization in (org_a, org_b):
        ratings.record_decided_organization(organization=organization, year=2025, level="htt", by=by)
    return bloc


def _pages(pdf: bytes) -> list[str]:
    found = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    count = int(next(line for line in found.splitlines() if line.startswith("Pages:")).split()[-1])
    return [pdf_bytes_text(pdf, page, page) for page in range(1, count + 1)]


def pdffonts(report) -> list[tuple[str, str]]:
    """(name, embedded) of every font of the PDF, as poppler lists them."""
    with report.pdf.open("rb") as handle:
        output = subprocess.run(
            ["pdffonts", "-"], input=handle.read(), capture_output=True, check=True
        ).stdout.decode()
    rows = output.splitlines()[2:]  # the header and its underline
    return [(row.split()[0], row.split()[-5]) for row in rows if row.strip()]


SECTION_ONE = [
    "Đảng bộ Khối hiện có 2 tổ chức cơ sở đảng trực thuộc, trong đó 1 đảng bộ cơ sở và 1 chi bộ cơ sở; "
    "1 tổ chức cơ sở đảng thuộc cơ quan Nhà nước với 2.013 đảng viên và 1 tổ chức cơ sở đảng thuộc đơn vị "
    "sự nghiệp với 7 đảng viên.",
    "Các đảng bộ cơ sở có 2 chi bộ trực thuộc.",
    "Toàn Đảng bộ Khối có 2.020 đảng viên (2.020 đảng viên chính thức); trong đó đảng viên nữ 654 đồng chí "
    "(chiếm 32,4%).",
]
RATINGS = [
    "III. ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG VÀ THI ĐUA",
    "Kết quả đánh giá, xếp loại chất lượng năm 2025, có 2 tổ chức cơ sở đảng được đánh giá, xếp loại chất "
    "lượng, trong đó 2 hoàn thành tốt nhiệm vụ; tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên đạt "
    "100%.",
    "Về đảng viên, có 7 đảng viên được đánh giá, xếp loại chất lượng, trong đó 1 hoàn thành xuất sắc nhiệm "
    "vụ, 5 hoàn thành tốt nhiệm vụ và 1 hoàn thành nhiệm vụ; số đảng viên hoàn thành tốt, hoàn thành xuất "
    "sắc nhiệm vụ đạt 85,7%.",
]


def test_the_quarterly_report_prints_the_hand_counted_figures(counted_bloc, make_report):
    report = make_report(counted_bloc, QUARTER, strengths="Các chi bộ duy trì nền nếp sinh hoạt.")
    text = pdf_text(report)

    for expected in [
        "ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH",
        "Kết quả công tác xây dựng Đảng quý IV năm 2025",
        "I. TỔ CHỨC CƠ SỞ ĐẢNG VÀ ĐẢNG VIÊN",
        *SECTION_ONE,
        "Trong quý IV năm 2025, không có biến động về đảng viên.",
        "II. SINH HOẠT CHI BỘ",
        "Trong quý IV năm 2025, 1/4 chi bộ, đảng ủy cơ sở (25%) duy trì sinh hoạt định kỳ hằng tháng; sinh "
        "hoạt thường kỳ đạt 5/12 kỳ theo quy định (41,7%); tỷ lệ đảng viên dự sinh hoạt đạt 89,4%.",
        "Các chi bộ đã sinh hoạt chuyên đề 1/3 kỳ theo quy định (33,3%).",
        "Còn 4 tổ chức chưa sinh hoạt đủ theo quy định: Chi bộ Văn phòng (chưa sinh hoạt thường kỳ tháng 10, "
        "11, 12/2025 và chưa sinh hoạt chuyên đề quý IV/2025); Đảng ủy Sở Tài chính (chưa sinh hoạt thường "
        "kỳ tháng 10, 11, 12/2025); Chi bộ Phòng Ngân sách (chưa sinh hoạt thường kỳ tháng 12/2025); Chi bộ "
        "Báo Gia Lai (chưa sinh hoạt chuyên đề quý IV/2025).",
        # Section II's table: per kind the organizations, those meeting every month, the regular meetings
        # held of those due and their share, the thematic ones; then the total.
        "Loại tổ chức Số tổ chức Duy trì sinh hoạt đủ các tháng Sinh hoạt thường kỳ",
        "Chi bộ cơ sở 1 1 3/3 100 0/1 0",
        "Chi bộ trực thuộc 2 0 2/6 33,3 1/2 50",
        "Đảng ủy cơ sở 1 0 0/3 0 – –",
        "Tổng cộng 4 1 5/12 41,7 1/3 33,3",
        *RATINGS,
        "Các chi bộ duy trì nền nếp sinh hoạt.",
        "T/M BAN THƯỜNG VỤ",
    ]:
        assert expected in text, expected
    # No study and no case work in the quarter: no section for them, the ratings III, the narrative IV.
    assert "HỌC TẬP, QUÁN TRIỆT" not in text and "CÔNG TÁC KIỂM TRA" not in text
    assert document.document_context(report)["narrative_number"] == "IV"
    # The charts of the dashboard: the attendance by month in section II, the members' levels in section V
    # (one organization rated a level says it in a sentence: no chart of theirs).
    assert "Tỷ lệ dự sinh hoạt thường kỳ theo tháng" in text
    assert "Đảng viên theo mức xếp loại chất lượng" in text


def test_the_annual_report_prints_every_section_and_its_annex_the_same_counts(counted_bloc, make_report):
    report = make_report(counted_bloc, YEAR, strengths="Công tác kiểm tra được tăng cường.")
    text = pdf_text(report)

    for expected in [
        "Kết quả công tác xây dựng Đảng năm 2025",
        *SECTION_ONE,
        "II. SINH HOẠT CHI BỘ",
        "Trong năm 2025, chưa có chi bộ, đảng ủy cơ sở nào duy trì sinh hoạt định kỳ đủ các tháng; sinh hoạt "
        "thường kỳ đạt 5/48 kỳ theo quy định (10,4%); tỷ lệ đảng viên dự sinh hoạt đạt 89,4%.",
        "Các chi bộ đã sinh hoạt chuyên đề 1/12 kỳ theo quy định (8,3%).",
        "III. HỌC TẬP, QUÁN TRIỆT NGHỊ QUYẾT",
        "Trong năm 2025, các cấp ủy, tổ chức đảng đã tổ chức 1 hội nghị học tập, quán triệt nghị quyết, chỉ "
        "thị của Đảng; 32,4% đảng viên và 90% quần chúng được nghiên cứu, học tập.",
        "Đảng viên 37 12 32,4",  # section III's table
        "Quần chúng 20 18 90",
        "IV. CÔNG TÁC KIỂM TRA, GIÁM SÁT VÀ THI HÀNH KỶ LUẬT ĐẢNG",
        "Trong năm 2025, cấp ủy, ủy ban kiểm tra các cấp đã ban hành quyết định kiểm tra, giám sát đối với 2 "
        "tổ chức đảng (trong đó 2 chi, đảng bộ cơ sở); tổng số 2 cuộc, gồm: kiểm tra khi có dấu hiệu vi phạm "
        "1 cuộc, kiểm tra tài chính đảng 1 cuộc.",
        "Không có tổ chức đảng, đảng viên nào bị thi hành kỷ luật.",
        "Kiểm tra khi có dấu hiệu vi phạm 1",  # section IV's table
        "Kiểm tra tài chính đảng 1 Tổng cộng 2",
        RATINGS[0].replace("III.", "V."),
        *RATINGS[1:],
        "Công tác kiểm tra được tăng cường.",
    ]:
        assert expected in text, expected
    assert document.document_context(report)["narrative_number"] == "VI"

    # Diacritics survive pdftotext, and only Liberation Serif 2.x is embedded: the body, its bold and
    # italic, and the charts' labels.
    for word in ("Đảng bộ Khối", "đảng viên", "sinh hoạt", "Chi bộ Báo Gia Lai", "hoàn thành xuất sắc"):
        assert unicodedata.normalize("NFC", word) in text, word
    fonts = pdffonts(report)
    assert fonts and all("LiberationSerif" in name for name, _embedded in fonts), fonts
    assert all(embedded == "yes" for _name, embedded in fonts), fonts

    # The XLSX annex written from the same frozen figures carries the same counts.
    stream = io.BytesIO()
    with translation.override("en"):  # the labels the test reads
        write_annex(report.figures, stream)
    workbook = load_workbook(io.BytesIO(stream.getvalue()))
    keyed = {}  # the rows of the sheets whose second column is a key of the figures
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            if len(row) > 2 and isinstance(row[1], str) and "." in row[1]:
                keyed[row[1]] = row[2]
    for key, value, printed in [
        ("members.total", 2020, "có 2.020 đảng viên"),
        ("members.women", 654, "đảng viên nữ 654 đồng chí"),
        ("meetings.regular_held", 5, "đạt 5/48 kỳ"),
        ("meetings.regular_due", 48, "đạt 5/48 kỳ"),
        ("meetings.attendance_percent", 89.4, "đạt 89,4%"),
        ("study.sessions", 1, "1 hội nghị"),
        ("study.member_percent", 32.4, "32,4% đảng viên"),
        ("inspections.cases", 2, "tổng số 2 cuộc"),
        ("inspections.by_kind.tai_chinh_dang", 1, "kiểm tra tài chính đảng 1 cuộc"),
        ("ratings.members.rated", 7, "có 7 đảng viên được đánh giá"),
        ("ratings.organizations.rated", 2, "có 2 tổ chức cơ sở đảng được đánh giá"),
    ]:
        assert keyed[key] == value, key
        assert printed in text, printed
    # Sections II and III's sheet: the table by kind and the study's attendance, as in the PDF.
    rows = [row for row in workbook["Meetings and study"].iter_rows(values_only=True) if any(row)]
    assert ("Total", 4, 0, 5, 48, 1, 12) in [tuple(row[:7]) for row in rows]
    assert [row[1:4] for row in rows if row[0] == "Party members"] == [(37, 12, 32.4)]


def test_a_long_table_repeats_its_header_on_the_next_page(org_b, make_report):
    report = make_report(org_b, QUARTER, render=False)
    context = document.document_context(report)
    context["meeting_sentences"], context["meeting_number"] = ["Câu mở đầu."], "II"
    context["meeting_table"] = {
        "headers": ["Tiêu đề cột lặp lại", "Số liệu"],
        "rows": [[f"Dòng số {n:03d}", n] for n in range(90)],
        "total": ["Tổng cộng", 4005],
    }
    import weasyprint

    with translation.override("vi"):
        html = render_to_string("reports/pdf/report.html", context)
    pages = _pages(weasyprint.HTML(string=html).write_pdf())

    spanned = [page for page in pages if "Dòng số" in page]
    assert len(spanned) >= 2, "the table should span two pages"
    assert all("Tiêu đề cột lặp lại Số liệu" in page for page in spanned)
