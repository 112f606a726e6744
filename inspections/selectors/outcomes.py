"""A member's discipline outcomes, as the member's page shows them to whoever may see the member: the
form, the decision and its status; never the case, the violation or the findings."""

from dataclasses import dataclass
from datetime import date

from blocportal import access
from members.panels import Panel

from ..models import Body, DisciplineDecision


@dataclass(frozen=True)
class Outcome:
    pk: int
    form: str
    original_form: str
    decision_no: str
    decided_on: date
    effective_on: date
    decided_by: str
    status: str
    status_code: str
    readable: bool  # the user may open the decision (the inspector in scope)


def member_outcomes(member, user) -> list[Outcome]:
    """The member's discipline decisions, newest first. One query."""
    decisions = (
        DisciplineDecision.objects.filter(target_member=member)
        .select_related("organization")
        .order_by("-decided_on", "-pk")
    )
    return [
        Outcome(
            pk=decision.pk,
            form=decision.get_form_display(),
            original_form=(
                DisciplineDecision.Form(decision.original_form).label if decision.original_form else ""
            ),
            decision_no=decision.decision_no,
            decided_on=decision.decided_on,
            effective_on=decision.effective_on,
            decided_by=(
                decision.organization.name
                if decision.body == Body.CELL
                else f"{Body(decision.body).label} {decision.organization.name}"
            ),
            status=decision.get_status_display(),
            status_code=decision.status,
            readable=access.has_permission(user, "case.view", decision.organization),
        )
        for decision in decisions
    ]


def discipline_panel(member, user) -> Panel | None:
    """The member page's "Kỷ luật đảng" section, when the member has a decision."""
    from django.utils.translation import gettext as _

    outcomes = member_outcomes(member, user)
    if not outcomes:
        return None
    return Panel("inspections/_member_outcomes.html", _("Party discipline"), {"outcomes": outcomes})


@dataclass(frozen=True)
class Disciplined:
    target_id: int  # the member, or the organization, disciplined
    form: str  # the form's label
    decision_no: str
    decided_on: date


def disciplined_between(member_ids, start: date, end: date) -> dict[int, list[Disciplined]]:
    """The decisions in force against these members taken between ``start`` and ``end`` (a rating caps a
    member disciplined in the year, DOMAIN.md §6), by member. One query."""
    found: dict[int, list[Disciplined]] = {}
    decisions = (
        DisciplineDecision.objects.in_force()
        .filter(target_member_id__in=list(member_ids), decided_on__range=(start, end))
        .order_by("decided_on", "pk")
        .values_list("target_member_id", "form", "decision_no", "decided_on")
    )
    for member_id, form, decision_no, decided_on in decisions:
        found.setdefault(member_id, []).append(
            Disciplined(member_id, DisciplineDecision.Form(form).label, decision_no, decided_on)
        )
    return found


def organizations_disciplined_between(
    organization_ids, start: date, end: date
) -> dict[int, list[Disciplined]]:
    """``disciplined_between`` for organizations (an organization's rating sheet shows its discipline of the
    year), by organization. One query."""
    found: dict[int, list[Disciplined]] = {}
    decisions = (
        DisciplineDecision.objects.in_force()
        .filter(target_organization_id__in=list(organization_ids), decided_on__range=(start, end))
        .order_by("decided_on", "pk")
        .values_list("target_organization_id", "form", "decision_no", "decided_on")
    )
    for organization_id, form, decision_no, decided_on in decisions:
        found.setdefault(organization_id, []).append(
            Disciplined(organization_id, DisciplineDecision.Form(form).label, decision_no, decided_on)
        )
    return found
