"""The PDF: a Vietnamese Party document (DOMAIN.md §8) whose sentences carry the frozen figures."""

import datetime
import io
import re
import subprocess
import unicodedata

import pypdf
from django.conf import settings
from django.utils import timezone, translation

from organizations.models import Organization
from reports import document
from tests.factories import OrganizationFactory


def pdf_text(report) -> str:
    """The text of the report's PDF as poppler's ``pdftotext`` reads it (in reading order, a chart's
    labels after the paragraphs beside it), NFC, with line breaks and runs of spaces folded into one
    space, and without the page numbers heading the pages after the first (a sentence may run over a page
    break)."""
    with report.pdf.open("rb") as handle:
        return pdf_bytes_text(handle.read())


def pdf_bytes_text(pdf: bytes, first: int = 1, last: int | None = None) -> str:
    """The text of pages ``first`` to ``last`` (the last page by default) of a PDF, as ``pdf_text``."""
    command = ["pdftotext", "-enc", "UTF-8", "-f", str(first)] + (["-l", str(last)] if last else [])
    text = subprocess.run([*command, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    pages = [page.strip() for page in text.split("\f")]
    pages = [
        re.sub(rf"^{number}\s", "", page) if number > 1 else page for number, page in enumerate(pages, first)
    ]
    return " ".join(unicodedata.normalize("NFC", " ".join(pages)).split())


def pdf_fonts(report) -> set[str]:
    with report.pdf.open("rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    return {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }


def test_bloc_report_reads_as_a_party_document(bloc, org_a, cell_a1, org_b, make_report):
    OrganizationFactory(
        code="C",
        name="Đảng bộ Công ty Điện lực",
        kind=Organization.Kind.GRASSROOTS_COMMITTEE,
        sector=Organization.Sector.STATE_ENTERPRISE,
        parent=bloc,
    )
    report = make_report(bloc, strengths="Công tác kiểm tra, giám sát được duy trì thường xuyên.")

    text = pdf_text(report)

    issued = timezone.localdate(report.requested_at)
    for expected in [
        "ĐẢNG BỘ TỈNH GIA LAI",
        "ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH",
        "Số 01-BC/ĐUK",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        f"Gia Lai, ngày {issued:%d} tháng",
        document.date_line(issued),
        "BÁO CÁO",
        "Kết quả công tác xây dựng Đảng",
        "Đảng bộ Khối hiện có 3 tổ chức cơ sở đảng trực thuộc, trong đó 2 đảng bộ cơ sở và 1 chi bộ cơ sở; "
        "1 tổ chức cơ sở đảng thuộc cơ quan Nhà nước, 1 tổ chức cơ sở đảng thuộc đơn vị sự nghiệp và "
        "1 tổ chức cơ sở đảng thuộc doanh nghiệp nhà nước.",
        "Các đảng bộ cơ sở có 1 chi bộ trực thuộc.",
        "33,3",  # each sector's share of the tổ chức cơ sở đảng, with a decimal comma
        "Tổng cộng",
        "Công tác kiểm tra, giám sát được duy trì thường xuyên.",
        "T/M BAN THƯỜNG VỤ",
        "BÍ THƯ",
        "Nơi nhận:",
        "- Lưu Văn phòng Đảng ủy Khối.",
    ]:
        assert expected in text, expected


def test_period_label_is_the_trich_yeu(bloc, org_a, make_report):
    report = make_report(bloc, "2025-H1")
    with translation.override("vi"):
        label = str(report.period_obj.label)

    assert f"Kết quả công tác xây dựng Đảng {label[0].lower()}{label[1:]}" in pdf_text(report)


def test_chi_bo_report_is_signed_for_the_chi_bo(org_b, make_report):
    text = pdf_text(make_report(org_b))

    assert "ĐẢNG BỘ KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH CHI BỘ BÁO GIA LAI" in text
    assert "Số 01-BC/CB" in text
    assert "T/M CHI BỘ" in text
    assert "- Ban Thường vụ Đảng ủy Khối (b/c)," in text
    assert "- Lưu Chi bộ." in text


def test_grassroots_committee_report_names_its_committee(org_a, cell_a1, make_report):
    text = pdf_text(make_report(org_a))

    assert "ĐẢNG ỦY SỞ TÀI CHÍNH" in text
    assert "Số 01-BC/ĐU" in text
    assert "Đảng bộ hiện có 1 chi bộ trực thuộc." in text


def test_pdf_is_a4_in_liberation_serif_2_with_no_fallback_font(bloc, org_a, make_report):
    report = make_report(bloc)

    with report.pdf.open("rb") as handle:
        page = pypdf.PdfReader(io.BytesIO(handle.read())).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    fonts = pdf_fonts(report)
    # The 1.x files lack Vietnamese: they would pull DejaVu in for every accented letter.
    assert fonts and all(name.startswith("LiberationSerif") for name in fonts), fonts
    assert any("Bold" in name for name in fonts) and any("Italic" in name for name in fonts)


def test_fonts_come_from_the_configured_directory():
    faces = document.font_faces()

    assert len(faces) == 4
    assert all(face["url"].startswith(f"file://{settings.REPORT_FONT_DIR}") for face in faces)


def test_date_line_pads_days_and_the_first_two_months():
    assert document.date_line(datetime.date(2026, 2, 5)) == "Gia Lai, ngày 05 tháng 02 năm 2026"
    assert document.date_line(datetime.date(2026, 11, 3)) == "Gia Lai, ngày 03 tháng 11 năm 2026"
    assert document.date_line(datetime.date(2026, 4, 30)) == "Gia Lai, ngày 30 tháng 4 năm 2026"


def test_sentences_read_like_the_bloc_press(bloc):
    section = {
        "grassroots": {
            "total": 152,
            "by_kind": {"dang_bo_co_so": 61, "chi_bo_co_so": 91},
            "by_sector": {"co_quan_dang": 13, "co_quan_nha_nuoc": 31, "mttq_doan_the": 0, "su_nghiep": 108},
        },
        "branch_committees": 0,
        "cells": 4200,
        "groups": 0,
    }

    assert document.organization_sentences(bloc, section) == [
        "Đảng bộ Khối hiện có 152 tổ chức cơ sở đảng trực thuộc, "
        "trong đó 61 đảng bộ cơ sở và 91 chi bộ cơ sở; "
        "13 tổ chức cơ sở đảng thuộc cơ quan Đảng, 31 tổ chức cơ sở đảng thuộc cơ quan Nhà nước và "
        "108 tổ chức cơ sở đảng thuộc đơn vị sự nghiệp.",
        "Các đảng bộ cơ sở có 4.200 chi bộ trực thuộc.",
    ]


def test_sentences_leave_out_zero_parts(org_b):
    section = {
        "grassroots": {"total": 0, "by_kind": {"dang_bo_co_so": 0, "chi_bo_co_so": 0}, "by_sector": {}},
        "branch_committees": 0,
        "cells": 0,
        "groups": 3,
    }

    assert document.organization_sentences(org_b, section) == ["Chi bộ có 3 tổ đảng."]


def test_admissions_read_against_the_target_as_the_bloc_writes_them():
    five_years = {"target": 750, "admitted": 993, "percent_of_target": 132.4, "over_target_percent": 32.4}
    quarter = {"target": 90, "admitted": 36, "percent_of_target": 40.0, "over_target_percent": -60.0}

    assert document.admission_sentence(five_years, "years") == (
        "Số đảng viên mới kết nạp vượt 32,4% chỉ tiêu đề ra (993/750)."
    )
    assert document.admission_sentence(quarter, "quarterly") == (
        "Số đảng viên mới kết nạp đạt 40% chỉ tiêu năm (36/90)."
    )
    assert document.admission_sentence({"target": None, "admitted": 3}, "annual") is None


def test_member_sentences_leave_out_zero_parts(org_b):
    members = {
        "total": 12,
        "official": 12,
        "probationary": 0,
        "women": 0,
        "ethnic_minority": 0,
        "religious": 0,
    }
    movements = dict.fromkeys(
        [
            "admitted",
            "made_official",
            "transferred_in",
            "transferred_out",
            "removed",
            "removed_probationary",
            "expelled",
            "left",
            "exempted",
            "died",
        ],
        0,
    )

    assert document.member_sentences(org_b, members) == ["Chi bộ có 12 đảng viên (12 đảng viên chính thức)."]
    assert document.movement_sentences(org_b, movements, "quý II năm 2025") == [
        "Trong quý II năm 2025, không có biến động về đảng viên."
    ]
