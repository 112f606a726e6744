"""Importing the committees (cấp ủy, ủy ban kiểm tra) from XLSX/CSV: ``manage.py import_data --kind
committees``, the import page and its job, through the services of the committee forms
(``create_term``, ``appoint``, ``end_seat``).

The bloc of tests/conftest.py: DUK ── A (đảng bộ cơ sở, established 01/01/2015) ── A1 (chi bộ trực
thuộc); DUK ── B (chi bộ cơ sở). The members of A1 below are official since 01/06/2011 (in A1 since
its founding, 01/01/2015). Messages are compared through gettext, as the page and the command show
them.
"""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from blocportal import imports
from blocportal.dates import format_day
from blocportal.models import Role
from members import services as member_services
from members.committee_resources import CommitteeResource
from members.models import CommitteeSeat, Member, Term
from members.services import committees as committee_services
from tests import import_page
from tests.factories import MemberFactory, UserFactory, assign
from tests.import_page import confirm, errors_of, msg
from tests.members.import_columns import xlsx

D = datetime.date
Position = CommitteeSeat.Position
# Spelled out as docs/import-formats.md fixes them, so a changed header fails here.
HEADER = [
    "Mã tổ chức",
    "Nhiệm kỳ",
    "Số thẻ đảng viên",
    "Số CCCD",
    "Chức vụ",
    "Kiêm thủ trưởng cơ quan",
    "Từ ngày",
    "Đến ngày",
]
KEYS = ["org", "term", "card", "cccd", "position", "heads", "since", "until"]
DEFAULTS = {
    "org": "A",
    "term": "2025-2030",
    "card": "",
    "cccd": "",
    "position": "Cấp ủy viên",
    "heads": "Không",
    "since": "10/06/2025",
    "until": "",
}
CONGRESS = D(2025, 6, 10)


def seat_row(**values) -> list[object]:
    unknown = set(values) - set(KEYS)
    assert not unknown, unknown
    merged = {**DEFAULTS, **values}
    return [merged[key] for key in KEYS]


def committee_file(*rows) -> bytes:
    return xlsx(*rows, header=HEADER)


def run(data: bytes, user, *, dry_run=False, filename="cap-uy.xlsx") -> imports.ImportResult:
    return imports.run_import(
        data, filename=filename, user=user, dry_run=dry_run, resource_class=CommitteeResource
    )


def counts() -> tuple[int, ...]:
    """Everything a committee import may write."""
    return (
        Term.objects.count(),
        Term.history.count(),
        CommitteeSeat.objects.count(),
        CommitteeSeat.history.count(),
    )


def seats() -> set[tuple]:
    return {
        (
            seat.term.organization.code,
            seat.term.label,
            seat.member.full_name,
            seat.position,
            seat.heads_host_unit,
        )
        + (seat.starts_on, seat.ends_on)
        for seat in CommitteeSeat.objects.select_related("term__organization", "member")
    }


