"""Dates as the portal writes and checks them."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from blocportal import clock

# The earliest plausible dates. A date before them is a typo or a placeholder (01/01/0001, a year
# of 1800 for 1980) that would otherwise be recorded and counted in the statistics.
PARTY_FOUNDED = date(1930, 2, 3)  # Ngày thành lập Đảng: no organization, admission or decision before it
EARLIEST_BIRTH = date(1900, 1, 1)  # of a living member or candidate
# The earliest plausible date of the date fields that have one, by field name: the forms
# (blocportal.forms.PlausibleDatesMixin) and the imports (blocportal.imports.check_dates) check them.
EARLIEST_DATES = {
    "birth_date": EARLIEST_BIRTH,
    "admitted_on": PARTY_FOUNDED,
    "ceremony_on": PARTY_FOUNDED,
    "official_on": PARTY_FOUNDED,
    "established_on": PARTY_FOUNDED,
}


def format_day(day: date) -> str:
    """A date as the portal writes it in messages (dd/mm/yyyy in Vietnamese)."""
    return date_format(day, "SHORT_DATE_FORMAT")


def check_not_future(on: date, field: str = "on") -> None:
    """Records are of things that happened: a date after today is refused, on ``field``."""
    if on > clock.today():
        raise ValidationError({field: _("The date %(date)s is in the future.") % {"date": format_day(on)}})


def check_plausible_date(on: date | None, field: str, earliest: date) -> None:
    """A date before ``earliest`` (``PARTY_FOUNDED``, ``EARLIEST_BIRTH``) is refused on ``field``.
    The forms and the imports call it: the models keep no such validator, which would be a
    migration for every change of a bound."""
    if on is not None and on < earliest:
        raise ValidationError(
            {
                field: _("The date %(date)s is not valid: it must be on or after %(earliest)s.")
                % {"date": format_day(on), "earliest": format_day(earliest)}
            }
        )
