"""Importing past case work from XLSX/CSV (``manage.py import_data --kind cases|discipline``, the import
page ``inspections:import``), through the services of the forms as decided before the portal
(``cases.open_case(imported=True)``, ``discipline.decide(imported=True)``): the effects on the decision
dates, all or nothing, a second import changing nothing, the broken rules flagged, not refused.

The people are those of tests/inspections/conftest.py: Trần Văn Chính (card 79100001) and Lê Văn Bí
(card 79100002, the bí thư of đảng ủy A from 15/01/2025) in chi bộ A1, Phạm Thị Dự (probationary, CCCD
064190100003) in A1, Đỗ Văn Bê (card 79100004) in chi bộ B. Messages are compared through gettext, as the
page and the command show them.
"""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from blocportal import clock, imports
from blocportal.dates import format_day
from inspections.models import Body, Case, DisciplineDecision
from inspections.resources import CaseResource, DecisionResource
from members import services as member_services
from members.models import Member, Movement, Spell
from organizations.models import Organization, OrganizationEvent
from tests import import_page
from tests.factories import OrganizationFactory
from tests.import_page import errors_of, msg
from tests.members.import_columns import xlsx

D = datetime.date
# Spelled out as docs/import-formats.md fixes them, so a changed header fails here.
CASE_HEADER = [
    "Số quyết định",
    "Ngày quyết định",
    "Loại",
    "Mã tổ chức tiến hành",
    "Chủ thể tiến hành",
    "Mã tổ chức đối tượng",
    "Số thẻ đảng viên đối tượng",
    "Số CCCD đối tượng",
    "Ngày kết thúc",
    "Kết luận",
]
DECISION_HEADER = [
    "Số quyết định",
    "Ngày quyết định",
    "Mã tổ chức quyết định",
    "Cấp quyết định",
    "Mã tổ chức đối tượng",
    "Số thẻ đảng viên đối tượng",
    "Số CCCD đối tượng",
    "Hình thức",
    "Số quyết định kiểm tra",
]
SIGNS = "Kiểm tra khi có dấu hiệu vi phạm"
DISCIPLINE_DUE = "Vi phạm đến mức phải xử lý kỷ luật"
CHINH, BI, BE = "79100001", "79100002", "79100004"
DU_CCCD = "064190100003"


def case_row(
    number,
    day,
    kind=SIGNS,
    code="",
    body="Ủy ban Kiểm tra",
    *,
    target="",
    card="",
    cccd="",
    end="",
    conclusion="",
):
    return [number, day, kind, code, body, target, card, cccd, end, conclusion]


def decision_row(number, day, form, code="", level="Ban Thường vụ", *, target="", card="", cccd="", case=""):
    return [number, day, code, level, target, card, cccd, form, case]


def cases_file(*rows) -> bytes:
    return xlsx(*rows, header=CASE_HEADER)


def decisions_file(*rows) -> bytes:
    return xlsx(*rows, header=DECISION_HEADER)


def run(data: bytes, user, resource_class, *, dry_run=False, progress=None) -> imports.ImportResult:
    return imports.run_import(
        data,
        filename="so-kiem-tra.xlsx",
        user=user,
        dry_run=dry_run,
        resource_class=resource_class,
        progress=progress,
    )


def warnings_of(result) -> list[tuple[int, str, str]]:
    return [(warning.row, warning.column, warning.message) for warning in result.sorted_warnings()]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people(official_member, secretary_of_a, probationary_member, member_of_b):
    return {"chinh": official_member, "bi": secretary_of_a, "du": probationary_member, "be": member_of_b}


@pytest.fixture
def empty_cell(org_a, system_user):
    """A chi bộ of đảng bộ A without members, which its đảng ủy dissolves."""
    return OrganizationFactory(
        code="A9",
        name="Chi bộ Phòng Thanh tra",
        kind=Organization.Kind.SUBORDINATE_CELL,
        parent=org_a,
        by=system_user,
    )


THE_CASES = [
    # 2: the bloc's inspection commission on Chính, concluded with a violation warranting discipline.
    case_row("12-QĐ/UBKTĐUK", "03/03/2025", card=CHINH, end="30/05/2025", conclusion=DISCIPLINE_DUE),
    # 3: the bloc's standing committee supervises đảng bộ A; still open.
    case_row("05-QĐ/ĐUK", "15/01/2025", "Giám sát chuyên đề", body="Ban Thường vụ", target="A"),
    # 4: đảng ủy A's commission inspects the finances of chi bộ A1.
    case_row(
        "21-QĐ/UBKT",
        "10/04/2025",
        "Kiểm tra tài chính đảng",
        "A",
        target="A1",
        end="20/06/2025",
        conclusion="Không vi phạm",
    ),
    # 5: the bloc inspects Bí, the bí thư of đảng ủy A, on signs of violation.
    case_row("13-QĐ/UBKTĐUK", "12/03/2025", card=BI),
]


