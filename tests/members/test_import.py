"""Importing Party members from XLSX/CSV: the import page, ``manage.py import_data`` and the resource.

The bloc of tests/conftest.py: DUK ── A (đảng bộ cơ sở) ── A1 (chi bộ trực thuộc); DUK ── B (chi bộ
cơ sở). The default row (tests/members/import_columns.py) is an official member of A1, admitted on
03/02/2012 and official a year later. Messages are compared through gettext, as the page shows them.
"""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocportal import access, clock, imports
from blocportal.dates import format_day
from blocportal.models import Role
from members import services
from members.models import Member, Movement, Spell
from members.resources import MemberResource
from organizations.models import Organization
from tests import import_page
from tests.factories import UserFactory, assign
from tests.import_page import confirm, errors_of, msg
from tests.members.import_columns import HEADER, csv_file, member_row, xlsx

D = datetime.date


def run(data: bytes, user, *, filename="dang-vien.xlsx", dry_run=False) -> imports.ImportResult:
    return imports.run_import(
        data, filename=filename, user=user, dry_run=dry_run, resource_class=MemberResource
    )


def counts() -> tuple[int, ...]:
    """Everything a member import may write."""
    return (
        Member.objects.count(),
        Member.history.count(),
        Spell.objects.count(),
        Spell.history.count(),
        Movement.objects.count(),
    )


def upload(client, data: bytes, name="dang-vien.xlsx"):
    """The job's page after the dry run (tests/import_page.py), or the form's errors."""
    return import_page.upload(client, "members:import", data, name)


def offers_confirmation(response) -> bool:
    job = response.context["job"]
    return job.can_confirm and reverse("import_confirm", args=[job.pk]) in response.content.decode()


