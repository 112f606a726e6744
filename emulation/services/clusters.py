"""The emulation clusters (cụm, khối thi đua) of a year: the grassroots organizations of the bloc that
compete with each other, signing their giao ước thi đua in March and reviewed together in November
(DOMAIN.md §7). An organization sits in one cluster a year (the constraint
``cluster_member_once_per_year``), refused here first with a message naming the organization and the
cluster that holds it. Only grassroots organizations under the cluster's owner that existed during the
year may be placed. Next year's clusters usually start as a copy of this year's (``copy_clusters``).

Every function is one transaction and writes nothing on a refusal.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from blocportal import clock
from blocportal.text import nfc
from organizations.models import Organization

from ..models import Cluster, ClusterMember
from ..selectors.awards import placeable


def check_year(year: int) -> None:
    """A cluster year: from 1930 up to next year (next year's clusters are planned in December)."""
    latest = clock.today().year + 1
    if not 1930 <= year <= latest:
        raise ValidationError({"year": _("Choose a year between 1930 and %(year)s.") % {"year": latest}})


def _check_organizations(
    owner: Organization, year: int, organizations: Iterable[Organization], cluster: Cluster | None
) -> list[Organization]:
    chosen = list({organization.pk: organization for organization in organizations}.values())
    allowed = set(placeable(owner, year).filter(pk__in=[o.pk for o in chosen]).values_list("pk", flat=True))
    errors = [
        _("%(organization)s is not a grassroots organization under %(owner)s existing in %(year)s.")
        % {"organization": organization.name, "owner": owner.name, "year": year}
        for organization in chosen
        if organization.pk not in allowed
    ]
    taken = (
        ClusterMember.objects.filter(year=year, organization__in=chosen)
        .exclude(cluster=cluster)
        .select_related("organization", "cluster")
        .order_by("organization__path")
    )
    errors += [
        _("%(organization)s is already in the cluster “%(cluster)s” for %(year)s.")
        % {"organization": place.organization.name, "cluster": place.cluster.name, "year": year}
        for place in taken
    ]
    if errors:
        raise ValidationError({"organizations": errors})
    return chosen


def _check_name(owner: Organization, year: int, name: str, cluster: Cluster | None) -> str:
    name = nfc(name).strip()
    if not name:
        raise ValidationError({"name": _("Give the cluster a name.")})
    if (
        Cluster.objects.filter(owner=owner, year=year, name=name)
        .exclude(pk=getattr(cluster, "pk", None))
        .exists()
    ):
        raise ValidationError(
            {
                "name": _("%(owner)s already has a cluster “%(name)s” in %(year)s.")
                % {"owner": owner.name, "name": name, "year": year}
            }
        )
    return name


def _place(cluster: Cluster, organizations: list[Organization], by: AbstractBaseUser) -> None:
    """Make the cluster's places exactly ``organizations`` (one history row per place added or removed)."""
    wanted = {organization.pk for organization in organizations}
    for place in cluster.places.exclude(organization_id__in=wanted):
        place._history_user = by
        place.delete()
    present = set(cluster.places.values_list("organization_id", flat=True))
    for organization in organizations:
        if organization.pk not in present:
            place = ClusterMember(cluster=cluster, organization=organization, year=cluster.year)
            place._history_user = by
            place.save()


@transaction.atomic
def create_cluster(
    *,
    owner: Organization,
    year: int,
    name: str,
    organizations: Iterable[Organization],
    by: AbstractBaseUser,
    order: int | None = None,
) -> Cluster:
    """A new cluster of ``owner`` for ``year`` holding ``organizations`` (placed after the year's others
    unless ``order`` is given)."""
    check_year(year)
    name = _check_name(owner, year, name, None)
    chosen = _check_organizations(owner, year, organizations, None)
    if order is None:
        last = Cluster.objects.filter(owner=owner, year=year).aggregate(last=Max("order"))["last"]
        order = 0 if last is None else last + 1
    cluster = Cluster(owner=owner, year=year, name=name, order=order)
    cluster._history_user = by
    cluster.save()
    _place(cluster, chosen, by)
    return cluster


@transaction.atomic
def update_cluster(
    *,
    cluster: Cluster,
    by: AbstractBaseUser,
    name: str | None = None,
    organizations: Iterable[Organization] | None = None,
    order: int | None = None,
) -> Cluster:
    """Rename, reorder or re-place a cluster; what is not given stays. Nothing changes, nothing is written."""
    cluster = Cluster.objects.select_for_update().select_related("owner").get(pk=cluster.pk)
    changed = []
    if name is not None:
        name = _check_name(cluster.owner, cluster.year, name, cluster)
        if name != cluster.name:
            cluster.name = name
            changed.append("name")
    if order is not None and order != cluster.order:
        cluster.order = order
        changed.append("order")
    if organizations is not None:
        chosen = _check_organizations(cluster.owner, cluster.year, organizations, cluster)
        _place(cluster, chosen, by)
    if changed:
        cluster._history_user = by
        cluster.save(update_fields=changed)
    return cluster


@transaction.atomic
def delete_cluster(*, cluster: Cluster, by: AbstractBaseUser) -> None:
    """Remove a cluster and its places (a ranking of the year then has no cluster ranks for them)."""
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    for place in cluster.places.all():
        place._history_user = by
        place.delete()
    cluster._history_user = by
    cluster.delete()


@transaction.atomic
def copy_clusters(
    *, owner: Organization, from_year: int, to_year: int, by: AbstractBaseUser
) -> list[Cluster]:
    """Start ``to_year``'s clusters as a copy of ``from_year``'s: the same names, order and organizations,
    leaving out the organizations that no longer exist in ``to_year``. Refused when ``to_year`` already has
    clusters (edit them instead) or ``from_year`` has none."""
    check_year(to_year)
    if from_year == to_year:
        raise ValidationError({"year": _("Copy the clusters from another year.")})
    if Cluster.objects.filter(owner=owner, year=to_year).exists():
        raise ValidationError(
            {"__all__": [_("%(year)s already has its clusters: edit them instead.") % {"year": to_year}]}
        )
    sources = list(
        Cluster.objects.filter(owner=owner, year=from_year).prefetch_related("places__organization")
    )
    if not sources:
        raise ValidationError(
            {
                "__all__": [
                    _("%(owner)s has no cluster in %(year)s to copy.")
                    % {"owner": owner.name, "year": from_year}
                ]
            }
        )
    existing = set(placeable(owner, to_year).values_list("pk", flat=True))
    copies = []
    for source in sources:
        organizations = [
            place.organization for place in source.places.all() if place.organization_id in existing
        ]
        copies.append(
            create_cluster(
                owner=owner,
                year=to_year,
                name=source.name,
                organizations=organizations,
                by=by,
                order=source.order,
            )
        )
    return copies
