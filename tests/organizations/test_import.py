"""Importing organizations from XLSX/CSV: the import page, ``manage.py import_data`` and the module.

The bloc of tests/conftest.py: DUK ── A (đảng bộ cơ sở) ── A1 (chi bộ trực thuộc); DUK ── B (chi bộ cơ sở).
Messages are compared through gettext, so a test holds whether or not the Vietnamese catalog has
its message yet; ``test_messages_read_as_vietnamese`` pins the Vietnamese wording.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.template.defaultfilters import filesizeformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocportal import access, imports
from blocportal import services as portal_services
from blocportal.dates import format_day
from blocportal.models import ImportJob, Role
from organizations import services
from organizations.models import Organization, OrganizationEvent
from organizations.resources import OrganizationResource
from tests import import_page
from tests.factories import UserFactory, assign
from tests.import_page import confirm, errors_of, msg
from tests.organizations.import_columns import HEADER

KINDS = "Đảng bộ khối, Đảng bộ cơ sở, Chi bộ cơ sở, Đảng bộ bộ phận, Chi bộ trực thuộc, Tổ đảng"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)

GOOD_ROWS = [
    ["A2", "Chi bộ Phòng Quản lý giá", "Chi bộ trực thuộc", "", "A", "Sở Tài chính", "01/03/2018"],
    [
        "C",
        "Đảng bộ Công ty Cà phê",
        "Đảng bộ cơ sở",
        "Doanh nghiệp nhà nước",
        "DUK",
        "Công ty Cà phê",
        "15/06/2005",
    ],
    ["C1", "Chi bộ Nông trường 1", "Chi bộ trực thuộc", "", "C", "Nông trường 1", "15/06/2005"],
]
# Rows 3, 5 and 6 of this file are wrong (the header is row 1).
THREE_BAD_ROWS = [
    GOOD_ROWS[0],
    ["X1", "Chi bộ Kho bạc", "Chi bộ trực thuộc", "", "XYZ", "", "01/01/2020"],
    GOOD_ROWS[1],
    ["X2", "Chi bộ Thuế", "Chi bộ hành chính", "", "A", "", "01/01/2020"],
    ["X3", "Chi bộ Hải quan", "Chi bộ trực thuộc", "", "A", "", "31/02/2020"],
]


def three_errors() -> list[tuple[int, str, str]]:
    return [
        (3, "Mã tổ chức cấp trên", msg("No organization has the code «%(code)s».", code="XYZ")),
        (
            5,
            "Loại tổ chức",
            msg(
                "«%(value)s» is not an accepted value. Accepted values: %(choices)s.",
                value="Chi bộ hành chính",
                choices=KINDS,
            ),
        ),
        (
            6,
            "Ngày thành lập",
            msg(
                "«%(value)s» is not a date: write dd/mm/yyyy (for example 05/02/2026) or use a date cell.",
                value="31/02/2020",
            ),
        ),
    ]


def xlsx(*rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_file(*rows, header=HEADER, delimiter=",", bom=True) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def counts() -> tuple[int, int, int]:
    """Organizations, lifecycle events, history rows: what an import may write."""
    return Organization.objects.count(), OrganizationEvent.objects.count(), Organization.history.count()


def run(data: bytes, user, *, filename="to-chuc.xlsx", dry_run=False) -> imports.ImportResult:
    return imports.run_import(
        data, filename=filename, user=user, dry_run=dry_run, resource_class=OrganizationResource
    )


def places_of(result) -> list[tuple[int, str]]:
    return [(error.row, error.column) for error in result.sorted_errors()]


def upload(client, data: bytes, name="to-chuc.xlsx"):
    """The job's page after the dry run (tests/import_page.py), or the form's errors."""
    return import_page.upload(client, "organizations:import", data, name)


def new_cells(count: int, prefix: str = "N") -> list[list[str]]:
    """``count`` rows of new chi bộ under A."""
    return [
        [f"{prefix}{number}", f"Chi bộ số {number}", "Chi bộ trực thuộc", "", "A", "", "01/01/2020"]
        for number in range(count)
    ]


EXPIRED = "This import has expired or was already done. Upload the file again."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff_of_a(org_a):
    """Bloc staff whose assignment covers only Đảng bộ Sở Tài chính (A)."""
    user = UserFactory(username="staff_a")
    assign(user, Role.STAFF, org_a)
    return user


# --- Dry run and confirm on the import page --------------------------------------------------------


def test_dry_run_lists_all_three_bad_rows_and_writes_nothing(client, staff_user, cell_a1, org_b):
    client.force_login(staff_user)
    before = counts()

    response = upload(client, xlsx(*THREE_BAD_ROWS))

    assert response.status_code == 200
    page = response.content.decode()
    for row, column, message in three_errors():
        assert f"<tr><td>{row}</td><td>{column}</td><td>{message}</td></tr>" in page
    assert errors_of(response.context["result"]) == three_errors()
    job = response.context["job"]
    assert job.status == ImportJob.Status.CHECKED and not job.can_confirm
    assert reverse("import_confirm", args=[job.pk]) not in page  # nothing to confirm
    assert counts() == before


def test_clean_dry_run_shows_the_summary_and_confirm_imports_every_row(client, staff_user, cell_a1, org_b):
    client.force_login(staff_user)
    before = counts()

    response = upload(client, xlsx(*GOOD_ROWS))

    result = response.context["result"]
    assert (result.created, result.changed, result.unchanged) == (3, 0, 0)
    assert counts() == before  # the dry run wrote nothing
    job = response.context["job"]
    assert f'action="{reverse("import_confirm", args=[job.pk])}"' in response.content.decode()

    response = confirm(client, job)

    assert response.status_code == 200 and response.context["job"].status == ImportJob.Status.DONE
    a2, c, c1 = (Organization.objects.get(code=code) for code in ("A2", "C", "C1"))
    assert a2.parent.code == "A" and a2.sector == Organization.Sector.STATE  # inherited from A
    assert c.kind == Organization.Kind.GRASSROOTS_COMMITTEE and c.established_on == datetime.date(2005, 6, 15)
    assert c1.parent == c and c1.path.startswith(c.path)
    established = OrganizationEvent.objects.filter(kind=OrganizationEvent.Kind.ESTABLISHED)
    assert established.count() == before[1] + 3
    assert c.history.earliest().history_user == staff_user
    job.refresh_from_db()
    assert not job.file and not any((Path(settings.MEDIA_ROOT) / "imports").iterdir())  # file deleted


def test_another_importer_cannot_see_or_confirm_the_job(client, staff_user, staff_of_a, cell_a1):
    client.force_login(staff_user)
    job = upload(client, xlsx(GOOD_ROWS[0])).context["job"]
    client.force_login(staff_of_a)

    assert client.get(reverse("import_job", args=[job.pk])).status_code == 404
    assert client.post(reverse("import_confirm", args=[job.pk])).status_code == 404
    assert not Organization.objects.filter(code="A2").exists()


def test_confirming_twice_imports_once(client, staff_user, cell_a1):
    client.force_login(staff_user)
    job = upload(client, xlsx(GOOD_ROWS[0])).context["job"]
    confirm(client, job)
    after_first = counts()

    response = confirm(client, job)

    assert msg(EXPIRED) in response.content.decode()
    assert counts() == after_first


def test_a_second_confirm_sent_during_the_first_is_told_the_import_expired(
    client, staff_user, cell_a1, monkeypatch
):
    """A double click: the second request read the job before the first one confirmed it."""
    client.force_login(staff_user)
    job = upload(client, xlsx(GOOD_ROWS[0])).context["job"]
    as_read_by_the_second = ImportJob.objects.get(pk=job.pk)
    second_outcome = []
    run_import = imports.run_import

    def second_confirm_arrives(*args, **kwargs):
        if not second_outcome:  # while the first confirmation's import runs
            try:
                portal_services.confirm_import(job=as_read_by_the_second, by=staff_user)
                second_outcome.append("queued")
            except ValidationError as error:
                second_outcome.extend(error.messages)
        return run_import(*args, **kwargs)

    monkeypatch.setattr(imports, "run_import", second_confirm_arrives)
    before = counts()

    response = confirm(client, job)

    assert second_outcome == [msg(EXPIRED)]
    assert response.context["result"].committed and response.context["result"].created == 1
    assert counts() == (before[0] + 1, before[1] + 1, before[2] + 1)


def test_a_file_that_changes_nothing_offers_no_confirmation(client, staff_user, org_a):
    client.force_login(staff_user)
    row = [
        "A",
        "Đảng bộ Sở Tài chính",
        "Đảng bộ cơ sở",
        "Cơ quan Nhà nước",
        "DUK",
        "Sở Tài chính",
        "01/01/2015",
    ]

    response = upload(client, xlsx(row))

    assert response.context["result"].unchanged == 1
    assert not response.context["job"].can_confirm
    assert msg("Every row is already up to date: there is nothing to import.") in response.content.decode()


# --- One transaction, idempotence, upsert ---------------------------------------------------------


def test_a_file_with_one_bad_row_imports_nothing(tmp_path, staff_user, cell_a1):
    path = tmp_path / "to-chuc.csv"
    bad = ["X9", "Chi bộ lỗi", "Chi bộ trực thuộc", "", "KHONGCO", "", "01/01/2020"]
    path.write_bytes(csv_file(*GOOD_ROWS, bad))
    before = counts()

    with pytest.raises(CommandError):
        call_command("import_data", str(path), "--user", "staff", stderr=io.StringIO())

    assert counts() == before


def test_command_dry_run_reports_what_would_change_and_writes_nothing(tmp_path, staff_user, cell_a1):
    path = tmp_path / "to-chuc.xlsx"
    path.write_bytes(xlsx(*GOOD_ROWS))
    before, out = counts(), io.StringIO()

    call_command("import_data", str(path), "--dry-run", "--user", "staff", stdout=out)

    summary = msg(
        "%(created)s new, %(changed)s changed, %(unchanged)s unchanged.", created=3, changed=0, unchanged=0
    )
    assert summary in out.getvalue()
    assert counts() == before


def test_command_lists_every_error_with_row_and_column(tmp_path, staff_user, cell_a1, org_b):
    path = tmp_path / "to-chuc.xlsx"
    path.write_bytes(xlsx(*THREE_BAD_ROWS))
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_data", str(path), "--user", "staff", stderr=err)

    expected = [
        msg("Row %(row)s, column «%(column)s»: %(message)s", row=row, column=column, message=message)
        for row, column, message in three_errors()
    ]
    assert err.getvalue().splitlines() == expected


def test_command_recognises_the_format_from_the_header_row(tmp_path, staff_user, cell_a1):
    path = tmp_path / "bat-ky.csv"
    path.write_bytes(csv_file(GOOD_ROWS[0]))

    call_command("import_data", str(path), "--user", "staff", stdout=io.StringIO())
    call_command("import_data", str(path), "--user", "staff", "--kind", "organizations", stdout=io.StringIO())

    assert Organization.objects.filter(code="A2").count() == 1


def test_reimporting_the_same_file_changes_nothing(staff_user, cell_a1, org_b):
    data = xlsx(*GOOD_ROWS)
    run(data, staff_user)
    before = counts()

    result = run(data, staff_user)

    assert result.ok and (result.created, result.changed, result.unchanged) == (0, 0, 3)
    assert counts() == before


def test_changed_descriptive_values_are_corrected_without_an_event(staff_user, org_a):
    before = counts()
    row = [
        "A",
        "Đảng bộ Sở Tài chính tỉnh",
        "Đảng bộ cơ sở",
        "Cơ quan Nhà nước",
        "DUK",
        "Sở Tài chính",
        "02/01/2016",
    ]

    result = run(xlsx(row), staff_user)

    assert (result.created, result.changed, result.unchanged) == (0, 1, 0)
    org_a.refresh_from_db()
    assert org_a.name == "Đảng bộ Sở Tài chính tỉnh" and org_a.established_on == datetime.date(2016, 1, 2)
    assert counts() == (before[0], before[1], before[2] + 1)  # one history row, no lifecycle event
    assert org_a.history.latest().history_user == staff_user


def test_a_new_parent_moves_the_organization_with_its_subtree(staff_user, cell_a1, org_b):
    run(
        xlsx(
            ["A1T", "Tổ đảng Phòng Ngân sách", "Tổ đảng", "", "A1", "", "01/01/2019"],
            [
                "C",
                "Đảng bộ Công ty Cà phê",
                "Đảng bộ cơ sở",
                "Doanh nghiệp nhà nước",
                "DUK",
                "",
                "15/06/2005",
            ],
        ),
        staff_user,
    )

    result = run(xlsx(["A1", "Chi bộ Phòng Ngân sách", "Chi bộ trực thuộc", "", "C", "", ""]), staff_user)

    assert result.changed == 1
    cell_a1.refresh_from_db()
    c = Organization.objects.get(code="C")
    assert cell_a1.parent == c and cell_a1.path.startswith(c.path)
    assert Organization.objects.get(code="A1T").path.startswith(cell_a1.path)
    event = OrganizationEvent.objects.get(organization=cell_a1, kind=OrganizationEvent.Kind.MOVED)
    assert (event.old_parent.code, event.new_parent.code) == ("A", "C")


def test_a_changed_kind_is_an_error(staff_user, org_b):
    row = ["B", "Chi bộ Báo Gia Lai", "Đảng bộ cơ sở", "Đơn vị sự nghiệp", "DUK", "", "01/05/2010"]

    result = run(xlsx(row), staff_user)

    assert places_of(result) == [(2, "Loại tổ chức")]
    assert Organization.objects.get(code="B").kind == Organization.Kind.GRASSROOTS_CELL


def test_a_parent_may_come_later_in_the_file(staff_user, bloc):
    result = run(xlsx(GOOD_ROWS[2], GOOD_ROWS[1]), staff_user)

    assert result.ok and result.created == 2
    assert Organization.objects.get(code="C1").parent.code == "C"


def test_a_row_under_a_parent_row_with_errors_says_so(staff_user, bloc):
    no_sector = ["C", "Đảng bộ Công ty Cà phê", "Đảng bộ cơ sở", "", "DUK", "", "15/06/2005"]

    result = run(xlsx(no_sector, GOOD_ROWS[2]), staff_user)

    assert errors_of(result) == [
        (2, "Lĩnh vực", msg("A grassroots organization needs its sector.")),
        (
            3,
            "Mã tổ chức cấp trên",
            msg("The parent organization «%(code)s» (row %(row)s) has errors.", code="C", row=2),
        ),
    ]


def test_a_code_listed_twice_and_a_loop_of_parents_are_errors(staff_user, bloc):
    result = run(
        xlsx(
            GOOD_ROWS[1],
            GOOD_ROWS[1],
            ["L1", "Chi bộ 1", "Chi bộ trực thuộc", "", "L2", "", "01/01/2020"],
            ["L2", "Chi bộ 2", "Chi bộ trực thuộc", "", "L1", "", "01/01/2020"],
        ),
        staff_user,
    )

    assert errors_of(result) == [
        (3, "Mã tổ chức", msg("The code «%(code)s» already appears on row %(row)s.", code="C", row=2)),
        (4, "Mã tổ chức cấp trên", msg("The parent codes form a loop: %(codes)s.", codes="L1 → L2 → L1")),
        (5, "Mã tổ chức cấp trên", msg("The parent codes form a loop: %(codes)s.", codes="L2 → L1 → L2")),
    ]
    assert not Organization.objects.filter(code="C").exists()


def test_required_columns(staff_user, org_a):
    result = run(
        xlsx(
            ["", "", "", "", "", "Chỉ có cơ quan", ""],
            ["N1", "Chi bộ mới", "Chi bộ trực thuộc", "", "", "", ""],
        ),
        staff_user,
    )

    required, for_new = (
        msg("This column is required."),
        msg("This column is required for a new organization."),
    )
    assert errors_of(result) == [
        (2, "Mã tổ chức", required),
        (2, "Tên tổ chức", required),
        (2, "Loại tổ chức", required),
        (2, "Mã tổ chức cấp trên", for_new),
        (2, "Ngày thành lập", for_new),
        (3, "Mã tổ chức cấp trên", for_new),
        (3, "Ngày thành lập", for_new),
    ]


def test_missing_and_unknown_columns_are_reported_on_row_1(staff_user, org_a):
    header = [*HEADER[:-1], "Ghi chú"]

    result = run(xlsx([*GOOD_ROWS[0][:-1], "x"], header=header), staff_user)

    assert places_of(result) == [(1, "Ngày thành lập"), (1, "Ghi chú")]


# --- Values ------------------------------------------------------------------------------------------


def test_values_match_ignoring_case_and_tone_marks(staff_user, cell_a1):
    data = csv_file(
        ["a3", "Chi bộ Phòng Tin học", "chi bo truc thuoc", "CO QUAN NHA NUOC", "a", "", "01/02/2020"],
        ["D", "Chi bộ Báo Nhân dân", "CHI BỘ CƠ SỞ", "don vi su nghiep", "duk", "", "01/02/2020"],
        header=["MA TO CHUC", *HEADER[1:]],
    )

    result = run(data, staff_user, filename="to-chuc.csv")

    assert result.ok, errors_of(result)
    a3 = Organization.objects.get(code="A3")
    assert (a3.kind, a3.sector, a3.parent.code) == (
        Organization.Kind.SUBORDINATE_CELL,
        Organization.Sector.STATE,
        "A",
    )
    assert Organization.objects.get(code="D").sector == Organization.Sector.PUBLIC_SERVICE


def test_excel_serial_numbers_date_cells_and_day_month_year(staff_user, org_a):
    rows = [
        ["S1", "Chi bộ 1", "Chi bộ trực thuộc", "", "A", "", 43831],  # an Excel serial number: 01/01/2020
        ["S2", "Chi bộ 2", "Chi bộ trực thuộc", "", "A", "", datetime.date(2019, 12, 3)],  # a date cell
        ["S3", "Chi bộ 3", "Chi bộ trực thuộc", "", "A", "", "05/02/2016"],
        ["S4", "Chi bộ 4", "Chi bộ trực thuộc", "", "A", "", "5/2/2016"],
    ]

    result = run(xlsx(*rows), staff_user)

    assert result.ok, errors_of(result)
    dates = dict(Organization.objects.filter(code__startswith="S").values_list("code", "established_on"))
    assert dates == {
        "S1": datetime.date(2020, 1, 1),
        "S2": datetime.date(2019, 12, 3),
        "S3": datetime.date(2016, 2, 5),
        "S4": datetime.date(2016, 2, 5),
    }


def test_a_year_alone_is_not_taken_for_a_date(staff_user, org_a):
    result = run(xlsx(["S1", "Chi bộ 1", "Chi bộ trực thuộc", "", "A", "", 2015]), staff_user)

    assert places_of(result) == [(2, "Ngày thành lập")]


def test_a_semicolon_csv_without_bom_is_read(staff_user, cell_a1):
    result = run(csv_file(GOOD_ROWS[0], delimiter=";", bom=False), staff_user, filename="to-chuc.csv")

    assert result.ok and result.created == 1


# --- Scope --------------------------------------------------------------------------------------------


def test_a_row_outside_the_importers_scope_is_an_error(staff_of_a, cell_a1, org_b):
    assign(staff_of_a, Role.INSPECTOR, org_b)  # sees B, may not import there
    result = run(
        xlsx(
            [
                "A2",
                "Chi bộ Phòng Quản lý giá",
                "Chi bộ trực thuộc",
                "",
                "A",
                "",
                "01/03/2018",
            ],  # under A: fine
            ["B1", "Tổ đảng Phóng viên", "Tổ đảng", "", "B", "", "01/03/2018"],  # under B
            ["B", "Chi bộ Báo Gia Lai (sửa)", "Chi bộ cơ sở", "Đơn vị sự nghiệp", "DUK", "", ""],  # B itself
        ),
        staff_of_a,
    )

    outside = msg("The organization «%(code)s» is outside your scope.", code="B")
    assert errors_of(result) == [(3, "Mã tổ chức cấp trên", outside), (4, "Mã tổ chức", outside)]
    assert not Organization.objects.filter(code__in=["A2", "B1"]).exists()
    assert Organization.objects.get(code="B").name == "Chi bộ Báo Gia Lai"


def test_a_code_the_importer_cannot_see_reads_like_an_unknown_code(staff_of_a, cell_a1, org_b):
    """B exists, outside everything staff of A may see: the import must not tell them so."""

    def errors_with(code: str) -> list[tuple[int, str, str]]:
        as_parent = ["A2", "Chi bộ Phòng Quản lý giá", "Chi bộ trực thuộc", "", code, "", "01/03/2018"]
        as_code = [code, "Chi bộ Báo Gia Lai (sửa)", "Chi bộ cơ sở", "Đơn vị sự nghiệp", "DUK", "", ""]
        errors = errors_of(run(xlsx(as_parent), staff_of_a)) + errors_of(run(xlsx(as_code), staff_of_a))
        return [(row, column, message.replace(f"«{code}»", "«…»")) for row, column, message in errors]

    unknown = msg("No organization has the code «%(code)s».", code="…")
    assert errors_with("B") == errors_with("KHONGCO")
    assert errors_with("B")[0] == (2, "Mã tổ chức cấp trên", unknown)
    assert msg("The organization «%(code)s» is outside your scope.", code="…") not in str(errors_with("B"))
    assert Organization.objects.get(code="B").name == "Chi bộ Báo Gia Lai"


def test_staff_of_a_may_reimport_a_although_its_parent_is_outside_scope(staff_of_a, cell_a1):
    row = [
        "A",
        "Đảng bộ Sở Tài chính",
        "Đảng bộ cơ sở",
        "Cơ quan Nhà nước",
        "DUK",
        "Sở Tài chính",
        "01/01/2015",
    ]

    result = run(xlsx(row), staff_of_a)

    assert result.ok and result.unchanged == 1


def test_only_an_administrator_creates_a_top_level_organization(staff_user, superuser, bloc):
    row = ["DUK2", "Đảng bộ Khối mới", "Đảng bộ khối", "", "", "", "01/01/2026"]

    assert places_of(run(xlsx(row), staff_user)) == [(2, "Mã tổ chức cấp trên")]
    assert run(xlsx(row), superuser).created == 1


def test_a_secretary_cannot_import(tmp_path, secretary_a, cell_a1):
    path = tmp_path / "to-chuc.xlsx"
    path.write_bytes(xlsx(GOOD_ROWS[0]))

    with pytest.raises(CommandError, match=msg("You are not allowed to import this data.")):
        call_command("import_data", str(path), "--user", secretary_a.username)


# --- Concurrent writers ----------------------------------------------------------------------------------


def test_a_code_registered_meanwhile_by_someone_else_is_a_row_error(
    staff_user, system_user, cell_a1, monkeypatch
):
    """Another request commits the same code after this row's checks passed: the unique index, not
    the model's check, stops it."""
    create = services.create_organization

    def someone_else_first(**kwargs):
        if kwargs["code"] == "A2":
            create(**{**kwargs, "name": "Chi bộ của người khác", "by": system_user})
        return create(**kwargs)

    monkeypatch.setattr(services, "create_organization", someone_else_first)
    monkeypatch.setattr(Organization, "validate_unique", lambda self, exclude=None: None)

    result = run(xlsx(*GOOD_ROWS), staff_user)

    conflict = msg(
        "Someone else saved a conflicting change while the file was being imported; check this row again."
    )
    assert errors_of(result) == [(2, "", conflict)]
    assert not result.committed