def registered(organization, user, *, cccd="064080000099", card_number="", official_on=None, **fields):
    """A member already in the register, entered by someone else."""
    values = {
        "full_name": "Trần Thị Bình",
        "gender": Member.Gender.FEMALE,
        "birth_date": D(1980, 5, 20),
        "admitted_on": D(2010, 6, 1),
        **fields,
    }
    return services.register(
        organization=organization,
        cccd=cccd,
        card_number=card_number,
        official_on=official_on,
        by=user,
        **values,
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff_of_a(org_a, org_b):
    """Bloc staff of Đảng bộ Sở Tài chính (A) only, who may also look at B as an inspector."""
    user = UserFactory(username="staff_a")
    assign(user, Role.STAFF, org_a)
    assign(user, Role.INSPECTOR, org_b)
    return user


@pytest.fixture
def bình(cell_a1, system_user):
    """An official member of A1 with a card and a CCCD, official since 01/06/2011."""
    return registered(
        cell_a1, system_user, card_number="79005555", official_on=D(2011, 6, 1), job_title="Kế toán"
    )


# --- The dry run lists every error ----------------------------------------------------------------


def test_dry_run_lists_every_bad_row_with_row_and_column(client, staff_of_a, cell_a1, org_b):
    rows = [
        member_row(),  # 2: fine
        member_row(card="79000003", cccd="064085000003", born="31/02/1985"),  # 3
        member_row(card="", official="", cccd="064085000004", admitted="01/01/2099"),  # 4
        member_row(card="79000005", cccd="064085000005", org="XYZ"),  # 5
        member_row(card="79000006", cccd="064085000006", org="B"),  # 6: B is outside the scope
        member_row(card="79000007", cccd="064085000007", org="A"),  # 7: a đảng bộ, not a chi bộ
        member_row(card="79000008", cccd="064085000008", gender="Nan"),  # 8
        member_row(card="79000009", cccd="12345"),  # 9
        member_row(cccd="064085000010"),  # 10: the card of row 2
        member_row(card="79000011", cccd="064085000001"),  # 11: the CCCD of row 2
        member_row(card="79000012", cccd="064085000012", official=""),  # 12: probationary with a card
        member_row(card="79000013", cccd="064085000013", official="01/06/2012"),  # 13: before 03/02/2013
        member_row(  # 14: 17 at the admission
            card="79000014",
            cccd="064085000014",
            born="01/01/2000",
            admitted="01/06/2017",
            official="01/06/2018",
        ),
    ]
    client.force_login(staff_of_a)
    before = counts()

    response = upload(client, xlsx(*rows))

    future = format_day(D(2099, 1, 1))
    expected = [
        (
            3,
            "Ngày sinh",
            msg(
                "«%(value)s» is not a date: write dd/mm/yyyy (for example 05/02/2026) or use a date cell.",
                value="31/02/1985",
            ),
        ),
        (4, "Ngày vào Đảng", msg("The date %(date)s is in the future.", date=future)),
        (5, "Mã tổ chức", msg("No organization has the code «%(code)s».", code="XYZ")),
        (6, "Mã tổ chức", msg("The organization «%(code)s» is outside your scope.", code="B")),
        (
            7,
            "Mã tổ chức",
            msg(
                "Members belong to a Party cell; %(name)s is a %(kind)s.",
                name="Đảng bộ Sở Tài chính",
                kind=str(Organization.Kind.GRASSROOTS_COMMITTEE.label).lower(),
            ),
        ),
        (
            8,
            "Giới tính",
            msg(
                "«%(value)s» is not an accepted value. Accepted values: %(choices)s.",
                value="Nan",
                choices="Nam, Nữ",
            ),
        ),
        (9, "Số CCCD", msg("A citizen ID number has 12 digits.")),
        (10, "Số thẻ đảng viên", msg("«%(value)s» already appears on row %(row)s.", value="79000001", row=2)),
        (11, "Số CCCD", msg("«%(value)s» already appears on row %(row)s.", value="064085000001", row=2)),
        (12, "Số thẻ đảng viên", msg("A probationary member has no Party card number yet.")),
        (
            13,
            "Ngày chính thức",
            msg(
                "The probation ends on %(date)s; the member cannot be official earlier.",
                date=format_day(D(2013, 2, 3)),
            ),
        ),
        (
            14,
            "Ngày sinh",
            msg(
                "On %(date)s the applicant is not yet %(years)s full years old.",
                date=format_day(D(2017, 6, 1)),
                years=18,
            ),
        ),
    ]
    result = response.context["result"]
    assert errors_of(result) == expected
    page = response.content.decode()
    for row, column, message in expected:
        assert f"<tr><td>{row}</td><td>{column}</td><td>{message}</td></tr>" in page
    assert not offers_confirmation(response)
    assert counts() == before


def test_required_columns_and_a_row_without_card_or_cccd(staff_user, cell_a1):
    result = run(
        xlsx(member_row(name="", gender="", born="", org="", admitted="", card="", cccd="")), staff_user
    )

    required = msg("This column is required.")
    assert errors_of(result) == [
        (2, "Họ và tên", required),
        (2, "Giới tính", required),
        (2, "Ngày sinh", required),
        (
            2,
            "Số CCCD",
            msg(
                "Give the citizen ID number (or the Party card number of an official member): the import "
                "recognises members by them."
            ),
        ),
        (2, "Mã tổ chức", required),
        (2, "Ngày vào Đảng", required),
    ]


# --- Confirm: every row or none ----------------------------------------------------------------------


def test_clean_dry_run_then_confirm_registers_every_row(client, staff_user, cell_a1, org_b):
    client.force_login(staff_user)
    rows = [
        member_row(),
        member_row(
            card="",
            name="Lê Thị Hoa",
            gender="nữ",
            cccd="064090000002",
            org="b",
            admitted="10/01/2026",
            official="",
            theory="so cap",
        ),
    ]
    before = counts()

    response = upload(client, xlsx(*rows))

    result = response.context["result"]
    assert (result.created, result.changed, result.unchanged) == (2, 0, 0)
    assert counts() == before
    response = confirm(client, response.context["job"])

    assert response.context["job"].status == "done"
    assert reverse("members:list") in response.content.decode()
    an = Member.objects.get(card_number="79000001")
    assert (an.status, an.official_on, an.organization) == (Member.Status.OFFICIAL, D(2013, 2, 3), cell_a1)
    assert (an.theory_level, an.profession, an.job_title) == ("trung_cap", "Cử nhân Kinh tế", "Chuyên viên")
    hoa = Member.objects.get(cccd="064090000002")
    assert (hoa.status, hoa.gender, hoa.organization, hoa.theory_level) == ("du_bi", "nu", org_b, "so_cap")
    for member in (an, hoa):
        event = member.events.get()
        assert (event.kind, event.on, event.recorded_by) == (
            Movement.Kind.RECORDED,
            clock.today(),
            staff_user,
        )
        assert "dang-vien.xlsx" in event.note
        assert member.history.get().history_user == staff_user
        assert member.spells.get().ends_on is None
    assert not Movement.objects.filter(kind=Movement.Kind.ADMITTED).exists()  # not an admission


def test_a_file_with_one_bad_row_imports_nothing(tmp_path, staff_user, cell_a1):
    path = tmp_path / "dang-vien.csv"
    path.write_bytes(csv_file(member_row(), member_row(card="79000002", cccd="064085000002", org="XYZ")))
    before = counts()

    with pytest.raises(CommandError):
        call_command("import_data", str(path), "--user", "staff", stderr=io.StringIO())

    assert counts() == before


def test_the_command_recognises_a_member_file_and_dry_runs_it(tmp_path, staff_user, cell_a1):
    path = tmp_path / "bat-ky.xlsx"
    path.write_bytes(xlsx(member_row()))
    out = io.StringIO()

    call_command("import_data", str(path), "--dry-run", "--user", "staff", stdout=out)
    assert not Member.objects.exists()
    call_command("import_data", str(path), "--user", "staff", stdout=out)
    call_command("import_data", str(path), "--user", "staff", "--kind", "members", stdout=out)

    assert Member.objects.get().card_number == "79000001"
    summary = msg(
        "%(created)s new, %(changed)s changed, %(unchanged)s unchanged.", created=0, changed=0, unchanged=1
    )
    assert out.getvalue().splitlines()[-1].endswith(summary)


def test_a_secretary_cannot_import(tmp_path, secretary_a, cell_a1):
    path = tmp_path / "dang-vien.xlsx"
    path.write_bytes(xlsx(member_row()))

    with pytest.raises(CommandError, match=msg("You are not allowed to import this data.")):
        call_command("import_data", str(path), "--user", secretary_a.username)


# --- Upsert ----------------------------------------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing(staff_user, cell_a1, org_b):
    data = xlsx(
        member_row(),
        member_row(card="", cccd="064090000002", org="B", admitted="10/01/2026", official=""),
        member_row(card="79000003", cccd="064090000003", admitted="01/03/2020", official="15/04/2021"),
    )
    assert run(data, staff_user).created == 3
    before = counts()

    result = run(data, staff_user)

    assert result.ok and (result.created, result.changed, result.unchanged) == (0, 0, 3)
    assert counts() == before


def test_an_update_row_changes_only_its_fields_with_the_importer_in_the_history(staff_user, bình):
    before = counts()
    row = member_row(
        card="79005555",
        name="Trần Thị Bình",
        gender="Nữ",
        born="20/05/1980",
        ethnicity="",
        religion="",
        cccd="064080000099",
        admitted="01/06/2010",
        official="01/06/2011",
        profession="",
        theory="",
        job="Kế toán trưởng",
    )

    result = run(xlsx(row), staff_user)

    assert (result.created, result.changed, result.unchanged) == (0, 1, 0)
    bình.refresh_from_db()
    assert bình.job_title == "Kế toán trưởng"
    assert (bình.ethnicity, bình.profession, bình.theory_level) == ("", "", "chua")  # empty cells kept
    latest = bình.history.latest()
    assert latest.history_user == staff_user
    assert latest.diff_against(latest.prev_record).changed_fields == ["job_title"]
    assert counts() == (before[0], before[1] + 1, *before[2:])  # one history row, no movement


def test_a_new_card_number_is_recorded_for_the_member_of_the_cccd(staff_user, bình):
    """Cards are re-issued (Chỉ thị 51-CT/TW): the CCCD still finds the member."""
    row = member_row(
        card="80001234",
        name="Trần Thị Bình",
        gender="Nữ",
        born="20/05/1980",
        cccd="064080000099",
        admitted="01/06/2010",
        official="01/06/2011",
    )

    result = run(xlsx(row), staff_user)

    assert result.changed == 1
    bình.refresh_from_db()
    assert bình.card_number == "80001234"


def test_a_changed_organization_code_transfers_the_member(staff_user, bình, org_b):
    row = member_row(
        card="79005555",
        name="Trần Thị Bình",
        gender="Nữ",
        born="20/05/1980",
        cccd="",
        org="B",
        admitted="01/06/2010",
        official="01/06/2011",
        job="",
    )

    result = run(xlsx(row), staff_user)

    assert result.ok and result.changed == 1
    bình.refresh_from_db()
    assert bình.organization == org_b
    event = bình.events.get(kind=Movement.Kind.TRANSFERRED)
    assert (event.on, event.from_organization.code, event.to_organization.code) == (
        clock.today(),
        "A1",
        "B",
    )
    assert event.recorded_by == staff_user
    assert list(bình.spells.filter(ends_on__isnull=True).values_list("organization__code", flat=True)) == [
        "B"
    ]


def test_an_official_date_makes_a_probationary_member_official(staff_user, cell_a1):
    member = registered(cell_a1, staff_user, admitted_on=D(2023, 3, 1))  # probation ends on 01/03/2024
    row = member_row(
        card="79007777",
        name="Trần Thị Bình",
        gender="Nữ",
        born="20/05/1980",
        cccd="064080000099",
        admitted="01/03/2023",
        official="20/03/2024",  # the date of the chi bộ's decision
    )

    result = run(xlsx(row), staff_user)

    assert result.ok and result.changed == 1
    member.refresh_from_db()
    assert (member.status, member.official_on, member.card_number) == (
        "chinh_thuc",
        D(2024, 3, 1),
        "79007777",
    )
    event = member.events.get(kind=Movement.Kind.MADE_OFFICIAL)
    assert event.on == D(2024, 3, 20)
    before = counts()
    assert run(xlsx(row), staff_user).unchanged == 1  # the decision's date is accepted as well
    assert counts() == before


def test_an_official_date_before_the_probation_ends_is_an_error(staff_user, cell_a1):
    registered(cell_a1, staff_user, admitted_on=D(2023, 3, 1))
    row = member_row(
        card="",
        name="Trần Thị Bình",
        gender="Nữ",
        born="20/05/1980",
        cccd="064080000099",
        admitted="01/03/2023",
        official="01/02/2024",
    )

    result = run(xlsx(row), staff_user)

    assert errors_of(result) == [
        (
            2,
            "Ngày chính thức",
            msg(
                "The probation of %(name)s ends on %(date)s; the member cannot be made official earlier.",
                name="Trần Thị Bình",
                date=format_day(D(2024, 3, 1)),
            ),
        )
    ]
    assert Member.objects.get().status == Member.Status.PROBATIONARY


def test_the_dates_of_admission_and_conversion_are_not_changed_by_an_import(staff_user, bình):
    row = member_row(
        card="79005555",
        name="Trần Thị Bình",
        gender="Nữ",
        born="20/05/1980",
        cccd="064080000099",
        admitted="02/06/2010",
        official="",
    )

    result = run(xlsx(row), staff_user)

    assert errors_of(result) == [
        (
            2,
            "Ngày vào Đảng",
            msg(
                "The register has %(date)s as the date of admission; an import does not change it: correct "
                "it on the member's page.",
                date=format_day(D(2010, 6, 1)),
            ),
        ),
        (
            2,
            "Ngày chính thức",
            msg(
                "This member has been official since %(date)s; an import cannot make a member probationary "
                "again.",
                date=format_day(D(2011, 6, 1)),
            ),
        ),
    ]
    assert run(xlsx(member_row(**{**_bình_cells(), "official": "02/06/2011"})), staff_user).errors[
        0
    ].column == ("Ngày chính thức")


def _bình_cells() -> dict[str, str]:
    return {
        "card": "79005555",
        "name": "Trần Thị Bình",
        "gender": "Nữ",
        "born": "20/05/1980",
        "cccd": "064080000099",
        "admitted": "01/06/2010",
        "official": "01/06/2011",
    }


def test_a_card_of_one_member_and_a_cccd_of_another_is_an_error(staff_user, bình, cell_a1):
    registered(cell_a1, staff_user, full_name="Phạm Văn Cường", gender="nam", cccd="064080000100")

    result = run(xlsx(member_row(**{**_bình_cells(), "cccd": "064080000100"})), staff_user)

    assert errors_of(result) == [
        (
            2,
            "Số CCCD",
            msg(
                "The Party card number and the citizen ID number belong to two different members of the "
                "register."
            ),
        )
    ]


def test_a_member_outside_the_scope_is_an_error_that_names_nobody(staff_of_a, org_b, system_user):
    registered(org_b, system_user, card_number="79005555", official_on=D(2011, 6, 1))

    result = run(xlsx(member_row(**{**_bình_cells(), "org": "A1", "admitted": "02/02/2002"})), staff_of_a)

    assert errors_of(result) == [(2, "Số thẻ đảng viên", msg("This member is outside your scope."))]
    assert "Bình" not in str(result.errors)


@pytest.fixture
def someone_else_registers_first(system_user, monkeypatch):
    """Another request registers the CCCD 064085000001 after the file was read, just before the
    import registers the row that has it."""
    register = services.register

    def someone_else_first(**kwargs):
        if kwargs["cccd"] == "064085000001":
            register(**{**kwargs, "card_number": "", "official_on": None, "by": system_user})
        return register(**kwargs)

    monkeypatch.setattr(services, "register", someone_else_first)


def test_a_cccd_registered_meanwhile_by_someone_else_is_a_row_error(
    staff_user, cell_a1, someone_else_registers_first
):
    """Another request commits the same CCCD after the file was read: the unique index stops the
    row (the import told ``register`` that it had checked the numbers), and the rows after it go on."""
    result = run(
        xlsx(member_row(), member_row(card="79000002", cccd="064085000002")), staff_user, dry_run=True
    )

    conflict = msg(
        "Someone else saved a conflicting change while the file was being imported; check this row again."
    )
    assert errors_of(result) == [(2, "", conflict)]
    assert result.created == 1  # row 3, after the failed row


def test_a_cccd_registered_meanwhile_stops_the_confirmed_import_with_nothing_written(
    staff_user, cell_a1, someone_else_registers_first
):
    """The same race when the import is confirmed: the row error rolls back the whole file, row 3
    included. (The other writer's member goes too here only because the test runs it inside the
    import's transaction.)"""
    before = counts()

    result = run(
        xlsx(member_row(), member_row(card="79000002", cccd="064085000002")), staff_user, dry_run=False
    )

    conflict = msg(
        "Someone else saved a conflicting change while the file was being imported; check this row again."
    )
    assert errors_of(result) == [(2, "", conflict)]
    assert not result.committed
    assert counts() == before
    assert not Member.objects.filter(cccd="064085000002").exists()


def test_the_list_offers_import_to_staff_and_export_to_everyone(client, staff_user, secretary_a):
    client.force_login(staff_user)
    staff_page = client.get(reverse("members:list")).content.decode()
    client.force_login(secretary_a)
    secretary_page = client.get(reverse("members:list")).content.decode()

    assert reverse("members:import") in staff_page and reverse("members:import") not in secretary_page
    assert reverse("members:export") in secretary_page


# --- Cells -------------------------------------------------------------------------------------------------


def test_date_cells_and_a_cccd_that_excel_turned_into_a_number(staff_user, cell_a1):
    row = member_row(born=D(1985, 4, 15), cccd=64085000001, admitted=D(2012, 2, 3), official=41308)

    result = run(xlsx(row), staff_user)

    assert result.ok, errors_of(result)
    member = Member.objects.get()
    assert (member.birth_date, member.cccd, member.official_on) == (
        D(1985, 4, 15),
        "064085000001",
        D(2013, 2, 3),
    )


def test_header_and_values_ignore_case_and_tone_marks(staff_user, cell_a1):
    header = [column.upper() for column in HEADER]
    header[1] = "ho va ten"
    row = member_row(gender="NỮ", theory="cu nhan", org="a1")

    result = run(csv_file(row, header=header), staff_user, filename="dang-vien.csv")

    assert result.ok, errors_of(result)
    member = Member.objects.get()
    assert (member.gender, member.theory_level, member.organization) == ("nu", "cu_nhan", cell_a1)


# --- Cost ----------------------------------------------------------------------------------------------

# A new row costs what ``register`` costs: its SAVEPOINT and RELEASE (the row's savepoint too),
# INSERT of the member and of its history row, of the official spell and of its history row, and of
# the *recorded* event. What the file names is read once per file.
QUERIES_PER_NEW_ROW = 7


def new_rows(count: int, first: int = 0) -> list[list[object]]:
    numbers = range(first, first + count)
    return [member_row(card=f"7910{number:04d}", cccd=f"06408501{number:04d}") for number in numbers]


def queries_of(rows, user, *, dry_run=False) -> int:
    with CaptureQueriesContext(connection) as context:
        result = run(csv_file(*rows), user, filename="dang-vien.csv", dry_run=dry_run)
    assert result.ok, errors_of(result)
    return len(context.captured_queries)


def test_a_new_row_costs_a_fixed_number_of_queries(staff_user, cell_a1):
    access.assignments_of(staff_user)  # cached on the user by the page's permission check

    twenty, forty = queries_of(new_rows(20), staff_user), queries_of(new_rows(40, first=100), staff_user)

    assert forty - twenty == 20 * QUERIES_PER_NEW_ROW
    # Per file: the chi bộ and the members by card and by CCCD (three reads), SAVEPOINT, RELEASE.
    assert twenty - 20 * QUERIES_PER_NEW_ROW <= 6


def test_unchanged_rows_cost_no_query_each(staff_user, cell_a1):
    run(csv_file(*new_rows(40)), staff_user, filename="dang-vien.csv")
    access.assignments_of(staff_user)

    assert queries_of(new_rows(40), staff_user) == queries_of(new_rows(20), staff_user)


def test_a_file_over_the_row_limit_is_refused(staff_user, cell_a1, monkeypatch):
    monkeypatch.setattr(MemberResource, "max_rows", 2)

    with pytest.raises(
        imports.ImportRefused,
        match=msg("The file has more than %(limit)s rows; split it into smaller files.", limit=2),
    ):
        run(csv_file(*new_rows(3)), staff_user, filename="dang-vien.csv")


# --- Template ---------------------------------------------------------------------------------------------


def test_the_template_has_the_header_row_and_an_example(client, staff_user):
    import csv

    import openpyxl

    client.force_login(staff_user)

    xlsx_response = client.get(reverse("members:import_template"))
    csv_response = client.get(reverse("members:import_template"), {"format": "csv"})

    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER and len(rows) == 2
    assert xlsx_response["Content-Disposition"] == 'attachment; filename="mau-nhap-dang-vien.xlsx"'
    assert list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))[0] == HEADER


