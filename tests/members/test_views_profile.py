"""A member's profile: Party dates, spells, timeline, seats, and the movements offered by role and state."""

import datetime
import re

import pytest
from django.urls import reverse

from blocportal import clock
from blocportal.dates import format_day
from members import services
from members.models import CommitteeSeat
from members.services import committees as committee_services

D = datetime.date


def _profile(client, member) -> str:
    response = client.get(reverse("members:detail", args=[member.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _text_of(page: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', page, re.S)
    assert match, f"#{element_id} is not on the page"
    return match.group(1).strip()


def _offered(page: str) -> set[str]:
    return set(re.findall(r'data-movement="([a-z_]+)"', page))


def test_profile_shows_the_probation_end_and_the_party_age(client, staff_user, probationary):
    client.force_login(staff_user)
    page = _profile(client, probationary)
    assert _text_of(page, "probation-ends") == "15/03/2024"
    assert format_day(probationary.conversion_due_on) in _text_of(page, "conversion-due")
    today = clock.today()
    years = today.year - 2023 - ((today.month, today.day) < (3, 1))  # from the decision, 01/03/2023
    assert re.match(rf"{years}\b", _text_of(page, "party-age"))
    assert "Chi bộ Phòng Ngân sách" in page and "Đảng bộ Sở Tài chính" in page  # the chi bộ and its đảng bộ


def test_an_official_member_has_no_probation_dates(client, staff_user, official):
    client.force_login(staff_user)
    page = _profile(client, official)
    assert 'id="probation-ends"' not in page and 'id="conversion-due"' not in page
    assert "15/03/2024" in page  # official since the end of the probation


@pytest.mark.parametrize("role", ["leader", "inspector", "secretary_a"])
def test_roles_without_data_entry_see_no_movement_or_correction(client, personas, probationary, role):
    client.force_login(personas[role])
    page = _profile(client, probationary)
    assert _offered(page) == set()
    assert reverse("members:update", args=[probationary.pk]) not in page


def test_secretary_of_another_organization_gets_404(client, secretary_a, secretary_b, probationary):
    client.force_login(secretary_b)
    assert client.get(reverse("members:detail", args=[probationary.pk])).status_code == 404
    client.force_login(secretary_a)
    assert client.get(reverse("members:detail", args=[probationary.pk])).status_code == 200


def test_timeline_shows_movements_and_field_changes(client, staff_user, official, org_b):
    services.update_profile(member=official, ethnicity="Tày", by=staff_user)
    services.transfer(member=official, to=org_b, on=D(2025, 7, 1), decision_no="21-QĐ/ĐUK", by=staff_user)
    client.force_login(staff_user)
    page = _profile(client, official)
    timeline = page[page.index('id="member-timeline"') :]
    assert "21-QĐ/ĐUK" in timeline and "01/07/2025" in timeline
    assert "Chi bộ Phòng Ngân sách" in timeline and "Chi bộ Báo Gia Lai" in timeline
    assert "Tày" in timeline  # the corrected ethnicity, and who did it
    assert timeline.count("Nguyễn Văn An") >= 2  # staff_user's full name on its rows
    # The chi bộ change is shown by name, not by its id.
    assert re.search(r"Chi bộ Phòng Ngân sách → Chi bộ Báo Gia Lai", timeline)


def test_profile_lists_former_and_current_spells(client, staff_user, official, org_b):
    services.transfer(member=official, to=org_b, on=D(2025, 7, 1), by=staff_user)
    client.force_login(staff_user)
    spells = _profile(client, official)
    spells = spells[
        spells.index('id="member-spells"') : spells.index("</table>", spells.index('id="member-spells"'))
    ]
    assert "Chi bộ Phòng Ngân sách" in spells and "Chi bộ Báo Gia Lai" in spells
    assert "01/07/2025" in spells


def test_profile_lists_committee_seats(client, staff_user, official, cell_a1):
    term = committee_services.create_term(
        organization=cell_a1, label="2025–2030", starts_on=D(2025, 6, 1), ends_on=D(2030, 6, 1), by=staff_user
    )
    committee_services.appoint(
        term=term,
        member=official,
        position=CommitteeSeat.Position.SECRETARY,
        starts_on=D(2025, 6, 1),
        by=staff_user,
    )
    client.force_login(staff_user)
    page = _profile(client, official)
    seats = page[page.index('id="member-seats"') :]
    assert "2025–2030" in seats and "01/06/2025" in seats and "Bí thư" in seats


def _queries_of_profile(client, member) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        _profile(client, member)
    return len(queries)


def test_profile_costs_the_same_with_a_long_history(client, staff_user, official, cell_a1, org_b):
    """The timeline and the spells are read in a fixed number of queries (no query per row)."""
    services.transfer(member=official, to=org_b, on=D(2024, 7, 1), by=staff_user)
    client.force_login(staff_user)
    short = _queries_of_profile(client, official)
    for month in range(1, 7):
        services.exempt(member=official, on=D(2025, month, 1), ground="tuoi_cao", by=staff_user)
        services.end_exemption(member=official, on=D(2025, month, 15), by=staff_user)
    services.transfer(member=official, to=cell_a1, on=D(2025, 7, 1), by=staff_user)
    services.transfer(member=official, to=org_b, on=D(2025, 8, 1), by=staff_user)
    services.update_profile(member=official, ethnicity="Tày", job_title="Chuyên viên", by=staff_user)
    assert official.events.count() > 10
    assert _queries_of_profile(client, official) == short