def test_a_collision_outside_the_rows_is_a_refusal_not_a_server_error(
    client, staff_user, cell_a1, monkeypatch
):
    client.force_login(staff_user)
    job = upload(client, xlsx(GOOD_ROWS[0])).context["job"]

    def collide(self, rows, *, user, result):
        raise IntegrityError("UNIQUE constraint failed: organizations_organization.code")

    monkeypatch.setattr(OrganizationResource, "import_rows", collide)

    response = confirm(client, job)

    assert response.status_code == 200 and response.context["job"].status == ImportJob.Status.FAILED
    refused = msg(
        "Someone else changed the same data while the file was being imported, so nothing was imported. "
        "Check the file again."
    )
    assert refused in response.content.decode()
    assert not Organization.objects.filter(code="A2").exists()


# --- Cost ---------------------------------------------------------------------------------------------------


def queries_of_dry_run(rows: list[list[str]], user) -> int:
    with CaptureQueriesContext(connection) as context:
        result = run(csv_file(*rows), user, filename="to-chuc.csv", dry_run=True)
    assert result.ok, errors_of(result)
    return len(context.captured_queries)


def queries_of_one_create(parent: Organization, user) -> int:
    """What ``create_organization`` costs by itself, nested in a transaction as in an import."""
    with transaction.atomic():
        with CaptureQueriesContext(connection) as context:
            services.create_organization(
                code="MOT",
                name="Chi bộ một",
                kind=Organization.Kind.SUBORDINATE_CELL,
                parent=parent,
                established_on=datetime.date(2020, 1, 1),
                by=user,
            )
        transaction.set_rollback(True)
    return len(context.captured_queries)


