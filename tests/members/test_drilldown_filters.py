"""The member list's drill-down filters (issue 9): the members behind a figure of the dashboard, asked
of the spells, so that a count of a past day or period opens the list of exactly those members.

The fixture, around the first quarter of 2025 (01/01–31/03/2025), in chi bộ A1 (Đảng bộ Sở Tài chính,
State agencies) and chi bộ B (public service units):

    steady          A1 since 2020, official since 2021, a woman born 15/04/1990
    moved           A1 since 2022, transferred to B on 15/02/2025 (in the middle of the quarter)
    admitted_then_moved  admitted in A1 on 20/01/2025, transferred to B on 10/03/2025
    left            A1 since 2019, left the Party on 01/03/2025
    gone_out        A1 since 2021, transferred out of the bloc on 20/02/2025
    died_later      B since 2018, died on 01/05/2025, after the quarter
    made_official   A1, admitted 05/01/2024, official on 15/01/2025 (probation's end)
    admitted        admitted in B on 10/02/2025
    imported        entered from a file into B, admitted on 05/03/2025
    visiting        attached to B from outside the bloc since 10/01/2025: never on the register
"""

import datetime

import pytest
from django.urls import reverse

from members import services
from members.models import Member
from organizations.models import Organization
from tests.factories import MemberFactory

D = datetime.date
LIST = reverse("members:list")
QUARTER = {"admitted_from": "2025-01-01", "admitted_to": "2025-03-31"}
BORN = D(1990, 4, 15)


def _member(name, cell, admitted_on, *, by, official=False, gender="nam", born=BORN):
    return MemberFactory(
        organization=cell,
        full_name=name,
        gender=gender,
        birth_date=born,
        admitted_on=admitted_on,
        ceremony_on=admitted_on + datetime.timedelta(days=10),
        official=official,
        by=by,
    )


@pytest.fixture
def register(cell_a1, org_b, staff_user):
    by = staff_user
    _member("steady", cell_a1, D(2020, 1, 10), official=True, gender="nu", born=D(1990, 4, 15), by=by)
    moved = _member("moved", cell_a1, D(2022, 5, 5), official=True, born=D(1985, 1, 1), by=by)
    services.transfer(member=moved, to=org_b, on=D(2025, 2, 15), by=by)
    admitted_then_moved = _member("admitted_then_moved", cell_a1, D(2025, 1, 20), born=D(1994, 5, 5), by=by)
    services.transfer(member=admitted_then_moved, to=org_b, on=D(2025, 3, 10), by=by)
    left = _member("left", cell_a1, D(2019, 6, 1), official=True, born=D(1980, 2, 2), by=by)
    services.leave_party(member=left, on=D(2025, 3, 1), by=by)
    gone_out = _member("gone_out", cell_a1, D(2021, 2, 1), official=True, born=D(1988, 8, 8), by=by)
    services.transfer_out(member=gone_out, destination="Đảng bộ tỉnh Kon Tum", on=D(2025, 2, 20), by=by)
    died_later = _member("died_later", org_b, D(2018, 3, 1), official=True, born=D(1960, 6, 6), by=by)
    services.record_death(member=died_later, on=D(2025, 5, 1), by=by)
    _member("made_official", cell_a1, D(2024, 1, 5), official=True, born=D(1995, 3, 31), by=by)
    _member("admitted", org_b, D(2025, 2, 10), gender="nu", born=D(1998, 6, 1), by=by)
    services.register(
        organization=org_b,
        full_name="imported",
        gender="nu",
        birth_date=D(2000, 1, 1),
        admitted_on=D(2025, 3, 5),
        by=by,
    )
    services.receive_temporary(
        organization=org_b,
        origin="Đảng bộ tỉnh Kon Tum",
        on=D(2025, 1, 10),
        full_name="visiting",
        gender="nam",
        birth_date=D(1991, 1, 1),
        admitted_on=D(2015, 1, 1),
        official_on=D(2016, 1, 1),
        by=by,
    )


