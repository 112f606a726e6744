"""The party-development pipeline (DOMAIN.md §3, validation rules 1–5): a quần chúng ưu tú goes from
the awareness class to the admission ceremony through the services of members/services/candidates.py.

Dates are counted back from today (the services refuse dates in the future). Sponsors come from
``MemberFactory(official=True)``: in chi bộ A1 since 01/3/2023, official since 15/3/2024.
Messages are checked on what reads the same in Vietnamese (names, dates, numbers) or through the
catalog (``gettext``) for the lists of what is missing.
"""

import datetime
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from blocportal import access, clock
from blocportal.dates import format_day
from blocportal.workdays import add_months, add_working_days
from members import candidate_pages, resolutions
from members import services as member_services
from members.models import AdmissionTarget, Candidate, Member, Movement, Spell
from members.selectors import candidates as candidate_selectors
from members.services import candidates as candidate_services
from organizations import services as org_services
from organizations.models import Organization
from tests.factories import CandidateFactory, MemberFactory, OrganizationFactory

from .conftest import refused as member_refused

D = datetime.date
Stage = Candidate.Stage


def today() -> datetime.date:
    return clock.today()


def days_ago(days: int) -> datetime.date:
    return today() - timedelta(days=days)


# The pipeline's default dates: each step after the one before, the ceremony within 30 working days.
DATES = {
    "certificate_on": 200,
    "applied_on": 150,
    "vetting_started_on": 140,
    "vetting_completed_on": 120,
    "resolution_on": 100,
    "decision_on": 90,
    "ceremony_on": 80,
}
# The field each step fills: a step whose field is set is already done.
DONE = {
    "training": "certificate_on",
    "sponsors": "sponsor_1_id",
    "application": "applied_on",
    "vetting-start": "vetting_started_on",
    "vetting-complete": "vetting_completed_on",
    "resolution": "resolution_on",
    "decision": "decision_on",
    "admit": "member_id",
}
STEPS = [
    "training",
    "sponsors",
    "application",
    "vetting-start",
    "vetting-complete",
    "resolution",
    "decision",
    "admit",
]


def advance(candidate, upto: str, by, *, sponsors, **overrides):
    """Take the candidate through the steps up to and including ``upto``, with the default dates
    unless ``overrides`` gives others (a date or a value per service argument)."""
    on = {field: overrides.pop(field, days_ago(days)) for field, days in DATES.items()}
    calls = {
        "training": lambda: candidate_services.record_training(
            candidate=candidate, certificate_no="BD-125/2026", certificate_on=on["certificate_on"], by=by
        ),
        "sponsors": lambda: candidate_services.assign_sponsors(
            candidate=candidate, sponsor_1=sponsors[0], sponsor_2=sponsors[1], by=by
        ),
        "application": lambda: candidate_services.record_application(
            candidate=candidate, applied_on=on["applied_on"], by=by
        ),
        "vetting-start": lambda: candidate_services.start_vetting(
            candidate=candidate, on=on["vetting_started_on"], by=by
        ),
        "vetting-complete": lambda: candidate_services.complete_vetting(
            candidate=candidate, on=on["vetting_completed_on"], by=by
        ),
        "resolution": lambda: candidate_services.record_resolution(
            candidate=candidate,
            resolution_no="05-NQ/CB",
            resolution_on=on["resolution_on"],
            votes_for=overrides.get("votes_for", 9),
            official_members=overrides.get("official_members", 10),
            over_age_approval=overrides.get("over_age_approval", ""),
            by=by,
        ),
        "decision": lambda: candidate_services.record_decision(
            candidate=candidate,
            decision_no="312-QĐ/ĐUK",
            decision_on=on["decision_on"],
            over_age_approval=overrides.get("over_age_approval", ""),
            by=by,
        ),
        "admit": lambda: candidate_services.admit_candidate(
            candidate=candidate, ceremony_on=on["ceremony_on"], by=by
        ),
    }
    result = None
    candidate.refresh_from_db()
    for step in STEPS[: STEPS.index(upto) + 1]:
        if getattr(candidate, DONE[step]) is None:  # a step taken before is not taken again
            result = calls[step]()
    candidate.refresh_from_db()
    return result


def make_sponsors(cell, by, *, others: int = 8) -> list[Member]:
    """Two official members of the chi bộ, there since 01/3/2023, and ``others`` more: the register
    then counts the ten official members that the resolutions below confirm."""
    sponsors = [
        MemberFactory(organization=cell, full_name="Lê Văn Cường", official=True, by=by),
        MemberFactory(organization=cell, full_name="Võ Thị Dung", official=True, by=by),
    ]
    for _ in range(others):
        MemberFactory(organization=cell, official=True, by=by)
    return sponsors


def make_candidate(cell, by) -> Candidate:
    """Lê Thị Hồng, born 10/5/1998."""
    return CandidateFactory(
        organization=cell, full_name="Lê  Thị   Hồng", birth_date=D(1998, 5, 10), cccd="064198001122", by=by
    )


