"""The attention hub ("Việc cần làm"): one page that gathers the alerts of every app in the
user's scope, its count in the navigation, and the weekly digest e-mail (blocportal.digest).

Core knows no app. Each app registers its *providers* here from its ``AppConfig.ready()``; a
provider is one section of the hub: a key, a title, an order, and a callable
``build(user, on) -> Section`` that returns the first SECTION_ROWS rows in the user's scope and
the count of all of them (``Section.of`` does both in one query). The hub, the navigation count and
the digest only call the registered callables::

    # meetings/apps.py
    def ready(self):
        from blocportal import attention
        from meetings.selectors import alerts

        attention.register(attention.Provider(
            key="meetings-overdue",                  # unique; the section's anchor on the hub
            title=_("Meetings not held"),
            order=100,                               # members use 10–70
            build=alerts.overdue_section,            # (user, on) -> attention.Section
            count=alerts.overdue_count,              # (user, on) -> int; optional
            template="meetings/attention/overdue.html",
            url="meetings:list",                     # the full list, when there is one
            permission="meeting.view",               # access.PERMISSIONS; None: every role
            describe=alerts.overdue_text,            # row -> one line of the digest
        ))

Everything a provider returns must be in the user's scope (``visible_to(user)``) and cost a fixed
number of queries, however many rows there are: the hub calls every provider on each request.

The navigation shows the total, fetched after the page by htmx (``attention_count``): the page
itself pays nothing for it. That total is kept per user for COUNT_SECONDS (the cache), so the
count can lag a write by that long; opening the hub counts afresh and keeps its own total.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, QuerySet, Window
from django.urls import reverse

from . import access, clock

# Rows shown per section of the hub; the count says how many there are in all.
SECTION_ROWS = 50
# How long the navigation's count is kept per user (seconds).
COUNT_SECONDS = 60


@dataclass
class Section:
    """What a provider found for a user on a day: the rows shown (at most SECTION_ROWS), how many
    there are in all, and what the section's template needs besides (``context``). ``title`` and
    ``url``, when given, replace the provider's for this user and day."""

    rows: Sequence = field(default_factory=list)
    count: int = 0
    context: Mapping[str, Any] = field(default_factory=dict)
    title: str = ""
    url: str = ""

    @classmethod
    def of(cls, queryset: QuerySet, row: Callable = lambda obj: obj, **kwargs) -> "Section":
        """The first SECTION_ROWS of ``queryset`` made into rows by ``row``, and the number of all
        of them, in one query: ``COUNT(*) OVER ()`` is computed on the whole result before the
        LIMIT, so the rows not shown are counted by the database and never fetched."""
        found = list(queryset.annotate(section_total=Window(Count("pk")))[:SECTION_ROWS])
        return cls([row(obj) for obj in found], found[0].section_total if found else 0, **kwargs)

    @property
    def truncated(self) -> bool:
        return self.count > len(self.rows)


@dataclass(frozen=True)
class Provider:
    """One section of the hub, registered by the app that owns its rows."""

    key: str
    title: str
    order: int
    build: Callable[[Any, date], Section]
    template: str  # renders ``section.rows`` (and ``section.context``) on the hub
    url: str | None = None  # the full list: a path, or a URL name and a query ("members:list?status=du_bi")
    permission: str | None = None  # a name of access.PERMISSIONS the user must hold somewhere
    count: Callable[[Any, date], int] | None = None  # cheaper than ``build(...).count``, if any
    describe: Callable[[Any], str] = str  # one row as a line of text (the digest)
    level: str = "warning"  # the colour of a count that is not zero: danger, warning or info


@dataclass(frozen=True)
class Gathered:
    """A provider's section for one user and day, as the hub and the digest show it."""

    provider: Provider
    section: Section

    @property
    def key(self) -> str:
        return self.provider.key

    @property
    def title(self) -> str:
        return str(self.section.title or self.provider.title)

    @property
    def template(self) -> str:
        return self.provider.template

    @property
    def level(self) -> str:
        return self.provider.level

    @property
    def rows(self) -> Sequence:
        return self.section.rows

    @property
    def count(self) -> int:
        return self.section.count

    @property
    def context(self) -> Mapping[str, Any]:
        return self.section.context

    @property
    def truncated(self) -> bool:
        return self.section.truncated

    @property
    def url(self) -> str:
        return self.section.url or _resolve(self.provider.url)

    def lines(self, limit: int) -> list[str]:
        """The first ``limit`` rows as text (the digest)."""
        return [self.provider.describe(row) for row in self.rows[:limit]]


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    """Add a section to the hub (from an ``AppConfig.ready()``). A key is registered once; the same
    provider again is ignored (``ready()`` run twice)."""
    existing = _providers.get(provider.key)
    if existing is not None and existing != provider:
        raise ImproperlyConfigured(f"Attention section {provider.key!r} is already registered.")
    _providers[provider.key] = provider
    return provider


def unregister(key: str) -> None:
    """Remove a section (tests of the registry itself)."""
    _providers.pop(key, None)


def providers(user=None) -> list[Provider]:
    """The registered sections in their order; with ``user``, those their roles may see."""
    found = sorted(_providers.values(), key=lambda provider: (provider.order, provider.key))
    if user is None:
        return found
    return [p for p in found if p.permission is None or access.has_permission(user, p.permission)]


def sections(user, on: date | None = None) -> list[Gathered]:
    """Every section the user may see, in the user's scope, as of ``on`` (today)."""
    on = on or clock.today()
    return [Gathered(provider, provider.build(user, on)) for provider in providers(user)]


def counts(user, on: date | None = None) -> dict[str, int]:
    """The count of each section the user may see (no rows fetched where the provider can count)."""
    on = on or clock.today()
    return {
        provider.key: provider.count(user, on) if provider.count else provider.build(user, on).count
        for provider in providers(user)
    }


def kept_counts(user, on: date | None = None) -> dict[str, int]:
    """``counts``, kept COUNT_SECONDS per user and day: the navigation asks on every page, and the
    dashboard charts them."""
    on = on or clock.today()
    key = _count_key(user, on)
    kept = cache.get(key)
    if kept is None:
        kept = counts(user, on)
        cache.set(key, kept, COUNT_SECONDS)
    return kept


def total(user, on: date | None = None) -> int:
    """The number of alerts in the user's scope (kept as ``kept_counts``)."""
    return sum(kept_counts(user, on).values())


def keep_total(user, on: date, gathered: Sequence[Gathered]) -> int:
    """The total of sections just gathered (the hub), kept as the navigation's counts."""
    cache.set(_count_key(user, on), {item.key: item.count for item in gathered}, COUNT_SECONDS)
    return sum(item.count for item in gathered)


def _count_key(user, on: date) -> str:
    return f"attention:counts:{user.pk}:{on.isoformat()}"


def _resolve(url: str | None) -> str:
    """A path as is; a URL name without arguments, with a query string or not
    (``"members:list?status=du_bi"``), reversed."""
    if not url or url.startswith("/"):
        return url or ""
    name, mark, query = url.partition("?")
    return f"{reverse(name)}{mark}{query}"