def _names(client, user, **query) -> set[str]:
    client.force_login(user)
    response = client.get(LIST, {**query, "per_page": 100})
    assert response.status_code == 200
    return {row.record.full_name for row in response.context["table"].page.object_list}


ON_REGISTER_END = {
    "steady",
    "moved",
    "admitted_then_moved",
    "died_later",
    "made_official",
    "admitted",
    "imported",
}


@pytest.mark.parametrize("day", ["2025-03-31", "31/03/2025"])
def test_on_the_register_on_a_day_counts_the_spells_of_that_day(client, staff_user, register, day):
    """The left and the transferred out are gone by then; the one who died in May was still there;
    the member attached from outside the bloc never is."""
    assert _names(client, staff_user, on_register=day) == ON_REGISTER_END


def test_on_the_register_in_an_organization_counts_where_the_member_was_that_day(
    client, staff_user, org_a, org_b, register
):
    at_end_in_a = _names(client, staff_user, on_register="2025-03-31", organization=org_a.pk)
    assert at_end_in_a == {"steady", "made_official"}
    in_a_in_january = _names(client, staff_user, on_register="2025-01-31", organization=org_a.pk)
    assert in_a_in_january == {"steady", "moved", "admitted_then_moved", "left", "gone_out", "made_official"}
    at_end_in_b = _names(client, staff_user, on_register="2025-03-31", organization=org_b.pk)
    assert at_end_in_b == {"moved", "admitted_then_moved", "died_later", "admitted", "imported"}


def test_on_the_register_by_sector_is_the_sector_of_that_days_chi_bo(client, staff_user, register):
    public_service = Organization.Sector.PUBLIC_SERVICE
    assert _names(client, staff_user, on_register="2025-01-31", sector=public_service) == {"died_later"}
    assert _names(client, staff_user, on_register="2025-03-31", sector=public_service) == {
        "moved",
        "admitted_then_moved",
        "died_later",
        "admitted",
        "imported",
    }


def test_sector_without_a_date_is_the_sector_of_the_current_chi_bo(client, staff_user, register):
    state = Organization.Sector.STATE
    assert _names(client, staff_user, sector=state) == {"steady", "made_official"}
    assert _names(client, staff_user, sector=state, exit="all") == {
        "steady",
        "made_official",
        "left",
        "gone_out",
    }


def test_status_on_the_register_day_is_the_status_of_that_day(client, staff_user, register):
    """made_official was still probationary on 10/01/2025 (official on 15/01)."""
    day = "2025-01-10"
    assert _names(client, staff_user, on_register=day, status=Member.Status.PROBATIONARY) == {"made_official"}
    assert _names(client, staff_user, on_register=day, status=Member.Status.OFFICIAL) == {
        "steady",
        "moved",
        "left",
        "gone_out",
        "died_later",
    }
    assert _names(client, staff_user, status=Member.Status.PROBATIONARY) >= {
        "admitted",
        "admitted_then_moved",
    }


def test_admitted_in_a_period_counts_admissions_in_the_bloc_recorded_or_imported(
    client, staff_user, register
):
    assert _names(client, staff_user, **QUARTER) == {"admitted_then_moved", "admitted", "imported"}
    assert _names(client, staff_user, admitted_from="2025-02-01", admitted_to="2025-02-28") == {"admitted"}
    assert _names(client, staff_user, admitted_from="01/03/2025") == {"imported"}


def test_admitted_in_an_organization_counts_where_the_member_was_admitted(
    client, staff_user, org_a, org_b, register
):
    """admitted_then_moved was admitted in A1 and is in B now: an admission of A's."""
    assert _names(client, staff_user, **QUARTER, organization=org_a.pk) == {"admitted_then_moved"}
    assert _names(client, staff_user, **QUARTER, organization=org_b.pk) == {"admitted", "imported"}


