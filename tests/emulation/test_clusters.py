"""Emulation clusters (cụm thi đua): staff group the bloc's grassroots organizations by year, an
organization in one cluster a year, only grassroots organizations existing that year; next year's clusters
start as a copy of this year's. The pages: the clusters of a year with the organizations still unplaced,
creation with the organization picker, correction, removal and copy; nobody outside the bloc finds them,
and only staff change them.

The personas of tests/conftest.py: the bloc with đảng bộ A (and its chi bộ A1) and chi bộ cơ sở B; C and D
are two more grassroots organizations of the bloc."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from emulation.models import Cluster, ClusterMember
from emulation.services import clusters as services
from organizations import services as org_services
from organizations.models import Organization
from tests.factories import OrganizationFactory
from tests.import_page import msg

pytestmark = pytest.mark.django_db

D = datetime.date
ALREADY = "%(organization)s is already in the cluster “%(cluster)s” for %(year)s."
NOT_PLACEABLE = "%(organization)s is not a grassroots organization under %(owner)s existing in %(year)s."


@pytest.fixture
def org_c(bloc, system_user):
    return OrganizationFactory(
        code="C",
        name="Chi bộ Sở Tư pháp",
        kind=Organization.Kind.GRASSROOTS_CELL,
        parent=bloc,
        established_on=D(2012, 3, 1),
        by=system_user,
    )


@pytest.fixture
def org_d(bloc, system_user):
    return OrganizationFactory(
        code="D",
        name="Chi bộ Thống kê tỉnh",
        kind=Organization.Kind.GRASSROOTS_CELL,
        parent=bloc,
        established_on=D(2012, 3, 1),
        by=system_user,
    )


def _cluster(bloc, staff_user, name="Cụm 1", year=2025, organizations=()):
    return services.create_cluster(
        owner=bloc, year=year, name=name, organizations=organizations, by=staff_user
    )


def _placed(cluster) -> set[str]:
    return set(cluster.places.values_list("organization__code", flat=True))


# The services -----------------------------------------------------------------------------------------


def test_a_cluster_holds_grassroots_organizations_of_its_year(bloc, org_a, org_b, staff_user):
    cluster = _cluster(bloc, staff_user, organizations=[org_a, org_b])

    assert (cluster.owner, cluster.year, cluster.name, cluster.order) == (bloc, 2025, "Cụm 1", 0)
    assert _placed(cluster) == {"A", "B"}
    assert set(ClusterMember.objects.values_list("year", flat=True)) == {2025}
    assert cluster.history.get().history_user == staff_user
    assert _cluster(bloc, staff_user, name="Cụm 2").order == 1


def test_an_organization_in_another_cluster_of_the_year_is_refused_by_name(bloc, org_a, org_b, staff_user):
    _cluster(bloc, staff_user, organizations=[org_a])

    with pytest.raises(ValidationError) as refused:
        _cluster(bloc, staff_user, name="Cụm 2", organizations=[org_b, org_a])

    assert refused.value.message_dict["organizations"] == [
        msg(ALREADY, organization="Đảng bộ Sở Tài chính", cluster="Cụm 1", year=2025)
    ]
    assert Cluster.objects.count() == 1 and ClusterMember.objects.count() == 1


def test_the_same_organization_may_sit_in_a_cluster_of_another_year(bloc, org_a, staff_user):
    _cluster(bloc, staff_user, organizations=[org_a])
    later = _cluster(bloc, staff_user, year=2026, organizations=[org_a])

    assert _placed(later) == {"A"}


def test_only_grassroots_organizations_existing_that_year_are_placed(
    bloc, org_a, cell_a1, org_c, staff_user, system_user
):
    young = OrganizationFactory(
        code="E",
        name="Chi bộ Trung tâm mới",
        kind=Organization.Kind.GRASSROOTS_CELL,
        parent=bloc,
        established_on=D(2026, 2, 1),
        by=system_user,
    )
    org_services.dissolve_organization(organization=org_c, on=D(2024, 6, 30), by=system_user)

    with pytest.raises(ValidationError) as refused:
        _cluster(bloc, staff_user, organizations=[org_a, cell_a1, young, org_c])

    assert sorted(refused.value.message_dict["organizations"]) == sorted(
        msg(NOT_PLACEABLE, organization=name, owner=bloc.name, year=2025)
        for name in ("Chi bộ Phòng Ngân sách", "Chi bộ Trung tâm mới", "Chi bộ Sở Tư pháp")
    )
    assert not Cluster.objects.exists()


def test_two_clusters_of_a_year_do_not_share_a_name(bloc, staff_user):
    _cluster(bloc, staff_user)

    with pytest.raises(ValidationError) as refused:
        _cluster(bloc, staff_user)

    assert "name" in refused.value.message_dict


def test_correcting_a_cluster_renames_it_and_moves_its_organizations(bloc, org_a, org_b, org_c, staff_user):
    first = _cluster(bloc, staff_user, organizations=[org_a, org_b])
    second = _cluster(bloc, staff_user, name="Cụm 2", organizations=[org_c])

    services.update_cluster(cluster=first, name="Cụm các sở", organizations=[org_a], by=staff_user)
    services.update_cluster(cluster=second, organizations=[org_c, org_b], by=staff_user)  # B is free now

    first.refresh_from_db()
    assert first.name == "Cụm các sở" and _placed(first) == {"A"}
    assert _placed(second) == {"B", "C"}


def test_a_correction_that_changes_nothing_writes_nothing(bloc, org_a, staff_user):
    cluster = _cluster(bloc, staff_user, organizations=[org_a])
    before = (Cluster.history.count(), ClusterMember.history.count())

    services.update_cluster(cluster=cluster, name="Cụm 1", organizations=[org_a], by=staff_user)

    assert (Cluster.history.count(), ClusterMember.history.count()) == before


def test_removing_a_cluster_frees_its_organizations(bloc, org_a, staff_user):
    cluster = _cluster(bloc, staff_user, organizations=[org_a])

    services.delete_cluster(cluster=cluster, by=staff_user)

    assert not Cluster.objects.exists() and not ClusterMember.objects.exists()
    assert _placed(_cluster(bloc, staff_user, name="Cụm mới", organizations=[org_a])) == {"A"}


def test_next_year_starts_as_a_copy_without_the_dissolved(bloc, org_a, org_b, org_c, staff_user, system_user):
    _cluster(bloc, staff_user, name="Cụm 1", organizations=[org_a, org_b])
    _cluster(bloc, staff_user, name="Cụm 2", organizations=[org_c])
    org_services.dissolve_organization(organization=org_b, on=D(2025, 12, 31), by=system_user)

    copies = services.copy_clusters(owner=bloc, from_year=2025, to_year=2026, by=staff_user)

    assert [(c.name, c.year, c.order) for c in copies] == [("Cụm 1", 2026, 0), ("Cụm 2", 2026, 1)]
    assert _placed(copies[0]) == {"A"} and _placed(copies[1]) == {"C"}
    assert Cluster.objects.filter(year=2025).count() == 2  # the year copied is untouched


def test_a_copy_into_a_year_that_has_clusters_is_refused(bloc, org_a, staff_user):
    _cluster(bloc, staff_user, organizations=[org_a])
    _cluster(bloc, staff_user, year=2026)

    with pytest.raises(ValidationError):
        services.copy_clusters(owner=bloc, from_year=2025, to_year=2026, by=staff_user)
    with pytest.raises(ValidationError):
        services.copy_clusters(owner=bloc, from_year=2020, to_year=2024, by=staff_user)  # nothing to copy

    assert Cluster.objects.count() == 2


# The pages ------------------------------------------------------------------------------------------


def test_staff_see_the_clusters_of_a_year_and_who_is_unplaced(client, staff_user, bloc, org_a, org_b, org_c):
    _cluster(bloc, staff_user, organizations=[org_a, org_b])
    client.force_login(staff_user)

    response = client.get(reverse("emulation:clusters"), {"year": 2025})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Cụm 1" in page and "Đảng bộ Sở Tài chính" in page
    assert [o.code for o in response.context["unplaced"]] == ["C"]
    assert reverse("emulation:cluster_update", args=[response.context["clusters"][0].pk]) in page


def test_the_list_defaults_to_the_latest_year_with_clusters(client, staff_user, bloc, org_a):
    _cluster(bloc, staff_user, year=2024, organizations=[org_a])
    client.force_login(staff_user)

    assert client.get(reverse("emulation:clusters")).context["year"] == 2024


def test_a_leader_reads_the_clusters_and_changes_nothing(client, leader_user, staff_user, bloc, org_a):
    cluster = _cluster(bloc, staff_user, organizations=[org_a])
    client.force_login(leader_user)

    page = client.get(reverse("emulation:clusters"), {"year": 2025})
    assert page.status_code == 200 and "Cụm 1" in page.content.decode()
    assert reverse("emulation:cluster_update", args=[cluster.pk]) not in page.content.decode()
    assert client.get(reverse("emulation:cluster_update", args=[cluster.pk])).status_code == 403
    assert client.post(reverse("emulation:cluster_delete", args=[cluster.pk])).status_code == 403
    assert Cluster.objects.count() == 1


def test_a_secretary_sees_the_cluster_of_their_organization_only(
    client, secretary_a, staff_user, bloc, org_a, org_b, org_c
):
    theirs = _cluster(bloc, staff_user, organizations=[org_a, org_c])
    other = _cluster(bloc, staff_user, name="Cụm 2", organizations=[org_b])
    client.force_login(secretary_a)

    assert client.get(reverse("emulation:clusters"), {"year": 2025}).context["clusters"] == [theirs]
    assert client.get(reverse("emulation:cluster_update", args=[theirs.pk])).status_code == 403
    assert client.get(reverse("emulation:cluster_update", args=[other.pk])).status_code == 404


def test_staff_create_a_cluster_through_the_page(client, staff_user, bloc, org_a, org_b):
    client.force_login(staff_user)

    response = client.post(
        f"{reverse('emulation:cluster_create')}?year=2026",
        {"owner": bloc.pk, "name": "Cụm doanh nghiệp", "organizations": [org_a.pk, org_b.pk]},
    )

    assert response.status_code == 302 and response.url.endswith("?year=2026")
    cluster = Cluster.objects.get()
    assert (cluster.year, cluster.name) == (2026, "Cụm doanh nghiệp") and _placed(cluster) == {"A", "B"}


def test_the_page_shows_the_refusal_of_an_organization_already_placed(client, staff_user, bloc, org_a):
    _cluster(bloc, staff_user, year=2026, organizations=[org_a])
    client.force_login(staff_user)

    response = client.post(
        f"{reverse('emulation:cluster_create')}?year=2026",
        {"owner": bloc.pk, "name": "Cụm 2", "organizations": [org_a.pk]},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["organizations"] == [
        msg(ALREADY, organization="Đảng bộ Sở Tài chính", cluster="Cụm 1", year=2026)
    ]


def test_staff_edit_remove_and_copy_through_the_pages(client, staff_user, bloc, org_a, org_b):
    cluster = _cluster(bloc, staff_user, year=2025, organizations=[org_a])
    client.force_login(staff_user)

    edited = client.post(
        reverse("emulation:cluster_update", args=[cluster.pk]),
        {"name": "Cụm khối Đảng", "order": 2, "organizations": [org_a.pk, org_b.pk]},
    )
    assert edited.status_code == 302
    cluster.refresh_from_db()
    assert (cluster.name, cluster.order, _placed(cluster)) == ("Cụm khối Đảng", 2, {"A", "B"})

    copied = client.post(f"{reverse('emulation:cluster_copy')}?year=2026", {"from_year": 2025})
    assert copied.status_code == 302
    assert _placed(Cluster.objects.get(year=2026)) == {"A", "B"}

    removed = client.post(reverse("emulation:cluster_delete", args=[cluster.pk]))
    assert removed.status_code == 302 and not Cluster.objects.filter(year=2025).exists()


@pytest.mark.parametrize("clusters", [1, 6])
def test_the_clusters_page_costs_the_same_however_many_clusters(
    client, staff_user, bloc, system_user, clusters, django_assert_num_queries
):
    for number in range(clusters):
        organizations = [
            OrganizationFactory(
                code=f"G{number}{index}",
                name=f"Chi bộ Đơn vị {number}-{index}",
                kind=Organization.Kind.GRASSROOTS_CELL,
                parent=bloc,
                by=system_user,
            )
            for index in range(3)
        ]
        _cluster(bloc, staff_user, name=f"Cụm {number}", organizations=organizations)
    client.force_login(staff_user)
    client.get(reverse("home"))  # the session and the user, read once

    # The session and the user, the assignments, the years, the owners, the unplaced, the clusters and
    # their places, the messages.
    with django_assert_num_queries(8):
        response = client.get(reverse("emulation:clusters"), {"year": 2025})

    assert len(response.context["clusters"]) == clusters
