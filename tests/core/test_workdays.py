"""Working days and whole months for the Party's deadlines (blocportal/workdays.py)."""

import datetime

import pytest

from blocportal import rules
from blocportal.models import DayOff, RuleValue
from blocportal.workdays import add_months, add_working_days, is_working_day, months_between

D = datetime.date


@pytest.mark.django_db
def test_weekends_and_fixed_holidays_are_not_working_days():
    assert is_working_day(D(2025, 7, 4))  # Friday
    assert not is_working_day(D(2025, 7, 5))  # Saturday
    assert not is_working_day(D(2025, 9, 2))  # Quốc khánh, a Tuesday
    assert not is_working_day(D(2025, 4, 30)) and not is_working_day(D(2025, 5, 1))


@pytest.mark.django_db
def test_days_off_come_from_the_table_superusers_keep():
    day = D(2026, 6, 10)  # a Wednesday
    assert is_working_day(day)
    DayOff.objects.create(day=day, name="Nghỉ bù", source="Thông báo")
    assert not is_working_day(day)
    saturday = D(2026, 6, 13)
    assert not is_working_day(saturday)
    DayOff.objects.create(day=saturday, kind=DayOff.Kind.WORKED, name="Làm bù cho 10/6")
    assert is_working_day(saturday)


@pytest.mark.django_db
def test_tet_2027_in_the_table_moves_a_working_day_deadline():
    """Tết Đinh Mùi: 6/2/2027 is mùng 1. The migration lists the expected days off (unconfirmed)."""
    tet = DayOff.objects.filter(day__range=(D(2027, 2, 1), D(2027, 2, 28)))
    assert set(tet.values_list("day", flat=True)) == {D(2027, 2, d) for d in (5, 8, 9, 10, 11)}
    # A ceremony due 30 working days after a decision of 20/01/2027.
    assert add_working_days(D(2027, 1, 20), 30) == D(2027, 3, 10)  # five working days later
    tet.delete()
    assert add_working_days(D(2027, 1, 20), 30) == D(2027, 3, 3)


@pytest.mark.django_db
def test_the_announced_days_of_2024_to_2027_are_seeded():
    years = {day.year for day in DayOff.objects.values_list("day", flat=True)}
    assert {2024, 2025, 2026, 2027} <= years
    assert not is_working_day(D(2025, 1, 29))  # mùng 1 Tết Ất Tỵ
    assert not is_working_day(D(2024, 4, 18))  # Giỗ Tổ
    assert is_working_day(D(2024, 5, 4))  # a Saturday worked for 29/4/2024


@pytest.mark.django_db
def test_working_days_skip_weekends_and_holidays():
    assert add_working_days(D(2024, 6, 3), 30) == D(2024, 7, 15)  # Monday → six weeks later
    assert add_working_days(D(2025, 7, 4), 1) == D(2025, 7, 7)  # Friday → Monday
    # 29/4/2025 (Tuesday) + 2: 30/4 and 1/5 are holidays, 2/5 was swapped for Saturday 26/4.
    assert add_working_days(D(2025, 4, 29), 2) == D(2025, 5, 6)


@pytest.mark.django_db
def test_a_rule_changed_from_a_future_date_leaves_todays_checks_as_they_were():
    today = D(2026, 11, 27)
    later = D(2027, 1, 1)
    assert rules.get("member.probation_months", on=today) == 12
    RuleValue.objects.create(
        name="member.probation_months", value=18, regulation="Quy định giả định", effective_on=later
    )
    assert rules.get("member.probation_months", on=today) == 12
    assert rules.get("member.probation_months", on=later - datetime.timedelta(days=1)) == 12
    assert rules.get("member.probation_months", on=later) == 18


@pytest.mark.django_db
def test_every_default_is_a_row_of_the_table():
    names = set(RuleValue.objects.values_list("name", flat=True))
    assert names == set(rules.DEFAULTS)
    # Tuples come back as tuples: (1, 1) is found among the fixed holidays.
    assert (1, 1) in rules.get("calendar.fixed_holidays")


def test_an_unknown_rule_is_an_error():
    with pytest.raises(KeyError):
        rules.get("member.no_such_rule")


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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "value", "accepted"),
    [
        ("member.probation_months", 18, True),
        ("member.probation_months", "18", False),
        ("resolution.vote_share", [3, 4], True),
        ("resolution.vote_share", [2], False),
        ("badge.award_days", [[2, 3], [9, 2]], True),
        ("badge.award_days", [2, 3], False),
        ("document.symbols", {"dang_bo_khoi": "ĐUK"}, False),
        ("member.probation_month", 12, False),
    ],
)
def test_a_rule_row_is_checked_against_its_default(name, value, accepted):
    from django.core.exceptions import ValidationError

    row = RuleValue(name=name, value=value, regulation="Thử", effective_on=D(2027, 1, 1))
    if accepted:
        row.full_clean()
    else:
        with pytest.raises(ValidationError):
            row.full_clean()


@pytest.mark.django_db
def test_a_database_outage_is_not_hidden_behind_the_defaults(monkeypatch):
    from django.db import OperationalError

    from blocportal.models import RuleValue as Model

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    rules.clear_cache()
    monkeypatch.setattr(Model.objects, "order_by", broken)
    with pytest.raises(OperationalError):
        rules.get("member.probation_months")