@pytest.fixture
def sponsors(cell_a1, staff_user):
    return make_sponsors(cell_a1, staff_user)


@pytest.fixture
def candidate(cell_a1, staff_user):
    return make_candidate(cell_a1, staff_user)


def _candidates():
    return (
        list(Candidate.objects.order_by("pk").values()),
        list(Candidate.history.order_by("pk").values_list("pk", flat=True)),
    )


@contextmanager
def refused(field: str | None = None, *fragments: str):
    """A refusal keyed on ``field`` whose message holds ``fragments``, with nothing written: neither
    the candidates nor the register (members, spells, events) change."""
    before = _candidates()
    with member_refused(field, *fragments) as excinfo:
        yield excinfo
    assert _candidates() == before, "a refused step wrote to the candidates"


# Recording a candidate ----------------------------------------------------------------------------


def test_a_candidate_is_recorded_in_a_chi_bo_with_history(candidate, cell_a1, staff_user):
    assert candidate.full_name == "Lê Thị Hồng"
    assert (candidate.organization, candidate.stage, candidate.search_name) == (
        cell_a1,
        Stage.OUTSTANDING,
        "le thi hong",
    )
    assert candidate.history.get().history_user == staff_user


def test_a_candidate_can_be_recorded_in_a_grassroots_cell(org_b, staff_user):
    assert CandidateFactory(organization=org_b, by=staff_user).organization == org_b


def test_a_candidate_is_not_recorded_in_a_dang_bo(org_a, staff_user):
    with refused("organization", "Đảng bộ Sở Tài chính"):
        CandidateFactory(organization=org_a, by=staff_user)


def test_a_candidate_is_not_recorded_in_a_dissolved_chi_bo(cell_a1, staff_user):
    org_services.dissolve_organization(
        organization=cell_a1, on=days_ago(10), decision_no="9-QĐ", by=staff_user
    )
    with refused("organization", "Chi bộ Phòng Ngân sách", format_day(days_ago(10))):
        CandidateFactory(organization=cell_a1, by=staff_user)


def test_citizen_id_has_twelve_digits(cell_a1, staff_user):
    with refused("cccd"):
        CandidateFactory(organization=cell_a1, cccd="06419800112", by=staff_user)


def test_a_member_cannot_be_recorded_as_a_candidate(cell_a1, staff_user):
    MemberFactory(organization=cell_a1, full_name="Phan Văn Giàu", cccd="064190000001", by=staff_user)
    with refused("cccd", "Phan Văn Giàu", "Chi bộ Phòng Ngân sách"):
        CandidateFactory(organization=cell_a1, cccd="064190000001", by=staff_user)


def test_an_open_candidate_is_recorded_once(candidate, org_b, staff_user):
    with refused("cccd", "Lê Thị Hồng"):
        CandidateFactory(organization=org_b, cccd="064198001122", by=staff_user)


def test_a_withdrawn_candidate_can_be_recorded_again(candidate, staff_user, cell_a1):
    candidate_services.withdraw(candidate=candidate, on=days_ago(5), reason="Chuyển công tác", by=staff_user)
    again = CandidateFactory(organization=cell_a1, cccd="064198001122", by=staff_user)
    assert again.stage == Stage.OUTSTANDING


def test_birth_date_in_the_future_is_refused(cell_a1, staff_user):
    with refused("birth_date"):
        CandidateFactory(organization=cell_a1, birth_date=today() + timedelta(days=1), by=staff_user)


def test_profile_correction_saves_only_what_changed(candidate, secretary_a):
    candidate_services.update_candidate(candidate=candidate, job_title=" Chuyên viên ", by=secretary_a)
    candidate.refresh_from_db()
    assert candidate.job_title == "Chuyên viên"
    assert candidate.history.count() == 2 and candidate.history.first().history_user == secretary_a
    candidate_services.update_candidate(
        candidate=candidate, job_title="Chuyên viên", full_name="Lê Thị Hồng", by=secretary_a
    )
    assert candidate.history.count() == 2


def test_profile_correction_refuses_a_citizen_id_of_a_member(candidate, cell_a1, staff_user):
    MemberFactory(organization=cell_a1, full_name="Phan Văn Giàu", cccd="064190000001", by=staff_user)
    with refused("cccd", "Phan Văn Giàu"):
        candidate_services.update_candidate(candidate=candidate, cccd="064190000001", by=staff_user)


def test_an_admitted_candidate_is_corrected_on_the_member_profile(candidate, sponsors, staff_user):
    advance(candidate, "admit", staff_user, sponsors=sponsors)
    with refused(None, "Lê Thị Hồng"):
        candidate_services.update_candidate(candidate=candidate, job_title="Trưởng phòng", by=staff_user)


# Awareness class --------------------------------------------------------------------------------


def test_training_records_the_certificate_and_its_expiry(candidate, staff_user):
    candidate_services.record_training(
        candidate=candidate, certificate_no=" BD-125/2026 ", certificate_on=D(2024, 2, 29), by=staff_user
    )
    candidate.refresh_from_db()
    assert (candidate.stage, candidate.certificate_no) == (Stage.TRAINED, "BD-125/2026")
    assert candidate.certificate_expires_on == D(2029, 2, 28)


