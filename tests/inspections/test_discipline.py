"""Discipline decisions (``inspections.services.discipline.decide``): the rules of DOMAIN.md §5 are
refusals, and a refused decision changes nothing at all; the effects are made in the same transaction
through the members and organizations services.

The people are those of tests/inspections/conftest.py; the Ban Thường vụ of the bloc decides unless a
test says otherwise, on 10/06/2025, the member having been heard on 01/06/2025.
"""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS

from blocportal import clock
from blocportal.dates import format_day
from inspections.models import Body, DisciplineDecision
from inspections.services import discipline
from members.models import CommitteeSeat, Member, Movement, Spell
from organizations.models import Organization, OrganizationEvent
from tests.factories import OrganizationFactory
from tests.import_page import msg

D = datetime.date
Form = DisciplineDecision.Form
DECIDED = D(2025, 6, 10)
HEARD = D(2025, 6, 1)

PROBATIONARY = "%(name)s is a probationary member: only khiển trách or cảnh cáo (69-QĐ/TW Điều 7)."
CELL_FORMS = (
    "A Party cell gives only khiển trách or cảnh cáo (296-QĐ/TW Điều 10); propose the %(form)s upward."
)
NO_POST = "%(name)s held no post on %(date)s: cách chức is only for someone holding a post."
CIRCUMSTANCE = (
    "No discipline while the member is %(circumstance)s (296-QĐ/TW Điều 8), unless the reason "
    "for deciding now is recorded."
)
LIMITATION = (
    "The limitation period of %(years)s years for %(form)s ended on %(date)s (violation of "
    "%(violation)s): the violation can no longer be disciplined by that form."
)
DIRECTLY_ABOVE = (
    "An organization is disciplined by the committee or the standing committee directly above it "
    "(296-QĐ/TW Điều 11): for %(target)s, that of %(parent)s."
)
NOT_UNDER = "%(target)s is not under %(organization)s."


@pytest.fixture
def decide(bloc, inspector):
    """``discipline.decide`` by the Ban Thường vụ of the bloc on 10/06/2025 unless told otherwise."""

    def call(**values):
        values.setdefault("organization", bloc)
        values.setdefault("body", Body.STANDING)
        values.setdefault("decision_no", "101-QĐ/ĐUK")
        values.setdefault("decided_on", DECIDED)
        if values.get("target_member") is not None:
            values.setdefault("heard_on", HEARD)
        return discipline.decide(by=inspector, **values)

    return call


# --- Refusals: who may get which form ---------------------------------------------------------------


@pytest.mark.parametrize("form", [Form.EXPULSION, Form.DISMISSAL])
def test_a_probationary_member_gets_only_a_reprimand_or_a_warning(
    decide, probationary_member, unchanged, form, refusal, still_member
):
    errors = refusal(decide, target_member=probationary_member, form=form)

    assert msg(PROBATIONARY, name="Phạm Thị Dự") in errors["form"]
    still_member(probationary_member)


def test_a_probationary_member_may_be_warned(decide, probationary_member, still_member):
    decision = decide(target_member=probationary_member, form=Form.WARNING)

    assert decision.form == Form.WARNING and decision.target_cell.code == "A1"
    still_member(probationary_member)


def test_a_party_cell_gives_only_a_reprimand_or_a_warning(
    decide, cell_a1, official_member, unchanged, refusal, still_member
):
    errors = refusal(
        decide, organization=cell_a1, body=Body.CELL, target_member=official_member, form=Form.EXPULSION
    )

    assert errors == {"form": [msg(CELL_FORMS, form=str(Form.EXPULSION.label).lower())]}
    still_member(official_member)


def test_a_party_cell_cannot_dismiss_its_member_from_a_post(
    decide, cell_a1, secretary_of_a, seat_of, unchanged, refusal, still_member
):
    errors = refusal(
        decide, organization=cell_a1, body=Body.CELL, target_member=secretary_of_a, form=Form.DISMISSAL
    )

    assert errors == {"form": [msg(CELL_FORMS, form=str(Form.DISMISSAL.label).lower())]}
    assert seat_of(secretary_of_a).ends_on is None
    still_member(secretary_of_a)


def test_a_party_cell_warns_its_own_member(decide, cell_a1, official_member):
    decision = decide(organization=cell_a1, body=Body.CELL, target_member=official_member, form=Form.WARNING)

    assert (decision.body, decision.organization, decision.form) == (Body.CELL, cell_a1, Form.WARNING)


def test_a_party_cell_disciplines_only_its_own_members(decide, cell_a2, official_member, unchanged, refusal):
    errors = refusal(
        decide, organization=cell_a2, body=Body.CELL, target_member=official_member, form=Form.REPRIMAND
    )

    assert list(errors) == ["target_member"]


