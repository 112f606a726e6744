"""Calendar arithmetic for the Party's deadlines: working days (ngày làm việc) and whole months.

Working days are Monday to Friday minus public holidays. Fixed solar holidays come from the rule
"calendar.fixed_holidays"; Tết, Giỗ Tổ, the day next to 2/9 and substitute days off change every
year and are rows of the days-off table (``DayOff``), which superusers keep; a Saturday worked in
exchange for a bridge day off is a row there too. The table is read once and kept in the process
for ``rules.CACHE_SECONDS``; a change in this process forgets it at once.

Months follow one convention everywhere: ``add_months`` keeps the day of the month, clamped to the
month's end, and ``months_between`` is its inverse (the largest n with add_months(a, n) <= b), so
"12 months of probation" and "18 full years, counted in months" agree on every date.
"""

import calendar
import time
from datetime import date, timedelta

from django.db import DatabaseError

from . import rules

_days: dict[date, str] | None = None
_loaded_at = 0.0


def clear_cache() -> None:
    global _days, _counted_with
    _days = None
    _counted_with = None


def _days_off() -> dict[date, str]:
    """The days-off table: day -> kind (``nghi`` off, ``lam_bu`` worked)."""
    global _days, _loaded_at
    if _days is None or time.monotonic() - _loaded_at > rules.CACHE_SECONDS:
        from .models import DayOff

        try:
            _days = dict(DayOff.objects.values_list("day", "kind"))
        except DatabaseError as error:
            if rules.missing_table(error):  # before the first migration
                return {}
            raise
        _loaded_at = time.monotonic()
    return _days


def is_working_day(day: date) -> bool:
    listed = _days_off().get(day)
    if listed is not None:
        return listed == "lam_bu"
    if day.weekday() >= 5:
        return False
    return (day.month, day.day) not in rules.get("calendar.fixed_holidays", on=day)


def add_working_days(start: date, count: int) -> date:
    """The date ``count`` working days after ``start`` (``start`` itself not counted).

    Counted day by day, then kept for as long as the days-off table and the rules it was counted
    with are the ones in force in this process (the attention list asks for the deadlines of a few
    hundred rows on every request, each one tens of days long)."""
    global _counted, _counted_with
    tables = (_days_off(), rules.snapshot())
    if _counted_with is None or any(new is not old for new, old in zip(tables, _counted_with, strict=True)):
        _counted, _counted_with = {}, tables
    found = _counted.get((start, count))
    if found is None:
        day = start
        remaining = count
        while remaining > 0:
            day += timedelta(days=1)
            if is_working_day(day):
                remaining -= 1
        found = _counted[(start, count)] = day
    return found


# add_working_days's answers, and the tables they were counted with (held here, so that a table
# read again is a new object, never one with the same identity).
_counted: dict[tuple[date, int], date] = {}
_counted_with: tuple | None = None


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31/01 + 1 month → 28 or 29/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(earlier: date, later: date) -> int:
    """Full months from ``earlier`` to a ``later`` date (age and probation are counted in months)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if add_months(earlier, months) > later:
        months -= 1
    return months


def latest_start(until: date, months: int) -> date:
    """The last date ``d`` with ``add_months(d, months) <= until``: whoever started on or before it
    has ``months`` full months on ``until`` (the month-end clamping included, so a member admitted
    on 29/02/1996 has 30 years on 28/02/2026). Turns a rule on ages into a date filter the
    database answers with an index."""
    day = add_months(until, -months)
    while add_months(day + timedelta(days=1), months) <= until:
        day += timedelta(days=1)
    return day
