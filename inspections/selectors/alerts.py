"""The inspectors' sections of the attention hub (blocportal.attention; registered in
``inspections.apps``): the letters near their handling deadline (open, due within
``alert.complaint_due_days`` days) and those past it, the cases past their due date and not concluded,
and the appeals accepted and not yet settled (DOMAIN.md §5, validation rule 12).

Everything here is read through the inspection scopes (``visible_to``: the inspector's subtrees,
superusers everything), so a user without an inspector assignment gets empty sections; the hub does
not even ask for them (``permission="case.view"``). One query a section: ``Section.of`` fetches the
rows shown and the count of all of them together, and each ``*_count`` is a bare ``COUNT``."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.urls import reverse

from blocportal import access, rules
from blocportal.attention import Section

from ..models import Appeal, Case, Complaint
from ..querysets import INSPECTORS


def _dated(name: str, parameter: str, on: date) -> str:
    """The list behind a section, filtered on the day as the section is (the lists' GET parameters)."""
    return f"{reverse(name)}?{parameter}={on.isoformat()}"


# Letters ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterRow:
    complaint: Complaint
    days: int  # days left before the deadline (0: today), or days past it


def letters_due_soon(user, on: date) -> QuerySet[Complaint]:
    """Open letters whose handling deadline falls within ``alert.complaint_due_days`` days of ``on``
    (today's deadline included), the nearest first."""
    days = rules.get("alert.complaint_due_days", on=on)
    return (
        Complaint.objects.visible_to(user)
        .open()
        .filter(due_on__range=(on, on + timedelta(days=days)))
        .select_related("organization", "subject_member", "subject_organization")
        .order_by("due_on", "received_on", "pk")
    )


def letters_due_soon_section(user, on: date) -> Section:
    return Section.of(
        letters_due_soon(user, on),
        lambda complaint: LetterRow(complaint, (complaint.due_on - on).days),
        context={"days": rules.get("alert.complaint_due_days", on=on), "on": on},
        url=_dated("inspections:complaints", "pending_on", on),
    )


def letters_due_soon_count(user, on: date) -> int:
    return letters_due_soon(user, on).count()


def letters_overdue(user, on: date) -> QuerySet[Complaint]:
    """Open letters whose handling deadline has passed (due before ``on``), the longest overdue
    first."""
    return (
        Complaint.objects.visible_to(user)
        .open()
        .filter(due_on__lt=on)
        .select_related("organization", "subject_member", "subject_organization")
        .order_by("due_on", "received_on", "pk")
    )


def letters_overdue_section(user, on: date) -> Section:
    return Section.of(
        letters_overdue(user, on),
        lambda complaint: LetterRow(complaint, (on - complaint.due_on).days),
        context={"on": on},
        url=_dated("inspections:complaints", "overdue_on", on),
    )


def letters_overdue_count(user, on: date) -> int:
    return letters_overdue(user, on).count()


# Cases --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    case: Case
    days: int  # days past the due date


def cases_overdue(user, on: date) -> QuerySet[Case]:
    """Cases not concluded whose due date has passed (due before ``on``), the longest overdue first."""
    return (
        Case.objects.visible_to(user)
        .open()
        .filter(due_on__lt=on)
        .select_related("organization", "target_member", "target_organization")
        .order_by("due_on", "opened_on", "pk")
    )


def cases_overdue_section(user, on: date) -> Section:
    return Section.of(cases_overdue(user, on), lambda case: CaseRow(case, (on - case.due_on).days))


def cases_overdue_count(user, on: date) -> int:
    return cases_overdue(user, on).count()


# Appeals ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppealRow:
    appeal: Appeal
    days: int  # days since the appeal was received


def appeals_pending(user, on: date) -> QuerySet[Appeal]:
    """Appeals accepted for settlement and not settled yet, received by ``on``, the oldest first: in
    the scope of the organization that settles them (the level above the one that decided)."""
    return (
        Appeal.objects.filter(
            access.scope_q(user, "organization__path", roles=INSPECTORS),
            status=Appeal.Status.ACCEPTED,
            filed_on__lte=on,
        )
        .select_related(
            "organization",
            "decision__organization",
            "decision__target_member",
            "decision__target_organization",
        )
        .order_by("filed_on", "pk")
    )


def appeals_pending_section(user, on: date) -> Section:
    return Section.of(
        appeals_pending(user, on), lambda appeal: AppealRow(appeal, (on - appeal.filed_on).days)
    )


def appeals_pending_count(user, on: date) -> int:
    return appeals_pending(user, on).count()
