"""Importing past meetings from XLSX/CSV (``manage.py import_data --kind meetings``, the import page),
through the services of the meeting form (``record_meeting``, ``record_attendance``).

The people of tests/meetings/conftest.py, in 2025: chi bộ A1 (under đảng bộ A) has An (its
secretary), Bình, Cường, Dũng, Hà and Khoa (both exempted from 10/01/2025) and Lan (in temporary
activity at A2 from 01/02/2025: still on A1's list, as away); Phúc joins A1 from A2 on 15/03/2025.
Each has a Party card number here, except Phúc, known by his CCCD. A1 meets on the 10th of every
month. Messages are compared through gettext, as the page and the command show them.
"""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocportal import clock, imports
from blocportal.dates import format_day
from blocportal.models import Role
from meetings import services
from meetings.models import Attendance, Meeting, Sheet
from meetings.resources import MeetingResource
from meetings.services.meetings import Mark
from members import services as member_services
from organizations.models import Organization
from tests import import_page
from tests.factories import OrganizationFactory, UserFactory, assign
from tests.import_page import confirm, errors_of, msg
from tests.members.import_columns import xlsx

D = datetime.date
P, E, A = Attendance.Status.PRESENT, Attendance.Status.EXCUSED, Attendance.Status.ABSENT
# Spelled out as docs/import-formats.md fixes them, so a changed header fails here.
HEADER = [
    "Mã tổ chức",
    "Ngày sinh hoạt",
    "Loại sinh hoạt",
    "Chủ đề",
    "Số thẻ đảng viên",
    "Số CCCD",
    "Tình trạng",
    "Lý do vắng",
]
STATUS_LABELS = {P: "Có mặt", E: "Vắng có lý do", A: "Vắng không lý do"}
KINDS = "Thường kỳ, Chuyên đề, Thường kỳ kết hợp chuyên đề, Bất thường, Tổ đảng"
PHUC_CCCD = "064085000010"
AWAY = "Sinh hoạt tạm thời tại Chi bộ Phòng Tổng hợp"
MONTHS = [D(2025, month, 10) for month in range(1, 13)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def known(people, staff_user):
    """``people`` with the numbers the registers of the chi bộ give: a card number each, Phúc a CCCD."""
    for index, (key, member) in enumerate(people.items(), start=1):
        numbers = {"cccd": PHUC_CCCD} if key == "phuc" else {"card_number": f"790000{index:02d}"}
        people[key] = member_services.update_profile(member=member, by=staff_user, **numbers)
    return people


def line(people, day, key, status=P, reason="", *, code="A1", kind="Thường kỳ", topic="") -> list[object]:
    member = people[key]
    day_text = day if isinstance(day, str) else format_day(day)
    status_text = STATUS_LABELS.get(status, status)
    return [code, day_text, kind, topic, member.card_number, member.cccd, status_text, reason]


def a1_on(day) -> list[str]:
    """The list of A1 on ``day``, as the register has it."""
    return ["an", "binh", "cuong", "dung", "ha", "khoa", "lan"] + ["phuc"] * (day >= D(2025, 3, 15))


def marks_of(day) -> dict[str, tuple[str, str]]:
    """The year's marks: Khoa (exempted) never comes, Lan is excused while she is away, Dũng is
    absent in April and Cường excused in June; everyone else is present."""
    marks = {"khoa": (A, "")}
    if day.month >= 2:
        marks["lan"] = (E, AWAY)
    if day.month == 4:
        marks["dung"] = (A, "")
    if day.month == 6:
        marks["cuong"] = (E, "Đi công tác")
    return marks


def year_rows(people, *, skip=(), extra=()) -> list[list[object]]:
    """A1's twelve regular meetings of 2025, a row per member on the list; ``skip`` leaves out the
    (day, key) given, ``extra`` adds (day, key) rows."""
    rows = []
    for day in MONTHS:
        marks = marks_of(day)
        for index, key in enumerate(a1_on(day)):
            if (day, key) in skip:
                continue
            topic = f"Sinh hoạt thường kỳ tháng {day.month}" if index == 0 else ""
            rows.append(line(people, day, key, *marks.get(key, (P, "")), topic=topic))
        rows += [line(people, day, key) for extra_day, key in extra if extra_day == day]
    return rows


def meetings_file(*rows) -> bytes:
    return xlsx(*rows, header=HEADER)


def run(data: bytes, user, *, dry_run=False) -> imports.ImportResult:
    return imports.run_import(
        data, filename="sinh-hoat.xlsx", user=user, dry_run=dry_run, resource_class=MeetingResource
    )


def counts() -> tuple[int, ...]:
    """Everything a meeting import may write, with its history."""
    return (
        Meeting.objects.count(),
        Meeting.history.count(),
        Sheet.objects.count(),
        Sheet.history.count(),
        Attendance.objects.count(),
        Attendance.history.count(),
    )


def counters() -> list[tuple]:
    """Each sheet of A1: month, expected, present, excused, absent, committee expected and present."""
    return [
        (sheet.held_on.month, sheet.expected, sheet.present, sheet.excused, sheet.absent)
        + (sheet.committee_expected, sheet.committee_present)
        for sheet in Sheet.objects.filter(organization__code="A1").order_by("held_on")
    ]


def row_of(rows, people, day, key) -> int:
    """The spreadsheet number (header = 1) of the row of ``key`` at the meeting of ``day``."""
    wanted = line(people, day, key)[:3] + line(people, day, key)[4:6]
    return next(index for index, row in enumerate(rows, start=2) if row[:3] + row[4:6] == wanted)


# --- A year of meetings ------------------------------------------------------------------------------------


def test_a_year_with_three_wrong_rows_lists_the_three_and_writes_nothing(known, staff_user, cell_a1):
    rows = year_rows(
        known,
        skip=[(D(2025, 9, 10), "phuc")],  # Phúc, on A1's list since March, left out in September
        extra=[(D(2025, 7, 10), "minh")],  # Minh, of A2, at A1's July meeting
    )
    may_binh = row_of(rows, known, D(2025, 5, 10), "binh")
    rows[may_binh - 2][6] = "Có"  # not a status

    result = run(meetings_file(*rows), staff_user, dry_run=True)

    september = [number for number, row in enumerate(rows, start=2) if row[1] == "10/09/2025"]
    assert errors_of(result) == [
        (
            may_binh,
            "Tình trạng",
            msg(
                "«%(value)s» is not an accepted value. Accepted values: %(choices)s.",
                value="Có",
                choices="Có mặt, Vắng có lý do, Vắng không lý do",
            ),
        ),
        (
            row_of(rows, known, D(2025, 7, 10), "minh"),
            "Số thẻ đảng viên",
            msg(
                "%(name)s is not expected at this meeting: not on the list of %(organization)s on %(date)s.",
                name="Hoàng Văn Minh",
                organization="Chi bộ Phòng Ngân sách",
                date="10/07/2025",
            ),
        ),
        (
            september[0],
            "Số thẻ đảng viên",
            msg(
                "No row of this meeting (rows %(rows)s) names %(member)s, who is on the list of "
                "%(organization)s on %(date)s: add a row for them.",
                rows=f"{september[0]}–{september[-1]}",
                member="Ngô Văn Phúc, " + msg("citizen ID number %(value)s", value=PHUC_CCCD),
                organization="Chi bộ Phòng Ngân sách",
                date="10/09/2025",
            ),
        ),
    ]
    assert counts() == (0, 0, 0, 0, 0, 0)
    # The real run finds the same, and writes nothing either: all or nothing.
    assert errors_of(run(meetings_file(*rows), staff_user)) == errors_of(result)
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_the_year_fixed_imports_its_meetings_and_their_counters(known, staff_user, cell_a1):
    rows = year_rows(known)

    result = run(meetings_file(*rows), staff_user)

    assert result.ok and result.committed
    assert (result.created, result.changed, result.unchanged) == (len(rows), 0, 0)
    assert Meeting.objects.filter(organization=cell_a1, kind=Meeting.Kind.REGULAR).count() == 12
    # Jan: Lan is still a member and counted, Khoa (exempted, absent) is not; from February Lan is
    # away (not counted); from April Phúc is on the list; Dũng absent in April, Cường excused in June.
    assert counters() == [
        (1, 6, 6, 0, 0, 1, 1),
        (2, 5, 5, 0, 0, 1, 1),
        (3, 5, 5, 0, 0, 1, 1),
        (4, 6, 5, 0, 1, 1, 1),
        (5, 6, 6, 0, 0, 1, 1),
        (6, 6, 5, 1, 0, 1, 1),
        *[(month, 6, 6, 0, 0, 1, 1) for month in range(7, 13)],
    ]
    june = Meeting.objects.get(held_on=D(2025, 6, 10))
    assert june.topic == "Sinh hoạt thường kỳ tháng 6" and june.recorded_by == staff_user
    assert {(row.member.full_name, row.status, row.reason) for row in june.attendance.exclude(status=P)} == {
        ("Lê Văn Cường", E, "Đi công tác"),
        ("Đặng Văn Khoa", A, ""),
        ("Bùi Thị Lan", E, AWAY),
    }
    assert Attendance.objects.count() == len(rows)


def test_the_year_imported_again_changes_nothing(known, staff_user, cell_a1):
    data = meetings_file(*year_rows(known))
    run(data, staff_user)
    before, sheets = counts(), counters()

    with CaptureQueriesContext(connection) as year:
        result = run(data, staff_user)

    assert result.ok and (result.created, result.changed, result.unchanged) == (0, 0, len(year_rows(known)))
    assert counts() == before and counters() == sheets
    # What the file names is read once: an unchanged meeting costs no query of its own.
    with CaptureQueriesContext(connection) as month:
        run(meetings_file(*[row for row in year_rows(known) if row[1] == "10/01/2025"]), staff_user)
    assert len(year) == len(month)


def test_a_closed_month_is_imported_by_staff(known, staff_user, cell_a1):
    services.close_month(month=D(2025, 1, 1), by=staff_user)

    result = run(meetings_file(*[row for row in year_rows(known) if row[1] == "10/01/2025"]), staff_user)

    assert result.ok and result.created == 7
    assert Meeting.objects.get().history.latest().history_user == staff_user


def test_a_meeting_recorded_with_other_marks_is_corrected_through_the_sheet(
    known, staff_user, secretary_a, cell_a1
):
    """Nothing changes silently: a different mark is corrected through ``record_attendance``
    (counters and history, naming the importer), a different topic through ``correct_meeting``; the
    rows with the same marks are left alone."""
    day = D(2025, 4, 10)
    meeting = services.record_meeting(
        organization=cell_a1, held_on=day, kind=Meeting.Kind.REGULAR, by=secretary_a
    )
    services.record_attendance(
        meeting=meeting,
        marks=[Mark(known["dung"].pk, P), Mark(known["khoa"].pk, A), Mark(known["lan"].pk, E, AWAY)],
        by=secretary_a,
    )
    rows = [row for row in year_rows(known) if row[1] == "10/04/2025"]
    history = Attendance.history.count()

    result = run(meetings_file(*rows), staff_user)

    assert result.ok and (result.created, result.changed, result.unchanged) == (0, 2, len(rows) - 2)
    assert [str(line) for line in result.preview] == [
        msg("Row %(row)s: changes %(columns)s.", row=2, columns="«Chủ đề»"),
        msg(
            "Row %(row)s: changes %(columns)s.", row=row_of(rows, known, day, "dung"), columns="«Tình trạng»"
        ),
    ]
    meeting = Meeting.objects.get()
    assert meeting.topic == "Sinh hoạt thường kỳ tháng 4"
    assert meeting.history.latest().history_user == staff_user
    assert counters() == [(4, 6, 5, 0, 1, 1, 1)]
    dung = Attendance.objects.get(member=known["dung"])
    assert dung.status == A and Attendance.history.count() == history + 1
    assert dung.history.latest().history_user == staff_user


def test_a_meeting_recorded_in_the_portal_with_the_same_marks_is_left_alone(quarter, known, staff_user):
    """The meeting of 10/03/2025 of the conftest, as its secretary would have kept it in a spreadsheet."""
    day = D(2025, 3, 10)
    rows = [
        line(known, day, key, *marks, topic="Tháng 3" if key == "an" else "")
        for key, marks in {
            "an": (P, ""),
            "binh": (P, ""),
            "cuong": (E, "Đi công tác"),
            "dung": (A, ""),
            "ha": (P, ""),
            "khoa": (A, ""),
            "lan": (P, ""),
        }.items()
    ]
    before = counts()

    result = run(meetings_file(*rows), staff_user)

    assert result.ok and (result.created, result.changed, result.unchanged) == (0, 0, 7)
    assert counts() == before


# --- Errors, row by row ---------------------------------------------------------------------------------


def test_every_wrong_cell_is_an_error_on_its_row_and_column(known, staff_user, cell_a1):
    january = D(2025, 1, 10)
    rows = [line(known, january, key, *marks_of(january).get(key, (P, ""))) for key in a1_on(january)]
    rows[2][6], rows[2][7] = "Vắng có lý do", ""  # Cường excused without a reason
    rows.append(line(known, january, "binh"))  # Bình twice (rows 3 and 9)
    future = clock.today() + datetime.timedelta(days=40)
    rows += [
        line(known, january, "an", code="XYZ"),  # 10
        line(known, "31/02/2025", "an"),  # 11
        line(known, future, "an"),  # 12
        line(known, january, "an", kind="Hàng tháng"),  # 13
        line(known, D(2014, 12, 10), "an"),  # 14: before A1 was established
        ["A1", "10/01/2025", "Thường kỳ", "", "79999999", "", "Có mặt", ""],  # 15
    ]

    result = run(meetings_file(*rows), staff_user, dry_run=True)

    twice = "%(name)s is also on row %(rows)s of the same meeting."
    assert errors_of(result) == [
        (3, "Số thẻ đảng viên", msg(twice, name="Trần Thị Bình", rows="9")),
        (4, "Lý do vắng", msg("Give the reason for the absence.")),
        (9, "Số thẻ đảng viên", msg(twice, name="Trần Thị Bình", rows="3")),
        (10, "Mã tổ chức", msg("No organization has the code «%(code)s».", code="XYZ")),
        (
            11,
            "Ngày sinh hoạt",
            msg(
                "«%(value)s» is not a date: write dd/mm/yyyy (for example 05/02/2026) or use a date cell.",
                value="31/02/2025",
            ),
        ),
        (12, "Ngày sinh hoạt", msg("The date %(date)s is in the future.", date=format_day(future))),
        (
            13,
            "Loại sinh hoạt",
            msg(
                "«%(value)s» is not an accepted value. Accepted values: %(choices)s.",
                value="Hàng tháng",
                choices=KINDS,
            ),
        ),
        (
            14,
            "Mã tổ chức",
            msg(
                "%(name)s was only established on %(date)s; it held no meeting on %(day)s.",
                name="Chi bộ Phòng Ngân sách",
                date="01/01/2015",
                day="10/12/2014",
            ),
        ),
        (15, "Số thẻ đảng viên", msg("No member has the Party card number «%(value)s».", value="79999999")),
    ]
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_a_party_group_meeting_lists_the_members_its_rows_name(known, staff_user, cell_a1, system_user):
    """A tổ đảng is not kept in the register: its rows say who its members are, among those of its
    chi bộ that day, and nobody else of the chi bộ is missing."""
    OrganizationFactory(
        code="A1-T1", name="Tổ đảng số 1", kind=Organization.Kind.GROUP, parent=cell_a1, by=system_user
    )
    day = D(2025, 5, 10)
    rows = [
        line(known, day, "an", code="A1-T1", kind="Tổ đảng"),
        line(known, day, "binh", A, code="A1-T1", kind="Tổ đảng"),
        line(known, day, "minh", code="A1-T1", kind="Tổ đảng"),  # of A2
        line(known, day, "cuong", code="A1-T1"),  # a regular meeting of the tổ đảng
    ]

    result = run(meetings_file(*rows), staff_user, dry_run=True)

    assert errors_of(result) == [
        (
            4,
            "Số thẻ đảng viên",
            msg(
                "%(name)s is not expected at this meeting: not on the list of %(organization)s on %(date)s.",
                name="Hoàng Văn Minh",
                organization=cell_a1.name,
                date="10/05/2025",
            ),
        ),
        (5, "Loại sinh hoạt", msg("A Party group holds Party group meetings.")),
    ]
    assert counts() == (0, 0, 0, 0, 0, 0)

    result = run(meetings_file(*rows[:2]), staff_user)

    assert result.ok and result.created == 2
    sheet = Sheet.objects.get()
    assert (sheet.organization.code, sheet.kind, sheet.expected, sheet.present, sheet.absent) == (
        "A1-T1",
        Meeting.Kind.GROUP,
        2,
        1,
        1,
    )


def test_a_member_outside_the_importers_scope_reads_as_unknown(known, cell_a1, org_b):
    staff_of_b = UserFactory(username="staff_b")
    assign(staff_of_b, Role.STAFF, org_b)
    rows = [line(known, D(2025, 1, 10), "an", code="B"), line(known, D(2025, 1, 10), "an")]

    result = run(meetings_file(*rows), staff_of_b, dry_run=True)

    assert errors_of(result) == [
        (
            2,
            "Ngày sinh hoạt",
            msg("No member of %(name)s was expected on %(date)s.", name=org_b.name, date="10/01/2025"),
        ),
        (2, "Số thẻ đảng viên", msg("No member has the Party card number «%(value)s».", value="79000001")),
        # A1 is outside their subtrees: its code reads as unknown too.
        (3, "Mã tổ chức", msg("No organization has the code «%(code)s».", code="A1")),
    ]


def test_a_secretary_cannot_import_meetings(client, tmp_path, secretary_a, known):
    path = tmp_path / "sinh-hoat.xlsx"
    path.write_bytes(meetings_file(*year_rows(known)))

    with pytest.raises(CommandError, match=msg("You are not allowed to import this data.")):
        call_command("import_data", str(path), "--kind", "meetings", "--user", "secretary1", verbosity=0)

    client.force_login(secretary_a)
    assert reverse("meetings:import") not in client.get(reverse("meetings:list")).content.decode()
    assert client.get(reverse("meetings:import")).status_code == 403
    assert client.get(reverse("meetings:import_template")).status_code == 403
    assert counts() == (0, 0, 0, 0, 0, 0)


# --- The command and the page ------------------------------------------------------------------------------


def test_the_command_dry_run_lists_the_rows_and_writes_nothing(tmp_path, known, staff_user):
    rows = [row for row in year_rows(known) if row[1] in ("10/01/2025", "10/02/2025")]
    path = tmp_path / "sinh-hoat.xlsx"
    path.write_bytes(meetings_file(*rows))
    out = io.StringIO()

    call_command(
        "import_data",
        str(path),
        "--kind",
        "meetings",
        "--dry-run",
        "--user",
        "staff",
        stdout=out,
        verbosity=0,
    )

    lines = out.getvalue().splitlines()
    assert lines[:2] == [msg("Row %(row)s: new.", row=2), msg("Row %(row)s: new.", row=3)]
    assert len(lines) == len(rows) + 1
    assert lines[-1] == msg(
        "Dry run, nothing was written: %(summary)s",
        summary=msg(
            "%(created)s new, %(changed)s changed, %(unchanged)s unchanged.",
            created=14,
            changed=0,
            unchanged=0,
        ),
    )
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_the_page_checks_then_imports_the_file(client, staff_user, known):
    client.force_login(staff_user)
    assert reverse("meetings:import") in client.get(reverse("meetings:list")).content.decode()
    data = meetings_file(*year_rows(known))

    response = import_page.upload(client, "meetings:import", data, "sinh-hoat.xlsx")

    result = response.context["result"]
    assert result.ok and result.created == len(year_rows(known)) and counts() == (0, 0, 0, 0, 0, 0)
    assert response.context["title"] == msg("Import meetings")

    response = confirm(client, response.context["job"])

    assert response.context["job"].status == "done"
    assert Sheet.objects.count() == 12


def test_the_template_has_the_header_row_and_examples(client, staff_user):
    client.force_login(staff_user)

    xlsx_response = client.get(reverse("meetings:import_template"))
    csv_response = client.get(reverse("meetings:import_template"), {"format": "csv"})

    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER and len(rows) == 4
    assert xlsx_response["Content-Disposition"] == 'attachment; filename="mau-nhap-sinh-hoat-chi-bo.xlsx"'
    assert list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))[0] == HEADER
