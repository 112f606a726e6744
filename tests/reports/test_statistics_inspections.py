"""The inspection, discipline and letter sections of statistics(), against a year (2025) of case work
counted by hand. The story, all through the services (``year`` below):

- the Ban Thường vụ of the bloc inspects đảng bộ A (the performance of its inspection duties, 10/3) and
  its Party finances (1/10), and supervises the bí thư of đảng ủy A (15/4);
- the bloc's UBKT inspects chi bộ cơ sở B on signs of violation (5/5, violation warranting discipline
  on 1/7), and member m1 of A1 (1/8, violation on 15/9), and settles a denunciation of m1 (20/2,
  no violation on 25/3); it opens one more case on B in January 2026, outside the year;
- the UBKT of đảng ủy A inspects chi bộ A1 on signs of violation (2/6), and concludes on 20/1/2025 a
  case on m3 opened in November 2024 (a violation not warranting discipline);
- chi bộ B supervises its member m4 (10/11, no violation on 1/12);
- the Ban Thường vụ of the bloc, directly above B, gives B a khiển trách (20/7); the bloc's UBKT
  expels m1 (30/9) and gives m2 a cảnh cáo (1/3) annulled on appeal (20/4); chi bộ A1 gives m3 a
  khiển trách (20/5); the bloc gives m4 a cảnh cáo in February 2026, outside the year;
- letters: the bloc receives L1 (10/2, resolved 1/4 through its case), L2 (20/11, open, due in
  2026), L3 (1/8, open, due 30/10); đảng bộ A receives L4 (1/9, due 31/10, resolved only on
  10/1/2026); chi bộ B receives L8 (anonymous, 10/6, filed 20/6). From 2024: L6 at the bloc
  (resolved 15/1/2025) and L5 at B (forwarded 5/1/2025). L7 comes to the bloc in 2026.

The figures count each record where its acting (conducting, deciding, receiving) organization stood
on its day.
"""

import datetime
import json

import pytest
from django.core.management import call_command

from blocportal.periods import Period
from inspections.models import Body, Case, Complaint, DisciplineDecision
from inspections.services import cases, complaints, discipline
from members.services import committees
from reports.statistics import CASE_KINDS, compute, statistics
from tests.factories import MemberFactory

D = datetime.date
PERIOD = "2025"

Kind = Case.Kind
Conclusion = Case.Conclusion
Form = DisciplineDecision.Form

pytestmark = pytest.mark.django_db


def _member(cell, by, name):
    return MemberFactory(
        organization=cell,
        full_name=name,
        admitted_on=D(2015, 3, 1),
        ceremony_on=D(2015, 3, 15),
        official=True,
        by=by,
    )


