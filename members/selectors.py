"""Reads of the member register.

The first block serves the register's pages (views.py): the list, a profile's spells, movements
and history, and the movements a member's state allows. Attention lists follow it.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from blocportal import access
from blocportal.history import record_changes
from organizations.models import CommitteeSeat, Organization
from organizations.querysets import grassroots_name

from .models import Member, MemberEvent, Membership

# Member register ------------------------------------------------------------------------------


def member_list(user) -> QuerySet[Member]:
    """The members the user may see, current and former, with their chi bộ and the name of its
    grassroots organization (``organization_grassroots``: dozens of chi bộ share a name): a page of
    the list is one query whatever its length."""
    return (
        Member.objects.visible_to(user)
        .select_related("organization")
        .annotate(organization_grassroots=grassroots_name("organization__path", user))
    )


def ethnicities(user) -> list[str]:
    """The ethnicities recorded among the members the user may see, for the list's filter."""
    return list(
        Member.objects.visible_to(user)
        .exclude(ethnicity="")
        .order_by("ethnicity")
        .values_list("ethnicity", flat=True)
        .distinct()
    )


def list_organizations(user) -> QuerySet[Organization]:
    """The organizations whose subtree the list can be narrowed to (dissolved ones too: former
    members stay where they left)."""
    return Organization.objects.visible_to(user).order_by("path")


def cells_for_change(user) -> QuerySet[Organization]:
    """Active chi bộ where the user may record movements: where members are admitted, transferred
    or attached to."""
    scope = access.scope_q(user, "path", roles=access.PERMISSIONS["member.change"])
    return (
        Organization.objects.filter(scope, kind__in=Organization.CELL_KINDS)
        .active()
        .select_related("parent")
        .order_by("path")
    )


def bulk_transfer_sources(user) -> QuerySet[Organization]:
    """Chi bộ in the user's change scope that still have current members, dissolved or not: the
    ones a bulk transfer can empty."""
    scope = access.scope_q(user, "path", roles=access.PERMISSIONS["member.change"])
    return (
        Organization.objects.filter(scope, kind__in=Organization.CELL_KINDS)
        .filter(pk__in=Member.objects.current().values("organization"))
        .select_related("parent")
        .order_by("path")
    )


def current_members_of(cell: Organization) -> QuerySet[Member]:
    return Member.objects.current().filter(organization=cell)


def member_spells(member: Member) -> QuerySet[Membership]:
    """Official and temporary spells, the latest first."""
    return member.spells.select_related("organization").order_by("-started_on", "-pk")


def committee_seats(member: Member) -> QuerySet[CommitteeSeat]:
    return member.committee_seats.select_related("term__organization").order_by("-since", "-pk")


@dataclass(frozen=True)
class MemberTimeline:
    """A member's past in two parts that are never interleaved: ``movements`` (biến động) in the
    order of their decisions, and ``changes`` to the record in the order they were saved. A record
    typed today is not an event of today: it must not sit above a transfer decided months ago."""

    movements: list[MemberEvent]
    changes: list[dict]


def member_timeline(member: Member, *, limit: int = 50) -> MemberTimeline:
    """The member's movements (MemberEvent) by the date they took effect (``on``, the decision
    date), newest first; and the changes of their record (who changed which field, from
    django-simple-history), newest first."""
    events = member.events.select_related(
        "organization", "from_organization", "to_organization", "recorded_by"
    ).order_by("-on", "-recorded_at", "-pk")
    return MemberTimeline(movements=list(events), changes=record_changes(member, limit=limit))


def available_movements(member: Member) -> list[str]:
    """The movements the member's state allows, in the order the profile offers them; the services
    check the same rules (and the dates) when the form is sent. Expulsion is not offered: only a
    discipline decision expels (inspections calls ``services.expel``)."""
    if not member.is_current:
        return ["transfer_back_in"] if member.exit_reason == Member.Exit.TRANSFERRED_OUT else []
    if member.activity == Member.Activity.VISITING:
        return ["end_temporary"]  # their own Party organization records everything else
    probationary = member.status == Member.Status.PROBATIONARY
    activity = member.activity
    offered = {
        "make_official": probationary,
        "transfer": activity != Member.Activity.TEMPORARILY_AWAY,
        "send_temporary": activity == Member.Activity.ACTIVE,
        "end_temporary": activity == Member.Activity.TEMPORARILY_AWAY,
        "exempt": activity == Member.Activity.ACTIVE,
        "end_exemption": activity == Member.Activity.EXEMPTED,
        "transfer_out": True,
        "remove_probationary": probationary,
        "remove": not probationary,
        "leave_party": True,
        "record_death": True,
    }
    return [action for action, allowed in offered.items() if allowed]
