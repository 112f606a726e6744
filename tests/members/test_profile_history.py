"""A member's profile keeps movements and record changes apart: movements (biến động) by their
decision date, the changes of the record by the moment they were saved, in a second section.
Every history display names people by their full name, not their username."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from blocportal.models import Role
from members import services
from organizations import services as org_services
from reports import services as report_services
from tests.factories import CandidateFactory, MemberFactory, UserFactory, assign

D = datetime.date
CLERK = "Phạm Thị Nhập"


@pytest.fixture
def clerk(bloc):
    """Who typed the records: username "nhap", full name Phạm Thị Nhập."""
    user = UserFactory(username="nhap", first_name="Phạm Thị", last_name="Nhập")
    assign(user, Role.STAFF, bloc)
    return user


@pytest.fixture
def moved(cell_a1, org_b, clerk):
    """Admitted on 01/3/2023 and transferred on 01/7/2025, both typed today by the clerk."""
    member = MemberFactory(
        organization=cell_a1,
        full_name="Lê Văn Cường",
        admitted_on=D(2023, 3, 1),
        ceremony_on=D(2023, 3, 15),
        by=clerk,
    )
    services.transfer(member=member, to=org_b, on=D(2025, 7, 1), decision_no="21-QĐ/ĐUK", by=clerk)
    services.update_profile(member=member, ethnicity="Tày", by=clerk)
    return member


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _table(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</table>", start)]


def _rows(table: str) -> list[str]:
    """The text of each body row."""
    table = table[table.index("<tbody>") :]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]


def test_movements_are_ordered_by_decision_date_apart_from_record_changes(client, clerk, moved):
    page = _page(client, clerk, reverse("members:detail", args=[moved.pk]))
    with translation.override("vi"):
        created, movements_heading, changes_heading = (
            gettext("Record created"),
            gettext("Movements, by decision date"),
            gettext("Changes to the record"),
        )

    movements = _rows(_table(page, "member-timeline"))
    assert [row[:10] for row in movements] == ["01/07/2025", "01/03/2023"]  # transfer, then admission
    assert "21-QĐ/ĐUK" in movements[0]
    assert created not in _table(page, "member-timeline") and "Tày" not in _table(page, "member-timeline")

    changes = _table(page, "member-changes")
    assert created in changes and "Tày" in changes
    assert re.search(r"Chi bộ Phòng Ngân sách → Chi bộ Báo Gia Lai", changes)
    assert page.index(movements_heading) < page.index('id="member-timeline"') < page.index(changes_heading)
    assert page.index(changes_heading) < page.index('id="member-changes"')


def test_the_profile_names_who_recorded_by_full_name(client, clerk, moved):
    page = _page(client, clerk, reverse("members:detail", args=[moved.pk]))

    for element_id in ("member-timeline", "member-changes"):
        table = _table(page, element_id)
        assert CLERK in table and ">nhap<" not in table and " nhap " not in table, element_id


def _history_section(page: str) -> str:
    start = page.rindex('<table class="table table-sm">')
    return page[start : page.index("</table>", start)]


def test_the_organization_page_names_who_changed_it_by_full_name(client, clerk, org_b):
    org_services.update_organization(organization=org_b, host_unit="Báo Gia Lai", by=clerk)

    history = _history_section(_page(client, clerk, reverse("organizations:detail", args=[org_b.pk])))

    assert CLERK in history and "nhap" not in history


def test_the_report_page_names_who_drafted_it_by_full_name(client, clerk, bloc, org_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = report_services.create_draft(organization=bloc, period="2025-Q2", by=clerk)

    history = _history_section(_page(client, clerk, reverse("reports:detail", args=[report.pk])))

    assert CLERK in history and "nhap" not in history


def test_the_candidate_page_names_who_changed_it_by_full_name(client, clerk, cell_a1):
    candidate = CandidateFactory(organization=cell_a1, by=clerk)

    history = _history_section(_page(client, clerk, reverse("members:candidate_detail", args=[candidate.pk])))

    assert CLERK in history and "nhap" not in history