@pytest.fixture
def year(bloc, org_a, cell_a1, org_b, inspector_user):
    """The year 2025 of the module's docstring."""
    by = inspector_user
    secretary = _member(cell_a1, by, "Trần Thị Bí Thư")
    m1 = _member(cell_a1, by, "Lê Văn Một")
    m2 = _member(org_b, by, "Phạm Văn Hai")
    m3 = _member(cell_a1, by, "Đỗ Thị Ba")
    m4 = _member(org_b, by, "Vũ Văn Bốn")
    term = committees.create_term(
        organization=org_a, label="2025-2030", starts_on=D(2025, 1, 10), ends_on=D(2030, 1, 10), by=by
    )
    committees.appoint(term=term, member=secretary, position="bi_thu", starts_on=D(2025, 1, 10), by=by)

    def case(organization, body, kind, number, opened_on, **target):
        return cases.open_case(
            organization=organization,
            body=body,
            kind=kind,
            decision_no=number,
            opened_on=opened_on,
            by=by,
            **target,
        )

    def conclude(found, conclusion, on):
        return cases.conclude_case(
            case=found, conclusion=conclusion, closed_on=on, findings="Nhận xét của đoàn kiểm tra", by=by
        )

    def letter(organization, kind, received_on, **extra):
        extra.setdefault("sender", "Người gửi")
        if extra.get("anonymous"):
            extra["sender"] = ""
        return complaints.receive_complaint(
            organization=organization,
            kind=kind,
            received_on=received_on,
            summary="Nội dung đơn",
            by=by,
            **extra,
        )

    # Letters received before or outside the year.
    l6 = letter(bloc, Complaint.Kind.REPORT, D(2024, 10, 1))
    complaints.resolve_complaint(complaint=l6, on=D(2025, 1, 15), result="Đã trả lời", by=by)
    l5 = letter(org_b, Complaint.Kind.REPORT, D(2024, 12, 15))
    complaints.forward_complaint(
        complaint=l5, on=D(2025, 1, 5), forwarded_to="Ủy ban Kiểm tra Tỉnh ủy", by=by
    )
    letter(bloc, Complaint.Kind.COMPLAINT, D(2026, 3, 1))  # L7

    c0 = case(
        org_a, Body.COMMISSION, Kind.SIGNS_OF_VIOLATION, "01-QĐ/UBKT", D(2024, 11, 20), target_member=m3
    )
    conclude(c0, Conclusion.MINOR, D(2025, 1, 20))

    l1 = letter(bloc, Complaint.Kind.DENUNCIATION, D(2025, 2, 10), subject_member=m1)
    c9 = cases.open_case(
        organization=bloc,
        body=Body.COMMISSION,
        kind=Kind.DENUNCIATION,
        decision_no="02-QĐ/UBKTĐUK",
        opened_on=D(2025, 2, 20),
        complaint=l1,
        by=by,
    )
    conclude(c9, Conclusion.NO_VIOLATION, D(2025, 3, 25))
    complaints.resolve_complaint(complaint=l1, on=D(2025, 4, 1), result="Tố cáo không đúng", by=by)

    case(bloc, Body.STANDING, Kind.INSPECTION_DUTIES, "10-QĐ/ĐUK", D(2025, 3, 10), target_organization=org_a)
    case(bloc, Body.STANDING, Kind.THEMATIC_SUPERVISION, "11-QĐ/ĐUK", D(2025, 4, 15), target_member=secretary)
    c3 = case(
        bloc,
        Body.COMMISSION,
        Kind.SIGNS_OF_VIOLATION,
        "03-QĐ/UBKTĐUK",
        D(2025, 5, 5),
        target_organization=org_b,
    )
    conclude(c3, Conclusion.DISCIPLINE, D(2025, 7, 1))
    case(
        org_a,
        Body.COMMISSION,
        Kind.SIGNS_OF_VIOLATION,
        "02-QĐ/UBKT",
        D(2025, 6, 2),
        target_organization=cell_a1,
    )
    c5 = case(
        bloc, Body.COMMISSION, Kind.SIGNS_OF_VIOLATION, "04-QĐ/UBKTĐUK", D(2025, 8, 1), target_member=m1
    )
    conclude(c5, Conclusion.DISCIPLINE, D(2025, 9, 15))
    case(bloc, Body.STANDING, Kind.FINANCE, "12-QĐ/ĐUK", D(2025, 10, 1), target_organization=org_a)
    c7 = case(org_b, Body.CELL, Kind.REGULAR_SUPERVISION, "01-QĐ/CB", D(2025, 11, 10), target_member=m4)
    conclude(c7, Conclusion.NO_VIOLATION, D(2025, 12, 1))
    case(
        bloc,
        Body.COMMISSION,
        Kind.SIGNS_OF_VIOLATION,
        "01-QĐ/UBKTĐUK",
        D(2026, 1, 15),
        target_organization=org_b,
    )

    def decide(organization, body, number, on, form, **target):
        if "target_member" in target:
            target.setdefault("heard_on", on - datetime.timedelta(days=5))
        return discipline.decide(
            organization=organization,
            body=body,
            decision_no=number,
            decided_on=on,
            form=form,
            by=by,
            **target,
        )

    warning = decide(bloc, Body.COMMISSION, "05-QĐ/UBKTĐUK", D(2025, 3, 1), Form.WARNING, target_member=m2)
    appeal = discipline.file_appeal(
        decision=warning,
        organization=bloc,
        decision_received_on=D(2025, 3, 5),
        filed_on=D(2025, 3, 10),
        by=by,
    )
    discipline.settle_appeal(
        appeal=appeal, outcome="xoa_bo", settled_on=D(2025, 4, 20), settlement_no="20-QĐ/ĐUK", by=by
    )
    decide(cell_a1, Body.CELL, "01-QĐ/CB", D(2025, 5, 20), Form.REPRIMAND, target_member=m3)
    decide(
        bloc, Body.STANDING, "15-QĐ/ĐUK", D(2025, 7, 20), Form.REPRIMAND, target_organization=org_b, case=c3
    )
    decide(bloc, Body.COMMISSION, "06-QĐ/UBKTĐUK", D(2025, 9, 30), Form.EXPULSION, target_member=m1, case=c5)
    decide(bloc, Body.COMMISSION, "01-QĐ/UBKTĐUK", D(2026, 2, 1), Form.WARNING, target_member=m4)

    letter(bloc, Complaint.Kind.COMPLAINT, D(2025, 11, 20))  # L2
    letter(bloc, Complaint.Kind.REPORT, D(2025, 8, 1))  # L3
    l4 = letter(org_a, Complaint.Kind.DENUNCIATION, D(2025, 9, 1), subject_member=m3)
    complaints.resolve_complaint(complaint=l4, on=D(2026, 1, 10), result="Đã giải quyết", by=by)
    l8 = letter(org_b, Complaint.Kind.DENUNCIATION, D(2025, 6, 10), anonymous=True, subject_member=m4)
    complaints.file_complaint(complaint=l8, on=D(2025, 6, 20), result="Không có nội dung cụ thể", by=by)
    return {"secretary": secretary, "members": (m1, m2, m3, m4)}


