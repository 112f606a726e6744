"""Exporting organizations: scoped like the list, filtered like the list, safe to open in Excel, and
importable back without a change."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from blocportal import imports
from organizations.models import Organization, OrganizationEvent
from organizations.resources import OrganizationResource
from tests.factories import OrganizationFactory
from tests.organizations.import_columns import HEADER


def xlsx_rows(content: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())  # Excel needs the BOM to read UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def export(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("organizations:export"), query)
    assert response.status_code == 200
    return response


@pytest.fixture
def formula_cell(org_a, system_user):
    """A chi bộ whose name and host unit a spreadsheet would run as formulas."""
    return OrganizationFactory(
        code="A9",
        name='=HYPERLINK("http://evil.example","Bấm vào đây")',
        kind=Organization.Kind.SUBORDINATE_CELL,
        parent=org_a,
        host_unit="@SUM(1+1)",
        by=system_user,
    )


def test_export_has_the_import_columns_and_readable_values(client, staff_user, org_b):
    rows = xlsx_rows(export(client, staff_user).content)

    assert rows[0] == HEADER
    assert ["B", "Chi bộ Báo Gia Lai", "Chi bộ cơ sở", "Đơn vị sự nghiệp", "DUK", None, "01/05/2010"] in rows


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_is_formula_safe(client, staff_user, formula_cell, fmt):
    response = export(client, staff_user, format=fmt)

    rows = xlsx_rows(response.content) if fmt == "xlsx" else csv_rows(response.content)
    row = next(row for row in rows if row[0] == "A9")
    assert row[1] == '\'=HYPERLINK("http://evil.example","Bấm vào đây")'
    assert row[5] == "'@SUM(1+1)"


def test_the_xlsx_export_holds_no_formula(client, staff_user, formula_cell):
    sheet = openpyxl.load_workbook(io.BytesIO(export(client, staff_user).content)).active

    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_is_scoped(client, secretary_a, cell_a1, org_b, fmt):
    response = export(client, secretary_a, format=fmt)

    rows = xlsx_rows(response.content) if fmt == "xlsx" else csv_rows(response.content)
    assert [row[0] for row in rows[1:]] == ["A", "A1"]


def test_export_follows_the_list_filters(client, staff_user, cell_a1, org_b):
    rows = csv_rows(export(client, staff_user, format="csv", kind=Organization.Kind.GRASSROOTS_CELL).content)

    assert [row[0] for row in rows[1:]] == ["B"]


def test_export_of_many_rows_costs_a_fixed_number_of_queries(
    client, staff_user, org_a, system_user, django_assert_max_num_queries
):
    for number in range(30):
        OrganizationFactory(
            code=f"A-{number}", kind=Organization.Kind.SUBORDINATE_CELL, parent=org_a, by=system_user
        )
    client.force_login(staff_user)

    with django_assert_max_num_queries(10):
        client.get(reverse("organizations:export"), {"format": "csv"})


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(client, staff_user, cell_a1, org_b, formula_cell, fmt):
    content = export(client, staff_user, format=fmt).content
    before = (Organization.objects.count(), OrganizationEvent.objects.count(), Organization.history.count())

    result = imports.run_import(
        content,
        filename=f"to-chuc.{fmt}",
        user=staff_user,
        dry_run=False,
        resource_class=OrganizationResource,
    )

    assert result.ok, result.sorted_errors()
    assert (result.created, result.changed, result.unchanged) == (0, 0, Organization.objects.count())
    assert (
        Organization.objects.count(),
        OrganizationEvent.objects.count(),
        Organization.history.count(),
    ) == before
    assert Organization.objects.get(code="A9").name.startswith("=HYPERLINK")
