"""The quality ratings and the emulation on the dashboard: the members' and the grassroots organizations'
levels by year, the groups over the excellence quota and the ranking, for everyone who reads the dashboard;
the links to the rating lists behind the counts only for a user holding rating.view on the node, each list
showing exactly the count, and the link to the ranking only for one who may open the bloc's score sheet.
The figures are those of the hand-counted years (test_statistics_ratings.py)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from reports.statistics import statistics
from tests.reports import test_statistics_ratings as hand_counted

PERIOD, ratings_years = hand_counted.PERIOD, hand_counted.ratings_years

URL = reverse("reports:dashboard")

pytestmark = pytest.mark.django_db


def _open(client, user, organization, period=PERIOD):
    client.force_login(user)
    response = client.get(URL, {"organization": organization.pk, "period": period})
    assert response.status_code == 200
    return response


def _board(response):
    return response.context["board"]


def _cards(response) -> dict:
    return {card.key: card for card in _board(response).rating_cards()}


def _listed(client, href: str) -> int:
    response = client.get(href)
    assert response.status_code == 200, href
    return response.context["table"].paginator.count


def _query(href: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(href).query).items()}


def test_staff_see_the_section_and_each_count_opens_a_list_of_exactly_that_many(
    client, staff_user, bloc, ratings_years
):
    response = _open(client, staff_user, bloc)
    html = response.content.decode()
    cards = _cards(response)
    figures = statistics(bloc, PERIOD)["ratings"]

    assert 'id="ratings"' in html and 'data-key="ratings.members.rated"' in html
    assert cards["ratings.members.rated"].value == 12
    assert cards["ratings.members.good_or_excellent_percent"].value == 83.3
    assert cards["ratings.members.good_or_excellent_percent"].note == "10/12"
    assert cards["ratings.organizations.rated"].value == figures["organizations"]["rated"] == 3
    assert "ratings.organizations.tsvm_percent" not in cards  # not a legacy year

    members = cards["ratings.members.rated"].href
    assert _query(members) == {"year": "2025", "within": str(bloc.pk)}
    assert members.startswith(reverse("emulation:member_rating_list"))
    assert f'href="{members.replace("&", "&amp;")}"' in html
    assert _listed(client, members) == 12
    organizations = cards["ratings.organizations.rated"].href
    assert _query(organizations) == {"year": "2025", "within": str(bloc.pk), "grassroots": "1"}
    assert _listed(client, organizations) == 3


def test_the_charts_give_the_levels_by_year_each_linked_to_its_ratings(
    client, staff_user, bloc, ratings_years
):
    response = _open(client, staff_user, bloc)
    charts = {chart.name: chart for chart in _board(response).rating_charts()}

    members = charts["rating-members"]
    (row,) = members.rows  # one year, then a column per level, best first
    assert row[0].text == "2025"
    assert [cell.text for cell in row[1:]] == ["3", "7", "1", "1"]
    assert [_query(cell.href)["level"] for cell in row[1:]] == ["htxs", "htt", "ht", "kht"]
    for cell in row[1:]:
        query = _query(cell.href)
        assert query["year"] == "2025" and query["within"] == str(bloc.pk)
        assert _listed(client, cell.href) == int(cell.text), cell.href

    organizations = charts["rating-organizations"]
    (row,) = organizations.rows
    assert [cell.text for cell in row[1:]] == ["1", "2", "0", "0"]
    assert _query(row[2].href) == {"year": "2025", "level": "htt", "within": str(bloc.pk), "grassroots": "1"}
    assert _listed(client, row[2].href) == 2


def test_a_span_shows_each_year_in_its_classification(client, staff_user, bloc, ratings_years):
    response = _open(client, staff_user, bloc, "2016-2025")
    cards = _cards(response)
    charts = {chart.name: chart for chart in _board(response).rating_charts()}

    # A span's counts are of several years: the lists filter one year, so the cards link nowhere.
    assert cards["ratings.members.rated"].value == 17 and cards["ratings.members.rated"].href == ""
    assert cards["ratings.organizations.tsvm_percent"].value == 66.7
    organizations = charts["rating-organizations"]
    assert [row[0].text for row in organizations.rows] == ["2016", "2025"]
    # 2016 in the legacy levels (tsvm, htt, ht, yeu_kem), 2025 in the current ones: the table has a column
    # for each level either year uses, empty where that year has none.
    linked = {_query(cell.href)["level"]: cell.text for cell in organizations.rows[0][1:] if cell.href}
    assert linked == {"tsvm": "2", "htt": "1", "ht": "0", "yeu_kem": "0"}
    columns = [
        next(_query(row[column].href)["level"] for row in organizations.rows if row[column].href)
        for column in range(1, len(organizations.headers))
    ]
    assert columns == ["htxs", "tsvm", "htt", "ht", "kht", "yeu_kem"]  # best first, whichever year
    clean = next(cell for cell in organizations.rows[0][1:] if cell.href and "level=tsvm" in cell.href)
    assert _query(clean.href)["level"] == "tsvm"
    assert _listed(client, clean.href) == 2
    # Years without ratings are left out.
    assert [row[0].text for row in charts["rating-members"].rows] == ["2016", "2024", "2025"]


def test_the_groups_over_the_quota_open_their_ratings(client, staff_user, bloc, org_b, ratings_years):
    response = _open(client, staff_user, bloc)
    groups = {group["code"]: group for group in _board(response).over_quota()}
    html = response.content.decode()

    assert list(groups) == ["B", "DUK"]
    b = groups["B"]
    assert b["href"].startswith(reverse("emulation:member_rating_list"))
    assert _query(b["href"]) == {"year": "2025", "within": str(org_b.pk), "over_quota": "1"}
    assert _listed(client, b["href"]) == 4  # B's four imported ratings
    duk = groups["DUK"]
    assert duk["href"].startswith(reverse("emulation:organization_rating_list"))
    assert _listed(client, duk["href"]) == 3  # A, B and C, rated by the bloc
    assert 'id="over-quota"' in html and f'href="{b["href"].replace("&", "&amp;")}"' in html


def test_the_ranking_shows_its_first_rows_and_opens_the_whole(client, staff_user, bloc, ratings_years):
    response = _open(client, staff_user, bloc)
    ranking = _board(response).ranking()
    html = response.content.decode()

    assert [(row["code"], row["rank"]) for row in ranking["rows"]] == [("A", 1), ("B", 2), ("C", 2)]
    assert ranking["url"] == reverse("emulation:ranking", args=[ratings_years["sheet"].pk])
    assert f'href="{ranking["url"]}"' in html and 'id="ranking"' in html
    assert client.get(ranking["url"]).status_code == 200


def test_a_secretary_opens_the_lists_and_the_ranking_of_their_organization(
    client, secretary_a, org_a, ratings_years
):
    response = _open(client, secretary_a, org_a)
    board = _board(response)
    cards = _cards(response)

    assert board.ratings_view == "links-ranking"
    assert cards["ratings.members.rated"].value == 8
    assert _listed(client, cards["ratings.members.rated"].href) == 8
    # Their own row, with its rank in the bloc; the bloc's sheet is read by those scored on it.
    assert [(row["code"], row["rank"]) for row in board.ranking()["rows"]] == [("A", 1)]
    url = board.ranking()["url"]
    assert url == reverse("emulation:ranking", args=[ratings_years["sheet"].pk])
    assert client.get(url).status_code == 200


def test_an_inspector_reads_the_figures_without_links(client, inspector_user, bloc, ratings_years):
    response = _open(client, inspector_user, bloc)
    board = _board(response)
    html = response.content.decode()

    assert board.ratings_view == "counts"
    assert 'id="ratings"' in html and 'data-key="ratings.members.rated"' in html
    assert all(not card.href for card in board.rating_cards())
    assert all(not cell.href for chart in board.rating_charts() for row in chart.rows for cell in row)
    assert all(not group["href"] for group in board.over_quota())
    assert board.ranking()["url"] == "" and board.ranking()["rows"]
    assert "/emulation/" not in html


def test_the_kept_section_follows_who_may_open_the_lists(
    client, inspector_user, staff_user, bloc, ratings_years
):
    # The inspector renders the section first: staff still get the links, and the inspector then none.
    assert "/emulation/" not in _open(client, inspector_user, bloc).content.decode()
    assert reverse("emulation:member_rating_list") in _open(client, staff_user, bloc).content.decode()
    assert "/emulation/" not in _open(client, inspector_user, bloc).content.decode()


def test_a_period_without_ratings_has_no_section(client, staff_user, bloc, ratings_years):
    html = _open(client, staff_user, bloc, "2023").content.decode()

    assert 'id="ratings"' not in html


def test_the_ratings_add_no_query_to_a_kept_dashboard(
    client, staff_user, bloc, ratings_years, django_assert_num_queries
):
    client.force_login(staff_user)
    client.get(URL, {"organization": bloc.pk, "period": PERIOD})  # warms the figures' cache

    # As tests/reports/test_dashboard.py: the session, the user, their assignments, the node (twice)
    # and the figures' fingerprint; the ratings' cards, charts and tables are kept rendered.
    with django_assert_num_queries(6):
        response = client.get(URL, {"organization": bloc.pk, "period": PERIOD})
    assert 'data-key="ratings.members.rated"' in response.content.decode()


def test_a_new_rating_shows_at_once(client, staff_user, bloc, cell_a1, ratings_years):
    from emulation.services import ratings

    assert _cards(_open(client, staff_user, bloc))["ratings.members.rated"].value == 12
    ratings.approve_members(
        organization=cell_a1, year=2025, levels={ratings_years["a1"][8].pk: "htt"}, by=staff_user
    )

    assert _cards(_open(client, staff_user, bloc))["ratings.members.rated"].value == 13