# --- One dry run finds every error of a row --------------------------------------------------------------


def bình_row(**values) -> list[object]:
    """bình's row as the register has her (the empty cells keep what it has), changed by ``values``."""
    as_registered = {
        **_bình_cells(),
        **dict.fromkeys(["ethnicity", "religion", "profession", "theory", "job"], ""),
    }
    return member_row(**{**as_registered, **values})


def not_a_date(value: str) -> str:
    return msg(
        "«%(value)s» is not a date: write dd/mm/yyyy (for example 05/02/2026) or use a date cell.",
        value=value,
    )


def test_one_dry_run_lists_the_errors_of_every_stage_of_a_row(client, staff_user, cell_a1):
    """A cell that is not a date, a future admission and an 11-digit CCCD (checks the services
    made one at a time) and an unknown chi bộ code: all on the first upload, on their columns."""
    row = member_row(cccd="06408500001", org="XYZ", admitted="01/01/2099", official="31/02/2013")
    client.force_login(staff_user)
    before = counts()

    response = upload(client, xlsx(row))

    expected = [
        (2, "Số CCCD", msg("A citizen ID number has 12 digits.")),
        (2, "Mã tổ chức", msg("No organization has the code «%(code)s».", code="XYZ")),
        (2, "Ngày vào Đảng", msg("The date %(date)s is in the future.", date=format_day(D(2099, 1, 1)))),
        (2, "Ngày chính thức", not_a_date("31/02/2013")),
    ]
    assert errors_of(response.context["result"]) == expected
    page = response.content.decode()
    for number, column, message in expected:
        assert f"<tr><td>{number}</td><td>{column}</td><td>{message}</td></tr>" in page
    assert not offers_confirmation(response)
    assert counts() == before