def test_dismissal_is_only_for_someone_holding_a_post(
    decide, official_member, unchanged, refusal, still_member
):
    errors = refusal(decide, target_member=official_member, form=Form.DISMISSAL)

    assert errors == {"form": [msg(NO_POST, name="Trần Văn Chính", date=format_day(DECIDED))]}
    still_member(official_member)


@pytest.mark.parametrize("circumstance", DisciplineDecision.Circumstance.values)
def test_no_discipline_while_pregnant_nursing_or_ill_without_a_reason(
    decide, official_member, unchanged, circumstance, refusal, still_member
):
    errors = refusal(decide, target_member=official_member, form=Form.WARNING, circumstance=circumstance)

    label = str(DisciplineDecision.Circumstance(circumstance).label).lower()
    assert errors == {"form": [msg(CIRCUMSTANCE, circumstance=label)]}
    still_member(official_member)


def test_a_decision_despite_the_circumstance_records_why(decide, official_member):
    decision = decide(
        target_member=official_member,
        form=Form.WARNING,
        circumstance=DisciplineDecision.Circumstance.NURSING,
        override_reason="Vi phạm nghiêm trọng, cần xử lý ngay theo chỉ đạo của cấp trên.",
    )

    assert decision.circumstance == "nuoi_con_nho" and decision.override_reason.startswith("Vi phạm")


# --- Refusals: the limitation period (rule discipline.limitation_years) -----------------------------------


def test_a_reprimand_after_five_years_is_out_of_time(decide, official_member, unchanged, refusal):
    errors = refusal(decide, target_member=official_member, form=Form.REPRIMAND, violation_on=D(2020, 6, 9))

    assert errors == {
        "form": [
            msg(
                LIMITATION,
                years=5,
                form=str(Form.REPRIMAND.label).lower(),
                date="09/06/2025",
                violation="09/06/2020",
            )
        ]
    }


def test_the_limitation_period_counts_to_the_day(decide, official_member):
    """Five years from 10/06/2020 end on 10/06/2025: a reprimand that day is in time; a warning
    (ten years) of the violation of 2020 too."""
    decide(target_member=official_member, form=Form.REPRIMAND, violation_on=D(2020, 6, 10))
    decide(target_member=official_member, form=Form.WARNING, violation_on=D(2016, 1, 1), decision_no="102")

    assert DisciplineDecision.objects.count() == 2


def test_the_limitation_period_is_a_parameter(decide, official_member, unchanged, refusal):
    from blocportal.models import RuleValue

    rule = RuleValue.objects.get(name="discipline.limitation_years")
    rule.value = {**rule.value, "canh_cao": 3}
    rule.save()

    errors = refusal(decide, target_member=official_member, form=Form.WARNING, violation_on=D(2021, 1, 1))

    assert list(errors) == ["form"] and "3" in errors["form"][0]


def test_an_expulsion_has_no_limitation_period(decide, official_member):
    decision = decide(target_member=official_member, form=Form.EXPULSION, violation_on=D(1995, 1, 1))

    assert decision.form == Form.EXPULSION and discipline.decision_problems(decision) == []


# --- Refusals: who decides, on whom, when -------------------------------------------------------------


def test_an_organization_is_disciplined_only_by_the_committee_directly_above(
    decide, cell_a1, org_a, unchanged, refusal
):
    errors = refusal(decide, target_organization=cell_a1, form=Form.WARNING)  # the bloc is two levels up

    assert errors == {"form": [msg(DIRECTLY_ABOVE, target=cell_a1.name, parent=org_a.name)]}
    assert Organization.objects.get(pk=cell_a1.pk).dissolved_on is None


def test_the_inspection_commission_does_not_discipline_an_organization(
    decide, org_a, bloc, unchanged, refusal
):
    errors = refusal(decide, body=Body.COMMISSION, target_organization=org_a, form=Form.REPRIMAND)

    assert errors == {"form": [msg(DIRECTLY_ABOVE, target=org_a.name, parent=bloc.name)]}


def test_the_committee_directly_above_warns_an_organization(decide, org_a, cell_a1):
    decision = decide(organization=org_a, body=Body.EXECUTIVE, target_organization=cell_a1, form=Form.WARNING)

    assert decision.target_organization == cell_a1 and decision.target_cell is None


def test_the_member_is_heard_before_the_decision(decide, official_member, unchanged, refusal, still_member):
    not_heard = refusal(decide, target_member=official_member, form=Form.WARNING, heard_on=None)
    heard_after = refusal(decide, target_member=official_member, form=Form.WARNING, heard_on=D(2025, 6, 11))

    assert list(not_heard) == ["heard_on"] and list(heard_after) == ["heard_on"]
    still_member(official_member)


