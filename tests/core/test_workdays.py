"""Working days and whole months for the Party's deadlines (blocportal/workdays.py)."""

import datetime

import pytest

from blocportal import rules
from blocportal.workdays import add_months, add_working_days, is_working_day, months_between

D = datetime.date


def test_weekends_and_fixed_holidays_are_not_working_days():
    assert is_working_day(D(2025, 7, 4))  # Friday
    assert not is_working_day(D(2025, 7, 5))  # Saturday
    assert not is_working_day(D(2025, 9, 2))  # Quốc khánh, a Tuesday
    assert not is_working_day(D(2025, 4, 30)) and not is_working_day(D(2025, 5, 1))


def test_extra_holidays_come_from_the_rules(monkeypatch):
    assert is_working_day(D(2025, 1, 28))
    monkeypatch.setitem(
        rules.RULES, "calendar.extra_holidays", rules.Rule(("2025-01-28",), "Tết Ất Tỵ", True)
    )
    assert not is_working_day(D(2025, 1, 28))


def test_working_days_skip_weekends_and_holidays():
    assert add_working_days(D(2024, 6, 3), 30) == D(2024, 7, 15)  # Monday → six weeks later
    assert add_working_days(D(2025, 7, 4), 1) == D(2025, 7, 7)  # Friday → Monday
    # 29/4/2025 (Tuesday) + 2: 30/4 and 1/5 are holidays.
    assert add_working_days(D(2025, 4, 29), 2) == D(2025, 5, 5)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 3, 15), 12, D(2025, 3, 15)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 6, 3), -217, D(2006, 5, 3)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("earlier", "later", "months"),
    [
        (D(2006, 6, 3), D(2024, 6, 3), 216),
        (D(2006, 6, 4), D(2024, 6, 3), 215),
        (D(2025, 1, 31), D(2025, 2, 28), 1),  # the inverse of add_months
        (D(2024, 2, 29), D(2025, 2, 28), 12),
        (D(2024, 5, 10), D(2024, 5, 9), -1),
    ],
)
def test_months_between_counts_full_months(earlier, later, months):
    assert months_between(earlier, later) == months