def test_a_new_row_costs_what_its_service_costs_and_one_savepoint(staff_user, org_a):
    access.assignments_of(staff_user)  # cached on the user by the page's permission check

    twenty, forty = (
        queries_of_dry_run(new_cells(20), staff_user),
        queries_of_dry_run(new_cells(40), staff_user),
    )

    per_row = (forty - twenty) / 20
    # Per row: the service's own queries plus SAVEPOINT and RELEASE of ``Row.write``. Per file: one
    # read of the organizations the file names, and the file's SAVEPOINT, ROLLBACK TO and RELEASE.
    assert per_row <= queries_of_one_create(org_a, staff_user) + 2
    assert twenty - 20 * per_row <= 4


def test_unchanged_rows_cost_no_query_each(staff_user, org_a):
    run(csv_file(*new_cells(40)), staff_user, filename="to-chuc.csv")
    access.assignments_of(staff_user)

    assert queries_of_dry_run(new_cells(40), staff_user) == queries_of_dry_run(new_cells(20), staff_user)


def test_rows_under_a_moved_organization_are_compared_with_its_new_place(staff_user, cell_a1):
    group = services.create_organization(
        code="A1T", name="Tổ đảng 1", kind=Organization.Kind.GROUP, parent=cell_a1, by=staff_user
    )
    run(xlsx(GOOD_ROWS[1]), staff_user)  # C, a state-owned enterprise

    result = run(
        xlsx(
            ["A1", "Chi bộ Phòng Ngân sách", "Chi bộ trực thuộc", "", "C", "", ""],
            ["A1T", "Tổ đảng 1", "Tổ đảng", "Doanh nghiệp nhà nước", "A1", "", ""],  # C's sector, as moved
        ),
        staff_user,
    )

    assert result.ok, errors_of(result)
    assert (result.changed, result.unchanged) == (1, 1)
    group.refresh_from_db()
    assert group.path.startswith(Organization.objects.get(code="C").path)