def test_the_service_errors_of_a_complete_row_come_with_its_value_errors(staff_user, cell_a1, org_a):
    """A row whose cells all read is tried through ``register`` although a value check failed, so
    what only the service sees (a đảng bộ is not a chi bộ) comes in the same pass; nothing stays."""
    before = counts()

    result = run(xlsx(member_row(cccd="06408500001", org="A")), staff_user, dry_run=False)

    assert errors_of(result) == [
        (2, "Số CCCD", msg("A citizen ID number has 12 digits.")),
        (
            2,
            "Mã tổ chức",
            msg(
                "Members belong to a Party cell; %(name)s is a %(kind)s.",
                name="Đảng bộ Sở Tài chính",
                kind=str(Organization.Kind.GRASSROOTS_COMMITTEE.label).lower(),
            ),
        ),
    ]
    assert not result.committed
    assert counts() == before


def test_the_record_check_and_the_age_check_come_together(staff_user, cell_a1):
    """A probationary member (no official date) with a card, admitted at 17: the record's rule and
    the service's age rule, each on its column, in one pass."""
    row = member_row(official="", born="01/01/2000", admitted="01/06/2017")

    result = run(xlsx(row), staff_user, dry_run=True)

    assert errors_of(result) == [
        (2, "Số thẻ đảng viên", msg("A probationary member has no Party card number yet.")),
        (
            2,
            "Ngày sinh",
            msg(
                "On %(date)s the applicant is not yet %(years)s full years old.",
                date=format_day(D(2017, 6, 1)),
                years=18,
            ),
        ),
    ]


