"""The leaders' dashboard: the figures of statistics() for a node and period in the user's scope,
against the comparable period, with charts whose counts open the rows behind them."""

import pytest
from django.urls import reverse

from blocportal import clock
from blocportal.periods import Period
from reports.statistics import statistics

URL = reverse("reports:dashboard")


def _open(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def test_the_dashboard_shows_the_figures_of_the_statistics_service(client, leader_user, bloc, quarter):
    response = _open(client, leader_user, organization=bloc.pk, period="2025-Q2")

    assert response.status_code == 200
    assert response.context["figures"] == statistics(bloc, "2025-Q2")
    cards = {str(card.label): card for card in response.context["board"].cards()}
    assert cards["Đảng viên"].value == 6
    assert cards["Kết nạp"].value == 2
    # Against Quý II năm 2024: m2 was admitted in May 2024.
    assert cards["Kết nạp"].previous == 1
    charts = {chart.name: chart for chart in response.context["board"].figure_charts()}
    sector_rows = {row[0].text: row[1].text for row in charts["sector"].rows}
    assert sector_rows == {"Cơ quan Nhà nước": "3", "Đơn vị sự nghiệp": "3"}


@pytest.mark.parametrize("period", ["2025-Q2", "2024-2025"])
def test_every_count_links_to_the_list_of_exactly_those_members(client, leader_user, bloc, quarter, period):
    response = _open(client, leader_user, organization=bloc.pk, period=period)
    board = response.context["board"]

    links = [(card.label, card.value, card.href) for card in board.cards() if card.href]
    for chart in board.figure_charts():
        for row in chart.rows:
            links += [
                (f"{chart.name}: {row[0].text}", int(cell.text or 0), cell.href)
                for cell in row[1:]
                if cell.href
            ]
    assert len(links) > 10
    for label, count, link in links:
        listed = client.get(link)
        assert listed.status_code == 200, label
        assert listed.context["table"].paginator.count == count, (label, link)


def test_the_dashboard_opens_on_the_current_quarter_of_the_highest_organization(client, secretary_a, org_a):
    response = _open(client, secretary_a)

    assert response.context["organization"] == org_a
    assert response.context["period"] == Period.quarter_of(clock.today())


def test_a_secretary_cannot_open_another_organization(client, secretary_a, org_b):
    assert _open(client, secretary_a, organization=org_b.pk).status_code == 404


def test_a_wrong_period_is_explained_in_vietnamese(client, leader_user, bloc):
    response = _open(client, leader_user, organization=bloc.pk, period="2025-Q7")

    assert response.status_code == 200
    assert "không phải là kỳ báo cáo" in response.content.decode()


@pytest.mark.parametrize("extra_cells", [0, 15])
def test_query_count_does_not_grow_with_the_data(
    client, leader_user, bloc, quarter, extra_cells, django_assert_num_queries, system_user
):
    from tests.factories import MemberFactory, OrganizationFactory

    for n in range(extra_cells):
        cell = OrganizationFactory(code=f"X{n}", parent=bloc, by=system_user)
        MemberFactory(organization=cell, by=system_user)
    client.force_login(leader_user)
    client.get(URL, {"organization": bloc.pk, "period": "2025-Q2"})  # warms the figures' cache

    # The session, the user, their assignments, the node (the form's check and the picker's label)
    # and the figures' fingerprint: the figures, the rendered charts and the alerts come from the cache.
    with django_assert_num_queries(6):
        client.get(URL, {"organization": bloc.pk, "period": "2025-Q2"})


def test_the_organization_count_opens_the_organizations_it_counts(client, leader_user, bloc, quarter):
    response = _open(client, leader_user, organization=bloc.pk, period="2025-Q2")
    card = next(card for card in response.context["board"].cards() if str(card.label) == "Tổ chức cơ sở đảng")

    listed = client.get(card.href)

    # A, B and D on 30/6/2025: E had been dissolved in May.
    assert card.value == 3
    assert {o.code for o in listed.context["table"].data} == {"A", "B", "D"}
    # The list says why it is narrowed, each reason removable.
    chips = listed.content.decode().split('id="filter-chips"')[1].split("</p>")[0]
    for text in (bloc.name, "Tổ chức cơ sở đảng", "30/06/2025"):
        assert text in chips


def test_the_organizations_below_open_their_own_dashboard(client, leader_user, bloc, org_b, quarter):
    response = _open(client, leader_user, organization=bloc.pk, period="2025-Q2")
    below = {unit["name"]: unit for unit in response.context["board"].below()}

    assert below["Chi bộ Báo và Phát thanh"]["members"] == 3  # B, under today's name
    opened = client.get(below["Chi bộ Báo và Phát thanh"]["url"])
    assert opened.context["organization"] == org_b
    assert str(opened.context["period"]) == "2025-Q2"


def test_the_annex_of_the_dashboard_carries_the_same_figures(client, leader_user, bloc, quarter):
    import io

    from openpyxl import load_workbook

    client.force_login(leader_user)
    response = client.get(reverse("reports:dashboard_annex"), {"organization": bloc.pk, "period": "2025-Q2"})

    assert response["Content-Disposition"] == 'attachment; filename="so-lieu-DUK-2025-Q2.xlsx"'
    summary = load_workbook(io.BytesIO(response.content)).worksheets[0]
    by_key = {row[1]: row[2] for row in summary.iter_rows(min_row=5, values_only=True)}
    assert by_key["members.total"] == statistics(bloc, "2025-Q2")["members"]["total"] == 6
    assert by_key["admissions.over_target_percent"] == -50.0