# --- Cases ------------------------------------------------------------------------------------------------


def test_a_file_of_cases_is_recorded_as_decided(people, inspector, bloc, org_a, cell_a1):
    result = run(cases_file(*THE_CASES), inspector, CaseResource)

    assert result.ok and result.committed and (result.created, result.changed, result.unchanged) == (4, 0, 0)
    assert result.warnings == []
    found = {case.decision_no: case for case in Case.objects.all()}
    chinh = found["12-QĐ/UBKTĐUK"]
    assert (chinh.organization, chinh.body, chinh.kind, chinh.target_member) == (
        bloc,
        Body.COMMISSION,
        Case.Kind.SIGNS_OF_VIOLATION,
        people["chinh"],
    )
    assert (chinh.closed_on, chinh.conclusion, chinh.stage, chinh.imported) == (
        D(2025, 5, 30),
        Case.Conclusion.DISCIPLINE,
        Case.Stage.CONCLUDED,
        True,
    )
    assert chinh.history.latest().history_user == inspector
    supervision = found["05-QĐ/ĐUK"]
    assert (supervision.target_organization, supervision.closed_on, supervision.conclusion) == (
        org_a,
        None,
        "",
    )
    finances = found["21-QĐ/UBKT"]
    assert (finances.organization, finances.target_organization) == (org_a, cell_a1)
    # The post the member held on the case date is kept: a bí thư inspected.
    secretary = found["13-QĐ/UBKTĐUK"]
    assert (secretary.target_position, secretary.target_position_organization) == ("bi_thu", org_a)


def test_a_case_file_imported_again_changes_nothing(people, inspector, snapshot):
    data = cases_file(*THE_CASES)
    run(data, inspector, CaseResource)
    before = snapshot()

    result = run(data, inspector, CaseResource)

    assert result.ok and (result.created, result.changed, result.unchanged) == (0, 0, 4)
    assert snapshot() == before


def test_a_broken_competence_rule_of_a_case_is_flagged_not_refused(people, inspector):
    rows = [
        # An advisory body inspecting on signs of violation, and a chi bộ inspecting finances.
        case_row("7-QĐ/BTG", "03/03/2025", code="A", body="Cơ quan tham mưu", target="A1"),
        case_row("2-QĐ/CB", "04/03/2025", "Kiểm tra tài chính đảng", "A1", "Chi bộ", card=CHINH),
    ]

    dry = run(cases_file(*rows), inspector, CaseResource, dry_run=True)
    result = run(cases_file(*rows), inspector, CaseResource)

    expected = [
        (
            2,
            "Loại",
            msg(
                "Advisory bodies of the committee never conduct an inspection "
                "on signs of violation (296-QĐ/TW Điều 5)."
            ),
        ),
        (
            3,
            "Loại",
            msg(
                "%(body)s does not conduct a %(kind)s.",
                body="Chi bộ Phòng Ngân sách",
                kind=str(Case.Kind.FINANCE.label).lower(),
            ),
        ),
    ]
    assert dry.ok and warnings_of(dry) == expected
    assert result.committed and warnings_of(result) == expected
    assert Case.objects.filter(imported=True).count() == 2