# The figures counted by hand from the story.

BLOC = {
    "inspections": {
        # c9 (20/2), 10/3, 15/4, c3 (5/5), A's case on A1 (2/6), c5 (1/8), 1/10, c7 (10/11); not c0
        # (opened in 2024) nor the case of January 2026.
        "cases": 8,
        "by_kind": {
            "dau_hieu_vi_pham": 3,  # B, A1 (by đảng ủy A), m1
            "thuc_hien_nhiem_vu_ktgs": 1,
            "tai_chinh_dang": 1,
            "giam_sat_thuong_xuyen": 1,  # chi bộ B on m4
            "giam_sat_chuyen_de": 1,  # the bí thư of đảng ủy A
            "giai_quyet_to_cao": 1,  # L1's case
            "giai_quyet_khieu_nai": 0,
        },
        # A (twice: its duties and its finances, counted once), B and A1.
        "organizations_covered": 3,
        # A (đảng bộ cơ sở) and B (chi bộ cơ sở); A1 is a chi bộ trực thuộc.
        "grassroots_covered": 2,
        # The bí thư, m1 (twice: the denunciation and the inspection, counted once) and m4.
        "members_covered": 3,
        # The bí thư of đảng ủy A, a bí thư on the day of the supervision.
        "secretaries_covered": 1,
        # Concluded in 2025 with a violation: c0 (20/1, opened in 2024), c3 (1/7) and c5 (15/9);
        # c9 and c7 found none.
        "violations_found": 3,
    },
    "discipline": {
        "organizations": 1,  # B, khiển trách by the Ban Thường vụ of the bloc directly above it
        "organizations_by_form": {"khien_trach": 1, "canh_cao": 0, "giai_tan": 0},
        # m1 expelled and m3 reprimanded by chi bộ A1; m2's cảnh cáo was annulled on appeal, m4's is
        # of 2026.
        "members": 2,
        "members_by_form": {"khien_trach": 1, "canh_cao": 0, "cach_chuc": 0, "khai_tru": 1},
    },
    "complaints": {
        "received": 5,  # L1, L2, L3, L4, L8 (not L5 and L6 of 2024, nor L7 of 2026)
        "resolved": 2,  # L6 (15/1) and L1 (1/4); L5 was forwarded, L8 filed, L4 resolved in 2026
        "pending": 3,  # on 31/12/2025: L2, L3 and L4
        "overdue": 2,  # L3 (due 30/10) and L4 (due 31/10); L2 is due in February 2026
    },
}

