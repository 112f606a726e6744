"""The profile page ("Hồ sơ của tôi", /accounts/profile/): the user's name and roles, read-only, a
link to change the password, and the weekly digest turned on or off through a service."""

from django.urls import reverse

from blocportal import preferences
from blocportal.models import UserPreference
from tests.factories import UserFactory


def digest_box(response):
    return response.context["form"]["weekly_digest"].value()


def test_the_page_shows_the_name_the_roles_and_the_password_link(client, secretary_a, org_a):
    client.force_login(secretary_a)
    response = client.get(reverse("profile"))

    assert response.status_code == 200
    html = response.content.decode()
    assert secretary_a.get_full_name() in html and secretary_a.get_username() in html
    assert org_a.name in html and org_a.get_absolute_url() in html
    assert reverse("password_change") in html
    assert 'name="weekly_digest"' in html and digest_box(response) is True  # on until turned off
    assert "<select" not in html  # the roles are read only: the administrator assigns them


def test_the_digest_is_turned_off_and_on_again(client, secretary_a):
    client.force_login(secretary_a)

    response = client.post(reverse("profile"), {})  # the box unticked
    assert (response.status_code, response["Location"]) == (302, reverse("profile"))
    assert UserPreference.objects.get(user=secretary_a).weekly_digest is False
    assert digest_box(client.get(reverse("profile"))) is False

    client.post(reverse("profile"), {"weekly_digest": "on"})
    assert UserPreference.objects.get(user=secretary_a).weekly_digest is True
    assert digest_box(client.get(reverse("profile"))) is True


def test_each_change_is_in_the_history_with_who_made_it(secretary_a):
    preferences.set_weekly_digest(user=secretary_a, enabled=False, by=secretary_a)
    preferences.set_weekly_digest(user=secretary_a, enabled=False, by=secretary_a)  # nothing changes
    preferences.set_weekly_digest(user=secretary_a, enabled=True, by=secretary_a)

    preference = UserPreference.objects.get(user=secretary_a)
    history = preference.history.order_by("history_date")
    assert [(row.weekly_digest, row.history_user) for row in history] == [
        (False, secretary_a),
        (True, secretary_a),
    ]


def test_a_user_changes_only_their_own_preference(client, secretary_a, secretary_b):
    client.force_login(secretary_b)
    client.post(reverse("profile"), {})
    assert not UserPreference.objects.filter(user=secretary_a).exists()
    assert UserPreference.objects.get(user=secretary_b).weekly_digest is False


def test_a_user_without_a_role_is_told_so(client, db):
    client.force_login(UserFactory(username="nobody"))
    response = client.get(reverse("profile"))
    assert response.status_code == 200 and response.context["profile"].assignments == []
    assert "Tài khoản của bạn chưa được phân công" in response.content.decode()


def test_the_user_menu_links_the_profile(client, secretary_a):
    client.force_login(secretary_a)
    assert f'href="{reverse("profile")}"' in client.get(reverse("home")).content.decode()
