"""Reads of the clusters and the awards register: the clusters of a year with their organizations, the
awards list in the user's scope, and the lists of candidates for the titles that reward a streak
(DOMAIN.md §7: "Đảng viên hoàn thành xuất sắc nhiệm vụ tiêu biểu 5 năm liền", "TCCSĐ hoàn thành xuất sắc
nhiệm vụ 5 năm liền").

A streak is read from the decided annual ratings only (``level`` set, quarter 0): N years in a row at the
best level up to a year — "hoàn thành xuất sắc nhiệm vụ", or "trong sạch, vững mạnh" for an organization in
a legacy year, the best level of its time. One query gives the rows, in the user's scope by the rating of
the last year (where the member was rated then, where the organization is), with whether the recipient
already holds a title (danh hiệu) awarded for a year of the streak or later.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext as _

from blocportal import access
from blocportal.text import nfc
from members.models import Member
from members.panels import Panel
from organizations.models import Organization

from ..models import RANK, Award, Cluster, ClusterMember, MemberRating, OrganizationRating

# The levels a streak counts: the best of each classification (htxs; tsvm in the legacy years).
BEST_LEVELS = tuple(level for level, rank in RANK.items() if rank == 0)
MEMBER, ORGANIZATION = "member", "organization"
RATING_YEARS = 10  # the ratings a member's page shows


def award_list(user) -> QuerySet[Award]:
    """The awards of the user's scope (by the organization they count under) with what the list's cells
    read: one query for a page."""
    return Award.objects.visible_to(user).select_related(
        "target_member", "target_organization", "organization"
    )


def readable_clusters(user) -> QuerySet[Cluster]:
    """The clusters the user reads: those owned in their scope, and those holding an organization of their
    scope (a secretary sees whom their organization competes with)."""
    return Cluster.objects.filter(
        Q(pk__in=Cluster.objects.visible_to(user).values("pk"))
        | Q(pk__in=ClusterMember.objects.visible_to(user).values("cluster_id"))
    )


def clusters_of(user, year: int) -> list[Cluster]:
    """The clusters of ``year`` the user reads, each with its places (organizations in the tree's order).
    Two queries."""
    places = ClusterMember.objects.select_related("organization").order_by("organization__path")
    return list(
        readable_clusters(user)
        .filter(year=year)
        .select_related("owner")
        .prefetch_related(Prefetch("places", queryset=places))
        .order_by("owner__path", "order", "name")
    )


def cluster_years(user) -> list[int]:
    """The years that have clusters the user reads, latest first."""
    return list(readable_clusters(user).order_by("-year").values_list("year", flat=True).distinct())


def placeable(owner: Organization, year: int) -> QuerySet[Organization]:
    """The organizations a cluster of ``owner`` may hold in ``year``: the grassroots organizations under
    it that existed during the year (established by its end, not dissolved before its start)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return (
        Organization.objects.subtree(owner, include_self=False)
        .grassroots()
        .filter(Q(established_on__isnull=True) | Q(established_on__lte=end))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=start))
    )


def unplaced(owner: Organization, year: int) -> list[Organization]:
    """The organizations ``owner``'s clusters of ``year`` may hold that sit in none (to be placed before the
    scores). One query."""
    taken = ClusterMember.objects.filter(year=year, cluster__owner=owner).values("organization_id")
    return list(placeable(owner, year).exclude(pk__in=taken).order_by("path"))


@dataclass(frozen=True)
class StreakRow:
    pk: int  # the member's or the organization's
    name: str
    organization: Organization  # where the member was rated the last year, or the organization itself
    years: int
    title: str  # the title already awarded for the streak, or ""
    decision_no: str


def _held_title(recipient: str, first_year: int):
    """The latest title (danh hiệu) awarded to the row's recipient (``recipient``: the award's field) for
    a year of the streak or later."""
    outer = "member_id" if recipient == "target_member" else "organization_id"
    return Award.objects.filter(
        kind=Award.Kind.TITLE, year__gte=first_year, **{recipient: OuterRef(outer)}
    ).order_by("-decided_on", "-pk")