ORG_A = {
    "inspections": {
        # Only what a body of đảng bộ A (or of a chi bộ under it) conducted: the inspection of A1. The
        # bloc's cases on A and on A's members are the bloc's.
        "cases": 1,
        "by_kind": {kind: 1 if kind == "dau_hieu_vi_pham" else 0 for kind in CASE_KINDS},
        "organizations_covered": 1,  # A1
        "grassroots_covered": 0,
        "members_covered": 0,
        "secretaries_covered": 0,
        "violations_found": 1,  # c0 on m3, concluded on 20/1/2025
    },
    "discipline": {
        "organizations": 0,
        "organizations_by_form": {"khien_trach": 0, "canh_cao": 0, "giai_tan": 0},
        "members": 1,  # m3, khiển trách by chi bộ A1
        "members_by_form": {"khien_trach": 1, "canh_cao": 0, "cach_chuc": 0, "khai_tru": 0},
    },
    "complaints": {
        "received": 1,  # L4
        "resolved": 0,  # L4 was resolved in 2026
        "pending": 1,  # L4 on 31/12/2025
        "overdue": 1,  # L4, due on 31/10/2025
    },
}

SECTIONS = ("inspections", "discipline", "complaints")


def test_the_bloc_figures_are_the_hand_counted_ones(bloc, year):
    figures = statistics(bloc, PERIOD)

    assert {section: figures[section] for section in SECTIONS} == BLOC


def test_a_grassroots_node_counts_what_its_own_bodies_did(org_a, year):
    figures = statistics(org_a, PERIOD)

    assert {section: figures[section] for section in SECTIONS} == ORG_A


def test_compute_gives_the_same_figures_as_the_cached_service(bloc, org_a, year):
    period = Period.parse(PERIOD)
    for node, expected in ((bloc, BLOC), (org_a, ORG_A)):
        figures = compute(node, period, as_of=period.end)
        assert {section: figures[section] for section in SECTIONS} == expected


def test_chi_bo_b_counts_its_own_supervision_and_letters(org_b, year):
    figures = statistics(org_b, PERIOD)

    assert figures["inspections"]["cases"] == 1  # its supervision of m4
    assert figures["inspections"]["members_covered"] == 1
    assert figures["inspections"]["violations_found"] == 0
    assert figures["discipline"]["members"] == 0  # the bloc disciplined B, B disciplined nobody
    # L8 received and filed; L5 (2024) forwarded in January.
    assert figures["complaints"] == {"received": 1, "resolved": 0, "pending": 0, "overdue": 0}


def test_the_next_year_counts_its_own_records(bloc, year):
    figures = statistics(bloc, "2026")

    assert figures["inspections"]["cases"] == 1  # the case on B of January 2026
    assert figures["discipline"]["members_by_form"]["canh_cao"] == 1  # m4's
    # L7 received (1/3/2026, due 30/5); L4 resolved on 10/1/2026; L2, L3 and L7 still waiting, all
    # past their deadline.
    assert figures["complaints"] == {"received": 1, "resolved": 1, "pending": 3, "overdue": 3}


def test_every_kind_and_form_is_a_key_even_at_zero(org_b):
    figures = statistics(org_b, "2024-Q1")

    assert set(figures["inspections"]["by_kind"]) == set(Kind.values)
    assert len(Kind.values) == 7
    assert set(figures["discipline"]["organizations_by_form"]) == {"khien_trach", "canh_cao", "giai_tan"}
    assert set(figures["discipline"]["members_by_form"]) == {
        "khien_trach",
        "canh_cao",
        "cach_chuc",
        "khai_tru",
    }
    assert figures["inspections"]["cases"] == 0 and figures["complaints"]["pending"] == 0


def test_an_annulment_on_appeal_changes_the_figures_at_once(bloc, year, inspector_user):
    before = statistics(bloc, PERIOD)["discipline"]
    expelled = DisciplineDecision.objects.get(decision_no="06-QĐ/UBKTĐUK")
    appeal = discipline.file_appeal(
        decision=expelled,
        organization=bloc,
        decision_received_on=D(2025, 10, 2),
        filed_on=D(2025, 10, 20),
        by=inspector_user,
    )
    discipline.settle_appeal(
        appeal=appeal, outcome="thay_doi", new_form=Form.WARNING, settled_on=D(2025, 12, 1), by=inspector_user
    )

    after = statistics(bloc, PERIOD)["discipline"]
    assert before["members_by_form"]["khai_tru"] == 1
    # Counted by its form now: a cảnh cáo.
    assert (after["members"], after["members_by_form"]["khai_tru"], after["members_by_form"]["canh_cao"]) == (
        2,
        0,
        1,
    )


