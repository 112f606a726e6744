"""Sections that other apps add to a member's page, such as the discipline outcome (``inspections``),
without the members app importing them: an app registers a provider from its ``AppConfig.ready()``,
and the member page shows what each returns for the member and the user reading it.

A provider is ``provider(member, user) -> Panel | None``; it decides what the user may see (return None
to show nothing) and should cost at most one query.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    template: str  # included with ``panel`` in its context
    title: str
    context: dict = field(default_factory=dict)


Provider = Callable[[object, object], Panel | None]

_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> Provider:
    """Add (or replace, on a second ``ready()``) the provider called ``name``."""
    _providers[name] = provider
    return provider


def panels_for(member, user) -> list[Panel]:
    """The panels of the member's page for this user, in the order they were registered."""
    return [panel for provider in _providers.values() if (panel := provider(member, user)) is not None]
