"""Appeals against a discipline decision (khiếu nại kỷ luật, 296-QĐ/TW Điều 23–26): accepted within
``discipline.appeal_days`` (30) days of receiving the decision, refused outside it with the ground; the
settlement changes or annuls the decision and undoes its effect through the members services
(``reinstate``, ``committees.restore_seat``) in the same transaction.

The people are those of tests/inspections/conftest.py. The Ban Thường vụ of the bloc decided on
10/06/2025; the member received the decision on 12/06/2025.
"""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS

from inspections.models import Appeal, Body, DisciplineDecision
from inspections.services import discipline
from members.models import Member, Movement, Spell
from organizations.models import Organization
from tests.factories import OrganizationFactory
from tests.import_page import msg

D = datetime.date
Form, Outcome = DisciplineDecision.Form, Appeal.Outcome
DECIDED, RECEIVED = D(2025, 6, 10), D(2025, 6, 12)


@pytest.fixture
def decided(bloc, inspector):
    """A decision of the Ban Thường vụ of the bloc on 10/06/2025 (the member heard on 01/06/2025)."""

    def call(target, form, **values):
        target_field = "target_member" if isinstance(target, Member) else "target_organization"
        if target_field == "target_member":
            values.setdefault("heard_on", D(2025, 6, 1))
        return discipline.decide(
            organization=values.pop("organization", bloc),
            body=values.pop("body", Body.STANDING),
            decision_no="201-QĐ/ĐUK",
            decided_on=DECIDED,
            form=form,
            by=inspector,
            **{target_field: target},
            **values,
        )

    return call


@pytest.fixture
def file_appeal(bloc, inspector):
    def call(decision, filed_on, **values):
        return discipline.file_appeal(
            decision=decision,
            organization=values.pop("organization", bloc),
            decision_received_on=values.pop("decision_received_on", RECEIVED),
            filed_on=filed_on,
            by=inspector,
            **values,
        )

    return call


@pytest.fixture
def settle(inspector):
    def call(appeal, outcome, **values):
        return discipline.settle_appeal(
            appeal=appeal,
            outcome=outcome,
            settled_on=values.pop("settled_on", D(2025, 8, 20)),
            settlement_no="15-QĐ/ĐUK",
            by=inspector,
            **values,
        )

    return call


# --- Filing: within 30 days of receiving the decision ------------------------------------------------


def test_an_appeal_within_thirty_days_is_accepted(decided, file_appeal, official_member):
    decision = decided(official_member, Form.WARNING)

    appeal = file_appeal(decision, RECEIVED + datetime.timedelta(days=30))

    assert (appeal.status, appeal.refusal_ground) == (Appeal.Status.ACCEPTED, "")


def test_a_late_appeal_is_not_accepted_for_being_late(decided, file_appeal, official_member):
    decision = decided(official_member, Form.WARNING)

    appeal = file_appeal(decision, RECEIVED + datetime.timedelta(days=31))

    assert (appeal.status, appeal.refusal_ground) == (Appeal.Status.REFUSED, Appeal.RefusalGround.LATE)
    assert appeal.refusal_note == msg(
        "Filed %(days)s days after the decision was received; the "
        "limit is %(limit)s days (296-QĐ/TW Điều 25).",
        days=31,
        limit=30,
    )
    # A refused appeal settles nothing: the decision stays in force.
    decision.refresh_from_db()
    assert decision.status == DisciplineDecision.Status.IN_FORCE


def test_an_appeal_in_time_is_not_refused_as_late(decided, file_appeal, official_member, refusal):
    decision = decided(official_member, Form.WARNING)
    appeals = Appeal.objects.count()

    errors = refusal(
        file_appeal, decision=decision, filed_on=D(2025, 6, 20), refusal_ground=Appeal.RefusalGround.LATE
    )

    assert errors == {
        "refusal_ground": [
            msg("The appeal came within %(days)s days of the decision; it is not late.", days=30)
        ]
    }
    assert Appeal.objects.count() == appeals