def test_training_recorded_twice_writes_once(candidate, staff_user):
    for _ in range(2):
        candidate_services.record_training(
            candidate=candidate, certificate_no="BD-1", certificate_on=days_ago(30), by=staff_user
        )
    assert candidate.history.count() == 2


def test_certificate_date_in_the_future_is_refused(candidate, staff_user):
    with refused("certificate_on"):
        candidate_services.record_training(
            candidate=candidate,
            certificate_no="BD-1",
            certificate_on=today() + timedelta(days=1),
            by=staff_user,
        )


def test_certificate_needs_its_number(candidate, staff_user):
    with refused("certificate_no"):
        candidate_services.record_training(
            candidate=candidate, certificate_no="  ", certificate_on=days_ago(3), by=staff_user
        )


def test_a_new_certificate_during_vetting_keeps_the_stage(candidate, sponsors, staff_user):
    advance(candidate, "vetting-start", staff_user, sponsors=sponsors)
    candidate_services.record_training(
        candidate=candidate, certificate_no="BD-2", certificate_on=days_ago(20), by=staff_user
    )
    candidate.refresh_from_db()
    assert (candidate.stage, candidate.certificate_no) == (Stage.VETTING, "BD-2")


def test_training_after_the_resolution_is_refused(candidate, sponsors, staff_user):
    advance(candidate, "resolution", staff_user, sponsors=sponsors)
    with refused(None, "Lê Thị Hồng"):
        candidate_services.record_training(
            candidate=candidate, certificate_no="BD-9", certificate_on=days_ago(1), by=staff_user
        )


# Sponsors (validation rule 3) -------------------------------------------------------------------


def test_two_official_members_of_the_chi_bo_sponsor(candidate, sponsors, staff_user):
    candidate_services.assign_sponsors(
        candidate=candidate, sponsor_1=sponsors[0], sponsor_2=sponsors[1], by=staff_user
    )
    candidate.refresh_from_db()
    assert (candidate.sponsor_1, candidate.sponsor_2, candidate.youth_union_sponsor) == (*sponsors, False)


def test_one_member_and_the_youth_union_sponsor_a_youth_union_member(candidate, sponsors, staff_user):
    candidate_services.assign_sponsors(
        candidate=candidate, sponsor_1=sponsors[0], youth_union_sponsor=True, by=staff_user
    )
    candidate.refresh_from_db()
    assert (candidate.sponsor_1, candidate.sponsor_2, candidate.youth_union_sponsor) == (
        sponsors[0],
        None,
        True,
    )


def test_a_member_of_another_chi_bo_of_the_same_dang_bo_may_sponsor(candidate, sponsors, org_a, staff_user):
    cell_a2 = OrganizationFactory(
        code="A2",
        name="Chi bộ Phòng Tin học",
        kind=Organization.Kind.SUBORDINATE_CELL,
        parent=org_a,
        by=staff_user,
    )
    colleague = MemberFactory(organization=cell_a2, official=True, by=staff_user)
    candidate_services.assign_sponsors(
        candidate=candidate, sponsor_1=sponsors[0], sponsor_2=colleague, by=staff_user
    )
    candidate.refresh_from_db()
    assert candidate.sponsor_2 == colleague


def test_a_probationary_sponsor_is_refused(candidate, sponsors, cell_a1, staff_user):
    probationary = MemberFactory(organization=cell_a1, full_name="Đinh Văn Mới", by=staff_user)
    with refused("sponsor_2", "Đinh Văn Mới"):
        candidate_services.assign_sponsors(
            candidate=candidate, sponsor_1=sponsors[0], sponsor_2=probationary, by=staff_user
        )


def test_a_sponsor_less_than_twelve_months_in_the_chi_bo_is_refused(
    candidate, sponsors, cell_a1, org_b, staff_user
):
    newcomer = MemberFactory(organization=org_b, full_name="Hà Văn Đến", official=True, by=staff_user)
    arrived = days_ago(30)
    member_services.transfer(member=newcomer, to=cell_a1, on=arrived, by=staff_user)
    with refused("sponsor_1", "Hà Văn Đến", format_day(arrived), format_day(add_months(arrived, 12))):
        candidate_services.assign_sponsors(
            candidate=candidate, sponsor_1=newcomer, sponsor_2=sponsors[1], by=staff_user
        )


def test_a_sponsor_of_another_grassroots_organization_is_refused(candidate, sponsors, org_b, staff_user):
    outsider = MemberFactory(organization=org_b, full_name="Mai Văn Xa", official=True, by=staff_user)
    with refused("sponsor_2", "Mai Văn Xa", "Chi bộ Báo Gia Lai"):
        candidate_services.assign_sponsors(
            candidate=candidate, sponsor_1=sponsors[0], sponsor_2=outsider, by=staff_user
        )


