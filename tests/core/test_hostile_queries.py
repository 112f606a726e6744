"""Hostile query strings never crash a page: every page of tests/authz/matrix.csv that bloc staff
open with a plain GET (the lists, and the pages whose query preselects something) answers them
with the page itself, a redirect or a 4xx, never a 5xx.

A bad value is ignored (a filter falls back to "all", the page size to the default, the page
number to the first or last page), as a mistyped or hand-edited address should be.
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.authz.test_matrix import _rows
from tests.factories import CandidateFactory, MemberFactory

# The pages staff open with a GET and no object in the address: every list, every export, and the
# forms whose query string preselects an organization, a year or a source.
PAGES = sorted(
    {
        row["url_name"]
        for row in _rows()
        if row["method"] == "GET" and not row["kwargs"] and row["staff"] == "200"
    }
)

# Every parameter a page of the portal reads from its query string.
PARAMETERS = [
    "q",
    "organization",
    "status",
    "gender",
    "age",
    "ethnicity",
    "theory_level",
    "activity",
    "exit",
    "kind",
    "sector",
    "on",
    "years",
    "year",
    "stage",
    "root",
    "parent",
    "source",
    "format",
    "sort",
    "page",
    "per_page",
    "on_register",
    "admitted_from",
    "admitted_to",
    "official_from",
    "official_to",
    "exited_from",
    "exited_to",
    "age_from",
    "age_to",
]
HUGE = "9" * 30
NUL = "abc\x00def"
LONG = "é" * 5000

QUERIES = {
    "per_page=-1": {"per_page": "-1"},
    "per_page=0": {"per_page": "0"},
    "per_page=100000": {"per_page": "100000"},
    "per_page=abc": {"per_page": "abc"},
    "page=-1": {"page": "-1"},
    "page=abc": {"page": "abc"},
    "page=huge": {"page": HUGE},
    "year=0": {"year": "0"},
    "year=-1": {"year": "-1"},
    "year=10000": {"year": "10000"},
    "year=99999999999": {"year": "99999999999"},
    "year=superscript": {"year": "²"},
    "sort=nonexistent": {"sort": "nonexistent"},
    "unknown filters": {"nonexistent": HUGE, "organization__path": LONG, "pk__gt": "-1"},
    "organization=abc": {"organization": "abc"},
    "organization=huge": {"organization": HUGE},
    "ids=superscript": {"organization": "²", "root": "²", "parent": "²", "source": "²"},
    "ids=huge": {"root": HUGE, "parent": HUGE, "source": HUGE},
    "every parameter=NUL": dict.fromkeys(PARAMETERS, NUL),
    "every parameter=é*5000": dict.fromkeys(PARAMETERS, LONG),
    "every parameter=huge": dict.fromkeys(PARAMETERS, HUGE),
    "every parameter=-1": dict.fromkeys(PARAMETERS, "-1"),
    "dates at the calendar's ends": {
        "on_register": "01/01/0001",
        "age_from": "150",
        "age": "61",
        "age_to": "150",
    },
}


@pytest.fixture
def register(personas, cell_a1, org_b, system_user):
    """A few members and candidates, so that the lists have rows, pages and choices."""
    for organization in (cell_a1, org_b):
        MemberFactory.create_batch(3, organization=organization, by=system_user)
        CandidateFactory(organization=organization, by=system_user)


def test_the_pages_are_found_in_the_matrix():
    assert {"members:list", "organizations:list", "reports:list", "members:badge_awarded"} <= set(PAGES)


# The htmx requests of a list get its table alone, from the same view: a few cases suffice there.
CASES = [
    *(pytest.param(query, False, id=name) for name, query in QUERIES.items()),
    *(
        pytest.param(QUERIES[name], True, id=f"htmx {name}")
        for name in ("per_page=-1", "page=-1", "year=0", "every parameter=NUL", "every parameter=é*5000")
    ),
]


@pytest.mark.parametrize(("query", "htmx"), CASES)
def test_hostile_query_strings_never_give_a_server_error(client, staff_user, register, query, htmx):
    client.force_login(staff_user)
    client.raise_request_exception = False
    headers = {"HX-Request": "true"} if htmx else {}
    crashed = []
    for name in PAGES:
        url = f"{reverse(name)}?{urlencode(query)}"
        response = client.get(url, headers=headers)
        if response.status_code >= 500:
            crashed.append(f"{name}: {response.status_code}")
    assert not crashed, f"server errors for {query!r:.200}: {crashed}"
