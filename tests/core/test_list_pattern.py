"""The one pattern of every list (blocportal/lists.py): one view answers an htmx request with the
table's partial and any other with the page; the tables render their cells without a template per
cell; a phone shows the name and the key columns, and folds the filters away; the page size stays
when the filters change."""

import importlib
import pkgutil

import pytest
from django.urls import reverse
from django_tables2 import Table, TemplateColumn

from blocportal.lists import ListTable

# Every list page, and the partial its view answers an htmx request with.
LISTS = {
    "members:list": "members/_table.html",
    "members:candidate_list": "members/candidates/_table.html",
    "members:badge_list": "members/badges/_due_table.html",
    "members:badge_awarded": "members/badges/_awarded_table.html",
    "organizations:list": "organizations/_table.html",
    "reports:list": "reports/_table.html",
}
FILTERED = [name for name in LISTS if name != "reports:list"]
APPS = ("blocportal", "organizations", "members", "reports", "demo")


def _names(response) -> list[str]:
    return [template.name for template in response.templates]


@pytest.mark.parametrize("name", LISTS)
def test_an_htmx_request_gets_the_table_and_any_other_the_page(client, staff_user, cell_a1, name):
    client.force_login(staff_user)

    page = client.get(reverse(name))
    partial = client.get(reverse(name), headers={"HX-Request": "true"})

    assert page.status_code == partial.status_code == 200
    assert _names(page)[0] != LISTS[name] and {"list_page.html", LISTS[name]} <= set(_names(page))
    assert '<div id="list-table">' in page.content.decode()
    assert _names(partial)[0] == LISTS[name] and "list_page.html" not in _names(partial)
    body = partial.content.decode()
    assert "<table" in body and "<html" not in body and 'id="list-table"' not in body


@pytest.mark.parametrize("name", LISTS)
def test_htmx_restoring_the_history_gets_the_page(client, staff_user, name):
    client.force_login(staff_user)
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "list_page.html" in _names(client.get(reverse(name), headers=headers))


@pytest.mark.parametrize("name", FILTERED)
def test_the_filters_fold_away_on_a_phone(client, staff_user, name):
    client.force_login(staff_user)
    body = client.get(reverse(name)).content.decode()
    assert 'data-bs-target="#list-filters"' in body
    assert 'class="collapse d-md-block" id="list-filters"' in body


@pytest.mark.parametrize("name", FILTERED)
def test_the_page_size_stays_when_the_filters_change(client, staff_user, name):
    client.force_login(staff_user)
    kept = '<input type="hidden" name="per_page" value="25">'
    assert kept in client.get(reverse(name), {"per_page": 25}).content.decode()
    assert 'name="per_page"' not in client.get(reverse(name)).content.decode()


def test_a_phone_shows_the_name_and_the_key_columns(client, staff_user, cell_a1):
    client.force_login(staff_user)
    table = client.get(reverse("members:list")).context["table"]
    hidden = {column.name for column in table.columns if "phone-hidden" in str(column.attrs["td"]["class"])}
    assert hidden == {"birth_date", "gender", "admitted_on", "party_age", "situation"}
    assert "phone-hidden" in table.columns["party_age"].attrs["td"]["class"].split()  # with its text-end
    assert "text-end" in table.columns["party_age"].attrs["td"]["class"].split()


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def project_tables() -> list[type[Table]]:
    """Every Table class the apps define, found by importing each of their modules."""
    for app in APPS:
        for module in pkgutil.walk_packages(importlib.import_module(app).__path__, prefix=f"{app}."):
            if ".migrations" not in module.name and not module.name.endswith(("wsgi", "asgi")):
                importlib.import_module(module.name)
    found = {table for table in _subclasses(Table) if table.__module__.split(".")[0] in APPS}
    return sorted(found - {ListTable}, key=lambda table: f"{table.__module__}.{table.__qualname__}")


def test_no_table_renders_a_cell_through_a_template():
    """A TemplateColumn (django-tables2's DateColumn and DateTimeColumn are ones) renders a template
    for every cell, with the context processors: 300 of them for a page of 100 badges."""
    tables = project_tables()
    names = {table.__name__ for table in tables}
    assert {"MemberTable", "CandidateTable", "BadgeDueTable", "OrganizationTable", "ReportTable"} <= names
    offenders = [
        f"{table.__module__}.{table.__name__}.{name}"
        for table in tables
        for name, column in table.base_columns.items()
        if isinstance(column, TemplateColumn)
    ]
    assert offenders == []


def test_every_table_is_a_list_table_naming_what_a_phone_shows():
    for table in project_tables():
        assert issubclass(table, ListTable), table
        assert table.phone_columns and set(table.phone_columns) <= set(table.base_columns), table