def test_every_wrong_cell_of_a_case_is_an_error_on_its_row_and_column(people, inspector, snapshot):
    future = clock.today() + datetime.timedelta(days=3)
    rows = [
        case_row("1", "03/03/2025", "Kiểm tra đột xuất", card=CHINH),  # 2: not a kind
        case_row("2", "31/02/2025", card=CHINH),  # 3: not a date
        case_row("3", format_day(future), card=CHINH),  # 4: in the future
        case_row("4", "03/03/2025", target="A", card=CHINH),  # 5: two targets
        case_row("5", "03/03/2025", code="XYZ", card=CHINH),  # 6: unknown code
        case_row("6", "03/03/2025", card="79999999"),  # 7: unknown member
        case_row("7", "03/03/2025", code="A", card=BE),  # 8: a member outside đảng bộ A
        case_row("8", "03/03/2025", card=CHINH, conclusion="Không vi phạm"),  # 9: no end date
        case_row("9", "03/03/2025", body="Hội đồng", card=CHINH),  # 10: not a body
    ]
    before = snapshot()

    result = run(cases_file(*rows), inspector, CaseResource, dry_run=True)

    kinds = ", ".join(
        [
            SIGNS,
            "Kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát, thi hành kỷ luật",
            "Kiểm tra tài chính đảng",
            "Giám sát thường xuyên",
            "Giám sát chuyên đề",
            "Giải quyết tố cáo",
            "Giải quyết khiếu nại kỷ luật",
        ]
    )
    bodies = "Ban Chấp hành, Ban Thường vụ, Ủy ban Kiểm tra, Chi bộ, Cơ quan tham mưu"
    not_accepted = "«%(value)s» is not an accepted value. Accepted values: %(choices)s."
    assert errors_of(result) == [
        (2, "Loại", msg(not_accepted, value="Kiểm tra đột xuất", choices=kinds)),
        (
            3,
            "Ngày quyết định",
            msg(
                "«%(value)s» is not a date: write dd/mm/yyyy (for example 05/02/2026) or use a date cell.",
                value="31/02/2025",
            ),
        ),
        (4, "Ngày quyết định", msg("The date %(date)s is in the future.", date=format_day(future))),
        (
            5,
            "Mã tổ chức đối tượng",
            msg(
                "Give exactly one target: the code of an organization, or the Party card number or "
                "citizen ID number of a member, not both."
            ),
        ),
        (6, "Mã tổ chức tiến hành", msg("No organization has the code «%(code)s».", code="XYZ")),
        (
            7,
            "Số thẻ đảng viên đối tượng",
            msg("No member has the Party card number «%(value)s».", value="79999999"),
        ),
        (
            8,
            "Số thẻ đảng viên đối tượng",
            msg(
                "%(target)s is not under %(organization)s.",
                target="Chi bộ Báo Gia Lai",
                organization="Đảng bộ Sở Tài chính",
            ),
        ),
        (9, "Ngày kết thúc", msg("Enter the date of the conclusion.")),
        (10, "Chủ thể tiến hành", msg(not_accepted, value="Hội đồng", choices=bodies)),
    ]
    assert snapshot() == before


# --- Discipline decisions -----------------------------------------------------------------------------------


@pytest.fixture
def cases_imported(people, inspector):
    run(cases_file(*THE_CASES), inspector, CaseResource)


THE_DECISIONS = [
    # 2: the bloc's standing committee expels Chính, after the case 12-QĐ/UBKTĐUK.
    decision_row("101-QĐ/ĐUK", "10/06/2025", "Khai trừ", card=CHINH, case="12-QĐ/UBKTĐUK"),
    # 3: and dismisses Bí from his post of bí thư of đảng ủy A.
    decision_row("102-QĐ/ĐUK", "12/06/2025", "Cách chức", card=BI),
    # 4: đảng ủy A reprimands its chi bộ A1.
    decision_row("45-QĐ/ĐU", "02/07/2025", "Khiển trách", "A", "Ban Chấp hành", target="A1"),
    # 5: chi bộ A1 warns Dự, a probationary member.
    decision_row("03-QĐ/CB", "15/08/2025", "Cảnh cáo", "A1", "Chi bộ", cccd=DU_CCCD),
]


def test_a_file_of_decisions_makes_each_effect_on_its_date(cases_imported, people, inspector, seat_of):
    chinh, bi = people["chinh"], people["bi"]

    result = run(decisions_file(*THE_DECISIONS), inspector, DecisionResource)

    assert result.ok and result.committed and (result.created, result.unchanged) == (4, 0)
    assert result.warnings == []
    assert DisciplineDecision.objects.filter(imported=True).count() == 4
    # The expulsion ended the membership through the member service on the decision date.
    chinh.refresh_from_db()
    assert (chinh.exit_reason, chinh.exited_on) == (Member.Exit.EXPELLED, D(2025, 6, 10))
    event = Movement.objects.get(member=chinh, kind=Movement.Kind.EXPELLED)
    assert (event.on, event.decision_no, event.recorded_by) == (D(2025, 6, 10), "101-QĐ/ĐUK", inspector)
    assert not Spell.objects.filter(member=chinh, ends_on__isnull=True).exists()
    assert chinh.history.latest().history_user == inspector
    expulsion = DisciplineDecision.objects.get(decision_no="101-QĐ/ĐUK")
    assert expulsion.case.decision_no == "12-QĐ/UBKTĐUK" and expulsion.target_cell.code == "A1"
    # The dismissal ended the seat held that day; Bí stays a member.
    seat = seat_of(bi)
    assert seat.ends_on == D(2025, 6, 12)
    assert DisciplineDecision.objects.get(decision_no="102-QĐ/ĐUK").seat == seat
    bi.refresh_from_db()
    assert bi.is_current
    reprimand = DisciplineDecision.objects.get(decision_no="45-QĐ/ĐU")
    assert (reprimand.organization.code, reprimand.body, reprimand.target_organization.code) == (
        "A",
        Body.EXECUTIVE,
        "A1",
    )


