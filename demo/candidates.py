"""The demo party-development pipeline of ``seed_demo``: quần chúng ưu tú at every stage in the chi
bộ that can admit (three official members or more), and the admission targets of the bloc and its
grassroots organizations for this year and the last. Every step goes through ``members.services.candidates``.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from blocportal import clock, rules
from demo.members import Register, SeedError
from members import resolutions
from members.models import Candidate, Member, Movement
from members.selectors import candidates as candidate_selectors
from members.services import candidates as candidate_services
from organizations.models import Organization

Stage = Candidate.Stage
# How far each demo candidate goes, with its weight.
STAGES = {
    Stage.OUTSTANDING: 4,
    Stage.TRAINED: 4,
    Stage.VETTING: 3,
    Stage.PROPOSED: 2,
    Stage.DECIDED: 1,
    Stage.ADMITTED: 1,
    Stage.WITHDRAWN: 1,
}


def seed_candidates(demo, per_cell: float = 0.5) -> int:
    """About ``per_cell`` candidates per chi bộ that can admit; skipped when there are candidates
    already. Every stage is reached in a chi bộ whose members make it possible on the dates drawn
    (three official members, two long-standing sponsors); a refusal stops the seed."""
    if Candidate.objects.exists():
        return 0
    today = clock.today()
    register = Register(rng=demo.rng, by=demo.by, cells=[], today=today)
    register.cccds = set(Member.objects.exclude(cccd="").values_list("cccd", flat=True))
    register.cards = Member.objects.exclude(card_number="").count()
    cells = (
        Organization.objects.filter(kind__in=Organization.CELL_KINDS, dissolved_on__isnull=True)
        .annotate(official=Count("members", filter=Q(members__status="chinh_thuc", members__exit_reason="")))
        .filter(official__gte=rules.get("cell.min_official_members"))
        .order_by("path")
    )
    # The chi bộ where a case can go through the resolution: sponsors today, and enough official
    # members for a valid vote on the earliest resolution date drawn below.
    earliest_resolution = today - timedelta(days=300 - 55)
    able = [
        cell
        for cell in cells
        if len(candidate_selectors.eligible_sponsors(cell, today)) >= 2
        and resolutions.vote_denominator(cell, earliest_resolution) >= rules.get("cell.min_official_members")
    ]
    goals = [stage for stage, weight in STAGES.items() for _ in range(weight)]
    needs_cell = [goal for goal in goals if goal not in (Stage.OUTSTANDING, Stage.TRAINED, Stage.WITHDRAWN)]
    if needs_cell and not able:
        raise SeedError(
            _(
                "No Party cell of the demo register can admit (three official members and two sponsors "
                "of 12 months): seed more members."
            )
        )
    made = 0
    with transaction.atomic():
        for index in range(max(len(goals), round(per_cell * len(cells)))):
            goal = goals[index % len(goals)]
            cell = demo.rng.choice(able if goal in needs_cell else cells or able)
            try:
                _one(register, cell, today, goal)
            except ValidationError as error:
                raise SeedError(
                    _("Candidate %(n)s (%(stage)s) in %(cell)s: %(error)s")
                    % {"n": index + 1, "stage": goal, "cell": cell.name, "error": "; ".join(error.messages)}
                ) from error
            made += 1
        _seed_targets(demo, today)
    return made


def _one(register: Register, cell: Organization, today: date, goal: str) -> None:
    rng, by = register.rng, register.by
    person = register.person(today.year - 34, today.year - 20)
    person.pop("theory_level")
    candidate = candidate_services.create_candidate(organization=cell, by=by, **person)
    if goal == Stage.OUTSTANDING:
        return
    day = today - timedelta(days=rng.randint(90, 300))
    candidate_services.record_training(
        candidate=candidate, certificate_no=f"{rng.randint(10, 999)}/GCN", certificate_on=day, by=by
    )
    if goal == Stage.WITHDRAWN:
        candidate_services.withdraw(
            candidate=candidate, on=day + timedelta(days=30), reason="Chuyển công tác ra ngoài tỉnh", by=by
        )
        return
    if goal == Stage.TRAINED:
        return
    sponsors = candidate_selectors.eligible_sponsors(cell, today)
    candidate_services.assign_sponsors(
        candidate=candidate, sponsor_1=sponsors[0], sponsor_2=sponsors[1], by=by
    )
    candidate_services.record_application(candidate=candidate, applied_on=day + timedelta(days=15), by=by)
    candidate_services.start_vetting(candidate=candidate, on=day + timedelta(days=20), by=by)
    if goal == Stage.VETTING:
        return
    candidate_services.complete_vetting(candidate=candidate, on=day + timedelta(days=50), by=by)
    resolution_on = day + timedelta(days=55)
    denominator = resolutions.vote_denominator(cell, resolution_on)
    candidate_services.record_resolution(
        candidate=candidate,
        resolution_no=f"{rng.randint(1, 30):02d}-NQ/CB",
        resolution_on=resolution_on,
        votes_for=denominator - rng.randint(0, denominator // 4),
        official_members=denominator,
        by=by,
    )
    if goal == Stage.PROPOSED:
        return
    decided = min(day + timedelta(days=rng.randint(65, 80)), today - timedelta(days=2))
    candidate_services.record_decision(
        candidate=candidate, decision_no=f"{rng.randint(100, 999)}-QĐ/ĐU", decision_on=decided, by=by
    )
    if goal == Stage.ADMITTED:
        candidate_services.admit_candidate(
            candidate=candidate, ceremony_on=min(decided + timedelta(days=10), today), by=by
        )


def _seed_targets(demo, today: date) -> None:
    """Targets near what each organization admitted in the year, so progress reads like the press:
    some organizations over their target, some under it."""
    rng = demo.rng
    bloc = Organization.objects.get(parent__isnull=True, kind=Organization.Kind.BLOC)
    for year in (today.year - 1, today.year):
        admitted = Movement.objects.filter(kind=Movement.Kind.ADMITTED, on__year=year)
        total = admitted.count()
        candidate_services.set_admission_target(
            organization=bloc, year=year, target=max(round(total * 0.8), 1), by=demo.by
        )
        for organization in Organization.objects.grassroots().active().order_by("path"):
            count = admitted.filter(organization__path__startswith=organization.path).count()
            target = max(round(count * rng.uniform(0.7, 1.3)), 1)
            candidate_services.set_admission_target(
                organization=organization, year=year, target=target, by=demo.by
            )
