"""The meetings on the dashboard: the attendance cards against the comparable period, the attendance
trend by month, the compliance by grassroots organization and the table of the organizations behind,
each opening the meetings or the compliance page behind it. The figures are those of the
hand-counted first quarter of 2025 (tests/meetings/conftest.py)."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from reports.statistics import statistics
from tests.meetings import conftest as meeting_fixtures

# The hand-counted quarter of the meetings (it replaces, in this module, the reports' own `quarter`).
cell_a2, people, quarter = meeting_fixtures.cell_a2, meeting_fixtures.people, meeting_fixtures.quarter

URL = reverse("reports:dashboard")
PERIOD = "2025-Q1"

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(client, leader_user, org_a, quarter):
    client.force_login(leader_user)
    response = client.get(URL, {"organization": org_a.pk, "period": PERIOD})
    assert response.status_code == 200
    return response


def _cards(response) -> dict:
    return {str(card.label): card for card in response.context["board"].cards()}


def _charts(response) -> dict:
    return {chart.name: chart for chart in response.context["board"].meeting_charts()}


def test_the_cards_show_attendance_and_compliance_against_the_comparable_period(board):
    cards = _cards(board)

    attendance = cards[_("Member attendance at meetings")]
    assert (attendance.value, attendance.note, attendance.previous) == (76.5, "13/17", None)
    committee = cards[_("Committee member attendance")]
    assert (committee.value, committee.note) == (100.0, "2/2")
    held = cards[_("Regular meetings held")]
    assert held.value == 22.2  # 2 of the 9 months due
    html = board.content.decode()
    assert "76,5%" in html and "13/17" in html


def test_the_attendance_card_opens_the_meetings_of_the_period(client, board):
    card = _cards(board)[_("Member attendance at meetings")]

    listed = client.get(card.detail_href)

    assert listed.status_code == 200
    assert listed.context["table"].paginator.count == 3  # A1's, A2's and their joint meeting


def test_the_attendance_trend_is_the_figures_by_month(client, board):
    chart = _charts(board)["attendance"]

    rows = {row[0].text: [cell.text for cell in row[1:]] for row in chart.rows}
    assert rows == {"03/2025": ["76,5", "100,0"]}  # no meeting in January or February
    march = chart.rows[0][1]
    assert client.get(march.href).context["table"].paginator.count == 3


def test_compliance_by_grassroots_opens_their_meetings_and_the_chi_bo_behind(client, board, org_a):
    chart = _charts(board)["compliance"]

    ((name, held, due),) = chart.rows
    assert (name.text, held.text, due.text) == ("Đảng bộ Sở Tài chính", "2", "9")
    assert client.get(held.href).context["table"].paginator.count == 3
    behind = client.get(due.href)
    assert behind.status_code == 200
    assert behind.context["organization"] == org_a
    assert behind.context["behind_only"] and behind.context["behind_count"] == 3


def test_the_organizations_behind_are_listed_with_their_months(client, board, cell_a1):
    behind = board.context["board"].behind()

    assert behind["count"] == 3
    rows = {row["name"]: row for row in behind["rows"]}
    assert rows["Chi bộ Phòng Ngân sách"]["regular_missing"] == "01/2025, 02/2025"
    assert rows["Chi bộ Phòng Ngân sách"]["thematic_missing"] == ""
    assert rows["Chi bộ Phòng Ngân sách"]["grassroots"] == "Đảng bộ Sở Tài chính"
    assert rows["Đảng bộ Sở Tài chính"]["regular_missing"] == "01/2025, 02/2025, 03/2025"
    opened = client.get(rows["Chi bộ Phòng Ngân sách"]["compliance_url"])
    assert opened.context["organization"] == cell_a1 and opened.context["behind_count"] == 1
    html = board.content.decode()
    assert 'id="meetings-behind"' in html and "01/2025, 02/2025" in html


def test_the_figures_on_the_dashboard_are_the_statistics(board, org_a):
    assert board.context["figures"]["meetings"] == statistics(org_a, PERIOD)["meetings"]


def test_the_meetings_add_no_query_to_a_kept_dashboard(
    client, leader_user, bloc, org_a, quarter, django_assert_num_queries
):
    client.force_login(leader_user)
    client.get(URL, {"organization": bloc.pk, "period": PERIOD})  # warms the figures' cache

    # As tests/reports/test_dashboard.py: the session, the user, their assignments, the node (twice)
    # and the figures' fingerprint; the meetings' cards, charts and table are kept rendered.
    with django_assert_num_queries(6):
        response = client.get(URL, {"organization": bloc.pk, "period": PERIOD})
    assert 'id="meetings-behind"' in response.content.decode()


def test_a_thematic_block_missed_is_named_by_its_quarter(db):
    from reports.dashboard import block_label

    assert block_label("2025-04") == _("Quarter %(quarter)s/%(year)s") % {"quarter": "II", "year": 2025}
    assert block_label("2025-04", "meeting.regular_every_months") == "04/2025"
