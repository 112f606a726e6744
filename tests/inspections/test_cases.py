"""Cases (``inspections.services.cases``): who may conduct what (DOMAIN.md §5, rule
``inspection.bodies_by_kind``), on exactly one target within the acting organization's reach, the
target's post on the case date kept; a refused case writes nothing.

The people are those of tests/inspections/conftest.py; the Ủy ban Kiểm tra of the bloc acts on
03/03/2025 unless a test says otherwise.
"""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS

from blocportal import clock
from blocportal.dates import format_day
from inspections.models import Body, Case
from inspections.services import cases
from members.models import CommitteeSeat
from tests.import_page import msg

D = datetime.date
Kind = Case.Kind
OPENED = D(2025, 3, 3)
STAFF_NEVER = (
    "Advisory bodies of the committee never conduct an inspection on signs of violation (296-QĐ/TW Điều 5)."
)


@pytest.fixture
def open_case(bloc, inspector):
    def call(**values):
        values.setdefault("organization", bloc)
        values.setdefault("body", Body.COMMISSION)
        values.setdefault("kind", Kind.SIGNS_OF_VIOLATION)
        values.setdefault("decision_no", "12-QĐ/UBKTĐUK")
        values.setdefault("opened_on", OPENED)
        return cases.open_case(by=inspector, **values)

    return call


def test_an_advisory_body_never_inspects_on_signs_of_violation(open_case, org_a, unchanged, refusal):
    errors = refusal(open_case, body=Body.STAFF, target_organization=org_a)

    assert errors == {"kind": [msg(STAFF_NEVER)]}


def test_an_advisory_body_supervises(open_case, org_a):
    case = open_case(body=Body.STAFF, kind=Kind.THEMATIC_SUPERVISION, target_organization=org_a)

    assert (case.body, case.kind, case.target_organization) == (Body.STAFF, "giam_sat_chuyen_de", org_a)
    assert cases.case_problems(case) == []


def test_a_party_cell_does_not_inspect_party_finances(
    open_case, cell_a1, official_member, unchanged, refusal
):
    errors = refusal(
        open_case, organization=cell_a1, body=Body.CELL, kind=Kind.FINANCE, target_member=official_member
    )

    assert errors == {
        "kind": [
            msg(
                "%(body)s does not conduct a %(kind)s.",
                body=cell_a1.name,
                kind=str(Kind.FINANCE.label).lower(),
            )
        ]
    }


def test_an_organization_has_only_its_own_bodies(open_case, org_b, member_of_b, unchanged, refusal):
    errors = refusal(open_case, organization=org_b, body=Body.STANDING, target_member=member_of_b)

    assert list(errors) == ["body"]


def test_a_case_has_exactly_one_target(open_case, org_a, official_member, unchanged, refusal):
    both = refusal(open_case, target_organization=org_a, target_member=official_member)
    none = refusal(open_case)

    expected = [msg("Choose exactly one target: an organization or a Party member.")]
    assert both == {NON_FIELD_ERRORS: expected} and none == {NON_FIELD_ERRORS: expected}


def test_a_member_outside_the_acting_organization_is_refused(
    open_case, org_a, member_of_b, unchanged, refusal
):
    errors = refusal(open_case, organization=org_a, target_member=member_of_b)

    assert errors == {
        "target_member": [
            msg(
                "%(target)s is not under %(organization)s.",
                target="Chi bộ Báo Gia Lai",
                organization=org_a.name,
            )
        ]
    }


def test_an_organization_inspects_the_organizations_under_it_not_itself(
    open_case, org_a, org_b, unchanged, refusal
):
    other = refusal(open_case, organization=org_a, target_organization=org_b)
    itself = refusal(open_case, organization=org_a, target_organization=org_a)

    assert list(other) == ["target_organization"] and list(itself) == ["target_organization"]


def test_a_case_cannot_be_dated_in_the_future(open_case, org_a, unchanged, refusal):
    tomorrow = clock.today() + datetime.timedelta(days=1)

    errors = refusal(open_case, target_organization=org_a, opened_on=tomorrow)

    assert errors == {"opened_on": [msg("The date %(date)s is in the future.", date=format_day(tomorrow))]}


def test_a_member_not_yet_on_the_register_that_day_is_refused(
    open_case, probationary_member, unchanged, refusal
):
    errors = refusal(open_case, target_member=probationary_member, opened_on=D(2024, 12, 1))

    assert list(errors) == ["target_member"]


def test_a_case_on_a_secretary_keeps_the_post_held_that_day(open_case, secretary_of_a, org_a, cell_a1):
    case = open_case(target_member=secretary_of_a, opened_on=D(2025, 3, 3))
    before_the_term = open_case(target_member=secretary_of_a, opened_on=D(2025, 1, 10), decision_no="2")

    assert (case.target_cell, case.target_position, case.target_position_organization) == (
        cell_a1,
        CommitteeSeat.Position.SECRETARY,
        org_a,
    )
    assert (before_the_term.target_position, before_the_term.target_position_organization) == ("", None)


def test_a_decision_opens_one_case_per_target(open_case, org_a, unchanged_after_first, refusal):
    errors = refusal(open_case, target_organization=org_a)

    assert errors == {"decision_no": [msg("This decision already has a case on that target.")]}


@pytest.fixture
def unchanged_after_first(open_case, org_a, snapshot):
    open_case(target_organization=org_a)
    before = snapshot()
    yield
    assert snapshot() == before


# --- The conclusion -------------------------------------------------------------------------------


def test_a_violation_found_is_described(open_case, org_a, inspector, refusal):
    case = open_case(target_organization=org_a)

    errors = refusal(
        cases.conclude_case,
        case=case,
        conclusion=Case.Conclusion.MINOR,
        closed_on=D(2025, 5, 1),
        by=inspector,
    )
    concluded = cases.conclude_case(
        case=case,
        conclusion=Case.Conclusion.MINOR,
        closed_on=D(2025, 5, 1),
        findings="Chưa thực hiện đúng quy chế làm việc.",
        by=inspector,
    )

    assert list(errors) == ["findings"]
    assert (concluded.stage, concluded.found_violation) == (Case.Stage.CONCLUDED, True)


def test_a_case_is_not_concluded_before_its_decision(open_case, org_a, inspector, refusal):
    case = open_case(target_organization=org_a)

    errors = refusal(
        cases.conclude_case,
        case=case,
        conclusion=Case.Conclusion.NO_VIOLATION,
        closed_on=D(2025, 3, 2),
        by=inspector,
    )

    assert list(errors) == ["closed_on"]
    case.refresh_from_db()
    assert case.closed_on is None and case.conclusion == ""


# --- Imported cases: recorded as decided, the broken rules flagged ------------------------------------


def test_an_imported_case_is_recorded_as_decided_with_its_broken_rule_flagged(open_case, org_a):
    case = open_case(
        body=Body.STAFF,
        target_organization=org_a,
        imported=True,
        closed_on=D(2025, 4, 30),
        conclusion=Case.Conclusion.DISCIPLINE,
    )

    assert case.imported and case.stage == Case.Stage.CONCLUDED and case.findings == ""
    assert cases.case_problems(case) == [msg(STAFF_NEVER)]
