"""Reads of the organization register: tree, counts by kind, history."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from django.db.models import QuerySet

from blocportal.history import field_changes
from blocportal.links import pk_url

from .models import PATH_STEP, Organization, OrganizationEvent


@dataclass
class TreeNode:
    """An organization of the tree and what its line shows, computed once for the whole tree (a
    tree shows a few hundred organizations: ``organization_tree``)."""

    organization: Organization
    children: list["TreeNode"] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)  # active descendants by kind
    # Its children are not in the tree: they are loaded from ``children_url`` when it is opened.
    lazy: bool = False
    url: str = ""
    children_url: str = ""
    kind_label: str = ""
    count_items: list[tuple[str, int]] = field(default_factory=list)  # (kind, how many) beneath it

    @property
    def has_children(self) -> bool:
        return bool(self.children) or (self.lazy and bool(self.counts))


def organization_list(user) -> QuerySet[Organization]:
    """The organizations the user may see, with their parent: a page of the list is one query."""
    return Organization.objects.visible_to(user).select_related("parent")


def organization_tree(user, *, root: Organization | None = None) -> list[TreeNode]:
    """The active organizations the user can see, as a forest, each node carrying the number of
    active sub-organizations of every kind beneath it — down to the grassroots level: a tổ chức cơ
    sở đảng under another node of the forest is ``lazy``, its sub-organizations left out (the page
    loads them when it is opened: ``organization_tree(user, root=it)``, where it is the root and
    shows its whole subtree). So the page holds the bloc and its few hundred grassroots
    organizations, not every chi bộ of the bloc.

    Two queries: the path and kind of every organization of the forest (for the counts and to know
    which ones are shown), then the organizations shown."""
    qs = Organization.objects.visible_to(user).active()
    if root is not None:
        qs = qs.subtree(root)
    rows = list(qs.order_by("path").values_list("pk", "path", "kind"))
    paths = {path for _pk, path, _kind in rows}
    counts: dict[str, Counter] = {}  # of the organizations shown
    shown, folded = [], set()  # folded: the paths of the lazy nodes
    grassroots = set(Organization.GRASSROOTS_KINDS)
    for pk, path, kind in rows:  # by path: ancestors first
        above = [path[:end] for end in range(PATH_STEP, len(path), PATH_STEP)]
        for ancestor in above:
            if ancestor in counts:
                counts[ancestor][kind] += 1
        if folded.isdisjoint(above):
            shown.append(pk)
            counts[path] = Counter()
            if kind in grassroots and not paths.isdisjoint(above):  # below another node of the forest
                folded.add(path)
    organizations = list(
        Organization.objects.filter(pk__in=shown)
        .only("id", "code", "name", "kind", "sector", "path", "parent_id", "dissolved_on")
        .order_by("path")
    )
    labels = {kind: str(label) for kind, label in Organization.Kind.choices}  # in the order of the kinds
    nodes = {}
    for org in organizations:
        node_counts, lazy = counts[org.path], org.path in folded
        nodes[org.path] = TreeNode(
            org,
            counts=node_counts,
            lazy=lazy,
            url=org.get_absolute_url(),
            children_url=pk_url("organizations:tree_children", org.pk) if lazy else "",
            kind_label=labels[org.kind],
            count_items=[(label, n) for kind, label in labels.items() if (n := node_counts[kind])],
        )
    roots: list[TreeNode] = []
    for org in organizations:
        node = nodes[org.path]
        parent = nodes.get(org.path[:-PATH_STEP])
        if parent is not None and parent.organization.pk == org.parent_id:
            parent.children.append(node)
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


def grassroots_names(paths: Iterable[str], user=None) -> dict[str, str]:
    """For each organization path: the short name (else the name) of the tổ chức cơ sở đảng whose
    subtree holds it — itself when it is one — among those the user may see (all of them without
    a user); a path above the grassroots level is left out. Several đảng bộ have a "Chi bộ Văn
    phòng": this names which one. One query on the path index, for the few organizations of a page
    of a list (``ListTable.page_cut``), the same names as ``querysets.grassroots_name``."""
    paths = set(paths)
    prefixes = {path[:end] for path in paths for end in range(PATH_STEP, len(path) + 1, PATH_STEP)}
    if not prefixes:
        return {}
    found = Organization.objects.grassroots().filter(path__in=prefixes)
    if user is not None:
        found = found.visible_to(user)
    names = {
        path: short_name or name for path, short_name, name in found.values_list("path", "short_name", "name")
    }
    result = {}
    for path in paths:
        for end in range(PATH_STEP, len(path) + 1, PATH_STEP):  # the outermost first
            if path[:end] in names:
                result[path] = names[path[:end]]
                break
    return result


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


@dataclass(frozen=True)
class Unit:
    """An organization as it stood on a date: its name and parent of that day."""

    id: int
    code: str
    name: str
    kind: str
    sector: str
    parent_id: int | None
    established_on: date | None
    dissolved_on: date | None

    def exists_on(self, day: date) -> bool:
        return (self.established_on is None or self.established_on <= day) and (
            self.dissolved_on is None or self.dissolved_on > day
        )


class Structure:
    """The tree of the bloc as it stood on ``on`` (DOMAIN.md §11, rule 15): the present tree with
    the renames and moves recorded after that day undone, latest first. Organizations not yet
    established or already dissolved on the day are still in ``units`` (with their last parent), so
    that a movement dated before a dissolution finds where it happened; ``exists`` tells them apart.
    Two queries, whatever the day: every organization, and the events after the day."""

    def __init__(self, on: date, units: dict[int, Unit]):
        self.on = on
        self.units = units
        self._children: dict[int | None, list[int]] = {}
        for unit in units.values():
            self._children.setdefault(unit.parent_id, []).append(unit.id)

    def exists(self, unit_id: int) -> bool:
        return self.units[unit_id].exists_on(self.on)

    def under(self, node_id: int, *, include_self: bool = True) -> set[int]:
        """The ids below ``node_id`` on the day (existing or not)."""
        found, stack = set(), [node_id]
        while stack:
            current = stack.pop()
            found.add(current)
            stack.extend(self._children.get(current, ()))
        if not include_self:
            found.discard(node_id)
        return found

    def grassroots_of(self, unit_id: int) -> Unit | None:
        """The tổ chức cơ sở đảng that holds ``unit_id`` on the day (itself if it is one)."""
        grassroots = {kind.value for kind in Organization.GRASSROOTS_KINDS}
        current = self.units.get(unit_id)
        while current is not None:
            if current.kind in grassroots:
                return current
            current = self.units.get(current.parent_id)
        return None

    def sector_of(self, unit_id: int) -> str:
        """The sector of the organization's tổ chức cơ sở đảng (sub-organizations inherit it);
        "khac" when it has none."""
        grassroots = self.grassroots_of(unit_id)
        sector = grassroots.sector if grassroots is not None else self.units[unit_id].sector
        return sector or Organization.Sector.OTHER.value


def structure_on(day: date) -> Structure:
    """The tree as it stood on ``day`` (see ``Structure``)."""
    _moves, trees = structures_between(day, day)
    return trees[day]


def structures_between(start: date, end: date) -> tuple[list[date], dict[date, Structure]]:
    """The days in ``start``…``end`` on which an organization changed parent (after ``start``), and
    the tree on ``start``, ``end`` and each of those days: between two of them the tree stands
    still. Two queries however many days: every organization, then the renames and moves after
    ``start``, undone latest first."""
    units = {
        row[0]: Unit(*row)
        for row in Organization.objects.order_by().values_list(
            "id", "code", "name", "kind", "sector", "parent_id", "established_on", "dissolved_on"
        )
    }
    events = list(
        OrganizationEvent.objects.filter(
            on__gt=start, kind__in=[OrganizationEvent.Kind.RENAMED, OrganizationEvent.Kind.MOVED]
        )
        .order_by("-on", "-recorded_at", "-pk")
        .values_list("on", "organization_id", "kind", "old_name", "old_parent_id")
    )
    moves = sorted(
        {on for on, _id, kind, *_rest in events if kind == OrganizationEvent.Kind.MOVED and on <= end}
    )
    trees, undone = {}, 0
    for day in sorted({start, end, *moves}, reverse=True):
        while undone < len(events) and events[undone][0] > day:
            _on, organization_id, kind, old_name, old_parent_id = events[undone]
            unit = units[organization_id]
            if kind == OrganizationEvent.Kind.RENAMED and old_name:
                units[organization_id] = replace(unit, name=old_name)
            elif kind == OrganizationEvent.Kind.MOVED:
                units[organization_id] = replace(unit, parent_id=old_parent_id)
            undone += 1
        trees[day] = Structure(day, dict(units))
    return moves, trees
