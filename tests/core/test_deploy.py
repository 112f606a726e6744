"""Production settings pass Django's deployment checklist, and every response carries the security
headers (CSP, no framing, a strict referrer policy)."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

# Every variable below changes the outcome of `check --deploy`; none is inherited from the caller.
PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "portal.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://portal.example.org",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_PRELOAD": "1",
    "SECURE_COOKIES": "1",
    "BEHIND_TLS_PROXY": "1",
}
INSECURE = {
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "SECURE_COOKIES": "0",
    "BEHIND_TLS_PROXY": "0",
}


def _check_deploy(variables: dict[str, str]) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if name not in {*PRODUCTION, "SECRET_KEY"}}
    env.update(variables)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_variables_pass_the_deployment_checklist():
    result = _check_deploy({**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(50)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_the_production_variables_the_checklist_fails():
    result = _check_deploy(INSECURE)
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_a_short_secret_key_fails_the_checklist():
    result = _check_deploy({**PRODUCTION, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def _assert_security_headers(response) -> None:
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_login_page_carries_the_security_headers(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    _assert_security_headers(response)


def test_a_signed_in_page_carries_the_security_headers(client, staff_user, org_a):
    client.force_login(staff_user)
    response = client.get(org_a.get_absolute_url())
    assert response.status_code == 200
    _assert_security_headers(response)
