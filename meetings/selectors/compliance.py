"""Compliance with the meeting rules (DOMAIN.md §4, validation rule 9): each chi bộ and đảng bộ cơ sở
holds a regular meeting in every block of ``meeting.regular_every_months`` months (one month), and
each chi bộ a thematic meeting in every block of ``meeting.thematic_every_months`` (a quarter); the
cadence is the rule in force on the block's first day, blocks counted from January.

A block is due from an organization that existed on one of its days (an organization established
or dissolved during the period is due only for its blocks) once the block has ended, or earlier if
the meeting was already held: so ``held`` never exceeds ``due``, and a month still running counts
only when its meeting is recorded. Only the blocks wholly inside the period count.

The same assessment makes the figures (``reports/statistics.py``), the compliance page and the
attention hub's sections.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from blocportal import rules
from blocportal.workdays import add_months
from organizations.models import Organization

from ..models import Meeting
from .figures import SheetTotals

# Who is due which meeting: a chi bộ (its members) a regular and a thematic one, a đảng bộ cơ sở
# (its committee) a regular one.
REGULAR_DUE_KINDS = (*Organization.CELL_KINDS, Organization.Kind.GRASSROOTS_COMMITTEE)
THEMATIC_DUE_KINDS = Organization.CELL_KINDS
REGULAR_RULE = "meeting.regular_every_months"
THEMATIC_RULE = "meeting.thematic_every_months"


@dataclass(frozen=True)
class Block:
    starts_on: date  # the first day of its first month
    ends_on: date  # the last day of its last month
    months: tuple[date, ...]


def blocks(rule: str, start: date, end: date) -> list[Block]:
    """The blocks of the cadence ``rule`` that lie wholly within ``start``…``end``."""
    found, month = [], start.replace(day=1)
    while month <= end:
        every = max(1, int(rules.get(rule, on=month)))
        first = month.replace(month=(month.month - 1) // every * every + 1)
        months = tuple(add_months(first, k) for k in range(every) if add_months(first, k).year == first.year)
        last_day = add_months(months[-1], 1).toordinal() - 1
        block = Block(first, date.fromordinal(last_day), months)
        if block.starts_on >= start and block.ends_on <= end and (not found or found[-1] != block):
            found.append(block)
        month = add_months(month, 1)
    return found


@dataclass
class Assessment:
    """One organization over a period: the blocks due, those in which it met, the others."""

    due: int = 0
    held: int = 0
    missing: list[date] = field(default_factory=list)  # the first day of each block missed

    def add(self, block: Block, met: bool) -> None:
        self.due += 1
        if met:
            self.held += 1
        else:
            self.missing.append(block.starts_on)

    @property
    def complete(self) -> bool:
        return self.held == self.due


def existed_in(established_on: date | None, dissolved_on: date | None, block: Block) -> bool:
    return (established_on is None or established_on <= block.ends_on) and (
        dissolved_on is None or dissolved_on > block.starts_on
    )


def assess(
    established_on: date | None,
    dissolved_on: date | None,
    met_months: set[date],
    due_blocks: Iterable[Block],
    as_of: date,
) -> Assessment:
    assessment = Assessment()
    for block in due_blocks:
        if not existed_in(established_on, dissolved_on, block):
            continue
        met = not met_months.isdisjoint(block.months)
        if met or block.ends_on <= as_of:
            assessment.add(block, met)
    return assessment


def met_months(totals: Iterable[SheetTotals], kinds: dict[int, str]) -> tuple[dict, dict]:
    """From the sheets' totals: the months in which each organization held a regular meeting (a chi
    bộ of its members, a đảng bộ cơ sở of its committee) and a thematic one (a chi bộ)."""
    regular, thematic = defaultdict(set), defaultdict(set)
    for row in totals:
        kind = kinds.get(row.organization_id)
        if kind in Organization.CELL_KINDS and row.body == Meeting.Body.MEMBERS:
            if row.regular:
                regular[row.organization_id].add(row.month)
            if row.thematic:
                thematic[row.organization_id].add(row.month)
        elif (
            kind == Organization.Kind.GRASSROOTS_COMMITTEE
            and row.body == Meeting.Body.COMMITTEE
            and row.regular
        ):
            regular[row.organization_id].add(row.month)
    return regular, thematic
