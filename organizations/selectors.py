"""Reads of the organization register: tree, counts by kind, history."""

from collections import Counter
from dataclasses import dataclass, field

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
    """Per-field changes from django-simple-history, newest first."""
    records = list(
        organization.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    fields = {f.name: f for f in Organization._meta.fields}
    changes = []
    for newer, older in zip(records, records[1:], strict=False):
        delta = newer.diff_against(older, excluded_fields=["path"])
        for change in delta.changes:
            model_field = fields.get(change.field)
            label = model_field.verbose_name if model_field is not None else change.field
            changes.append(
                {
                    "when": newer.history_date,
                    "who": newer.history_user,
                    "field": label,
                    "old": _display(model_field, change.old),
                    "new": _display(model_field, change.new),
                }
            )
    if records and len(records) <= limit:
        first = records[-1]
        changes.append(
            {"when": first.history_date, "who": first.history_user, "field": None, "old": None, "new": None}
        )
    return changes


def _display(model_field, value):
    if model_field is not None and model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if model_field is not None and model_field.is_relation and value is not None:
        return Organization.objects.filter(pk=value).values_list("name", flat=True).first()
    return value
