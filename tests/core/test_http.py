"""HTTP hygiene: what a signed-in user receives is never cached (it holds members' personal data),
and the pages that only show something refuse a POST."""

import pytest
from django.urls import reverse

from tests.factories import MemberFactory


@pytest.fixture
def member(cell_a1, system_user):
    return MemberFactory(organization=cell_a1, by=system_user)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _pages(member):
    return {
        "profile": reverse("members:detail", args=[member.pk]),
        "list": reverse("members:list"),
        "export": f"{reverse('members:export')}?format=csv",
    }


@pytest.mark.parametrize("page", ["profile", "list", "export"])
def test_pages_and_files_for_a_signed_in_user_are_not_stored(staff_client, member, page):
    response = staff_client.get(_pages(member)[page])

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Pragma"] == "no-cache"


def test_the_export_is_still_a_download(staff_client, member):
    response = staff_client.get(_pages(member)["export"])
    assert response["Content-Disposition"].startswith("attachment;")
    assert member.full_name in response.content.decode("utf-8-sig")


def test_a_response_that_chose_its_cache_policy_keeps_it(staff_client):
    """The log-in view is never_cache: its own header stays."""
    response = staff_client.get(reverse("login"))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_pages_for_anonymous_visitors_are_left_alone(client, db):
    response = client.get(reverse("password_reset"))
    assert response.status_code == 200
    assert not response.has_header("Pragma")


@pytest.mark.parametrize("page", ["home", "list", "profile", "organization"])
def test_read_only_pages_refuse_a_post(staff_client, member, page):
    url = {
        "home": reverse("home"),
        "list": reverse("members:list"),
        "profile": reverse("members:detail", args=[member.pk]),
        "organization": reverse("organizations:detail", args=[member.organization_id]),
    }[page]

    assert staff_client.post(url).status_code == 405
    assert staff_client.get(url).status_code == 200
    assert staff_client.head(url).status_code == 200