def test_a_decision_file_imported_again_changes_nothing(cases_imported, people, inspector, snapshot):
    data = decisions_file(*THE_DECISIONS)
    run(data, inspector, DecisionResource)
    before = snapshot()

    result = run(data, inspector, DecisionResource)

    assert result.ok and (result.created, result.changed, result.unchanged) == (0, 0, 4)
    assert snapshot() == before
    assert Movement.objects.filter(kind=Movement.Kind.EXPELLED).count() == 1


def test_one_bad_row_and_nothing_is_written(cases_imported, people, inspector, snapshot):
    rows = [*THE_DECISIONS, decision_row("104-QĐ/ĐUK", "10/06/2025", "Khai trừ", card="79999999")]
    before = snapshot()

    result = run(decisions_file(*rows), inspector, DecisionResource)

    assert errors_of(result) == [
        (
            6,
            "Số thẻ đảng viên đối tượng",
            msg("No member has the Party card number «%(value)s».", value="79999999"),
        )
    ]
    assert not result.committed and snapshot() == before
    chinh = Member.objects.get(pk=people["chinh"].pk)
    assert chinh.is_current and Spell.objects.filter(member=chinh, ends_on__isnull=True).exists()


def test_the_dry_run_lists_every_error_of_the_decisions_by_row_and_column(
    cases_imported, people, inspector, cell_a1, snapshot
):
    rows = [
        decision_row("11", "10/06/2025", "Đình chỉ", card=CHINH),  # 2: not a form
        decision_row("2", "10/06/2025", "Khai trừ", card=CHINH, case="99-QĐ"),  # 3: no such case
        decision_row("3", "10/06/2025", "Cảnh cáo", "A", "Ban Thường vụ", card=BE),  # 4: outside A
        decision_row("4", "10/06/2025", "Giải tán", "A", "Ban Chấp hành", target="A1"),  # 5: A1 has members
        decision_row("5", "10/06/2025", "Khai trừ", cccd=DU_CCCD),  # 6: a probationary member
        decision_row("6", "", "Cảnh cáo", card=BI),  # 7: no date
        decision_row("7", "10/06/2025", "Cảnh cáo", "A1", "Ban Thường vụ", card=CHINH),  # 8: no such body
        decision_row("1", "10/06/2025", "Khiển trách", card=CHINH),  # 9: fine
        decision_row("1", "10/06/2025", "Cảnh cáo", card=CHINH),  # 10: row 9 again
    ]
    before = snapshot()

    result = run(decisions_file(*rows), inspector, DecisionResource, dry_run=True)

    forms = "Khiển trách, Cảnh cáo, Cách chức, Khai trừ, Giải tán"
    assert errors_of(result) == [
        (
            2,
            "Hình thức",
            msg(
                "«%(value)s» is not an accepted value. Accepted values: %(choices)s.",
                value="Đình chỉ",
                choices=forms,
            ),
        ),
        (
            3,
            "Số quyết định kiểm tra",
            msg(
                "No case with the decision number «%(number)s» on this target: import the cases "
                "first, or leave the cell empty.",
                number="99-QĐ",
            ),
        ),
        (
            4,
            "Số thẻ đảng viên đối tượng",
            msg(
                "%(target)s is not under %(organization)s.",
                target="Chi bộ Báo Gia Lai",
                organization="Đảng bộ Sở Tài chính",
            ),
        ),
        (
            5,
            "",
            msg(
                "%(name)s still has %(count)s members: transfer them to another chi bộ first.",
                name=cell_a1.name,
                count=3,
            ),
        ),
        (
            6,
            "",
            msg(
                "%(name)s is a probationary member and cannot be expelled (only reprimanded or warned).",
                name="Phạm Thị Dự",
            ),
        ),
        (7, "Ngày quyết định", msg("This column is required.")),
        (
            8,
            "Cấp quyết định",
            msg(
                "%(organization)s has no %(body)s.",
                organization=cell_a1.name,
                body=str(Body.STANDING.label).lower(),
            ),
        ),
        (10, "Số quyết định", msg("The same decision on the same target is already on row %(row)s.", row=9)),
    ]
    # A row the service refuses has no record whose broken rules would be flagged.
    assert warnings_of(result) == []
    assert snapshot() == before
    # The real run finds the same, and writes nothing either.
    assert errors_of(run(decisions_file(*rows), inspector, DecisionResource)) == errors_of(result)
    assert snapshot() == before