def test_another_ground_of_article_23_needs_its_reason(decided, file_appeal, official_member, refusal):
    decision = decided(official_member, Form.WARNING)

    errors = refusal(file_appeal, decision=decision, filed_on=D(2025, 6, 20), refusal_ground="khac")
    on_behalf = file_appeal(decision, D(2025, 6, 20), refusal_ground=Appeal.RefusalGround.ON_BEHALF)

    assert list(errors) == ["refusal_note"]
    assert (on_behalf.status, on_behalf.refusal_ground) == (Appeal.Status.REFUSED, "khieu_nai_ho")


def test_an_appeal_is_settled_by_the_deciding_level_or_above(
    decided, file_appeal, official_member, org_a, refusal
):
    decision = decided(official_member, Form.WARNING)

    errors = refusal(file_appeal, decision=decision, filed_on=D(2025, 6, 20), organization=org_a)

    assert list(errors) == ["organization"]


def test_an_appeal_cannot_be_filed_in_the_future(decided, file_appeal, official_member, refusal):
    decision = decided(official_member, Form.WARNING)

    errors = refusal(file_appeal, decision=decision, filed_on=D(2099, 1, 1))

    assert list(errors) == ["filed_on"]


# --- Settling: the decision and its effect ------------------------------------------------------------


def test_an_expulsion_changed_to_a_warning_restores_the_membership(
    decided, file_appeal, settle, secretary_of_a, seat_of, still_member, inspector
):
    decision = decided(secretary_of_a, Form.EXPULSION)
    appeal = file_appeal(decision, D(2025, 6, 25))

    settle(appeal, Outcome.CHANGED, new_form=Form.WARNING)

    member = Member.objects.get(pk=secretary_of_a.pk)
    still_member(member)
    assert member.exit_reason == "" and member.exited_on is None
    spell = Spell.objects.get(member=member, ends_on__isnull=True)
    assert spell.organization.code == "A1"
    event = Movement.objects.get(member=member, kind=Movement.Kind.REINSTATED)
    assert (event.on, event.decision_no, event.recorded_by) == (D(2025, 8, 20), "15-QĐ/ĐUK", inspector)
    decision.refresh_from_db()
    assert (decision.form, decision.original_form, decision.status) == (
        Form.WARNING,
        Form.EXPULSION,
        DisciplineDecision.Status.CHANGED,
    )
    appeal.refresh_from_db()
    assert (appeal.status, appeal.outcome, appeal.new_form) == (Appeal.Status.SETTLED, "thay_doi", "canh_cao")
    # The seats the expulsion ended stay ended: the committee decides on them again.
    assert seat_of(member).ends_on == DECIDED


def test_an_annulled_dismissal_restores_the_seat(decided, file_appeal, settle, secretary_of_a, seat_of):
    decision = decided(secretary_of_a, Form.DISMISSAL)
    assert seat_of(secretary_of_a).ends_on == DECIDED

    settle(file_appeal(decision, D(2025, 6, 25)), Outcome.ANNULLED)

    seat = seat_of(secretary_of_a)
    assert (seat.ends_on, seat.end_note) == (None, "")
    decision.refresh_from_db()
    assert decision.status == DisciplineDecision.Status.ANNULLED and not decision.in_force


def test_an_upheld_decision_keeps_its_effect(decided, file_appeal, settle, official_member):
    decision = decided(official_member, Form.EXPULSION)

    settle(file_appeal(decision, D(2025, 6, 25)), Outcome.UPHELD)

    official_member.refresh_from_db()
    assert official_member.exit_reason == Member.Exit.EXPELLED
    decision.refresh_from_db()
    assert (decision.form, decision.status) == (Form.EXPULSION, DisciplineDecision.Status.IN_FORCE)


def test_a_warning_changed_to_an_expulsion_expels_on_the_settlement(
    decided, file_appeal, settle, official_member
):
    decision = decided(official_member, Form.WARNING)

    settle(file_appeal(decision, D(2025, 6, 25)), Outcome.CHANGED, new_form=Form.EXPULSION)

    official_member.refresh_from_db()
    assert (official_member.exit_reason, official_member.exited_on) == (Member.Exit.EXPELLED, D(2025, 8, 20))