def official(cell, by, name: str, *, card: str = "", cccd: str = "") -> Member:
    """A member taken over from the old register: admitted 01/06/2010, official since 01/06/2011."""
    return member_services.register(
        organization=cell,
        full_name=name,
        gender=Member.Gender.MALE,
        birth_date=D(1975, 3, 2),
        admitted_on=D(2010, 6, 1),
        official_on=D(2011, 6, 1),
        card_number=card,
        cccd=cccd,
        by=by,
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def members(cell_a1, system_user) -> dict[str, Member]:
    return {
        "an": official(cell_a1, system_user, "Nguyễn Văn An", card="79000001", cccd="064085000001"),
        "bình": official(cell_a1, system_user, "Trần Văn Bình", cccd="064080000002"),
        "cường": official(cell_a1, system_user, "Lê Văn Cường", card="79000003", cccd="064085000003"),
        "dũng": official(cell_a1, system_user, "Phạm Văn Dũng", card="79000004"),
    }


def congress_rows() -> list[list[object]]:
    """The committee of A elected on 10/06/2025: the secretary (by card) also heads the Sở, the
    deputy (by CCCD, elected two days later), the chair of the inspection commission (until
    31/12/2025) and a committee member; positions and yes/no as people type them."""
    return [
        seat_row(card="79000001", position="Bí thư", heads="Có"),
        seat_row(cccd="064080000002", position="phó bí thư", heads="", since="12/06/2025"),
        seat_row(card="79000003", position="CHU NHIEM UBKT", heads="khong", until="31/12/2025"),
        seat_row(card="79000004", position="Cấp uỷ viên"),
    ]


def the_congress_seats() -> set[tuple]:
    return {
        ("A", "2025–2030", "Nguyễn Văn An", Position.SECRETARY, True, CONGRESS, None),
        ("A", "2025–2030", "Trần Văn Bình", Position.DEPUTY_SECRETARY, False, D(2025, 6, 12), None),
        ("A", "2025–2030", "Lê Văn Cường", Position.INSPECTION_CHAIR, False, CONGRESS, D(2025, 12, 31)),
        ("A", "2025–2030", "Phạm Văn Dũng", Position.COMMITTEE_MEMBER, False, CONGRESS, None),
    }


# --- The command ------------------------------------------------------------------------------------


def test_the_command_records_the_term_and_its_seats(tmp_path, staff_user, org_a, members):
    path = tmp_path / "cap-uy.xlsx"
    path.write_bytes(committee_file(*congress_rows()))
    out = io.StringIO()

    call_command("import_data", str(path), "--kind", "committees", "--user", "staff", stdout=out, verbosity=0)

    # The term the register lacked: its congress is the earliest start of its rows, and it ends as
    # many years later as its label spans.
    term = Term.objects.get()
    assert (term.organization, term.label, term.starts_on, term.ends_on) == (
        org_a,
        "2025–2030",
        CONGRESS,
        D(2030, 6, 10),
    )
    assert term.history.get().history_user == staff_user
    assert seats() == the_congress_seats()
    ended = CommitteeSeat.objects.get(position=Position.INSPECTION_CHAIR)
    assert "cap-uy.xlsx" in ended.end_note
    assert {seat.history.latest().history_user for seat in CommitteeSeat.objects.all()} == {staff_user}
    summary = msg(
        "%(created)s new, %(changed)s changed, %(unchanged)s unchanged.", created=4, changed=0, unchanged=0
    )
    assert out.getvalue().strip().endswith(summary)


def test_the_command_recognises_a_committee_file_by_its_header(tmp_path, staff_user, org_a, members):
    path = tmp_path / "bat-ky.xlsx"
    path.write_bytes(committee_file(*congress_rows()))

    call_command("import_data", str(path), "--user", "staff", "--dry-run", stdout=io.StringIO(), verbosity=0)
    assert counts() == (0, 0, 0, 0)
    call_command("import_data", str(path), "--user", "staff", stdout=io.StringIO(), verbosity=0)

    assert len(seats()) == 4


def test_importing_the_same_file_again_writes_nothing(staff_user, org_a, members):
    data = committee_file(*congress_rows())
    assert run(data, staff_user).created == 4
    before = counts()

    result = run(data, staff_user)

    assert result.ok and (result.created, result.changed, result.unchanged) == (0, 0, 4)
    assert counts() == before


def test_a_term_the_register_has_is_used_and_a_filled_end_ends_a_held_seat(staff_user, org_a, members):
    term = committee_services.create_term(
        organization=org_a, label="2025–2030", starts_on=D(2025, 6, 5), ends_on=D(2030, 6, 30), by=staff_user
    )
    committee_services.appoint(
        term=term, member=members["an"], position=Position.SECRETARY, starts_on=D(2025, 6, 5), by=staff_user
    )
    data = committee_file(
        seat_row(card="79000001", position="Bí thư", heads="", since="05/06/2025", until="20/03/2026"),
        seat_row(card="79000004", position="Bí thư", heads="Có", since="21/03/2026"),
    )

    result = run(data, staff_user)

    assert result.ok and (result.created, result.changed, result.unchanged) == (1, 1, 0)
    assert Term.objects.get() == term  # no second term of the same label
    assert seats() == {
        ("A", "2025–2030", "Nguyễn Văn An", Position.SECRETARY, False, D(2025, 6, 5), D(2026, 3, 20)),
        ("A", "2025–2030", "Phạm Văn Dũng", Position.SECRETARY, True, D(2026, 3, 21), None),
    }
    (changed,) = [line for line in result.preview if not line.is_new]
    assert [cell.column for cell in changed.cells if cell.changed] == ["Đến ngày"]
    # The file once more: the ended seat and the new one are there already.
    assert (run(data, staff_user).unchanged, counts()) == (2, counts())


def test_an_import_does_not_change_a_seat_otherwise(staff_user, org_a, members):
    run(committee_file(*congress_rows()), staff_user)
    before = counts()
    data = committee_file(
        seat_row(card="79000001", position="Bí thư", heads="Không"),
        seat_row(card="79000003", position="Chủ nhiệm UBKT", until="15/01/2026"),
    )

    result = run(data, staff_user)

    assert errors_of(result) == [
        (
            2,
            "Kiêm thủ trưởng cơ quan",
            msg("The register has «%(value)s» for this seat; an import does not change it.", value="Có"),
        ),
        (
            3,
            "Đến ngày",
            msg(
                "The register has this seat ended on %(date)s; an import does not change it.",
                date=format_day(D(2025, 12, 31)),
            ),
        ),
    ]
    assert counts() == before


def test_the_terms_of_a_file_follow_each_other_and_the_new_congress_ends_the_old_seats(
    staff_user, org_a, members
):
    data = committee_file(
        seat_row(card="79000004", position="Bí thư"),  # 2025–2030, congress 10/06/2025
        seat_row(card="79000001", position="Bí thư", term="2020-2025", since="15/06/2020"),
    )

    result = run(data, staff_user)

    assert result.ok
    old, new = Term.objects.order_by("starts_on")
    # The earlier term ends on the next congress, before its fifth anniversary (15/06/2025).
    assert (old.label, old.starts_on, old.ends_on) == ("2020–2025", D(2020, 6, 15), CONGRESS)
    assert (new.label, new.starts_on, new.ends_on) == ("2025–2030", CONGRESS, D(2030, 6, 10))
    old_seat = old.seats.get()
    assert (old_seat.member, old_seat.ends_on) == (members["an"], CONGRESS)
    assert old_seat.end_note == msg("Succeeded by the committee of the term %(label)s.", label="2025–2030")
    assert new.seats.get().ends_on is None


# --- The dry run lists every error -------------------------------------------------------------------


def test_the_dry_run_lists_every_error_by_row_and_column(staff_user, org_a, cell_a1, members):
    probationary = MemberFactory(
        organization=cell_a1,
        full_name="Võ Thị Dự Bị",
        admitted_on=D(2025, 1, 10),
        ceremony_on=D(2025, 1, 20),
        cccd="064095000009",
        by=staff_user,
    )
    rows = [
        seat_row(card="79000001", position="Bí thư", heads="Có"),  # 2: fine
        seat_row(org="XYZ", card="79000003"),  # 3
        seat_row(card="79999999"),  # 4
        seat_row(),  # 5: no card, no CCCD
        seat_row(card="79000003", position="Chủ tịch"),  # 6
        seat_row(card="79000004", heads="Có"),  # 7: only the secretary heads the unit
        seat_row(card="79000003", term="2025"),  # 8
        seat_row(card="79000004", position="Bí thư"),  # 9: a second secretary
        seat_row(cccd="064095000009"),  # 10: probationary
        seat_row(cccd="064080000002", since="10/06/2025", until="01/06/2025"),  # 11
        seat_row(org="A1", term="2025-2027", card="79000003", position="Chủ nhiệm UBKT"),  # 12
        seat_row(card="79000001", position="bi thu", heads="Có"),  # 13: row 2 again
        seat_row(card="79000001", cccd="064080000002"),  # 14: two members
        seat_row(card="79000003", since="01/01/2099"),  # 15
    ]
    before = counts()

    result = run(committee_file(*rows), staff_user, dry_run=True)

    positions = ", ".join(
        [
            "Bí thư",
            "Phó Bí thư",
            "Ủy viên Ban Thường vụ",
            "Cấp ủy viên",
            "Chủ nhiệm UBKT",
            "Phó Chủ nhiệm UBKT",
            "Ủy viên UBKT",
        ]
    )
    day = format_day(CONGRESS)
    assert errors_of(result) == [
        (3, "Mã tổ chức", msg("No organization has the code «%(code)s».", code="XYZ")),
        (4, "Số thẻ đảng viên", msg("No member has the Party card number «%(value)s».", value="79999999")),
        (5, "Số CCCD", msg("Give the Party card number or the citizen ID number of the member.")),
        (
            6,
            "Chức vụ",
            msg(
                "«%(value)s» is not an accepted value. Accepted values: %(choices)s.",
                value="Chủ tịch",
                choices=positions,
            ),
        ),
        (7, "Kiêm thủ trưởng cơ quan", msg("Only the secretary is recorded as also heading the host unit.")),
        (8, "Nhiệm kỳ", msg("Write the term as two years, for example 2025–2030.")),
        (
            9,
            "Chức vụ",
            msg(
                "%(name)s has been the secretary of this term since %(date)s: end that seat first.",
                name="Nguyễn Văn An",
                date=day,
            ),
        ),
        (
            10,
            "Số CCCD",
            msg(
                "%(name)s is not an official member on %(date)s; a probationary member cannot be "
                "elected to a committee.",
                name=probationary.full_name,
                date=day,
            ),
        ),
        (11, "Đến ngày", msg("The seat began on %(date)s; it cannot end earlier.", date=day)),
        (
            12,
            "Chức vụ",
            msg(
                "Only a grassroots Party committee or a higher one has an inspection commission; "
                "%(name)s is a %(kind)s.",
                name=cell_a1.name,
                kind=cell_a1.get_kind_display().lower(),
            ),
        ),
        (13, "Chức vụ", msg("This seat already appears on row %(row)s.", row=2)),
        (
            14,
            "Số CCCD",
            msg(
                "The Party card number and the citizen ID number belong to two different members of "
                "the register."
            ),
        ),
        (15, "Từ ngày", msg("The date %(date)s is in the future.", date=format_day(D(2099, 1, 1)))),
    ]
    assert counts() == before


def test_a_term_whose_congress_the_file_cannot_date_is_an_error_of_its_rows(staff_user, org_a, members):
    data = committee_file(
        seat_row(card="79000001", position="Bí thư", term="2020-2025", since="01/09/2022"),
        seat_row(card="79000004", term="2020-2025", since="10/09/2022"),
    )

    result = run(data, staff_user)

    assert errors_of(result) == [
        (
            2,
            "Từ ngày",
            msg(
                "The term %(label)s is not recorded yet, and the import takes its congress day from "
                "the earliest «%(column)s» of its rows: %(date)s is not in %(year)s or the year "
                "before. Record the term on the organization's page first, or correct the date.",
                label="2020–2025",
                column="Từ ngày",
                date=format_day(D(2022, 9, 1)),
                year=2020,
            ),
        ),
        (
            3,
            "Nhiệm kỳ",
            msg(
                "The term %(label)s of «%(code)s» cannot be recorded: see row %(row)s.",
                label="2020–2025",
                code="A",
                row=2,
            ),
        ),
    ]
    assert counts() == (0, 0, 0, 0)


def test_one_bad_row_imports_nothing_and_the_command_says_why_in_vietnamese(
    tmp_path, staff_user, org_a, members
):
    path = tmp_path / "cap-uy.xlsx"
    path.write_bytes(committee_file(*congress_rows(), seat_row(org="XYZ", card="79000004")))
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command(
            "import_data", str(path), "--kind", "committees", "--user", "staff", stderr=err, verbosity=0
        )

    assert err.getvalue().splitlines() == ["Dòng 6, cột «Mã tổ chức»: không tìm thấy tổ chức có mã «XYZ»."]
    assert counts() == (0, 0, 0, 0)  # neither the term nor the good rows' seats


# --- Scope -----------------------------------------------------------------------------------------------


def test_staff_of_one_organization_cannot_import_the_committee_of_another(staff_of_b, org_a, org_b, members):
    data = committee_file(
        seat_row(card="79000001", position="Bí thư"),
        seat_row(org="B", card="79000004"),  # a member of A1, not of B
    )

    result = run(data, staff_of_b)

    assert errors_of(result) == [
        (2, "Mã tổ chức", msg("The organization «%(code)s» is outside your scope.", code="A")),
        (
            3,
            "Số thẻ đảng viên",
            msg(
                "%(name)s is not a member of %(organization)s on %(date)s.",
                name="Phạm Văn Dũng",
                organization=org_b.name,
                date=format_day(CONGRESS),
            ),
        ),
    ]
    assert counts() == (0, 0, 0, 0)


def test_what_the_importer_cannot_see_reads_as_unknown(org_a, org_b, members):
    staff_only_of_b = UserFactory(username="staff_b_only")
    assign(staff_only_of_b, Role.STAFF, org_b)
    data = committee_file(seat_row(card="79000001", position="Bí thư"), seat_row(org="B", card="79000004"))

    result = run(data, staff_only_of_b)

    assert errors_of(result) == [
        (2, "Mã tổ chức", msg("No organization has the code «%(code)s».", code="A")),
        (2, "Số thẻ đảng viên", msg("No member has the Party card number «%(value)s».", value="79000001")),
        (3, "Số thẻ đảng viên", msg("No member has the Party card number «%(value)s».", value="79000004")),
    ]
    assert counts() == (0, 0, 0, 0)


def test_a_secretary_cannot_import_committees(client, tmp_path, secretary_a, org_a, members):
    path = tmp_path / "cap-uy.xlsx"
    path.write_bytes(committee_file(*congress_rows()))

    with pytest.raises(CommandError, match=msg("You are not allowed to import this data.")):
        call_command("import_data", str(path), "--kind", "committees", "--user", "secretary1", verbosity=0)

    client.force_login(secretary_a)
    assert client.get(reverse("members:committees:import")).status_code == 403
    assert client.get(reverse("members:committees:import_template")).status_code == 403
    assert counts() == (0, 0, 0, 0)


# --- The import page ---------------------------------------------------------------------------------------


def test_the_page_checks_then_imports_the_file(client, staff_user, org_a, members):
    client.force_login(staff_user)
    assert reverse("members:committees:import") in client.get(org_a.get_absolute_url()).content.decode()

    response = import_page.upload(
        client, "members:committees:import", committee_file(*congress_rows()), "cap-uy.xlsx"
    )

    result = response.context["result"]
    assert result.ok and result.created == 4 and counts() == (0, 0, 0, 0)
    assert response.context["title"] == msg("Import committees")

    response = confirm(client, response.context["job"])

    assert response.context["job"].status == "done"
    assert seats() == the_congress_seats()
    assert reverse("members:committees:list") in response.content.decode()
    assert client.get(reverse("members:committees:list"))["Location"] == reverse("organizations:list")


def test_the_page_lists_the_errors_by_row_and_column(client, staff_user, org_a, members):
    client.force_login(staff_user)
    data = committee_file(*congress_rows(), seat_row(org="XYZ", card="79000004"))

    response = import_page.upload(client, "members:committees:import", data, "cap-uy.xlsx")

    page = response.content.decode()
    message = msg("No organization has the code «%(code)s».", code="XYZ")
    assert f"<tr><td>6</td><td>Mã tổ chức</td><td>{message}</td></tr>" in page
    assert message.startswith("không tìm thấy")  # in Vietnamese
    assert not response.context["job"].can_confirm
    assert counts() == (0, 0, 0, 0)


def test_the_template_has_the_header_row_and_examples(client, staff_user):
    client.force_login(staff_user)

    xlsx_response = client.get(reverse("members:committees:import_template"))
    csv_response = client.get(reverse("members:committees:import_template"), {"format": "csv"})

    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER and len(rows) == 4
    assert xlsx_response["Content-Disposition"] == 'attachment; filename="mau-nhap-cap-uy.xlsx"'
    assert list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))[0] == HEADER