def streaks(user, *, kind: str, years: int, until: int) -> list[StreakRow]:
    """The members (``kind`` "member") or organizations ("organization") rated at the best level every year
    from ``until - years + 1`` to ``until``, in the user's scope, with the title they already hold. One
    query."""
    first = until - years + 1
    if kind == MEMBER:
        model, target, order = MemberRating, "member", ("organization__path", "member__sort_name")
    else:
        model, target, order = OrganizationRating, "organization", ("organization__path",)
    in_a_row = (
        model.objects.annual()
        .filter(year__gte=first, year__lte=until, level__in=BEST_LEVELS)
        .values(f"{target}_id")
        .annotate(n=Count("year"))
        .filter(n=years)
        .values(f"{target}_id")
    )
    held = _held_title(f"target_{target}", first)
    rows = (
        model.objects.visible_to(user)
        .annual()
        .filter(year=until, **{f"{target}_id__in": in_a_row})
        .select_related("organization", *(("member",) if kind == MEMBER else ()))
        .annotate(
            held=Exists(held),
            held_title=Subquery(held.values("title")[:1]),
            held_decision=Subquery(held.values("decision_no")[:1]),
        )
        .order_by(*order)
    )
    return [
        StreakRow(
            pk=getattr(rating, f"{target}_id"),
            name=rating.member.full_name if kind == MEMBER else rating.organization.name,
            organization=rating.organization,
            years=years,
            title=rating.held_title or "",
            decision_no=rating.held_decision or "",
        )
        for rating in rows
    ]


# Who and what the forms choose from ------------------------------------------------------------------


def _change_scope(user, path_field: str):
    return access.scope_q(user, path_field, roles=access.PERMISSIONS["emulation.change"])


def cluster_owners(user) -> QuerySet[Organization]:
    """The organizations whose clusters the user arranges: the blocs where they hold emulation.change (the
    clusters group grassroots organizations, so their owner is above them)."""
    return Organization.objects.filter(_change_scope(user, "path"), kind=Organization.Kind.BLOC).order_by(
        "path"
    )


def cluster_organizations(user) -> QuerySet[Organization]:
    """The organizations the cluster picker offers: the grassroots ones where the user holds emulation.change
    (the service checks the owner and the year)."""
    return Organization.objects.filter(_change_scope(user, "path")).grassroots()


def award_organizations(user) -> QuerySet[Organization]:
    """The organizations the user may record an award for (emulation.change over them)."""
    return Organization.objects.filter(_change_scope(user, "path"))


def award_members(user) -> QuerySet[Member]:
    """The members the user may record an award for: those whose (current or last) chi bộ lies where they
    hold emulation.change, former members too (an award of a past year)."""
    return Member.objects.filter(_change_scope(user, "organization__path"))


MEMBER_LIMIT = 20


def search_members(user, text: str) -> tuple[list[Member], bool]:
    """At most MEMBER_LIMIT members of ``award_members`` matching ``text`` (name, CCCD or Party card), those
    on the register first, and whether there are more. One query."""
    found = list(
        award_members(user)
        .search(nfc(text[:100]))
        .select_related("organization")
        .annotate(
            _former=Case(When(exit_reason="", then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("_former", "sort_name", "pk")[: MEMBER_LIMIT + 1]
    )
    return found[:MEMBER_LIMIT], len(found) > MEMBER_LIMIT


def member_awards(member: Member) -> list[Award]:
    """A member's awards, latest first (the member page's panel). One query."""
    return list(member.awards.select_related("organization").order_by("-year", "-decided_on", "-pk"))


# The member page's panels (members.panels) ----------------------------------------------------------


def awards_panel(member: Member, user) -> Panel | None:
    """The member page's "Khen thưởng" section: the member's awards, for whoever reads the emulation
    records of the member's chi bộ. One query."""
    if not access.has_permission(user, "emulation.view", member.organization):
        return None
    found = member_awards(member)
    if not found:
        return None
    return Panel("emulation/awards/_member_awards.html", _("Awards"), {"awards": found})


def ratings_panel(member: Member, user) -> Panel | None:
    """The member page's "Xếp loại chất lượng" section: the member's decided annual ratings, latest first,
    for whoever reads the ratings of the member's chi bộ. One query."""
    if not access.has_permission(user, "rating.view", member.organization):
        return None
    ratings = list(
        member.ratings.annual().decided().select_related("organization").order_by("-year")[:RATING_YEARS]
    )
    if not ratings:
        return None
    return Panel("emulation/awards/_member_ratings.html", _("Quality ratings"), {"ratings": ratings})
