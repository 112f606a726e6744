"""The case work on the dashboard: counts and outcomes for leaders, staff and inspectors, never a name or a
finding; the links to the cases, decisions and letters behind the counts only for the inspectors in scope,
each list showing exactly the count. The figures are those of the hand-counted year 2025
(test_statistics_inspections.py)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from reports.statistics import statistics
from tests.reports import test_statistics_inspections as hand_counted

# The hand-counted year of the case work.
PERIOD, year = hand_counted.PERIOD, hand_counted.year

URL = reverse("reports:dashboard")
LINKED = (
    "inspections.cases",
    "inspections.violations_found",
    "discipline.organizations",
    "discipline.members",
    "complaints.received",
    "complaints.resolved",
    "complaints.pending",
    "complaints.overdue",
)

pytestmark = pytest.mark.django_db


def _open(client, user, organization, period=PERIOD):
    client.force_login(user)
    response = client.get(URL, {"organization": organization.pk, "period": period})
    assert response.status_code == 200
    return response


def _cards(response) -> dict:
    return {card.key: card for card in response.context["board"].case_work_cards()}


def _figure(figures: dict, key: str):
    section, name = key.split(".")
    return figures[section][name]


def _listed(client, href: str) -> int:
    response = client.get(href)
    assert response.status_code == 200, href
    return response.context["table"].paginator.count


def test_a_leader_sees_the_figures_without_a_link_to_the_case_files(client, leader_user, bloc, year):
    response = _open(client, leader_user, bloc)
    html = response.content.decode()

    cards = _cards(response)
    figures = statistics(bloc, PERIOD)
    assert {key: card.value for key, card in cards.items()} == {key: _figure(figures, key) for key in cards}
    assert cards["inspections.cases"].value == 8 and cards["discipline.members"].value == 2
    assert 'id="case-work"' in html and 'data-key="complaints.overdue"' in html
    assert all(not card.href and not card.detail_href for card in cards.values())
    assert "/inspections/" not in html
    # Counts and outcomes, never a name or a finding.
    for member in (year["secretary"], *year["members"]):
        assert member.full_name not in html
    assert "Nhận xét của đoàn kiểm tra" not in html


def test_staff_and_a_secretary_see_the_counts_of_their_scope_without_links(
    client, staff_user, secretary_a, org_a, year
):
    # The same counts as section IV of the report they download: no name, no link to the case work.
    for user in (staff_user, secretary_a):
        response = _open(client, user, org_a)
        html = response.content.decode()
        assert response.context["board"].case_work_view == "counts"
        assert 'id="case-work"' in html and "/inspections/" not in html
        for member in (year["secretary"], *year["members"]):
            assert member.full_name not in html


def test_an_inspector_opens_lists_that_show_exactly_the_figures(client, inspector_user, bloc, year):
    response = _open(client, inspector_user, bloc)
    cards = _cards(response)
    html = response.content.decode()

    for key in LINKED:
        card = cards[key]
        query = parse_qs(urlsplit(card.href).query)
        assert query["within"] == [str(bloc.pk)], key
        assert f'href="{card.href.replace("&", "&amp;")}"' in html, key
        assert _listed(client, card.href) == card.value, key
    assert cards["inspections.cases"].href.startswith(reverse("inspections:cases"))
    assert parse_qs(urlsplit(cards["complaints.overdue"].href).query)["overdue_on"] == ["2025-12-31"]
    assert parse_qs(urlsplit(cards["discipline.members"].href).query) == {
        "within": [str(bloc.pk)],
        "decided_from": ["2025-01-01"],
        "decided_to": ["2025-12-31"],
        "in_force": ["1"],
        "target": ["member"],
    }


def test_the_organizations_and_members_covered_open_the_cases_behind_them(client, inspector_user, bloc, year):
    cards = _cards(_open(client, inspector_user, bloc))

    organizations = cards["inspections.organizations_covered"]
    members = cards["inspections.members_covered"]
    # Distinct targets are not a list's count: A was inspected twice, m1 twice.
    assert (organizations.value, organizations.href) == (3, "")
    assert _listed(client, organizations.detail_href) == 4
    assert (members.value, members.href) == (3, "")
    assert _listed(client, members.detail_href) == 4


def test_the_charts_count_cases_by_kind_and_discipline_by_form(
    client, inspector_user, leader_user, bloc, year
):
    response = _open(client, inspector_user, bloc)
    charts = {chart.name: chart for chart in response.context["board"].case_work_charts()}

    kinds = charts["case-kinds"]
    assert [cell.text for cell in (row[1] for row in kinds.rows)] == ["3", "1", "1", "1", "1", "1", "0"]
    signs = kinds.rows[0][1]
    assert parse_qs(urlsplit(signs.href).query)["kind"] == ["dau_hieu_vi_pham"]
    assert _listed(client, signs.href) == 3

    forms = charts["discipline-forms"]
    rows = {row[0].text: row[1:] for row in forms.rows}
    assert len(rows) == 5  # khiển trách, cảnh cáo, cách chức, khai trừ, giải tán
    reprimands = forms.rows[0]
    assert [cell.text for cell in reprimands[1:]] == ["1", "1"]  # B; m3
    assert _listed(client, reprimands[2].href) == 1

    leader = _open(client, leader_user, bloc)
    for chart in leader.context["board"].case_work_charts():
        assert all(not cell.href for row in chart.rows for cell in row)


def test_the_kept_section_follows_who_may_open_the_lists(client, leader_user, inspector_user, bloc, year):
    # The leader renders the section first: the inspector still gets the links, and then the leader
    # still gets none, while the figures and the version are the same.
    assert "/inspections/" not in _open(client, leader_user, bloc).content.decode()
    assert reverse("inspections:cases") in _open(client, inspector_user, bloc).content.decode()
    assert "/inspections/" not in _open(client, leader_user, bloc).content.decode()


def test_the_case_work_adds_no_query_to_a_kept_dashboard(
    client, inspector_user, bloc, year, django_assert_num_queries
):
    client.force_login(inspector_user)
    client.get(URL, {"organization": bloc.pk, "period": PERIOD})  # warms the figures' cache

    # As tests/reports/test_dashboard.py: the session, the user, their assignments, the node (twice)
    # and the figures' fingerprint; the case work's cards and charts are kept rendered.
    with django_assert_num_queries(6):
        response = client.get(URL, {"organization": bloc.pk, "period": PERIOD})
    assert 'data-key="inspections.cases"' in response.content.decode()


def test_a_new_case_shows_at_once(client, leader_user, inspector_user, org_a, cell_a1, year):
    from inspections.models import Body, Case
    from inspections.services import cases

    assert _cards(_open(client, leader_user, org_a))["inspections.cases"].value == 1
    cases.open_case(
        organization=org_a,
        body=Body.STANDING,
        kind=Case.Kind.THEMATIC_SUPERVISION,
        decision_no="05-QĐ/ĐU",
        opened_on=hand_counted.D(2025, 12, 1),
        target_organization=cell_a1,
        by=inspector_user,
    )

    response = _open(client, leader_user, org_a)
    assert _cards(response)["inspections.cases"].value == 2
    assert 'data-key="inspections.cases"' in response.content.decode()


def test_an_inspector_reads_the_meeting_figures_without_links_to_pages_closed_to_them(
    client, inspector_user, staff_user, bloc, year
):
    # The meeting pages are not the inspector's (meeting.view): the figures show, their links do not,
    # and the figures kept rendered for staff (with links) are not served to them.
    staff = _open(client, staff_user, bloc).content.decode()
    assert "/meetings/" in staff

    response = _open(client, inspector_user, bloc)
    assert response.context["board"].meeting_links is False
    assert "/meetings/" not in response.content.decode()