def test_a_sponsor_who_left_the_register_is_refused(candidate, sponsors, staff_user):
    member_services.record_death(member=sponsors[1], on=days_ago(3), by=staff_user)
    with refused("sponsor_2", "Võ Thị Dung", format_day(days_ago(3))):
        candidate_services.assign_sponsors(
            candidate=candidate, sponsor_1=sponsors[0], sponsor_2=sponsors[1], by=staff_user
        )


def test_the_same_sponsor_twice_is_refused(candidate, sponsors, staff_user):
    with refused("sponsor_2"):
        candidate_services.assign_sponsors(
            candidate=candidate, sponsor_1=sponsors[0], sponsor_2=sponsors[0], by=staff_user
        )


def test_one_sponsor_alone_is_refused(candidate, sponsors, staff_user):
    with refused("sponsor_2"):
        candidate_services.assign_sponsors(candidate=candidate, sponsor_1=sponsors[0], by=staff_user)


def test_a_second_member_and_the_youth_union_together_are_refused(candidate, sponsors, staff_user):
    with refused("sponsor_2"):
        candidate_services.assign_sponsors(
            candidate=candidate,
            sponsor_1=sponsors[0],
            sponsor_2=sponsors[1],
            youth_union_sponsor=True,
            by=staff_user,
        )


# Application and background check ------------------------------------------------------------------


def test_application_before_the_awareness_class_is_refused(candidate, staff_user):
    with refused(None, "Lê Thị Hồng"):
        candidate_services.record_application(candidate=candidate, applied_on=days_ago(5), by=staff_user)


def test_application_without_sponsors_is_refused(candidate, staff_user):
    candidate_services.record_training(
        candidate=candidate, certificate_no="BD-1", certificate_on=days_ago(50), by=staff_user
    )
    with refused(None, "Lê Thị Hồng"):
        candidate_services.record_application(candidate=candidate, applied_on=days_ago(5), by=staff_user)


def test_background_check_starts_only_after_the_application(candidate, sponsors, staff_user):
    advance(candidate, "sponsors", staff_user, sponsors=sponsors)
    with refused(None, "Lê Thị Hồng"):
        candidate_services.start_vetting(candidate=candidate, on=days_ago(5), by=staff_user)


def test_background_check_moves_the_candidate_to_vetting(candidate, sponsors, staff_user):
    advance(candidate, "vetting-complete", staff_user, sponsors=sponsors)
    assert candidate.stage == Stage.VETTING
    assert (candidate.vetting_started_on, candidate.vetting_completed_on) == (days_ago(140), days_ago(120))


def test_background_check_cannot_start_before_the_application(candidate, sponsors, staff_user):
    advance(candidate, "application", staff_user, sponsors=sponsors)
    with refused("on", format_day(days_ago(150))):
        candidate_services.start_vetting(candidate=candidate, on=days_ago(151), by=staff_user)


def test_background_check_is_completed_only_after_it_started(candidate, sponsors, staff_user):
    advance(candidate, "application", staff_user, sponsors=sponsors)
    with refused(None, "Lê Thị Hồng"):
        candidate_services.complete_vetting(candidate=candidate, on=days_ago(5), by=staff_user)
    candidate_services.start_vetting(candidate=candidate, on=days_ago(40), by=staff_user)
    with refused("on", format_day(days_ago(40))):
        candidate_services.complete_vetting(candidate=candidate, on=days_ago(41), by=staff_user)


# Chi bộ resolution (validation rules 1, 2, 4) ---------------------------------------------------


def test_resolution_proposes_the_candidate(candidate, sponsors, staff_user):
    advance(candidate, "resolution", staff_user, sponsors=sponsors)
    assert (candidate.stage, candidate.resolution_no, candidate.votes_for, candidate.official_members) == (
        Stage.PROPOSED,
        "05-NQ/CB",
        9,
        10,
    )


def test_resolution_on_a_fresh_candidate_lists_what_is_missing(candidate, staff_user):
    missing = [
        gettext("the awareness class certificate"),
        gettext("two sponsors (or one Party member and the Youth Union committee)"),
        gettext("the application and personal history"),
        gettext("the completed background check"),
    ]
    with refused(None, *missing):
        candidate_services.record_resolution(
            candidate=candidate,
            resolution_no="05-NQ/CB",
            resolution_on=days_ago(1),
            votes_for=9,
            official_members=10,
            by=staff_user,
        )


def test_resolution_before_the_background_check_is_completed_is_refused(candidate, sponsors, staff_user):
    advance(candidate, "vetting-start", staff_user, sponsors=sponsors)
    with refused(None, gettext("the completed background check")) as excinfo:
        candidate_services.record_resolution(
            candidate=candidate,
            resolution_no="05-NQ/CB",
            resolution_on=days_ago(1),
            votes_for=9,
            official_members=10,
            by=staff_user,
        )
    assert gettext("the awareness class certificate") not in " ".join(excinfo.value.messages)


