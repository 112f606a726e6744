"""Calendar arithmetic for the Party's deadlines: working days (ngày làm việc) and whole months.

Working days are Monday to Friday minus public holidays. Fixed solar holidays come from the rule
"calendar.fixed_holidays"; Tết, Giỗ Tổ, the day next to 2/9 and substitute days off change every
year and are listed as ISO dates in "calendar.extra_holidays".

Months follow one convention everywhere: ``add_months`` keeps the day of the month, clamped to the
month's end, and ``months_between`` is its inverse (the largest n with add_months(a, n) <= b), so
"12 months of probation" and "18 full years, counted in months" agree on every date.
"""

import calendar
from datetime import date, timedelta

from . import rules


def is_working_day(day: date) -> bool:
    if day.weekday() >= 5:
        return False
    if (day.month, day.day) in rules.get("calendar.fixed_holidays"):
        return False
    return day.isoformat() not in rules.get("calendar.extra_holidays")


def add_working_days(start: date, count: int) -> date:
    """The date ``count`` working days after ``start`` (``start`` itself not counted)."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


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