def test_a_row_tried_for_the_services_errors_leaves_nothing_even_when_they_succeed(staff_user, bình, org_b):
    """bình's row asks for a new job title and a transfer to B, with a birth in 1800: the services
    would accept all of it, but the row has an error, so its trial is undone (confirmed or not)."""
    row = bình_row(born="20/05/1800", org="B", job="Trưởng phòng")
    before = counts()

    result = run(xlsx(row), staff_user, dry_run=False)

    assert errors_of(result) == [
        (
            2,
            "Ngày sinh",
            msg(
                "The date %(date)s is not valid: it must be on or after %(earliest)s.",
                date="20/05/1800",
                earliest="01/01/1900",
            ),
        )
    ]
    assert result.changed == 0 and not result.preview
    bình.refresh_from_db()
    assert (bình.birth_date, bình.job_title, bình.organization.code) == (D(1980, 5, 20), "Kế toán", "A1")
    assert counts() == before


# --- Plausible dates -------------------------------------------------------------------------------------


def too_early(day: str, earliest: str) -> str:
    return msg(
        "The date %(date)s is not valid: it must be on or after %(earliest)s.", date=day, earliest=earliest
    )


def test_a_birth_before_1900_and_an_admission_before_the_party_are_refused(staff_user, cell_a1):
    rows = [
        member_row(born="01/01/1800"),
        member_row(
            card="79000003", cccd="064085000003", born="01/01/1900", admitted="01/01/1929", official=""
        ),
    ]
    rows[1][0] = ""  # probationary: no card

    result = run(csv_file(*rows), staff_user, filename="dang-vien.csv")

    assert errors_of(result) == [
        (2, "Ngày sinh", too_early("01/01/1800", "01/01/1900")),
        (3, "Ngày vào Đảng", too_early("01/01/1929", "03/02/1930")),
    ]
    assert str(result.sorted_errors()[0]) == (
        "Dòng 2, cột «Ngày sinh»: Ngày 01/01/1800 không hợp lệ: phải từ 01/01/1900 trở đi."
    )
    assert not Member.objects.exists()