def test_made_official_in_a_period(client, staff_user, org_b, register):
    quarter = {"official_from": "2025-01-01", "official_to": "2025-03-31"}
    assert _names(client, staff_user, **quarter) == {"made_official"}
    assert _names(client, staff_user, **quarter, organization=org_b.pk) == set()


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        (Member.Exit.LEFT, {"left"}),
        (Member.Exit.TRANSFERRED_OUT, {"gone_out"}),
        (Member.Exit.DIED, set()),  # died on 01/05/2025, after the quarter
        ("former", {"left", "gone_out"}),
    ],
)
def test_left_in_a_period_by_reason(client, staff_user, register, reason, expected):
    quarter = {"exited_from": "2025-01-01", "exited_to": "2025-03-31"}
    assert _names(client, staff_user, **quarter, exit=reason) == expected


def test_left_in_a_period_without_a_reason_lists_every_exit_of_the_period(client, staff_user, register):
    assert _names(client, staff_user, exited_from="2025-01-01", exited_to="2025-03-31") == {
        "left",
        "gone_out",
    }


def test_age_in_full_years_on_the_register_day(client, staff_user, register):
    """made_official turns 30 on 31/03/2025; moved is 40 that day."""
    thirties = _names(client, staff_user, on_register="2025-03-31", age_from=30, age_to=39)
    assert thirties == {"steady", "made_official", "admitted_then_moved"}
    assert _names(client, staff_user, on_register="2025-03-30", age_from=30, age_to=39) == {
        "steady",
        "admitted_then_moved",
    }
    assert _names(client, staff_user, on_register="2025-03-31", age_from=61) == {"died_later"}


def test_age_on_another_day(client, staff_user, register):
    """made_official turns 30 on 31/03/2025: a day earlier they are 29, whatever the register's day."""
    ages = {"on_register": "2025-03-31", "age_from": 30, "age_to": 30}
    assert _names(client, staff_user, **ages) == {"made_official", "admitted_then_moved"}
    assert _names(client, staff_user, **ages, age_on="2025-03-30") == {"admitted_then_moved"}


def test_out_of_the_party_in_a_period_leaves_out_transfers_out_of_the_bloc(client, staff_user, register):
    """The dashboard's "left the register": removed, expelled, left, died (not moved elsewhere)."""
    year = {"exited_from": "2025-01-01", "exited_to": "2025-12-31"}
    assert _names(client, staff_user, **year, exit="out_of_party") == {"left", "died_later"}
    assert _names(client, staff_user, **year, exit="former") == {"left", "died_later", "gone_out"}


def test_women_on_the_register(client, staff_user, register):
    assert _names(client, staff_user, on_register="2025-03-31", gender=Member.Gender.FEMALE) == {
        "steady",
        "admitted",
        "imported",
    }


def test_the_drill_down_stays_within_the_users_scope(client, secretary_a, org_a, register):
    """The list is scoped to where the members are now (their current or last chi bộ): the secretary of
    Đảng bộ A sees who was in A on 31/01/2025 and is still there or left from there, not those since
    transferred to B."""
    in_a = _names(client, secretary_a, on_register="2025-01-31", organization=org_a.pk)
    assert in_a == {"steady", "left", "gone_out", "made_official"}
    assert _names(client, secretary_a, on_register="2025-03-31") == {"steady", "made_official"}


def test_a_date_that_does_not_parse_is_ignored(client, staff_user, register):
    everyone_current = _names(client, staff_user)
    assert _names(client, staff_user, on_register="31/02/2025") == everyone_current


def test_the_drill_down_shows_as_chips_that_remove_it(client, staff_user, org_a, register):
    client.force_login(staff_user)
    response = client.get(LIST, {"on_register": "2025-03-31", "organization": org_a.pk, "page": 1})
    page = response.content.decode()
    assert 'id="filter-chips"' in page
    assert "31/03/2025" in page
    chips = response.context["filter"].form.hidden_fields()
    assert [field.name for field in chips if field.value()] == ["on_register"]
    assert f'href="?organization={org_a.pk}"' in page  # the chip's link: without the date, first page
    assert 'type="hidden" name="on_register" value="2025-03-31"' in page  # kept as the filters change


def test_no_chip_without_a_hidden_filter(client, staff_user, register):
    client.force_login(staff_user)
    assert 'id="filter-chips"' not in client.get(LIST, {"status": Member.Status.OFFICIAL}).content.decode()
