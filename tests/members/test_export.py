"""Exporting Party members: the import's columns, scoped and filtered like the list, safe to open in
Excel, and importable back without a change."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from blocportal import imports
from members import services
from members.models import Member, Movement
from members.resources import MemberResource
from tests.members.import_columns import HEADER

D = datetime.date


def xlsx_rows(content: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def export(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("members:export"), query)
    assert response.status_code == 200
    return response


def rows_of(response, fmt="xlsx"):
    return xlsx_rows(response.content) if fmt == "xlsx" else csv_rows(response.content)


@pytest.fixture
def an(cell_a1, system_user):
    """An official member of A1 with every column filled."""
    return services.register(
        organization=cell_a1,
        full_name="Nguyễn Văn An",
        gender=Member.Gender.MALE,
        birth_date=D(1985, 4, 15),
        admitted_on=D(2012, 2, 3),
        official_on=D(2013, 2, 3),
        cccd="064085000001",
        card_number="79000001",
        ethnicity="Kinh",
        religion="Không",
        profession="Cử nhân Kinh tế",
        theory_level=Member.TheoryLevel.INTERMEDIATE,
        job_title="Chuyên viên",
        by=system_user,
    )


@pytest.fixture
def hoa(org_b, system_user):
    """A probationary member of B whose name and job title a spreadsheet would run as formulas."""
    return services.register(
        organization=org_b,
        full_name='=HYPERLINK("http://evil.example","Bấm vào đây")',
        gender=Member.Gender.FEMALE,
        birth_date=D(1995, 1, 2),
        admitted_on=D(2025, 12, 1),
        cccd="064095000002",
        job_title="@SUM(1+1)",
        by=system_user,
    )


def test_export_has_the_import_columns_and_readable_values(client, staff_user, an):
    rows = rows_of(export(client, staff_user))

    assert rows == [
        HEADER,
        [
            "79000001",
            "Nguyễn Văn An",
            "Nam",
            "15/04/1985",
            "Kinh",
            "Không",
            "064085000001",
            "A1",
            "03/02/2012",
            "03/02/2013",
            "Cử nhân Kinh tế",
            "Trung cấp",
            "Chuyên viên",
        ],
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_is_formula_safe(client, staff_user, hoa, fmt):
    row = rows_of(export(client, staff_user, format=fmt), fmt)[1]

    assert row[1] == '\'=HYPERLINK("http://evil.example","Bấm vào đây")'
    assert row[12] == "'@SUM(1+1)"


def test_the_xlsx_export_holds_no_formula(client, staff_user, hoa):
    sheet = openpyxl.load_workbook(io.BytesIO(export(client, staff_user).content)).active

    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_is_scoped(client, secretary_a, secretary_b, an, hoa, fmt):
    assert [row[6] for row in rows_of(export(client, secretary_a, format=fmt), fmt)[1:]] == ["064085000001"]
    assert [row[6] for row in rows_of(export(client, secretary_b, format=fmt), fmt)[1:]] == ["064095000002"]


def test_export_follows_the_list_filters(client, staff_user, an, hoa, org_b):
    by_status = csv_rows(export(client, staff_user, format="csv", status=Member.Status.PROBATIONARY).content)
    by_name = csv_rows(export(client, staff_user, format="csv", q="nguyen van an").content)
    by_organization = csv_rows(export(client, staff_user, format="csv", organization=org_b.pk).content)

    assert [row[6] for row in by_status[1:]] == ["064095000002"]
    assert [row[6] for row in by_name[1:]] == ["064085000001"]
    assert [row[6] for row in by_organization[1:]] == ["064095000002"]


def test_former_members_are_exported_only_when_the_list_shows_them(client, staff_user, an, system_user):
    services.record_death(member=an, on=D(2025, 1, 1), by=system_user)

    assert csv_rows(export(client, staff_user, format="csv").content) == [HEADER]
    assert len(csv_rows(export(client, staff_user, format="csv", exit="all").content)) == 2


def test_export_of_many_rows_costs_a_fixed_number_of_queries(
    client, staff_user, cell_a1, system_user, django_assert_max_num_queries
):
    for number in range(30):
        services.register(
            organization=cell_a1,
            full_name=f"Đảng viên số {number}",
            gender=Member.Gender.MALE,
            birth_date=D(1980, 1, 1),
            admitted_on=D(2010, 1, 1),
            cccd=f"0640800000{number:02d}",
            by=system_user,
        )
    client.force_login(staff_user)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("members:export"), {"format": "csv"})
    assert response.status_code == 200
    rows = csv_rows(response.content)
    assert rows[0] == HEADER and len(rows) == 1 + 30
    assert sorted(row[6] for row in rows[1:]) == [f"0640800000{number:02d}" for number in range(30)]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(client, staff_user, an, hoa, fmt):
    content = export(client, staff_user, format=fmt).content
    before = (Member.objects.count(), Member.history.count(), Movement.objects.count())

    result = imports.run_import(
        content, filename=f"dang-vien.{fmt}", user=staff_user, dry_run=False, resource_class=MemberResource
    )

    assert result.ok, result.sorted_errors()
    assert (result.created, result.changed, result.unchanged) == (0, 0, 2)
    assert (Member.objects.count(), Member.history.count(), Movement.objects.count()) == before