# --- Preview -----------------------------------------------------------------------------------------------


def test_the_dry_run_previews_the_rows_it_would_write(client, staff_user, bình, cell_a1):
    client.force_login(staff_user)

    response = upload(client, xlsx(member_row(), bình_row(job="Trưởng phòng")))

    result = response.context["result"]
    assert [(line.row, line.outcome, line.is_new) for line in result.preview] == [
        (2, imports.Outcome.CREATED, True),
        (3, imports.Outcome.CHANGED, False),
    ]
    assert [cell.column for cell in result.preview[1].cells if cell.changed] == ["Chức vụ"]
    page = response.content.decode()
    assert 'id="import-preview"' in page
    assert '<td class="table-warning">Trưởng phòng</td>' in page
    assert "<td>Nguyễn Văn An</td>" in page
    assert offers_confirmation(response)
    assert not Member.objects.filter(card_number="79000001").exists()


def test_the_command_dry_run_prints_the_rows_it_would_write(tmp_path, staff_user, bình, cell_a1):
    path = tmp_path / "dang-vien.csv"
    path.write_bytes(csv_file(member_row(), bình_row(name="Nguyễn Văn An", gender="Nam", born="15/04/1985")))
    out = io.StringIO()

    call_command("import_data", str(path), "--dry-run", "--user", "staff", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == msg("Row %(row)s: new.", row=2)
    assert lines[1] == msg(
        "Row %(row)s: changes %(columns)s.", row=3, columns="«Họ và tên», «Giới tính», «Ngày sinh»"
    )
    assert not Member.objects.filter(card_number="79000001").exists()


def test_the_member_and_candidate_forms_refuse_the_same_dates(staff_user, cell_a1):
    from members.candidate_forms import CandidateCreateForm
    from members.forms import AdmitForm, ProfileForm

    profile = ProfileForm(data={"full_name": "Nguyễn Văn An", "gender": "nam", "birth_date": "01/01/1800"})
    admit = AdmitForm(data={"admitted_on": "02/02/1930", "ceremony_on": "03/02/1930"}, user=staff_user)
    candidate = CandidateCreateForm(data={"birth_date": "31/12/1899"}, user=staff_user)

    assert not profile.is_valid() and not admit.is_valid() and not candidate.is_valid()
    assert profile.errors["birth_date"] == [too_early("01/01/1800", "01/01/1900")]
    assert admit.errors["admitted_on"] == [too_early("02/02/1930", "03/02/1930")]
    assert "ceremony_on" not in admit.errors
    assert candidate.errors["birth_date"] == [too_early("31/12/1899", "01/01/1900")]
