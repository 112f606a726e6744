"""The cadence of the meeting rules in force by date, and who is due which block (DOMAIN.md §4)."""

import pytest

from blocportal.models import RuleValue
from meetings.selectors.compliance import REGULAR_RULE, THEMATIC_RULE, assess, blocks

from .conftest import D

pytestmark = pytest.mark.django_db


def _starts(found):
    return [block.starts_on for block in found]


def test_a_year_has_twelve_regular_blocks_and_four_thematic_ones():
    assert _starts(blocks(REGULAR_RULE, D(2025, 1, 1), D(2025, 12, 31))) == [
        D(2025, m, 1) for m in range(1, 13)
    ]
    assert _starts(blocks(THEMATIC_RULE, D(2025, 1, 1), D(2025, 12, 31))) == [
        D(2025, 1, 1),
        D(2025, 4, 1),
        D(2025, 7, 1),
        D(2025, 10, 1),
    ]


def test_only_the_blocks_wholly_inside_the_period_count():
    assert blocks(THEMATIC_RULE, D(2025, 5, 1), D(2025, 5, 31)) == []
    assert _starts(blocks(THEMATIC_RULE, D(2025, 5, 1), D(2025, 9, 30))) == [D(2025, 7, 1)]


def test_a_cadence_changed_from_a_date_applies_from_that_date():
    """A thematic meeting every six months from 2026: the quarters of 2025, the halves of 2026."""
    RuleValue.objects.create(
        name=THEMATIC_RULE, value=6, regulation="Hướng dẫn giả định", effective_on=D(2026, 1, 1)
    )
    found = blocks(THEMATIC_RULE, D(2025, 1, 1), D(2026, 12, 31))
    assert _starts(found) == [
        D(2025, 1, 1),
        D(2025, 4, 1),
        D(2025, 7, 1),
        D(2025, 10, 1),
        D(2026, 1, 1),
        D(2026, 7, 1),
    ]
    assert found[-1].ends_on == D(2026, 12, 31)


def test_an_organization_is_due_only_for_the_blocks_it_existed_in():
    year = blocks(REGULAR_RULE, D(2025, 1, 1), D(2025, 12, 31))
    # Established on 20/4, dissolved on 1/10: due from April to September.
    found = assess(D(2025, 4, 20), D(2025, 10, 1), {D(2025, 5, 1)}, year, as_of=D(2025, 12, 31))
    assert (found.due, found.held) == (6, 1)
    assert found.missing == [D(2025, m, 1) for m in (4, 6, 7, 8, 9)]


def test_a_month_still_running_counts_only_once_its_meeting_is_held():
    year = blocks(REGULAR_RULE, D(2025, 1, 1), D(2025, 12, 31))
    waiting = assess(None, None, {D(2025, 1, 1)}, year, as_of=D(2025, 3, 15))
    assert (waiting.due, waiting.held) == (2, 1)  # January held, February missed, March still open
    held = assess(None, None, {D(2025, 1, 1), D(2025, 3, 1)}, year, as_of=D(2025, 3, 15))
    assert (held.due, held.held) == (3, 2)


def test_the_statistics_command_prints_each_organization_behind_on_its_own_lines(quarter):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("statistics", "--org", "A", "--period", "2025-Q1", stdout=out)
    lines = out.getvalue().splitlines()
    assert "meetings.attendance_percent\t76.5" in lines
    behind = {
        line.split("\t")[1] for line in lines if line.startswith("meetings.behind.") and ".code\t" in line
    }
    assert behind == {"A", "A1", "A2"}