# --- Refused files -------------------------------------------------------------------------------------


def test_a_file_over_the_row_limit_of_its_register_is_refused(tmp_path, staff_user, org_a, monkeypatch):
    monkeypatch.setattr(OrganizationResource, "max_rows", 2)
    too_many = msg("The file has more than %(limit)s rows; split it into smaller files.", limit=2)
    path = tmp_path / "to-chuc.csv"
    path.write_bytes(csv_file(*new_cells(3)))

    with pytest.raises(imports.ImportRefused, match=too_many):
        run(csv_file(*new_cells(3)), staff_user, filename="to-chuc.csv")
    with pytest.raises(CommandError, match=too_many):  # the register recognised from the header
        call_command("import_data", str(path), "--user", "staff")
    assert run(csv_file(*new_cells(2)), staff_user, filename="to-chuc.csv").created == 2


def test_a_file_over_the_size_limit_is_refused(client, settings, staff_user, cell_a1):
    settings.IMPORT_MAX_BYTES = 1024
    client.force_login(staff_user)

    response = upload(client, csv_file(*[GOOD_ROWS[0]] * 50), name="to-chuc.csv")

    too_large = msg("The file is larger than %(limit)s.", limit=filesizeformat(1024))
    assert response.context["form"].errors["file"] == [too_large]
    assert not Organization.objects.filter(code="A2").exists()


