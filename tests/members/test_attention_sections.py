"""The attention page fetches only the rows it shows: each section is one query for its first
SECTION_ROWS rows and the count of all of them, however many there are; and a deadline in working
days, turned into a date range for that query, keeps exactly the rows the rule makes late."""

import datetime

import pytest
from django.db.models import Q

from blocportal import rules, workdays
from blocportal.models import RuleValue
from members.selectors import attention
from tests.factories import MemberFactory

D = datetime.date
ON = D(2026, 4, 1)  # the probations of ceremonies of 16/3/2025 ended on 16/3/2026


@pytest.mark.parametrize("rows", [5, 60])
def test_each_section_costs_one_query_and_fetches_only_the_rows_shown(
    cell_a1, staff_user, django_assert_num_queries, rows
):
    for _ in range(rows):
        MemberFactory(
            organization=cell_a1, admitted_on=D(2025, 3, 3), ceremony_on=D(2025, 3, 16), by=staff_user
        )
    attention.attention_list(staff_user, ON)  # reads the user's scope once

    # Probations, certificates, small chi bộ, badges, transfers, personal histories, set-up.
    with django_assert_num_queries(7) as captured:
        result = attention.attention_list(staff_user, ON)

    shown = min(rows, attention.SECTION_ROWS)
    for section in (result.probations, result.personal_histories):  # the same new members
        assert (section.count, len(section.rows), section.truncated) == (rows, shown, rows > shown)
    assert all(f"LIMIT {attention.SECTION_ROWS}" in query["sql"] for query in captured.captured_queries)
    assert result.total == 2 * rows + result.small_cells.count + result.committees.count


def test_the_rows_shown_are_the_most_urgent(cell_a1, staff_user):
    for day in range(attention.SECTION_ROWS + 3):
        ceremony = D(2025, 2, 10) + datetime.timedelta(days=day)
        MemberFactory(
            organization=cell_a1,
            admitted_on=ceremony - datetime.timedelta(days=7),
            ceremony_on=ceremony,
            by=staff_user,
        )
    section = attention.attention_list(staff_user, ON).probations
    ceremonies = [row.member.ceremony_on for row in section.rows]
    assert ceremonies == sorted(ceremonies) and ceremonies[0] == D(2025, 2, 10)
    assert section.count == attention.SECTION_ROWS + 3 and section.truncated


def _kept(condition: Q, day: datetime.date) -> bool:
    """Whether the date filter ``condition`` (on one field) keeps ``day``."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(_kept(child, day))
            continue
        lookup, value = child
        operator = lookup.rsplit("__", 1)[1]
        results.append(
            day in value if operator == "in" else day < value or (operator == "lte" and day == value)
        )
    kept = any(results) if condition.connector == Q.OR else all(results)
    return not kept if condition.negated else kept


def _late_dates(on, rule, span=200):
    """The dates of the last ``span`` days whose deadline has passed on ``on``, day by day."""
    days = [on - datetime.timedelta(days=n) for n in range(span)]
    return {day for day in days if on > workdays.add_working_days(day, rules.get(rule, on=day))}


RULES = ["member.personal_history_due_working_days", "member.official_transfer_due_working_days"]


@pytest.mark.parametrize("rule", RULES)
def test_a_deadline_in_working_days_becomes_the_same_date_range(db, rule):
    """Over Tết, Giỗ Tổ, 30/4–1/5 and 2/9 of 2026 (the days-off table), as the rows were kept
    one by one before."""
    for on in [D(2026, 1, 1) + datetime.timedelta(days=n) for n in range(0, 300, 3)]:
        condition = attention._deadline_passed("on", on, rule)
        kept = {day for day in (on - datetime.timedelta(days=n) for n in range(200)) if _kept(condition, day)}
        assert kept == _late_dates(on, rule), on


def test_a_rule_changed_within_the_band_is_checked_day_by_day(db):
    rule = "member.personal_history_due_working_days"
    RuleValue.objects.create(name=rule, value=10, regulation="Quy định giả định", effective_on=D(2026, 2, 20))
    rules.clear_cache()
    on = D(2026, 3, 16)
    condition = attention._deadline_passed("on", on, rule)
    assert condition.connector == Q.OR  # not a single range: the rule changed inside the band
    kept = {day for day in (on - datetime.timedelta(days=n) for n in range(200)) if _kept(condition, day)}
    assert kept == _late_dates(on, rule)
