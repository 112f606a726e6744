"""Reads of the member register: the list in the user's scope, the chi bộ a user may choose, a
profile's spells and committee seats.
"""

from django.core.cache import cache
from django.db.models import QuerySet

from blocportal import access
from members.models import CommitteeSeat, Member, Spell
from organizations.models import Organization

# Member register ------------------------------------------------------------------------------


def member_list(user) -> QuerySet[Member]:
    """The members the user may see, current and former, with their chi bộ: a page of the list is
    one query whatever its length (and one for the names of its chi bộ's grassroots organizations:
    members.tables.GrassrootsNames)."""
    return Member.objects.visible_to(user).select_related("organization")


# How long the ethnicities offered by the list's filter are kept for a scope: a DISTINCT over the
# register's members is not run on every page, and a new ethnicity shows in the filter minutes later.
ETHNICITIES_CACHE_SECONDS = 5 * 60


def ethnicities(user) -> list[str]:
    """The ethnicities recorded among the members the user may see, for the list's filter (kept
    ETHNICITIES_CACHE_SECONDS per scope)."""
    return cache.get_or_set(
        f"members:ethnicities:{access.scope_key(user)}",
        lambda: list(
            Member.objects.visible_to(user)
            .exclude(ethnicity="")
            .order_by("ethnicity")
            .values_list("ethnicity", flat=True)
            .distinct()
        ),
        ETHNICITIES_CACHE_SECONDS,
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


def member_spells(member: Member) -> QuerySet[Spell]:
    """Official and temporary spells, the latest first."""
    return member.spells.select_related("organization").order_by("-starts_on", "-pk")


def committee_seats(member: Member) -> QuerySet[CommitteeSeat]:
    return member.committee_seats.select_related("term__organization").order_by("-starts_on", "-pk")