def test_a_png_renamed_xlsx_is_refused(client, staff_user):
    client.force_login(staff_user)

    response = upload(client, PNG, name="to-chuc.xlsx")

    assert response.context["form"].errors["file"] == [msg("The file is not a valid XLSX spreadsheet.")]


def test_a_png_renamed_csv_is_refused(client, staff_user):
    client.force_login(staff_user)

    response = upload(client, PNG, name="to-chuc.csv")

    assert response.context["form"].errors["file"] == [msg("The file is not CSV text in UTF-8.")]


def test_a_zip_without_the_workbook_parts_is_refused(staff_user):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")

    with pytest.raises(imports.ImportRefused, match=msg("The file is not a valid XLSX spreadsheet.")):
        run(buffer.getvalue(), staff_user)


def test_a_zip_bomb_is_refused_before_it_is_opened(client, staff_user):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(64):  # 64 MB of zeros ...
                member.write(bytes(1024 * 1024))
    assert len(buffer.getvalue()) < 200 * 1024  # ... in under 200 KB
    client.force_login(staff_user)

    response = upload(client, buffer.getvalue(), name="to-chuc.xlsx")

    assert response.context["form"].errors["file"] == [
        msg("The XLSX file expands to too much data to be read safely.")
    ]


def test_other_extensions_are_refused(staff_user):
    with pytest.raises(imports.ImportRefused, match=msg("Only .xlsx and .csv files can be imported.")):
        run(csv_file(GOOD_ROWS[0]), staff_user, filename="to-chuc.txt")