@pytest.mark.parametrize(("votes", "accepted"), [(6, False), (7, True), (10, True)])
def test_two_thirds_of_the_official_members_must_vote_for(candidate, sponsors, staff_user, votes, accepted):
    advance(candidate, "vetting-complete", staff_user, sponsors=sponsors)
    if accepted:
        advance(candidate, "resolution", staff_user, sponsors=sponsors, votes_for=votes, official_members=10)
        assert candidate.stage == Stage.PROPOSED
    else:
        with refused("votes_for", "6", "10", "7"):
            advance(
                candidate, "resolution", staff_user, sponsors=sponsors, votes_for=votes, official_members=10
            )


def test_votes_cannot_exceed_the_official_members(candidate, sponsors, staff_user):
    advance(candidate, "vetting-complete", staff_user, sponsors=sponsors)
    with refused("votes_for"):
        advance(candidate, "resolution", staff_user, sponsors=sponsors, votes_for=11, official_members=10)


def test_a_chi_bo_with_two_official_members_cannot_decide(cell_a1, staff_user):
    sponsors = make_sponsors(cell_a1, staff_user, others=0)
    candidate = make_candidate(cell_a1, staff_user)
    advance(candidate, "vetting-complete", staff_user, sponsors=sponsors)
    with refused("official_members", "3", "2"):
        advance(candidate, "resolution", staff_user, sponsors=sponsors, votes_for=2, official_members=2)


def test_a_typed_denominator_that_differs_from_the_register_is_refused_with_both_numbers(
    candidate, sponsors, staff_user
):
    """Validation rule 4: the register on the resolution date counts ten official members."""
    advance(candidate, "vetting-complete", staff_user, sponsors=sponsors)
    with refused("official_members", "12", "10"):
        advance(candidate, "resolution", staff_user, sponsors=sponsors, votes_for=9, official_members=12)


def test_members_away_and_exempted_leave_the_denominator_unless_they_attend(
    candidate, sponsors, cell_a1, org_b, staff_user
):
    """DOMAIN.md §4: ten official members, one in temporary activity elsewhere and one exempted."""
    others = list(Member.objects.filter(organization=cell_a1).exclude(pk__in=[m.pk for m in sponsors]))
    member_services.send_temporary(member=others[0], to=org_b, on=days_ago(200), by=staff_user)
    member_services.exempt(member=others[1], on=days_ago(200), ground="tuoi_cao", by=staff_user)
    resolution_on = days_ago(DATES["resolution_on"])
    assert resolutions.vote_denominator(cell_a1, resolution_on) == 8
    assert resolutions.vote_denominator(cell_a1, resolution_on, exempted_present=1) == 9
    advance(candidate, "vetting-complete", staff_user, sponsors=sponsors)
    with refused("official_members", "10", "8"):
        advance(candidate, "resolution", staff_user, sponsors=sponsors, votes_for=8, official_members=10)
    advance(candidate, "resolution", staff_user, sponsors=sponsors, votes_for=6, official_members=8)
    assert candidate.stage == Candidate.Stage.PROPOSED


def test_the_age_is_judged_once_at_the_resolution(cell_a1, sponsors, staff_user):
    """Rule 1: 59 years 11 months at the resolution; the decision 75 days later, past 60, stands."""
    resolution_on = days_ago(DATES["resolution_on"])
    born = add_months(resolution_on, -(60 * 12 - 1))
    candidate = CandidateFactory(organization=cell_a1, birth_date=born, cccd="064170009988", by=staff_user)
    advance(candidate, "resolution", staff_user, sponsors=sponsors)
    decision_on = resolution_on + timedelta(days=75)
    assert add_months(born, 60 * 12) <= decision_on  # past 60 on the decision date
    advance(
        candidate,
        "admit",
        staff_user,
        sponsors=sponsors,
        decision_on=decision_on,
        ceremony_on=decision_on + timedelta(days=5),
    )
    assert candidate.stage == Candidate.Stage.ADMITTED


def test_a_sponsor_transferred_inside_the_dang_bo_keeps_the_months_together(
    org_a, cell_a1, candidate, staff_user
):
    """Rule 3: 12 months in the same grassroots organization; a move between two of its chi bộ does
    not reset them."""
    cell_a2 = OrganizationFactory(
        code="A2",
        name="Chi bộ Phòng Tin học",
        kind=Organization.Kind.SUBORDINATE_CELL,
        parent=org_a,
        by=staff_user,
    )
    moved = MemberFactory(organization=cell_a2, full_name="Đỗ Văn Hải", official=True, by=staff_user)
    member_services.transfer(member=moved, to=cell_a1, on=today() - timedelta(days=30), by=staff_user)
    stayed = MemberFactory(organization=cell_a1, full_name="Lê Văn Cường", official=True, by=staff_user)
    assert moved in candidate_selectors.eligible_sponsors(cell_a1, today())
    advance(candidate, "sponsors", staff_user, sponsors=[moved, stayed])
    assert candidate.sponsor_1 == moved


def test_a_certificate_61_months_old_has_expired(candidate, sponsors, staff_user):
    resolution_on = days_ago(100)
    issued = add_months(resolution_on, -61)
    advance(candidate, "vetting-complete", staff_user, sponsors=sponsors, certificate_on=issued)
    with refused("resolution_on", format_day(add_months(issued, 60)), "60"):
        advance(candidate, "resolution", staff_user, sponsors=sponsors, certificate_on=issued)


