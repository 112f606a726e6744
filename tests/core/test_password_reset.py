"""A forgotten password is reset by a link sent by e-mail, from the log-in page ("Quên mật khẩu?").

The tests send e-mail to Django's locmem outbox (mail.outbox)."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

NEW_PASSWORD = "Hoa-sen-nở-2026"


@pytest.fixture
def secretary(db):
    return UserFactory(username="bithu", email="bithu@example.org", first_name="Trần Thị", last_name="Hoa")


def _log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def _reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_the_log_in_page_offers_the_reset(client, db):
    body = client.get(reverse("login")).content.decode()
    assert "Quên mật khẩu?" in body and reverse("password_reset") in body


def test_a_forgotten_password_is_reset_by_the_link_in_the_e_mail(client, secretary):
    form = client.get(reverse("password_reset"))
    assert form.status_code == 200 and "Quên mật khẩu?" in form.content.decode()

    sent = client.post(reverse("password_reset"), {"email": "BiThu@example.org"})

    assert sent.status_code == 302 and sent["Location"] == reverse("password_reset_done")
    assert "thư điện tử" in client.get(sent["Location"]).content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bithu@example.org"]
    assert message.subject == "BlocPortal: đặt mật khẩu mới"
    assert "Kính gửi đồng chí Trần Thị Hoa," in message.body
    assert "Tên đăng nhập: bithu" in message.body

    link = _reset_link(message)
    confirm = client.get(link, follow=True)
    assert confirm.status_code == 200 and confirm.context["validlink"]
    assert "Đặt mật khẩu mới" in confirm.content.decode()
    set_password_url = confirm.redirect_chain[-1][0]

    done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert "Mật khẩu mới đã được lưu" in client.get(done["Location"]).content.decode()
    assert _log_in(client, "bithu", "demo12345").status_code == 200  # the old one no longer works
    assert _log_in(client, "bithu", NEW_PASSWORD).status_code == 302


def test_the_link_works_once(client, secretary):
    client.post(reverse("password_reset"), {"email": secretary.email})
    link = _reset_link(mail.outbox[0])
    url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.get(link, follow=True)

    assert again.status_code == 200 and not again.context["validlink"]
    assert "không còn hiệu lực" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(client, secretary):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def _email_backend(**variables: str) -> str:
    env = {name: value for name, value in os.environ.items() if name != "EMAIL_URL"} | variables
    code = "import django; django.setup(); from django.conf import settings; print(settings.EMAIL_BACKEND)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "blocportal.settings"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip()


def test_e_mail_goes_to_the_console_unless_a_server_is_configured():
    assert _email_backend() == "django.core.mail.backends.console.EmailBackend"
    smtp = _email_backend(EMAIL_URL="smtp+tls://portal:secret@mail.example.org:587")
    assert smtp == "django.core.mail.backends.smtp.EmailBackend"