def test_broken_rules_of_decisions_are_flagged_on_their_rows_and_imported(people, inspector, cell_a1, org_a):
    rows = [
        # A chi bộ expelling its member (it gives only khiển trách or cảnh cáo).
        decision_row("04-QĐ/CB", "10/06/2025", "Khai trừ", "A1", "Chi bộ", card=CHINH),
        # The bloc reprimanding chi bộ A1, two levels down (its đảng ủy A decides).
        decision_row("110-QĐ/ĐUK", "11/06/2025", "Khiển trách", target="A1"),
    ]

    result = run(decisions_file(*rows), inspector, DecisionResource)

    assert result.committed and result.created == 2
    assert warnings_of(result) == [
        (
            2,
            "Hình thức",
            msg(
                "A Party cell gives only khiển trách or cảnh cáo (296-QĐ/TW Điều 10); "
                "propose the %(form)s upward.",
                form=str(DisciplineDecision.Form.EXPULSION.label).lower(),
            ),
        ),
        (
            3,
            "Hình thức",
            msg(
                "An organization is disciplined by the committee or the standing committee directly above it "
                "(296-QĐ/TW Điều 11): for %(target)s, that of %(parent)s.",
                target=cell_a1.name,
                parent=org_a.name,
            ),
        ),
    ]
    people["chinh"].refresh_from_db()
    assert people["chinh"].exit_reason == Member.Exit.EXPELLED


def test_an_imported_dissolution_dissolves_the_organization(people, inspector, empty_cell):
    rows = [decision_row("46-QĐ/ĐU", "20/07/2025", "Giải tán", "A", "Ban Chấp hành", target="A9")]

    result = run(decisions_file(*rows), inspector, DecisionResource)

    assert result.committed
    empty_cell.refresh_from_db()
    assert empty_cell.dissolved_on == D(2025, 7, 20)
    assert OrganizationEvent.objects.filter(
        organization=empty_cell, kind=OrganizationEvent.Kind.DISSOLVED
    ).exists()


def test_an_expulsion_the_register_already_has_is_imported_without_a_second_exit(
    people, inspector, staff_user
):
    """The exit was recorded from the member's file before the register of decisions was imported."""
    member_services.expel(member=people["chinh"], on=D(2025, 6, 10), by=staff_user, decision_no="101-QĐ/ĐUK")
    rows = [decision_row("101-QĐ/ĐUK", "10/06/2025", "Khai trừ", card=CHINH)]

    result = run(decisions_file(*rows), inspector, DecisionResource)

    assert result.committed and result.created == 1
    assert Movement.objects.filter(member=people["chinh"], kind=Movement.Kind.EXPELLED).count() == 1
    assert DisciplineDecision.objects.get().target_cell.code == "A1"


def test_the_import_reports_its_progress(cases_imported, people, inspector):
    calls = []

    run(
        decisions_file(*THE_DECISIONS), inspector, DecisionResource, progress=lambda *done: calls.append(done)
    )

    assert calls[0] == (0, 4) and calls[-1] == (4, 4)


# --- Who imports, the command and the page ------------------------------------------------------------------


def test_only_an_inspector_imports_case_work(tmp_path, people, staff_user, client):
    path = tmp_path / "ky-luat.xlsx"
    path.write_bytes(decisions_file(*THE_DECISIONS))

    with pytest.raises(CommandError, match=msg("You are not allowed to import this data.")):
        call_command("import_data", str(path), "--kind", "discipline", "--user", "staff", verbosity=0)

    client.force_login(staff_user)
    assert client.get(reverse("inspections:import")).status_code == 403
    assert client.get(reverse("inspections:import_template", args=["cases"])).status_code == 403
    assert DisciplineDecision.objects.count() == 0