def test_a_change_keeps_the_rules_of_the_new_form(
    decided, file_appeal, settle, probationary_member, snapshot, refusal
):
    """A probationary member's warning cannot become an expulsion on appeal; nothing is settled."""
    decision = decided(probationary_member, Form.WARNING)
    appeal = file_appeal(decision, D(2025, 6, 25))
    before = snapshot()

    errors = refusal(settle, appeal=appeal, outcome=Outcome.CHANGED, new_form=Form.EXPULSION)

    assert errors == {
        "new_form": [
            msg(
                "%(name)s is a probationary member: only khiển trách or cảnh cáo (69-QĐ/TW Điều 7).",
                name="Phạm Thị Dự",
            )
        ]
    }
    assert snapshot() == before
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.ACCEPTED


def test_a_dissolution_is_not_undone_by_an_appeal_in_the_portal(
    decided, file_appeal, settle, org_a, system_user, snapshot, refusal
):
    empty = OrganizationFactory(
        code="A9",
        name="Chi bộ Phòng Thanh tra",
        kind=Organization.Kind.SUBORDINATE_CELL,
        parent=org_a,
        by=system_user,
    )
    decision = decided(empty, Form.DISSOLUTION, organization=org_a, body=Body.EXECUTIVE)
    appeal = file_appeal(decision, D(2025, 6, 25), organization=org_a)
    before = snapshot()

    errors = refusal(settle, appeal=appeal, outcome=Outcome.ANNULLED)

    assert list(errors) == [NON_FIELD_ERRORS]
    assert snapshot() == before
    empty.refresh_from_db()
    assert empty.dissolved_on == DECIDED


def test_only_an_accepted_appeal_is_settled(decided, file_appeal, settle, official_member, refusal):
    decision = decided(official_member, Form.WARNING)
    late = file_appeal(decision, D(2025, 9, 1))

    errors = refusal(settle, appeal=late, outcome=Outcome.ANNULLED)

    assert errors == {NON_FIELD_ERRORS: [msg("Only an accepted appeal is settled.")]}


def test_a_restored_seat_ends_with_its_term_if_a_new_committee_took_office_meanwhile(
    decided, file_appeal, settle, secretary_of_a, seat_of, term_of_a, org_a, system_user
):
    """As if never ended: the congress of the next term would have closed it (committees.create_term)."""
    from members.services import committees

    decision = decided(secretary_of_a, Form.DISMISSAL)
    committees.update_term(term=term_of_a, ends_on=D(2025, 7, 1), by=system_user)
    committees.create_term(
        organization=org_a, label="2025–2030", starts_on=D(2025, 7, 1), ends_on=D(2030, 7, 1), by=system_user
    )

    settle(file_appeal(decision, D(2025, 6, 25)), Outcome.ANNULLED)

    seat = seat_of(secretary_of_a)
    assert seat.ends_on == D(2025, 7, 1)
    assert seat.end_note == msg("Succeeded by the committee of the term %(label)s.", label="2025–2030")


def test_the_settlement_keeps_the_case_that_examined_the_appeal_on_the_same_target(
    bloc, inspector, decided, file_appeal, settle, official_member, secretary_of_a, refusal
):
    from inspections.models import Case
    from inspections.services import cases

    decision = decided(official_member, Form.WARNING)
    appeal = file_appeal(decision, D(2025, 6, 25))

    def settlement_case(member, number):
        return cases.open_case(
            organization=bloc,
            body=Body.COMMISSION,
            kind=Case.Kind.APPEAL,
            decision_no=number,
            opened_on=D(2025, 7, 1),
            target_member=member,
            by=inspector,
        )

    other = settlement_case(secretary_of_a, "30-QĐ/UBKTĐUK")
    errors = refusal(settle, appeal, Outcome.UPHELD, case=other)
    assert list(errors) == ["case"]
    appeal.refresh_from_db()
    assert (appeal.status, appeal.case_id) == (Appeal.Status.ACCEPTED, None)

    own = settlement_case(official_member, "31-QĐ/UBKTĐUK")
    settle(appeal, Outcome.UPHELD, case=own)
    appeal.refresh_from_db()
    assert (appeal.status, appeal.case_id) == (Appeal.Status.SETTLED, own.pk)
