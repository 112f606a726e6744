"""The weekly digest of the attention hub: one e-mail per user, with the alerts in their scope.

Celery beat runs ``send_weekly_digests`` every Monday morning (``CELERY_BEAT_SCHEDULE``,
blocportal.tasks.send_attention_digest); ``manage.py send_attention_digest`` runs it by hand. Every
active user with an e-mail address gets one, unless they turned it off on their profile page
(``UserPreference.weekly_digest``), and only when the hub has something for them. The messages go
through EMAIL_BACKEND (``EMAIL_URL``; printed on the console by default).

Safe to run again: a user is claimed by a conditional UPDATE of ``digest_sent_on`` before their
message is sent, so a second run the same day (a redelivered task, the command after the beat)
writes to nobody twice; a message that fails to send releases its claim for the next run.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import attention, clock
from .models import UserPreference

logger = logging.getLogger(__name__)

# Rows of each section written out in the message; the rest are counted, and linked.
DIGEST_ROWS = 5


class Outcome(StrEnum):
    SENT = "sent"
    EMPTY = "empty"  # nothing in the user's scope needs doing
    ALREADY = "already"  # their digest of that day went out before
    FAILED = "failed"  # the mail server refused it (logged); the next run tries again


@dataclass
class DigestRun:
    users: int = 0
    sent: int = 0
    empty: int = 0
    already: int = 0
    failed: int = 0

    def add(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)


def recipients() -> QuerySet:
    """Active users with an e-mail address who did not turn the digest off."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .exclude(preference__weekly_digest=False)
        .order_by("pk")
    )


def send_weekly_digests(
    *, on: date | None = None, force: bool = False, progress: Callable[[int, int], None] | None = None
) -> DigestRun:
    """Send the digest of ``on`` (today) to every recipient; ``progress(done, total)`` after each
    user. ``force`` writes again to the users already written to that day."""
    on = on or clock.today()
    users = list(recipients())
    run = DigestRun(users=len(users))
    # One connection for every message, opened by the first one: a server that refuses it fails
    # that message (and the next), not the run.
    connection = mail.get_connection()
    try:
        with translation.override(settings.LANGUAGE_CODE):
            for done, user in enumerate(users, start=1):
                run.add(send_digest(user=user, on=on, force=force, connection=connection))
                if progress is not None:
                    progress(done, len(users))
    finally:
        connection.close()
    return run


def send_digest(*, user, on: date, force: bool = False, connection=None) -> Outcome:
    """The digest of one user: the hub's sections in their scope that hold something."""
    found = [item for item in attention.sections(user, on) if item.count]
    if not found:
        return Outcome.EMPTY
    if not _claim(user, on, force=force):
        return Outcome.ALREADY
    try:
        _message(user, on, found, connection).send()
    except Exception:  # the mail server: refused, unreachable, timed out
        logger.exception("The attention digest of user %s could not be sent", user.pk)
        UserPreference.objects.filter(user=user, digest_sent_on=on).update(digest_sent_on=None)
        return Outcome.FAILED
    return Outcome.SENT


def _claim(user, on: date, *, force: bool) -> bool:
    UserPreference.objects.get_or_create(user=user)
    rows = UserPreference.objects.filter(user=user)
    if not force:
        rows = rows.exclude(digest_sent_on=on)
    return rows.update(digest_sent_on=on) == 1


def _message(user, on: date, found: list[attention.Gathered], connection) -> mail.EmailMultiAlternatives:
    hub = f"{settings.PORTAL_URL}{reverse('attention')}"
    context = {
        "portal_name": settings.PORTAL_NAME,
        "name": user.get_full_name() or user.get_username(),
        "on": on,
        "total": sum(item.count for item in found),
        "sections": [
            {
                "title": item.title,
                "count": item.count,
                "lines": (lines := item.lines(DIGEST_ROWS)),
                "more": item.count - len(lines),
                "url": f"{hub}#{item.key}",
            }
            for item in found
        ],
        "hub_url": hub,
        "profile_url": f"{settings.PORTAL_URL}{reverse('profile')}",
    }
    subject = _("%(portal)s: to do this week (%(count)s)") % {
        "portal": settings.PORTAL_NAME,
        "count": context["total"],
    }
    message = mail.EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("attention/digest_email.txt", context),
        to=[user.email],
        connection=connection,
    )
    message.attach_alternative(render_to_string("attention/digest_email.html", context), "text/html")
    return message