def test_a_certificate_60_months_old_is_still_valid(candidate, sponsors, staff_user):
    issued = add_months(days_ago(100), -60)
    advance(candidate, "resolution", staff_user, sponsors=sponsors, certificate_on=issued)
    assert candidate.stage == Stage.PROPOSED


def test_an_applicant_under_18_on_the_resolution_date_is_refused(cell_a1, sponsors, staff_user):
    resolution_on = days_ago(100)
    young = CandidateFactory(
        organization=cell_a1,
        full_name="Trẻ Văn Em",
        birth_date=add_months(resolution_on, -(18 * 12 - 1)),
        by=staff_user,
    )
    advance(young, "vetting-complete", staff_user, sponsors=sponsors)
    with refused("birth_date", format_day(resolution_on), "18"):
        advance(young, "resolution", staff_user, sponsors=sponsors)


def test_an_applicant_over_60_needs_the_provincial_approval(cell_a1, sponsors, staff_user):
    resolution_on = days_ago(100)
    elder = CandidateFactory(
        organization=cell_a1,
        full_name="Cao Văn Niên",
        birth_date=add_months(resolution_on, -(60 * 12 + 1)),
        by=staff_user,
    )
    advance(elder, "vetting-complete", staff_user, sponsors=sponsors)
    with refused("birth_date", format_day(resolution_on), "60"):
        advance(elder, "resolution", staff_user, sponsors=sponsors)
    member = advance(elder, "admit", staff_user, sponsors=sponsors, over_age_approval="88-CV/TU")
    assert elder.over_age_approval == "88-CV/TU"
    assert member.events.get(kind=Movement.Kind.ADMITTED).approval_no == "88-CV/TU"


def test_resolution_with_a_sponsor_who_has_since_died_is_refused(candidate, sponsors, staff_user):
    advance(candidate, "vetting-complete", staff_user, sponsors=sponsors)
    member_services.record_death(member=sponsors[0], on=days_ago(110), by=staff_user)
    with refused(None, "Lê Văn Cường"):
        advance(candidate, "resolution", staff_user, sponsors=sponsors)


# Decision and ceremony (validation rule 5) -------------------------------------------------------


def test_decision_before_the_resolution_is_recorded_is_refused(candidate, sponsors, staff_user):
    advance(candidate, "vetting-complete", staff_user, sponsors=sponsors)
    with refused(None, "Lê Thị Hồng"):
        candidate_services.record_decision(
            candidate=candidate, decision_no="1-QĐ", decision_on=days_ago(5), by=staff_user
        )


def test_decision_cannot_precede_the_resolution(candidate, sponsors, staff_user):
    advance(candidate, "resolution", staff_user, sponsors=sponsors)
    with refused("decision_on", format_day(days_ago(100))):
        candidate_services.record_decision(
            candidate=candidate, decision_no="1-QĐ", decision_on=days_ago(101), by=staff_user
        )


def test_decision_in_the_future_is_refused(candidate, sponsors, staff_user):
    advance(candidate, "resolution", staff_user, sponsors=sponsors)
    with refused("decision_on"):
        candidate_services.record_decision(
            candidate=candidate, decision_no="1-QĐ", decision_on=today() + timedelta(days=1), by=staff_user
        )


def test_admission_before_a_decision_is_refused(candidate, sponsors, staff_user):
    advance(candidate, "resolution", staff_user, sponsors=sponsors)
    with refused(None, "Lê Thị Hồng"):
        candidate_services.admit_candidate(candidate=candidate, ceremony_on=days_ago(3), by=staff_user)


def test_admission_makes_a_probationary_member_linked_to_the_candidate(
    candidate, sponsors, cell_a1, staff_user
):
    member = advance(candidate, "admit", staff_user, sponsors=sponsors)
    ceremony, decision = days_ago(80), days_ago(90)
    assert (candidate.stage, candidate.member) == (Stage.ADMITTED, member)
    assert (member.full_name, member.cccd, member.birth_date, member.organization) == (
        "Lê Thị Hồng",
        "064198001122",
        D(1998, 5, 10),
        cell_a1,
    )
    assert (member.status, member.admitted_on, member.ceremony_on) == (
        Member.Status.PROBATIONARY,
        decision,
        ceremony,
    )
    assert member.probation_ends_on == add_months(ceremony, 12)
    event = member.events.get()
    assert (event.kind, event.on, event.decision_no, event.recorded_by) == (
        Movement.Kind.ADMITTED,
        decision,
        "312-QĐ/ĐUK",
        staff_user,
    )
    assert member.candidacy == candidate
    assert candidate.history.first().history_user == staff_user


