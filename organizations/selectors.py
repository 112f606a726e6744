"""Reads of the organization register: tree, counts by kind, history."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet

from blocportal.history import field_changes

from .models import Organization, OrganizationEvent


@dataclass
class TreeNode:
    organization: Organization
    children: list["TreeNode"] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)  # active descendants by kind

    @property
    def count_items(self) -> list[tuple[str, int]]:
        labels = dict(Organization.Kind.choices)
        return [(labels[kind], self.counts[kind]) for kind in Organization.Kind.values if self.counts[kind]]


def organization_list(user) -> QuerySet[Organization]:
    """The organizations the user may see, with their parent: a page of the list is one query."""
    return Organization.objects.visible_to(user).select_related("parent")


def organization_tree(user, *, root: Organization | None = None) -> list[TreeNode]:
    """The active organizations the user can see, as a forest (one query), each node carrying the
    number of active sub-organizations of every kind beneath it."""
    qs = (
        Organization.objects.visible_to(user)
        .active()
        .only("id", "code", "name", "kind", "sector", "path", "parent_id", "dissolved_on")
    )
    if root is not None:
        qs = qs.subtree(root)
    organizations = sorted(qs, key=lambda org: org.path)
    nodes = {org.path: TreeNode(org) for org in organizations}
    roots: list[TreeNode] = []
    for org in organizations:
        node = nodes[org.path]
        ancestors = [nodes[p] for p in org.ancestor_paths() if p in nodes]
        for ancestor in ancestors:
            ancestor.counts[org.kind] += 1
        if ancestors and ancestors[-1].organization.pk == org.parent_id:
            ancestors[-1].children.append(node)
        else:
            roots.append(node)
    for node in nodes.values():
        node.children.sort(
            key=lambda child: (
                child.organization.kind != Organization.Kind.GRASSROOTS_COMMITTEE,
                child.organization.name,
            )
        )
    return roots


def kind_counts(organization: Organization) -> list[tuple[str, int]]:
    """Active sub-organizations of each kind under ``organization``."""
    counts = Counter(
        Organization.objects.subtree(organization, include_self=False).active().values_list("kind", flat=True)
    )
    labels = dict(Organization.Kind.choices)
    return [(labels[kind], counts[kind]) for kind in Organization.Kind.values if counts[kind]]


def organization_events(organization: Organization):
    return OrganizationEvent.objects.filter(organization=organization).select_related(
        "old_parent", "new_parent", "other", "recorded_by"
    )


def field_history(organization: Organization, *, limit: int = 50) -> list[dict]:
    """Per-field changes from django-simple-history, newest first (the path is derived)."""
    return field_changes(organization, limit=limit, excluded_fields=("path",))


def visible_ancestors(organization: Organization, user) -> QuerySet[Organization]:
    """The breadcrumbs above ``organization`` that the user may open (ancestors outside the user's
    scope are left out: their names are not shown)."""
    return organization.ancestors().filter(pk__in=Organization.objects.visible_to(user).values("pk"))