def test_a_member_outside_the_deciding_organization_is_refused(
    decide, org_a, member_of_b, unchanged, refusal, still_member
):
    errors = refusal(
        decide, organization=org_a, body=Body.STANDING, target_member=member_of_b, form=Form.WARNING
    )

    assert errors == {"target_member": [msg(NOT_UNDER, target="Chi bộ Báo Gia Lai", organization=org_a.name)]}
    still_member(member_of_b)


def test_an_organization_outside_the_deciding_organization_is_refused(
    decide, org_a, org_b, unchanged, refusal
):
    errors = refusal(
        decide, organization=org_a, body=Body.EXECUTIVE, target_organization=org_b, form=Form.DISSOLUTION
    )

    assert errors == {"target_organization": [msg(NOT_UNDER, target=org_b.name, organization=org_a.name)]}


def test_a_decision_has_exactly_one_target(decide, official_member, cell_a1, unchanged, refusal):
    both = refusal(decide, target_member=official_member, target_organization=cell_a1, form=Form.WARNING)
    none = refusal(decide, form=Form.WARNING)

    expected = [msg("Choose exactly one target: an organization or a Party member.")]
    assert both == {NON_FIELD_ERRORS: expected} and none == {NON_FIELD_ERRORS: expected}


def test_a_decision_cannot_be_dated_in_the_future(decide, official_member, unchanged, refusal):
    tomorrow = clock.today() + datetime.timedelta(days=1)

    decided = refusal(decide, target_member=official_member, form=Form.WARNING, decided_on=tomorrow)
    effective = refusal(decide, target_member=official_member, form=Form.WARNING, effective_on=tomorrow)

    future = msg("The date %(date)s is in the future.", date=format_day(tomorrow))
    assert decided == {"decided_on": [future]} and effective == {"effective_on": [future]}


def test_a_form_that_does_not_fit_the_target_is_refused(
    decide, official_member, cell_a1, org_a, unchanged, refusal
):
    on_member = refusal(decide, target_member=official_member, form=Form.DISSOLUTION)
    on_organization = refusal(
        decide, organization=org_a, body=Body.EXECUTIVE, target_organization=cell_a1, form=Form.EXPULSION
    )

    assert list(on_member) == ["form"] and list(on_organization) == ["form"]


def test_a_decision_number_is_recorded_once_per_target(decide, official_member, refusal):
    decide(target_member=official_member, form=Form.REPRIMAND)
    before = DisciplineDecision.history.count()

    errors = refusal(decide, target_member=official_member, form=Form.WARNING)

    assert list(errors) == ["decision_no"] and DisciplineDecision.history.count() == before


# --- Effects ---------------------------------------------------------------------------------------------


def test_expulsion_ends_the_membership(decide, secretary_of_a, seat_of, inspector):
    spells = Spell.objects.filter(member=secretary_of_a)
    history = secretary_of_a.history.count()

    decision = decide(target_member=secretary_of_a, form=Form.EXPULSION, violation="Tham ô tài sản")

    member = Member.objects.get(pk=secretary_of_a.pk)
    assert (member.exit_reason, member.exited_on) == (Member.Exit.EXPELLED, DECIDED)
    assert not member.is_current
    event = Movement.objects.get(member=member, kind=Movement.Kind.EXPELLED)
    assert (event.on, event.decision_no, event.recorded_by) == (DECIDED, "101-QĐ/ĐUK", inspector)
    assert not spells.filter(ends_on__isnull=True).exists()
    assert spells.get().ends_on == DECIDED
    assert member.history.count() == history + 1
    latest = member.history.latest()
    assert (latest.exit_reason, latest.history_user) == (Member.Exit.EXPELLED, inspector)
    # The committee seats end with the membership (294-QĐ/TW §16.4).
    assert seat_of(member).ends_on == DECIDED
    assert decision.target_cell.code == "A1" and decision.status == DisciplineDecision.Status.IN_FORCE


def test_an_expulsion_refused_by_the_member_service_writes_nothing(
    decide, official_member, system_user, snapshot, refusal, still_member
):
    """The member service's own refusal (a movement after the decision date) rolls back the decision."""
    from members import services as member_services

    member_services.exempt(
        member=official_member, on=D(2025, 7, 1), ground=Movement.ExemptionGround.AGE_HEALTH, by=system_user
    )

    before = snapshot()

    errors = refusal(decide, target_member=official_member, form=Form.EXPULSION)

    assert list(errors) == ["on"] and snapshot() == before
    still_member(official_member)