def test_a_ceremony_later_than_30_working_days_changes_nothing(candidate, sponsors, staff_user):
    advance(candidate, "decision", staff_user, sponsors=sponsors)
    due = add_working_days(days_ago(90), 30)
    with refused("ceremony_on", format_day(due)):
        candidate_services.admit_candidate(candidate=candidate, ceremony_on=today(), by=staff_user)
    candidate.refresh_from_db()
    assert (candidate.stage, candidate.member) == (Stage.DECIDED, None)


def test_admission_is_refused_when_the_citizen_id_was_since_taken(candidate, sponsors, cell_a1, staff_user):
    advance(candidate, "decision", staff_user, sponsors=sponsors)
    member_services.register(
        organization=cell_a1,
        full_name="Trùng Số Định Danh",
        gender=Member.Gender.MALE,
        birth_date=D(1980, 1, 1),
        admitted_on=D(2010, 1, 1),
        official_on=D(2011, 1, 1),
        cccd="064198001122",
        by=staff_user,
    )
    with refused("cccd", "Trùng Số Định Danh"):
        candidate_services.admit_candidate(candidate=candidate, ceremony_on=days_ago(80), by=staff_user)


def test_admission_is_one_transaction_with_the_candidates_update(
    candidate, sponsors, staff_user, monkeypatch
):
    """If marking the candidate admitted fails after ``services.admit`` created the member, the
    member, their spell and their event go too: no member without a candidate that points to it."""
    advance(candidate, "decision", staff_user, sponsors=sponsors)
    registered = (Member.objects.count(), Movement.objects.count(), Spell.objects.count())
    apply = candidate_services._apply
    created = []

    def fail_after_the_member_was_created(target, by, **values):
        if values.get("stage") != Stage.ADMITTED:
            return apply(target, by, **values)
        created.append(Member.objects.filter(full_name="Lê Thị Hồng").exists())
        raise ValidationError("the candidate could not be saved")

    monkeypatch.setattr(candidate_services, "_apply", fail_after_the_member_was_created)
    with pytest.raises(ValidationError):
        candidate_services.admit_candidate(candidate=candidate, ceremony_on=days_ago(80), by=staff_user)
    assert created == [True]  # the failure came after the member was written
    assert (Member.objects.count(), Movement.objects.count(), Spell.objects.count()) == registered
    candidate.refresh_from_db()
    assert (candidate.stage, candidate.member) == (Stage.DECIDED, None)


def test_an_admitted_candidate_is_not_admitted_twice(candidate, sponsors, staff_user):
    advance(candidate, "admit", staff_user, sponsors=sponsors)
    with refused(None, "Lê Thị Hồng"):
        candidate_services.admit_candidate(candidate=candidate, ceremony_on=days_ago(80), by=staff_user)


# Withdrawal ------------------------------------------------------------------------------------


def test_withdrawal_closes_the_case(candidate, sponsors, secretary_a):
    candidate_services.withdraw(
        candidate=candidate, on=days_ago(2), reason=" Chuyển công tác ", by=secretary_a
    )
    candidate.refresh_from_db()
    assert (candidate.stage, candidate.withdrawn_on, candidate.withdrawal_reason) == (
        Stage.WITHDRAWN,
        days_ago(2),
        "Chuyển công tác",
    )
    with refused(None, "Lê Thị Hồng"):
        candidate_services.record_training(
            candidate=candidate, certificate_no="BD", certificate_on=days_ago(1), by=secretary_a
        )


def test_withdrawal_needs_a_reason(candidate, staff_user):
    with refused("reason"):
        candidate_services.withdraw(candidate=candidate, on=days_ago(2), reason=" ", by=staff_user)


# Timeline ------------------------------------------------------------------------------------------


def test_timeline_marks_what_is_done_and_what_comes_next(candidate, sponsors, staff_user):
    advance(candidate, "application", staff_user, sponsors=sponsors)
    steps = candidate_pages.timeline(Candidate.objects.get(pk=candidate.pk))
    assert [step.done for step in steps] == [True, True, True, False, False, False, False]
    assert [step.current for step in steps] == [False, False, False, True, False, False, False]
    assert "Lê Văn Cường" in steps[1].detail and "Võ Thị Dung" in steps[1].detail
    assert candidate_pages.open_steps(candidate) == [
        "training",
        "sponsors",
        "application",
        "vetting-start",
        "withdraw",
    ]


# Admission targets ----------------------------------------------------------------------------------


def test_a_target_is_set_then_corrected_with_history(org_a, staff_user):
    target = candidate_services.set_admission_target(organization=org_a, year=2026, target=12, by=staff_user)
    assert (target.target, target.history.get().history_user) == (12, staff_user)
    candidate_services.set_admission_target(
        organization=org_a, year=2026, target=15, note="Bổ sung", by=staff_user
    )
    candidate_services.set_admission_target(
        organization=org_a, year=2026, target=15, note="Bổ sung", by=staff_user
    )
    target.refresh_from_db()
    assert (target.target, target.note, target.history.count()) == (15, "Bổ sung", 2)
    assert AdmissionTarget.objects.count() == 1


def test_a_target_is_set_for_the_bloc_and_grassroots_organizations_only(cell_a1, staff_user):
    with refused("organization", "Chi bộ Phòng Ngân sách"):
        candidate_services.set_admission_target(organization=cell_a1, year=2026, target=3, by=staff_user)


