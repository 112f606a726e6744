"""Organization pickers (issue 7): a bloc has hundreds of organizations and dozens of "Chi bộ Văn
phòng", so a form or a filter ships only the chosen one and searches the server as the user types.

A picker names a *purpose*: the queryset its field validates against, for the user (the filters'
``visible``, the movements' ``member.cells``…). The search endpoint (``views.organization_search``)
answers from that same queryset, so the picker never offers what the form would refuse; the form
still refuses an id posted by hand. Apps register their purposes (members in its AppConfig).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from urllib.parse import urlencode

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blocportal import access
from blocportal.text import search_key
from blocportal.widgets import SearchSelect

from .models import Organization

LIMIT = 20  # organizations per answer: the user types more words rather than scrolls
MAX_WORDS = 8
# A word found in more units than this (bộ, đảng, chi…) narrows nothing by its units: only the
# organizations' own names are searched for it.
MAX_CONTEXTS = 50
# The units whose names and host agencies tell their sub-organizations apart.
CONTEXT_KINDS = (*Organization.GRASSROOTS_KINDS, Organization.Kind.BRANCH_COMMITTEE)


@dataclass(frozen=True)
class Purpose:
    queryset: Callable[..., QuerySet[Organization]]  # of the user
    permission: str  # held somewhere, to ask the endpoint at all


PURPOSES: dict[str, Purpose] = {}


def register(name: str, queryset: Callable[..., QuerySet[Organization]], *, permission: str) -> None:
    PURPOSES[name] = Purpose(queryset, permission)


register("visible", lambda user: Organization.objects.visible_to(user), permission="organization.view")
# Where an organization may be created, moved or merged into (organizations/forms.py).
register(
    "organization.parent",
    lambda user: Organization.objects.changeable_by(user).active(),
    permission="organization.change",
)


def label(organization: Organization) -> str:
    """The name, with the grassroots organization below the grassroots level: "Chi bộ Văn phòng —
    Đảng bộ Sở Tài chính". The grassroots name comes from ``with_grassroots`` (no query here)."""
    grassroots = getattr(organization, "grassroots_name", None)
    if grassroots and organization.kind not in (*Organization.GRASSROOTS_KINDS, Organization.Kind.BLOC):
        return f"{organization.name} — {grassroots}"
    return organization.name


def context(organization: Organization, user) -> str:
    """Where the organization sits, for the second line of a choice: its grassroots organization,
    and the parent between them (a đảng bộ bộ phận, a chi bộ) when the user may see it."""
    parts = []
    parent = organization.parent  # select_related
    if (
        parent is not None
        and parent.kind not in (*Organization.GRASSROOTS_KINDS, Organization.Kind.BLOC)
        and access.has_permission(user, "organization.view", parent)
    ):
        parts.append(parent.short_name or parent.name)
    grassroots = getattr(organization, "grassroots_name", None)
    if grassroots and not organization.is_grassroots:
        parts.append(grassroots)
    text = " · ".join(parts) or organization.get_kind_display()
    return text if organization.is_active else f"{text} · {_('Dissolved')}"


def narrow(
    queryset: QuerySet[Organization], *, kinds: list[str] = (), exclude: int | None = None
) -> QuerySet[Organization]:
    """Only ``kinds`` (unknown ones ignored), and not the subtree of ``exclude``: the pickers whose
    form refuses more than their purpose (a move away from its own subtree, a merge into the same
    kind). These only narrow the purpose's queryset."""
    kinds = [kind for kind in kinds if kind in Organization.Kind.values]
    if kinds:
        queryset = queryset.filter(kind__in=kinds)
    if exclude is not None:
        path = Organization.objects.filter(pk=exclude).values_list("path", flat=True).first()
        if path:
            queryset = queryset.exclude(path__startswith=path)
    return queryset


def _word_filters(words: list[str], user) -> list[Q]:
    """One filter per word, all of which must match: the word is in the organization's own search
    key (name, short name, code), or in the name or host agency of a unit above it ("van phong tai
    chinh" finds the Chi bộ Văn phòng of the Đảng bộ Sở Tài chính). The units are read once."""
    units = (
        Organization.objects.visible_to(user)
        .filter(Q(kind__in=CONTEXT_KINDS) | ~Q(host_unit=""))
        .values_list("path", "search_name", "host_unit")
    )
    keys = [(path, f"{name} {search_key(host_unit)}") for path, name, host_unit in units]
    filters = []
    for word in words:
        paths = [path for path, key in keys if word in key]
        condition = Q(search_name__contains=word)
        if 0 < len(paths) <= MAX_CONTEXTS:
            condition |= reduce(or_, (Q(path__startswith=path) for path in paths))
        filters.append(condition)
    return filters


def search(queryset: QuerySet[Organization], text: str, *, user) -> tuple[list[Organization], bool]:
    """At most LIMIT organizations of ``queryset`` matching every word of ``text`` without tone
    marks (đ = d), with their grassroots organization and parent, and whether there are more. Those
    whose own name holds the words as typed come first, then the active ones, in the tree's order.
    Two queries (the units, the organizations) whatever the size of the bloc."""
    words = search_key(text).split()[:MAX_WORDS]
    if words:
        queryset = queryset.filter(*_word_filters(words, user))
    phrase = " ".join(words)
    ranked = queryset.annotate(
        _own=Case(
            When(search_name__contains=phrase, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        _dissolved=Case(When(dissolved_on__isnull=True, then=Value(0)), default=Value(1)),
    )
    found = list(
        ranked.with_grassroots(user)
        .select_related("parent")
        .order_by("_own", "_dissolved", "path")[: LIMIT + 1]
    )
    return found[:LIMIT], len(found) > LIMIT


def as_json(organization: Organization, user) -> dict:
    return {
        "id": organization.pk,
        "label": label(organization),
        "name": organization.name,
        "code": organization.code,
        "context": context(organization, user),
    }


class OrganizationPicker(SearchSelect):
    """The select of an organization field: the chosen organization only, the others searched at
    ``organizations:search`` for ``purpose`` (``params`` narrow it: ``kind``, ``exclude``). The
    field's queryset must be the purpose's (``use``)."""

    placeholder = _("Type to search: name, code or unit")

    def __init__(self, purpose: str = "visible", attrs=None, **params):
        super().__init__(attrs)
        self.purpose = purpose
        self.params = params

    def get_search_url(self) -> str:
        query = urlencode({"for": self.purpose, **self.params}, doseq=True)
        return f"{reverse('organizations:search')}?{query}"


def use(field, queryset: QuerySet[Organization], *, user, **params) -> None:
    """Makes ``field`` (a ModelChoiceField whose widget is an OrganizationPicker) validate against
    ``queryset`` — the user's queryset of the picker's purpose — and name the chosen organization
    with its grassroots organization; ``params`` narrow the search as the queryset is narrowed."""
    field.queryset = queryset.with_grassroots(user)
    field.label_from_instance = label
    field.widget.params = {**field.widget.params, **params}
