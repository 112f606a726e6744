"""The URL of an object's page, built without a ``reverse()`` each time.

A page links hundreds of members and organizations (the attention list, the tree, the lists), and
Django's ``reverse()`` walks the URL patterns again for each link: tens of microseconds, more than
the rest of the row. ``pk_url`` reverses a URL name once — per script prefix and URL configuration,
so a change of either reverses again — and then puts the primary key in its place.
"""

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

_MARKER = 987654321


def pk_url(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])`` for a URL whose one argument is an integer primary key."""
    parts = _parts(name, get_script_prefix(), get_urlconf())
    if parts is None or not isinstance(pk, int) or isinstance(pk, bool):
        return reverse(name, args=[pk])
    return f"{parts[0]}{pk}{parts[1]}"


@lru_cache(maxsize=128)
def _parts(name: str, prefix: str, urlconf) -> tuple[str, str] | None:
    """The URL of ``name`` before and after its primary key (``prefix`` and ``urlconf``: the cache's
    key, the ones ``reverse`` uses); None when the marker does not stand alone in it."""
    sample = reverse(name, args=[_MARKER], urlconf=urlconf)
    if sample.count(str(_MARKER)) != 1:
        return None
    head, tail = sample.split(str(_MARKER))
    return head, tail
