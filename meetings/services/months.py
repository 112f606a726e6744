"""Closing a month (khóa sổ): once the bloc has closed a month, its meetings and study sessions are
corrected only by staff, and the history shows who did."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocportal import access, clock
from organizations.models import Organization

from ..models import ClosedMonth


def month_label(day: date) -> str:
    return f"{day.month:02d}/{day.year}"


def is_closed(day: date) -> bool:
    return ClosedMonth.objects.filter(month=day.replace(day=1)).exists()


def check_can_write(organization: Organization, on: date, by: AbstractBaseUser) -> None:
    """A secretary records and corrects the meetings of an open month only; staff (who hold
    ``meeting.close``) may still correct a closed one."""
    if is_closed(on) and not access.has_permission(by, "meeting.close", organization):
        raise ValidationError(
            _(
                "Month %(month)s is closed: its meetings can only be corrected by the staff of the bloc "
                "committee."
            )
            % {"month": month_label(on)}
        )


@transaction.atomic
def close_month(*, month: date, by: AbstractBaseUser) -> ClosedMonth:
    month = month.replace(day=1)
    if month > clock.today().replace(day=1):
        raise ValidationError({"month": _("A month that has not begun cannot be closed.")})
    closed = ClosedMonth.objects.filter(month=month).first()
    if closed is not None:
        return closed
    closed = ClosedMonth(month=month, closed_by=by)
    closed._history_user = by
    closed.save()
    return closed


@transaction.atomic
def reopen_month(*, month: date, by: AbstractBaseUser) -> None:
    closed = ClosedMonth.objects.filter(month=month.replace(day=1)).first()
    if closed is None:
        return
    closed._history_user = by
    closed.delete()