@pytest.mark.parametrize(("year", "target", "field"), [(2026, 0, "target"), (1999, 5, "year")])
def test_a_target_needs_a_positive_number_and_a_sensible_year(org_a, staff_user, year, target, field):
    with refused(field):
        candidate_services.set_admission_target(organization=org_a, year=year, target=target, by=staff_user)
    assert not AdmissionTarget.objects.exists()


def test_no_target_for_a_dissolved_organization(org_b, staff_user):
    org_services.dissolve_organization(organization=org_b, on=days_ago(3), decision_no="1-QĐ", by=staff_user)
    with refused("organization", "Chi bộ Báo Gia Lai"):
        candidate_services.set_admission_target(organization=org_b, year=2026, target=3, by=staff_user)


def _admit_in(cell, on, by):
    return MemberFactory(organization=cell, admitted_on=on, ceremony_on=on, by=by)


@pytest.fixture
def admissions(bloc, org_a, cell_a1, org_b, staff_user):
    """Last year: three admissions in chi bộ A1, one in B; one in A1 the year before."""
    year = today().year - 1
    for month in (2, 6, 11):
        _admit_in(cell_a1, D(year, month, 10), staff_user)
    _admit_in(org_b, D(year, 12, 31), staff_user)
    _admit_in(cell_a1, D(year - 1, 12, 31), staff_user)
    return year


def test_progress_counts_the_admissions_of_the_subtree_against_the_own_target(
    admissions, bloc, org_a, org_b, staff_user
):
    year = admissions
    candidate_services.set_admission_target(organization=org_a, year=year, target=4, by=staff_user)
    candidate_services.set_admission_target(organization=bloc, year=year, target=3, by=staff_user)
    progress_a = candidate_selectors.admission_progress(org_a, year)
    assert (progress_a.admitted, progress_a.target, str(progress_a.percent)) == (3, 4, "75.0")
    assert "75,0%" in progress_a.phrase and not progress_a.exceeded
    progress_bloc = candidate_selectors.admission_progress(bloc, year)
    assert (progress_bloc.admitted, progress_bloc.target, str(progress_bloc.percent)) == (4, 3, "133.3")
    assert progress_bloc.exceeded and "33,3%" in progress_bloc.phrase
    progress_b = candidate_selectors.admission_progress(org_b, year)
    assert (progress_b.admitted, progress_b.target, progress_b.percent) == (1, None, None)


def test_the_bloc_target_is_its_own_not_the_sum_of_its_children(admissions, bloc, org_a, staff_user):
    candidate_services.set_admission_target(organization=org_a, year=admissions, target=4, by=staff_user)
    assert candidate_selectors.admission_progress(bloc, admissions).target is None


def test_progress_of_993_against_750_exceeds_the_target_by_32_4_percent(bloc):
    progress = candidate_selectors.AdmissionProgress(organization=bloc, year=2026, admitted=993, target=750)
    assert str(progress.percent) == "132.4" and progress.exceeded
    with translation.override("vi"):
        assert progress.phrase == "kết nạp 993 đảng viên, vượt 32,4% chỉ tiêu"


def test_progress_below_the_target_reads_as_reached_percent(bloc):
    progress = candidate_selectors.AdmissionProgress(organization=bloc, year=2026, admitted=4250, target=5000)
    assert str(progress.percent) == "85.0" and not progress.exceeded
    with translation.override("vi"):
        assert progress.phrase == "kết nạp 4.250 đảng viên, đạt 85,0% chỉ tiêu"


def test_progress_rows_show_the_visible_grassroots_organizations(
    admissions, bloc, org_a, org_b, secretary_a, leader_user
):
    candidate_services.set_admission_target(organization=org_a, year=admissions, target=2, by=leader_user)
    rows = {
        row.organization: row for row in candidate_selectors.admission_progress_rows(leader_user, admissions)
    }
    assert list(rows) == [bloc, org_a, org_b]
    assert [(r.admitted, r.target) for r in rows.values()] == [(4, None), (3, 2), (1, None)]
    assert [
        row.organization for row in candidate_selectors.admission_progress_rows(secretary_a, admissions)
    ] == [org_a]


@pytest.mark.parametrize("extra", [1, 6])
def test_progress_rows_cost_one_query_whatever_the_number_of_organizations(
    bloc, staff_user, system_user, django_assert_num_queries, extra
):
    year = today().year
    for n in range(extra):
        organization = OrganizationFactory(code=f"P{n}", parent=bloc, by=system_user)
        candidate_services.set_admission_target(
            organization=organization, year=year, target=n + 1, by=system_user
        )
        _admit_in(organization, today(), system_user)
    access.assignments_of(staff_user)  # read once per request
    with django_assert_num_queries(1):
        rows = candidate_selectors.admission_progress_rows(staff_user, year)
    assert [(row.admitted, row.target) for row in rows[1:]] == [(1, n + 1) for n in range(extra)]