def test_the_command_imports_and_prints_the_warnings(tmp_path, people, inspector):
    path = tmp_path / "kiem-tra.xlsx"
    path.write_bytes(
        cases_file(case_row("7-QĐ/BTG", "03/03/2025", code="A", body="Cơ quan tham mưu", target="A1"))
    )
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "import_data",
        str(path),
        "--kind",
        "cases",
        "--user",
        "inspector",
        stdout=out,
        stderr=err,
        verbosity=0,
    )

    warning = msg(
        "Row %(row)s, column «%(column)s»: %(message)s",
        row=2,
        column="Loại",
        message=msg(
            "Advisory bodies of the committee never conduct an inspection "
            "on signs of violation (296-QĐ/TW Điều 5)."
        ),
    )
    assert err.getvalue().splitlines() == [msg("Warning: %(warning)s", warning=warning)]
    assert Case.objects.get().imported


def test_the_import_page_has_a_tab_per_register(client, inspector):
    client.force_login(inspector)

    cases_page = client.get(reverse("inspections:import"))
    decisions_page = client.get(reverse("inspections:import"), {"kind": "discipline"})

    assert cases_page.context["title"] == msg("Import inspection and supervision cases")
    assert decisions_page.context["title"] == msg("Import discipline decisions")
    assert [tab["current"] for tab in decisions_page.context["tabs"]] == [False, True]
    assert [tab["url"] for tab in cases_page.context["tabs"]] == [
        f"{reverse('inspections:import')}?kind=cases",
        f"{reverse('inspections:import')}?kind=discipline",
    ]
    urls = decisions_page.context["urls"]
    assert urls["import_template"] == reverse("inspections:import_template", args=["discipline"])
    assert urls["list"] == reverse("inspections:decisions")
    assert client.get(reverse("inspections:import"), {"kind": "meetings"}).status_code == 404


def upload(client, kind: str, data: bytes):
    """Upload on the page of ``kind``: the job's page after its dry run."""
    with import_page.tasks_run():
        response = client.post(
            f"{reverse('inspections:import')}?kind={kind}", {"file": SimpleUploadedFile("so.xlsx", data)}
        )
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"])


def test_the_page_checks_then_imports_a_file_of_decisions(client, inspector, cases_imported, people):
    client.force_login(inspector)

    response = upload(client, "discipline", decisions_file(*THE_DECISIONS))

    assert response.context["result"].ok and response.context["result"].created == 4
    assert DisciplineDecision.objects.count() == 0
    response = import_page.confirm(client, response.context["job"])
    assert response.context["job"].status == "done"
    assert DisciplineDecision.objects.count() == 4
    people["chinh"].refresh_from_db()
    assert people["chinh"].exit_reason == Member.Exit.EXPELLED


def test_the_page_lists_the_broken_rules_with_their_rows(client, inspector, people):
    client.force_login(inspector)
    rows = [case_row("7-QĐ/BTG", "03/03/2025", code="A", body="Cơ quan tham mưu", target="A1")]

    response = upload(client, "cases", cases_file(*rows))

    assert warnings_of(response.context["result"]) == [
        (
            2,
            "Loại",
            msg(
                "Advisory bodies of the committee never conduct an inspection "
                "on signs of violation (296-QĐ/TW Điều 5)."
            ),
        )
    ]
    assert 'id="import-warnings"' in response.content.decode()
    assert response.context["job"].can_confirm  # a broken rule refuses nothing
    response = import_page.confirm(client, response.context["job"])
    assert response.context["job"].status == "done" and 'id="import-warnings"' in response.content.decode()


def test_the_templates_have_the_header_rows_and_examples(client, inspector):
    client.force_login(inspector)

    for kind, header, name in (
        ("cases", CASE_HEADER, "mau-nhap-kiem-tra-giam-sat"),
        ("discipline", DECISION_HEADER, "mau-nhap-ky-luat-dang"),
    ):
        url = reverse("inspections:import_template", args=[kind])
        xlsx_response = client.get(url)
        csv_response = client.get(url, {"format": "csv"})

        rows = list(
            openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).active.iter_rows(values_only=True)
        )
        assert list(rows[0]) == header and len(rows) == 4
        assert xlsx_response["Content-Disposition"] == f'attachment; filename="{name}.xlsx"'
        assert list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))[0] == header
    assert client.get(reverse("inspections:import_template", args=["meetings"])).status_code == 404


def test_the_format_is_recognised_from_the_header_row():
    assert imports.resource_for_header(CASE_HEADER) is CaseResource
    assert imports.resource_for_header(DECISION_HEADER) is DecisionResource