def test_a_new_letter_changes_the_figures_at_once(org_a, year, inspector_user):
    assert statistics(org_a, PERIOD)["complaints"]["received"] == 1
    complaints.receive_complaint(
        organization=org_a,
        kind=Complaint.Kind.REPORT,
        received_on=D(2025, 12, 20),
        summary="Phản ánh",
        sender="Người gửi",
        by=inspector_user,
    )

    after = statistics(org_a, PERIOD)["complaints"]
    assert (after["received"], after["pending"], after["overdue"]) == (2, 2, 1)


def test_a_decision_of_a_cell_moved_later_counts_where_the_cell_was(bloc, org_a, cell_a1, year, system_user):
    from organizations import services as org_services
    from tests.factories import OrganizationFactory

    org_d = OrganizationFactory(code="D", name="Đảng bộ Sở Xây dựng", kind="dang_bo_co_so", parent=bloc)
    # Chi bộ A1 (which disciplined m3 in May 2025) moves to D in 2026.
    org_services.move_organization(organization=cell_a1, new_parent=org_d, on=D(2026, 3, 1), by=system_user)

    assert statistics(org_a, PERIOD)["discipline"]["members"] == 1
    assert statistics(org_d, PERIOD)["discipline"]["members"] == 0


def test_the_text_command_prints_the_new_keys(bloc, year, capsys):
    call_command("statistics", "--org", "DUK", "--period", PERIOD, "--format", "text")
    lines = dict(line.split("\t") for line in capsys.readouterr().out.splitlines()[1:])

    assert lines["inspections.cases"] == "8"
    assert lines["inspections.by_kind.dau_hieu_vi_pham"] == "3"
    assert lines["inspections.secretaries_covered"] == "1"
    assert lines["discipline.organizations_by_form.khien_trach"] == "1"
    assert lines["discipline.members_by_form.khai_tru"] == "1"
    assert lines["complaints.overdue"] == "2"


def test_the_xlsx_annex_has_every_case_work_figure(bloc, year, tmp_path):
    from openpyxl import load_workbook

    output = tmp_path / "phu-luc.xlsx"
    call_command(
        "statistics", "--org", "DUK", "--period", PERIOD, "--format", "xlsx", "--output", str(output)
    )

    # The case work's sheet (the ratings' follows it): the one whose first key is the cases'.
    sheet = next(ws for ws in load_workbook(output).worksheets if ws["B2"].value == "inspections.cases")
    rows = {key: count for _label, key, count in sheet.iter_rows(min_row=2, values_only=True)}
    # One row per key of docs/statistics.md, every kind and form included, with the hand-counted values.
    expected = {
        f"{section}.{name}.{item}" if isinstance(value, dict) else f"{section}.{name}": count
        for section in SECTIONS
        for name, value in BLOC[section].items()
        for item, count in (value.items() if isinstance(value, dict) else [(None, value)])
    }
    assert rows == expected


def test_the_figures_name_nobody(bloc, year):
    text = json.dumps(statistics(bloc, PERIOD), ensure_ascii=False)

    for member in (year["secretary"], *year["members"]):
        assert member.full_name not in text
    assert "Nhận xét của đoàn kiểm tra" not in text and "Người gửi" not in text


def test_the_case_work_costs_six_grouped_queries_however_many_cases(
    bloc, org_a, cell_a1, year, inspector_user, django_assert_num_queries
):
    # As tests/reports/test_statistics.py: 15, then the cases opened, the violations concluded, the
    # decisions, the letters received, settled and waiting; then the 3 of the ratings and emulation.
    with django_assert_num_queries(24):
        statistics(bloc, PERIOD)
    for day in range(1, 11):
        cases.open_case(
            organization=org_a,
            body=Body.COMMISSION,
            kind=Kind.FINANCE,
            decision_no=f"{day}-QĐ/KT",
            opened_on=D(2025, 11, day),
            target_organization=cell_a1,
            by=inspector_user,
        )

    with django_assert_num_queries(24):
        assert statistics(bloc, PERIOD)["inspections"]["cases"] == 18