# --- Template and wording ---------------------------------------------------------------------------------


def test_the_template_has_the_header_row_and_an_example(client, staff_user):
    client.force_login(staff_user)

    xlsx_response = client.get(reverse("organizations:import_template"))
    csv_response = client.get(reverse("organizations:import_template"), {"format": "csv"})

    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).active.iter_rows(values_only=True))
    assert [list(row) for row in rows][0] == HEADER and len(rows) == 2
    assert xlsx_response["Content-Disposition"].endswith('.xlsx"')
    assert next(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")))) == HEADER


def test_messages_read_as_vietnamese(staff_user, cell_a1, org_b):
    result = run(xlsx(*THREE_BAD_ROWS), staff_user, dry_run=True)

    assert (
        str(result.sorted_errors()[0])
        == "Dòng 3, cột «Mã tổ chức cấp trên»: không tìm thấy tổ chức có mã «XYZ»."
    )


# --- Hostile files that are small to upload and costly to read --------------------------------------------

EMPTY_ROWS_LIMIT = imports.rows_to_read(OrganizationResource.max_rows)  # rows read, empty or not


def xlsx_with_sheet(rows_xml: Iterable[bytes]) -> bytes:
    """A real workbook whose first sheet's ``<sheetData>`` is ``rows_xml`` (streamed into the zip)."""
    template = zipfile.ZipFile(io.BytesIO(xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for part in template.infolist():
            if part.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(part.filename, template.read(part.filename))
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            sheet.write(
                b"<row>"
                + b"".join(f"<c t='inlineStr'><is><t>{h}</t></is></c>".encode() for h in HEADER)
                + b"</row>"
            )
            for chunk in rows_xml:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def too_many_rows_read() -> str:
    return msg(
        "The file has more than %(limit)s rows, counting the empty ones: delete the empty rows below the "
        "data, or split it into smaller files.",
        limit=EMPTY_ROWS_LIMIT,
    )


def test_an_xlsx_of_empty_rows_is_refused_after_the_rows_it_may_read(client, staff_user, org_a):
    """Empty ``<row/>`` elements are not data rows, but they are read: the reader stops after the
    header, ``max_rows`` and ``MAX_EMPTY_ROWS`` rows, whatever follows."""
    data = xlsx_with_sheet([b"<row/>" * EMPTY_ROWS_LIMIT])
    assert len(data) < 20 * 1024
    client.force_login(staff_user)

    response = upload(client, data)

    job = response.context["job"]
    assert (job.status, job.refusal) == (ImportJob.Status.FAILED, too_many_rows_read())
    assert too_many_rows_read() in response.content.decode()


def test_empty_rows_below_the_data_within_the_allowance_are_read(staff_user, org_a):
    cells = "".join(f"<c t='inlineStr'><is><t>{value}</t></is></c>" for value in new_cells(1)[0])
    allowance = OrganizationResource.max_rows // imports.EMPTY_ROWS_SHARE
    data = xlsx_with_sheet([f"<row>{cells}</row>".encode(), b"<row/>" * (allowance - 1)])

    result = run(data, staff_user)

    assert result.ok and result.created == 1, errors_of(result)


def test_an_xlsx_that_expands_to_800_000_empty_rows_is_refused_unread(staff_user, monkeypatch):
    """800 000 numbered empty rows: 13 MB of sheet in a zip of 2 MB, compressed too little for the
    zip-bomb checks. The declared size of the sheet refuses it before openpyxl opens the file, for
    a register of 5 000 rows (the bound scales with the register's limit: 50 000 rows may need
    117 MB of sheet, where the zip-bomb checks' 100 MB in all speak first)."""
    monkeypatch.setattr(OrganizationResource, "max_rows", 5_000)
    rows_xml = (
        b"".join(b'<row r="%d"/>' % n for n in range(start, start + 100_000))
        for start in range(2, 800_002, 100_000)
    )
    data = xlsx_with_sheet(rows_xml)
    imports.check_file(data, "to-chuc.xlsx")  # not a zip bomb
    monkeypatch.setattr("openpyxl.load_workbook", lambda *args, **kwargs: pytest.fail("the sheet was opened"))
    rows = imports.rows_to_read(5_000)
    expands = msg(
        "The sheet expands to more than %(size)s, more than %(rows)s rows need: delete the empty rows and "
        "columns around the data, or split it into smaller files.",
        size=filesizeformat(rows * imports.MAX_SHEET_BYTES_PER_ROW),
        rows=rows,
    )

    with pytest.raises(imports.ImportRefused) as refused:
        run(data, staff_user)

    assert str(refused.value) == expands


def test_a_csv_of_blank_lines_is_refused_after_the_rows_it_may_read(staff_user, org_a):
    data = csv_file(new_cells(1)[0]) + b"\r\n" * (10 * EMPTY_ROWS_LIMIT)

    with pytest.raises(imports.ImportRefused) as refused:
        run(data, staff_user, filename="to-chuc.csv")

    assert str(refused.value) == too_many_rows_read()


@pytest.mark.parametrize(
    "third_row",
    [
        pytest.param('N9,"' + "x" * 131_073 + '",Chi bộ trực thuộc,,A,,01/01/2020\r\n', id="a long cell"),
        pytest.param(
            'N9,"Chi bộ số 9,Chi bộ trực thuộc,,A,,01/01/2020\r\n' + "N10,x\r\n" * 20_000, id="open quote"
        ),
    ],
)
def test_a_csv_cell_over_the_csv_modules_limit_is_named_with_its_row(client, staff_user, org_a, third_row):
    data = csv_file(*new_cells(1)) + third_row.encode()
    client.force_login(staff_user)

    response = upload(client, data, name="to-chuc.csv")

    assert response.context["job"].refusal == msg(
        "Row %(row)s has a cell of more than %(limit)s characters, longer than any value of the "
        "import: check that every quotation mark in it is closed.",
        row=3,
        limit=131_072,
    )


# --- Plausible dates ----------------------------------------------------------------------------------------


def test_an_organization_established_before_the_party_is_refused(staff_user, org_a):
    rows = [
        ["N1", "Chi bộ số 1", "Chi bộ trực thuộc", "", "A", "", "01/01/0001"],
        ["N2", "Chi bộ số 2", "Chi bộ trực thuộc", "", "A", "", "03/02/1930"],
    ]

    result = run(csv_file(*rows), staff_user, filename="to-chuc.csv")

    assert errors_of(result) == [
        (
            2,
            "Ngày thành lập",
            msg(
                "The date %(date)s is not valid: it must be on or after %(earliest)s.",
                date="01/01/0001",
                earliest="03/02/1930",
            ),
        )
    ]
    assert str(result.sorted_errors()[0]) == (
        "Dòng 2, cột «Ngày thành lập»: Ngày 01/01/0001 không hợp lệ: phải từ 03/02/1930 trở đi."
    )
    assert not Organization.objects.filter(code__in=["N1", "N2"]).exists()


def test_every_value_error_of_a_row_comes_in_one_pass(staff_user, org_a):
    """A code with a space, a name over 255 characters, a date in the future and an unknown parent:
    what the services found one at a time (and the parent) in the first dry run."""
    row = ["N 1", "x" * 256, "Chi bộ trực thuộc", "", "XYZ", "", "01/01/2099"]

    result = run(csv_file(row), staff_user, filename="to-chuc.csv", dry_run=True)

    assert places_of(result) == [
        (2, "Mã tổ chức"),
        (2, "Tên tổ chức"),
        (2, "Mã tổ chức cấp trên"),
        (2, "Ngày thành lập"),
    ]
    assert errors_of(result)[3][2] == msg(
        "The date %(date)s is in the future.", date=format_day(datetime.date(2099, 1, 1))
    )


def test_the_dry_run_previews_new_rows_and_the_cells_a_row_changes(client, staff_user, org_a, cell_a1):
    changed = ["A1", "Chi bộ Phòng Ngân sách mới", "Chi bộ trực thuộc", "", "A", "", ""]
    client.force_login(staff_user)

    response = upload(client, xlsx(GOOD_ROWS[0], changed))

    preview = response.context["result"].preview
    assert [(line.row, line.is_new) for line in preview] == [(2, True), (3, False)]
    assert [cell.column for cell in preview[1].cells if cell.changed] == ["Tên tổ chức"]
    assert '<td class="table-warning">Chi bộ Phòng Ngân sách mới</td>' in response.content.decode()
    assert not Organization.objects.filter(code="A2").exists()


def test_the_organization_form_refuses_a_date_before_the_party(staff_user, org_a):
    from organizations.forms import OrganizationCreateForm

    data = {"parent": org_a.pk, "kind": "chi_bo_truc_thuoc", "code": "N1", "name": "Chi bộ số 1"}
    form = OrganizationCreateForm(data={**data, "established_on": "01/01/0001"}, user=staff_user)

    assert not form.is_valid()
    assert form.errors["established_on"] == [
        msg(
            "The date %(date)s is not valid: it must be on or after %(earliest)s.",
            date="01/01/0001",
            earliest="03/02/1930",
        )
    ]
    assert OrganizationCreateForm(data={**data, "established_on": "03/02/1930"}, user=staff_user).is_valid()
