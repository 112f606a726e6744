"""The authorization matrix: every URL name of the portal x every role -> expected status.

The table lives in matrix.csv beside this file. A URL name that the table does not list fails
``test_every_url_is_in_the_matrix``, so a new page cannot ship without deciding who may open it.
"""

import csv
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

MATRIX = Path(__file__).with_name("matrix.csv")
ROLES = ["anonymous", "staff", "inspector", "leader", "secretary_a", "secretary_b"]
# The Django admin is superuser-only and has its own login; only its index is in the matrix.
EXCLUDED_NAMESPACES = {"admin"}
ALWAYS_LISTED = {"admin:index"}


def _rows():
    with MATRIX.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))


def _url_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace
            if namespace in EXCLUDED_NAMESPACES:
                continue
            yield from _url_names(pattern, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}"


def _parse_pairs(text, targets):
    pairs = {}
    for item in filter(None, (text or "").split(";")):
        key, value = item.split("=", 1)
        pairs[key] = targets.get(value, value)
    return pairs


def test_every_url_is_in_the_matrix():
    listed = {row["url_name"] for row in _rows()}
    missing = (set(_url_names()) | ALWAYS_LISTED) - listed
    assert not missing, f"URL names missing from tests/authz/matrix.csv: {sorted(missing)}"


def test_matrix_lists_no_unknown_url():
    known = set(_url_names()) | ALWAYS_LISTED
    unknown = {row["url_name"] for row in _rows()} - known
    assert not unknown, f"matrix.csv lists URL names that do not exist: {sorted(unknown)}"


@pytest.mark.parametrize("row", _rows(), ids=lambda r: f"{r['url_name']}[{r['kwargs']}{r['query']}]")
def test_role_gets_expected_status(row, client, personas, authz_targets):
    url = reverse(row["url_name"], kwargs=_parse_pairs(row["kwargs"], authz_targets))
    query = _parse_pairs(row["query"], authz_targets)
    if query:
        url = f"{url}?{urlencode(query)}"
    got = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(personas[role])
        response = getattr(client, row["method"].lower())(url)
        got[role] = response.status_code
    expected = {role: int(row[role]) for role in ROLES}
    assert got == expected, f"{row['method']} {url}"
