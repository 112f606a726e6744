"""The weekly digest of the attention hub (blocportal.digest): one e-mail per user with the alerts
in their scope, sent by Celery beat on Monday mornings or by ``manage.py send_attention_digest``;
none to a user who turned it off, and none when there is nothing to do. Django's locmem backend
keeps the messages in ``mail.outbox``."""

import io

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from blocportal import digest, preferences, tasks
from blocportal.celery import app
from blocportal.models import Role
from meetings import services as meeting_services
from meetings.models import Meeting
from organizations.models import Organization
from tests.core import alerts
from tests.factories import MemberFactory, OrganizationFactory, UserFactory, assign


@pytest.fixture(autouse=True)
def _on(settings):
    settings.PORTAL_NOW = alerts.PORTAL_NOW
    settings.PORTAL_URL = "https://portal.example.org"


@pytest.fixture
def every_alert(org_a, cell_a1, org_b, staff_user, system_user):
    alerts.every_alert(org_a=org_a, cell_a1=cell_a1, org_b=org_b, by=staff_user, system_user=system_user)


def reader(username, role, organization, *, email=None, **extra):
    email = f"{username}@example.org" if email is None else email
    user = UserFactory(username=username, email=email, **extra)
    assign(user, role, organization)
    return user


@pytest.fixture
def reader_a(org_a):
    """The secretary of Đảng bộ Sở Tài chính, with an e-mail address."""
    return reader("bt.taichinh", Role.SECRETARY, org_a)


@pytest.fixture
def quiet_c(bloc, staff_user, system_user):
    """The secretary of a chi bộ cơ sở where nothing needs doing: three official members, and the
    meeting of April (regular combined with thematic) held."""
    cell = OrganizationFactory(
        code="C",
        name="Chi bộ Đài Phát thanh",
        kind=Organization.Kind.GRASSROOTS_CELL,
        sector=Organization.Sector.PUBLIC_SERVICE,
        parent=bloc,
        established_on=alerts.D(2010, 5, 1),
        by=system_user,
    )
    for _ in range(3):
        MemberFactory(organization=cell, official=True, by=staff_user)
    meeting_services.record_meeting(
        organization=cell, held_on=alerts.ON, kind=Meeting.Kind.COMBINED, by=staff_user
    )
    return reader("bt.daiphatthanh", Role.SECRETARY, cell)


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_a_reader_gets_one_message_with_the_alerts_of_their_scope(every_alert, reader_a):
    run = digest.send_weekly_digests()

    (message,) = sent_to(reader_a.email)
    body = message.body
    for name in (alerts.PROBATIONER, alerts.CANDIDATE, alerts.VETERAN, alerts.TRANSFERRED, alerts.NO_CHI_UY):
        assert name in body
    assert alerts.IN_B not in body  # Chi bộ Báo Gia Lai is not theirs
    assert f"https://portal.example.org{reverse('attention')}#probations" in body
    assert f"https://portal.example.org{reverse('profile')}" in body  # where to turn it off
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html" and alerts.PROBATIONER in html and "<li>" in html
    assert run.sent >= 1 and run.users >= run.sent


def test_no_message_when_nothing_needs_doing(every_alert, quiet_c, reader_a):
    run = digest.send_weekly_digests()
    assert sent_to(quiet_c.email) == []
    assert run.empty >= 1 and sent_to(reader_a.email)


def test_no_message_to_a_user_who_turned_it_off(every_alert, reader_a):
    preferences.set_weekly_digest(user=reader_a, enabled=False, by=reader_a)
    digest.send_weekly_digests()
    assert sent_to(reader_a.email) == []

    preferences.set_weekly_digest(user=reader_a, enabled=True, by=reader_a)
    digest.send_weekly_digests()
    assert len(sent_to(reader_a.email)) == 1


def test_no_message_to_inactive_users_or_users_without_an_address(every_alert, org_a):
    reader("cu.bithu", Role.SECRETARY, org_a, is_active=False)
    no_address = reader("khong.thu", Role.SECRETARY, org_a, email="")
    digest.send_weekly_digests()
    assert sent_to("cu.bithu@example.org") == []
    assert no_address not in digest.recipients()


def test_a_second_run_the_same_day_writes_to_nobody_twice(every_alert, reader_a):
    first = digest.send_weekly_digests()
    again = digest.send_weekly_digests()

    assert len(sent_to(reader_a.email)) == 1
    assert (again.sent, again.already) == (0, first.sent)
    digest.send_weekly_digests(force=True)
    assert len(sent_to(reader_a.email)) == 2


def test_a_message_the_server_refuses_is_sent_by_the_next_run(every_alert, reader_a, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens
    failed = digest.send_weekly_digests()
    assert failed.failed >= 1 and failed.sent == 0

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    digest.send_weekly_digests()
    assert len(sent_to(reader_a.email)) == 1


def test_the_celery_task_sends_the_digest(every_alert, reader_a):
    # apply(): the task runs here, as in the embedded mode, whether or not CI's broker is configured.
    tasks.send_attention_digest.apply()
    assert len(sent_to(reader_a.email)) == 1


def test_beat_runs_it_on_monday_mornings_in_ha_noi():
    entry = settings.CELERY_BEAT_SCHEDULE["blocportal.send_attention_digest"]
    assert entry["task"] in app.tasks
    assert entry["schedule"] == crontab(minute=0, hour=7, day_of_week="monday")
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"


def test_the_command_shows_its_progress_and_sends(every_alert, reader_a, quiet_c):
    out, err = io.StringIO(), io.StringIO()
    call_command("send_attention_digest", stdout=out, stderr=err)

    users = digest.recipients().count()
    assert f"{users}/{users}" in err.getvalue()
    assert len(sent_to(reader_a.email)) == 1 and sent_to(quiet_c.email) == []
    assert str(users) in out.getvalue()


def test_the_command_takes_a_day(every_alert, reader_a):
    call_command("send_attention_digest", on="2020-01-06", stdout=io.StringIO(), stderr=io.StringIO())
    (message,) = sent_to(reader_a.email)
    assert alerts.PROBATIONER not in message.body  # not yet admitted on 06/01/2020
