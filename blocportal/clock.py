"""The portal's one "now" and "today".

Every date the portal derives — "today" in a check, the default of a form, the seed's calendar —
comes from here, never from ``date.today()`` or ``timezone.localdate()`` directly. ``today()`` is
the date in the portal's time zone (Asia/Ho_Chi_Minh): at 17:30 UTC on 31/12 it is already 01/01
in Hà Nội.

``PORTAL_NOW`` (an ISO 8601 instant, e.g. ``2027-02-08T03:00:00+00:00``) sets the clock: the
tests and CI use it to run the date-sensitive suite on a weekend, in the Tết holidays, on 31/12
and just after midnight in Hà Nội, and a trainer may use it to show the demo bloc as of a day.
The clock is then fixed at that instant. Audit timestamps (history rows, report timings) keep the
real time.
"""

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime


def fixed_now() -> datetime | None:
    """The instant ``PORTAL_NOW`` fixes the clock at, or None when the clock runs."""
    value = getattr(settings, "PORTAL_NOW", None)
    if not value:
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        moment = parse_datetime(str(value))
        if moment is None:
            raise ValueError(f"PORTAL_NOW is not an ISO 8601 date and time: {value!r}")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def now() -> datetime:
    """The current instant (aware)."""
    return fixed_now() or timezone.now()


def today() -> date:
    """Today's date in the portal's time zone."""
    return timezone.localdate(now())
