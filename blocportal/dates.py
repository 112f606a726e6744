"""Dates as the portal writes and checks them."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def format_day(day: date) -> str:
    """A date as the portal writes it in messages (dd/mm/yyyy in Vietnamese)."""
    return date_format(day, "SHORT_DATE_FORMAT")


def check_not_future(on: date, field: str = "on") -> None:
    """Records are of things that happened: a date after today is refused, on ``field``."""
    if on > timezone.localdate():
        raise ValidationError({field: _("The date %(date)s is in the future.") % {"date": format_day(on)}})
