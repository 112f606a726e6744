"""The signature block names its signer (HD 36-HD/VPTW: quyền hạn, chức vụ, họ tên, chữ ký): the
holder of the top committee seat of the issuing organization on the document's date."""

import datetime
import shutil
import subprocess

import pytest
from django.utils import timezone

from members.models import CommitteeSeat
from members.selectors import committees as committee_selectors
from members.services import committees as committee_services
from tests.members.veterans import veteran

D = datetime.date
Position = CommitteeSeat.Position
CONGRESS, TERM_END = D(2025, 6, 10), D(2030, 6, 30)

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


def pdf_lines(report) -> list[str]:
    """The PDF as pdftotext lays it out: one string per printed line, columns kept in place."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", report.pdf.path, "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def _column_of(line: str, text: str) -> float:
    start = line.index(text)
    return start + len(text) / 2


def assert_signed(report, title: str, name: str) -> None:
    """``name`` is printed on a line below ``title`` (the last one: the signature block's), and
    centred under it."""
    lines = pdf_lines(report)
    title_at = max(i for i, line in enumerate(lines) if line.strip().endswith(title))
    below = [(i, line) for i, line in enumerate(lines) if name in line]
    assert below, f"{name!r} is not in the PDF"
    name_at, name_line = below[-1]
    assert name_at > title_at, f"{name!r} is not under {title!r}"
    assert abs(_column_of(name_line, name) - _column_of(lines[title_at], title)) < 6


@pytest.fixture
def committee(org_b, staff_user):
    """Chi bộ B's committee of the term 2025–2030: a secretary and a deputy."""
    term = committee_services.create_term(
        organization=org_b, label="2025–2030", starts_on=CONGRESS, ends_on=TERM_END, by=staff_user
    )
    seats = {}
    for position, name in (
        (Position.SECRETARY, "Nguyễn Thị Bí Thư"),
        (Position.DEPUTY_SECRETARY, "Trần Văn Phó"),
    ):
        member = veteran(org_b, D(1995, 3, 1), by=staff_user, full_name=name)
        seats[position] = committee_services.appoint(
            term=term, member=member, position=position, starts_on=CONGRESS, by=staff_user
        )
    return seats


def test_the_secretary_signs_by_name(org_b, committee, make_report):
    report = make_report(org_b)

    assert_signed(report, "BÍ THƯ", "Nguyễn Thị Bí Thư")
    assert "Trần Văn Phó" not in "\n".join(pdf_lines(report))


def test_the_deputy_signs_when_the_secretary_seat_is_empty(org_b, committee, staff_user, make_report):
    committee_services.end_seat(seat=committee[Position.SECRETARY], ends_on=D(2025, 9, 1), by=staff_user)

    report = make_report(org_b)

    assert_signed(report, "PHÓ BÍ THƯ", "Trần Văn Phó")
    assert "Nguyễn Thị Bí Thư" not in "\n".join(pdf_lines(report))


def test_without_a_committee_the_name_is_left_for_the_pen(org_b, make_report):
    lines = pdf_lines(make_report(org_b))

    title_at = max(i for i, line in enumerate(lines) if line.strip().endswith("BÍ THƯ"))
    column = lines[title_at].index("BÍ THƯ") - 8  # the signature block; the recipients are to its left
    assert [line[column:].strip() for line in lines[title_at + 1 :] if line[column:].strip()] == []


def test_the_signer_is_the_one_seated_on_the_document_date(org_b, committee, staff_user):
    secretary = committee[Position.SECRETARY]
    committee_services.end_seat(seat=secretary, ends_on=D(2025, 9, 1), by=staff_user)
    today = timezone.localdate()

    assert committee_selectors.top_seat(org_b, D(2025, 6, 9)) is None  # before the congress
    assert committee_selectors.top_seat(org_b, D(2025, 8, 31)) == secretary
    assert committee_selectors.top_seat(org_b, D(2025, 9, 1)) == committee[Position.DEPUTY_SECRETARY]
    assert committee_selectors.top_seat(org_b, today) == committee[Position.DEPUTY_SECRETARY]
