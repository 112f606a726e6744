"""The case work's raw figures for ``reports/statistics.py``: cases, discipline decisions and letters
counted per acting (or receiving) organization and per day, never summed up a subtree here. The
statistics service places each organization in the tree as it stood on the row's day, adds up and
publishes the figures (docs/statistics.md).

Each function is one grouped query. The cases keep their targets in the grouping, because the
figures count distinct organizations and members inspected (one organization inspected twice is one
organization covered); everything else is a count per organization and day.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from members.models import CommitteeSeat

from ..models import Case, Complaint, DisciplineDecision

SECRETARY = CommitteeSeat.Position.SECRETARY.value


def _within(queryset: QuerySet, organization_ids: Iterable[int] | None) -> QuerySet:
    if organization_ids is not None:
        queryset = queryset.filter(organization_id__in=list(organization_ids))
    return queryset.order_by()


@dataclass(frozen=True)
class CaseRow:
    """Cases of one kind opened on one day by a body of one organization on one target."""

    organization_id: int
    opened_on: date
    kind: str
    target_organization_id: int | None
    target_member_id: int | None
    secretary: bool  # the member inspected was a bí thư on the case date
    count: int


def cases_opened(start: date, end: date, organization_ids: Iterable[int] | None = None) -> list[CaseRow]:
    """Cases decided (``opened_on``) from ``start`` to ``end``, grouped by the conducting organization,
    the day, the kind and the target. One query."""
    rows = (
        _within(Case.objects.filter(opened_on__range=(start, end)), organization_ids)
        .values(
            "organization_id",
            "opened_on",
            "kind",
            "target_organization_id",
            "target_member_id",
            "target_position",
        )
        .annotate(count=Count("id"))
    )
    return [
        CaseRow(
            row["organization_id"],
            row["opened_on"],
            row["kind"],
            row["target_organization_id"],
            row["target_member_id"],
            row["target_position"] == SECRETARY,
            row["count"],
        )
        for row in rows
    ]


def violations_found(
    start: date, end: date, organization_ids: Iterable[int] | None = None
) -> list[tuple[int, date, int]]:
    """(organization, day, count) of the cases concluded (``closed_on``) from ``start`` to ``end``
    with a violation (warranting discipline or not). One query."""
    cases = Case.objects.filter(closed_on__range=(start, end), conclusion__in=Case.VIOLATIONS)
    rows = _within(cases, organization_ids).values("organization_id", "closed_on").annotate(count=Count("id"))
    return [(row["organization_id"], row["closed_on"], row["count"]) for row in rows]


@dataclass(frozen=True)
class DecisionRow:
    """Decisions in force of one form taken on one day by one organization."""

    organization_id: int
    decided_on: date
    form: str  # the form now (changed on appeal: the new one)
    members: int
    organizations: int


def decisions_taken(
    start: date, end: date, organization_ids: Iterable[int] | None = None
) -> list[DecisionRow]:
    """Discipline decisions taken (``decided_on``) from ``start`` to ``end`` and not annulled on
    appeal, by deciding organization, day and current form, members and organizations apart. One
    query."""
    decisions = DisciplineDecision.objects.in_force().filter(decided_on__range=(start, end))
    rows = (
        _within(decisions, organization_ids)
        .values("organization_id", "decided_on", "form")
        .annotate(
            members=Count("id", filter=Q(target_member__isnull=False)),
            organizations=Count("id", filter=Q(target_organization__isnull=False)),
        )
    )
    return [
        DecisionRow(
            row["organization_id"], row["decided_on"], row["form"], row["members"], row["organizations"]
        )
        for row in rows
    ]


def letters_received(
    start: date, end: date, organization_ids: Iterable[int] | None = None
) -> list[tuple[int, date, int]]:
    """(receiving organization, day, count) of the letters received from ``start`` to ``end``."""
    letters = Complaint.objects.filter(received_on__range=(start, end))
    rows = _within(letters, organization_ids).values("organization_id", "received_on").annotate(n=Count("id"))
    return [(row["organization_id"], row["received_on"], row["n"]) for row in rows]


def letters_resolved(
    start: date, end: date, organization_ids: Iterable[int] | None = None
) -> list[tuple[int, date, int]]:
    """(receiving organization, day, count) of the letters settled (status resolved, not forwarded nor
    filed) from ``start`` to ``end``."""
    letters = Complaint.objects.filter(status=Complaint.Status.RESOLVED, resolved_on__range=(start, end))
    rows = _within(letters, organization_ids).values("organization_id", "resolved_on").annotate(n=Count("id"))
    return [(row["organization_id"], row["resolved_on"], row["n"]) for row in rows]


def pending_q(day: date) -> Q:
    """The letters waiting on ``day``: received by then and not closed by it (still open, or closed
    later). The letters' list filters ``pending_on`` the same way."""
    return Q(received_on__lte=day) & (Q(status__in=Complaint.OPEN_STATUSES) | Q(resolved_on__gt=day))


def letters_pending_on(
    day: date, organization_ids: Iterable[int] | None = None
) -> dict[int, tuple[int, int]]:
    """Per receiving organization: the letters waiting on ``day``, and those of them past their
    handling deadline (``due_on`` before the day). One query."""
    rows = (
        _within(Complaint.objects.filter(pending_q(day)), organization_ids)
        .values("organization_id")
        .annotate(pending=Count("id"), overdue=Count("id", filter=Q(due_on__lt=day)))
    )
    return {row["organization_id"]: (row["pending"], row["overdue"]) for row in rows}
