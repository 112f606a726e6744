"""Log-in, sessions and scoping."""

from django.conf import settings
from django.urls import reverse

from blocportal import access
from blocportal.models import Role
from organizations.models import Organization
from tests.factories import UserFactory, assign


def _login(client, username, password="demo12345"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_every_page_requires_login(client, db):
    response = client.get(reverse("organizations:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_vietnamese(client, db):
    body = client.get(reverse("login")).content.decode()
    assert "Đăng nhập" in body and 'lang="vi"' in body


def test_login_rotates_the_session(client, staff_user):
    session = client.session
    session["seen_before_login"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = session.session_key
    response = _login(client, "staff")
    assert response.status_code == 302
    assert client.session.session_key != before


def test_five_failures_lock_the_account_for_this_address(client, staff_user):
    for _attempt in range(5):
        response = _login(client, "staff", "wrong-password")
    assert response.status_code == 429
    assert "Tài khoản bị khóa" in response.content.decode()
    # Even the right password is refused while locked.
    response = _login(client, "staff")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(client, staff_user):
    for _attempt in range(4):
        _login(client, "staff", "wrong-password")
    assert _login(client, "staff").status_code == 302


def test_wrong_password_message_is_vietnamese(client, staff_user):
    body = _login(client, "staff", "nope").content.decode()
    assert "Vui lòng điền vào" in body and "mật khẩu chính xác" in body


def test_logout_is_a_post(client, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_scope_is_the_union_of_assigned_subtrees(org_a, cell_a1, org_b, bloc):
    user = UserFactory(username="two-hats")
    assign(user, Role.SECRETARY, org_a)
    assign(user, Role.SECRETARY, org_b)
    assert set(Organization.objects.visible_to(user)) == {org_a, cell_a1, org_b}


def test_a_user_without_assignment_sees_nothing(org_a):
    nobody = UserFactory(username="nobody")
    assert not Organization.objects.visible_to(nobody).exists()
    assert not access.has_permission(nobody, "organization.view")


def test_superuser_sees_everything(superuser, org_a, org_b, bloc, cell_a1):
    assert Organization.objects.visible_to(superuser).count() == 4
    assert access.has_permission(superuser, "organization.change", org_b)


def test_role_permissions_hold_only_inside_the_assigned_subtree(org_a, org_b):
    unit_staff = UserFactory(username="unit-staff")
    assign(unit_staff, Role.STAFF, org_a)
    assert access.has_permission(unit_staff, "organization.change", org_a)
    assert not access.has_permission(unit_staff, "organization.change", org_b)


def test_assignments_page_lists_roles_in_scope(client, staff_user, secretary_a, secretary_b):
    client.force_login(staff_user)
    body = client.get(reverse("assignments")).content.decode()
    assert "secretary1" in body and "secretary2" in body and "Bí thư, cấp ủy cơ sở" in body


def test_roles_page_follows_the_staff_role_only(client, bloc, org_a, org_b, secretary_b):
    """A user who is staff of A and leader of the bloc sees the roles under A, not B's secretary."""
    mixed = UserFactory(username="mixed")
    assign(mixed, Role.STAFF, org_a)
    assign(mixed, Role.LEADER, bloc)
    client.force_login(mixed)
    body = client.get(reverse("assignments")).content.decode()
    assert "mixed" in body and "secretary2" not in body


def test_an_idle_session_ends(client, staff_user):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(staff_user)
    assert client.get(reverse("home")).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timezone.timedelta(seconds=1)
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _age_the_refresh(client, seconds):
    """Pretend the session's expiry was last pushed forward ``seconds`` ago."""
    import time

    from blocportal.middleware import SESSION_REFRESHED_KEY

    session = client.session
    session[SESSION_REFRESHED_KEY] = int(time.time()) - seconds
    session.save()


def test_a_request_renews_the_idle_timer_once_the_last_renewal_is_old(client, staff_user):
    from django.contrib.sessions.models import Session

    client.force_login(staff_user)
    key = client.session.session_key
    _age_the_refresh(client, settings.SESSION_REFRESH_SECONDS + 1)
    Session.objects.filter(session_key=key).update(expire_date=timezone_now_plus(60))
    client.get(reverse("home"))
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone_now_plus(settings.SESSION_COOKIE_AGE - 60)


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]


def test_a_page_soon_after_the_last_renewal_writes_no_session(client, staff_user):
    """The idle timer is not pushed on every request: a page within SESSION_REFRESH_SECONDS of the
    last renewal only reads the session (no savepoint, update and release)."""
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff_user)
    key = client.session.session_key
    _age_the_refresh(client, settings.SESSION_REFRESH_SECONDS + 1)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("home"))  # renews
    expiry = Session.objects.get(session_key=key).expire_date
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("home"))

    assert len(_writes(first.captured_queries)) == 3  # savepoint, update, release
    assert _writes(second.captured_queries) == []
    assert len(second.captured_queries) == len(first.captured_queries) - 3
    assert Session.objects.get(session_key=key).expire_date == expiry


def test_logging_in_starts_the_idle_timer(client, staff_user):
    """The log-in writes the session anyway, with the time of its renewal: the first page after it
    writes nothing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert _login(client, "staff").status_code == 302
    with CaptureQueriesContext(connection) as first_page:
        assert client.get(reverse("home")).status_code == 200
    assert _writes(first_page.captured_queries) == []


def test_a_session_left_idle_past_the_timeout_ends_even_if_renewed_recently(client, staff_user):
    """The renewal is skipped within the interval, never the expiry: a session whose expiry has
    passed is gone whatever its last renewal says."""
    from django.contrib.sessions.models import Session

    client.force_login(staff_user)
    client.get(reverse("home"))
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone_now_plus(-1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def timezone_now_plus(seconds):
    from django.utils import timezone

    return timezone.now() + timezone.timedelta(seconds=seconds)


def test_admin_cannot_change_organizations_behind_the_services(client, superuser, org_b):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:organizations_organization_change", args=[org_b.pk]), {"name": "Đổi trong admin"}
    )
    assert response.status_code == 403
    org_b.refresh_from_db()
    assert org_b.name == "Chi bộ Báo Gia Lai"
