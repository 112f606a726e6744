"""The portal's own error pages: Vietnamese, in the portal's layout, with a way back home.

pytest-django runs with DEBUG off, as production does, so Django renders these templates."""

from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse

from blocportal import views
from tests.factories import MemberFactory, UserFactory


def _home_link() -> str:
    return f'href="{reverse("home")}"'


def test_secretary_of_other_cell_gets_the_vietnamese_404_page(client, secretary_b, cell_a1, system_user):
    member = MemberFactory(organization=cell_a1, by=system_user)
    client.force_login(secretary_b)

    response = client.get(reverse("members:detail", args=[member.pk]))

    assert response.status_code == 404
    body = response.content.decode()
    assert "Không tìm thấy trang" in body
    assert _home_link() in body
    assert 'class="navbar' in body  # the portal's page, with the user's menu
    assert "Not Found" not in body and member.full_name not in body


def test_a_role_without_the_permission_gets_the_vietnamese_403_page(client, secretary_a):
    client.force_login(secretary_a)

    response = client.get(reverse("assignments"))

    assert response.status_code == 403
    body = response.content.decode()
    assert "Không có quyền truy cập" in body and _home_link() in body
    assert "Forbidden" not in body


def test_a_form_without_its_csrf_token_gets_the_vietnamese_page(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "staff", "password": "demo12345"})

    assert response.status_code == 403
    body = response.content.decode()
    assert "Biểu mẫu đã hết hạn" in body and _home_link() in body
    assert "CSRF verification failed" not in body


def test_the_500_page_renders_without_the_database(django_db_blocker):
    """A 500 may come from a database that is down: the page must not need it. The request's user
    would make the context processors read the roles from the database; the handler must not run
    them."""
    request = RequestFactory().get("/members/")
    request.user = UserFactory.build(pk=1)

    with django_db_blocker.block():
        response = views.server_error(request)

    assert response.status_code == 500
    body = response.content.decode()
    assert "Lỗi máy chủ" in body and _home_link() in body and 'lang="vi"' in body


def test_the_portal_uses_its_own_500_and_400_handlers():
    resolver = get_resolver()
    assert resolver.resolve_error_handler(500) is views.server_error
    assert resolver.resolve_error_handler(400) is views.bad_request


def test_the_400_page_is_vietnamese(django_db_blocker):
    with django_db_blocker.block():
        response = views.bad_request(RequestFactory().get("/"), exception=None)

    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