def test_dismissal_ends_the_seat_held(decide, secretary_of_a, seat_of, still_member):
    decision = decide(target_member=secretary_of_a, form=Form.DISMISSAL, effective_on=D(2025, 6, 12))

    seat = seat_of(secretary_of_a)
    assert decision.seat == seat and seat.ends_on == D(2025, 6, 12)
    assert seat.position == CommitteeSeat.Position.SECRETARY
    still_member(secretary_of_a)


def test_dissolution_dissolves_an_organization_without_members(decide, org_a, system_user):
    empty = OrganizationFactory(
        code="A9",
        name="Chi bộ Phòng Thanh tra",
        kind=Organization.Kind.SUBORDINATE_CELL,
        parent=org_a,
        by=system_user,
    )

    decision = decide(
        organization=org_a, body=Body.EXECUTIVE, target_organization=empty, form=Form.DISSOLUTION
    )

    empty.refresh_from_db()
    assert empty.dissolved_on == DECIDED and decision.target_organization == empty
    event = OrganizationEvent.objects.get(organization=empty, kind=OrganizationEvent.Kind.DISSOLVED)
    assert event.decision_no == "101-QĐ/ĐUK"


def test_dissolution_is_refused_while_the_organization_has_members(
    decide, org_a, cell_a1, official_member, unchanged, refusal, still_member
):
    errors = refusal(
        decide, organization=org_a, body=Body.EXECUTIVE, target_organization=cell_a1, form=Form.DISSOLUTION
    )

    assert errors == {
        NON_FIELD_ERRORS: [
            msg(
                "%(name)s still has %(count)s members: transfer them to another chi bộ first.",
                name=cell_a1.name,
                count=1,
            )
        ]
    }
    assert Organization.objects.get(pk=cell_a1.pk).is_active
    still_member(official_member)


# --- Flags of the rules (the import records what was decided, and flags the broken rules) -----------


def test_an_imported_decision_is_recorded_as_decided_and_its_broken_rules_are_flagged(
    decide, cell_a1, probationary_member
):
    decision = decide(
        organization=cell_a1,
        body=Body.CELL,
        target_member=probationary_member,
        form=Form.WARNING,
        heard_on=None,
        circumstance=DisciplineDecision.Circumstance.PREGNANT,
        imported=True,
    )

    assert decision.imported and decision.heard_on is None
    label = str(DisciplineDecision.Circumstance.PREGNANT.label).lower()
    assert discipline.decision_problems(decision) == [msg(CIRCUMSTANCE, circumstance=label)]


def test_an_imported_expulsion_already_in_the_register_is_recorded_without_a_second_exit(
    decide, official_member, system_user
):
    """The staff recorded the exit from the member's file before the case work was imported: the
    decision finds the member where they stood until that day, and the exit is left as it is."""
    from members import services as member_services

    member_services.expel(member=official_member, on=DECIDED, by=system_user, decision_no="101-QĐ/ĐUK")

    decision = decide(target_member=official_member, form=Form.EXPULSION, imported=True)

    assert decision.target_cell.code == "A1"
    assert Movement.objects.filter(member=official_member, kind=Movement.Kind.EXPELLED).count() == 1


def test_an_imported_dismissal_of_a_seat_already_ended_that_day_keeps_the_seat(
    decide, secretary_of_a, seat_of, system_user
):
    from members.services import committees

    committees.end_seat(seat=seat_of(secretary_of_a), ends_on=DECIDED, by=system_user)
    history = CommitteeSeat.history.count()

    decision = decide(target_member=secretary_of_a, form=Form.DISMISSAL, imported=True)

    assert decision.seat == seat_of(secretary_of_a) and decision.seat.ends_on == DECIDED
    assert CommitteeSeat.history.count() == history


def test_the_limitation_period_runs_to_the_conclusion_of_the_case(decide, bloc, official_member, inspector):
    """HD 08 I.7: from the violation to the conclusion that it warrants discipline. A case concluded
    within the five years leads to a reprimand decided after them."""
    from inspections.models import Case
    from inspections.services import cases

    case = cases.open_case(
        organization=bloc,
        body=Body.COMMISSION,
        kind=Case.Kind.SIGNS_OF_VIOLATION,
        decision_no="9-QĐ/UBKTĐUK",
        opened_on=D(2025, 3, 3),
        target_member=official_member,
        by=inspector,
    )
    case = cases.conclude_case(
        case=case,
        conclusion=Case.Conclusion.DISCIPLINE,
        closed_on=D(2025, 5, 30),
        findings="Vi phạm quy định về đấu thầu.",
        by=inspector,
    )

    decision = decide(
        target_member=official_member, form=Form.REPRIMAND, violation_on=D(2020, 6, 1), case=case
    )

    assert decision.case == case and discipline.decision_problems(decision) == []
