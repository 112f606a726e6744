"""Every figure the bloc reports, for one organization and one period.

The dashboard, the PDF, the XLSX annex and ``manage.py statistics`` all call ``statistics()``: one
source of truth, so the same period shows the same numbers everywhere. The result is plain JSON
(it is frozen into ``Report.figures``), keyed by the stored choice values; every key is listed with
its meaning in ``docs/statistics.md`` and keys are only ever added.

How the figures are made:

- **The tree of that day.** Organizations count where they stood on the day the figure is about
  (``organizations.selectors.structures_between``: the present tree with later renames and moves undone),
  so an organization moved, merged or dissolved after the period counts where it was then, under
  the name it had then (DOMAIN.md §11, rule 15).
- **Stocks as of the period's end** (or today, for a period still running): organizations,
  members on the register (an official spell covering the day), committees.
- **Flows in the period**: each dated row counts for the node if its organization lay under the node
  on the row's own day. Admissions and conversions count by the register's dates (DOMAIN.md,
  decision 2), so members entered from a file with past dates give the past periods their figures.
- **Never stale.** Results are cached under a version read from the tables that feed them (one
  query of index-only maxima); any write through the services changes that version. A version
  is read inside the caller's transaction, so a test or a service sees its own writes.

The apps supply raw grouped counts through their selectors (``members.selectors.figures``); this
module only places them in the tree and adds them up.
"""

import functools
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.core.cache import cache
from django.db import connection

from blocportal import clock
from blocportal.numbers import share
from blocportal.periods import Period
from blocportal.workdays import add_months
from emulation.models import (
    CURRENT_LEVELS,
    RANK,
    Band,
    Cluster,
    ClusterMember,
    Criterion,
    Level,
    MemberRating,
    OrganizationRating,
    Score,
    ScoreSheet,
)
from emulation.selectors import figures as emulation_figures
from inspections.models import Case, Complaint, DisciplineDecision
from inspections.selectors import figures as inspection_figures
from meetings.models import Meeting, Sheet, StudySession
from meetings.selectors import compliance as meeting_compliance
from meetings.selectors import figures as meeting_figures
from members.models import (
    AdmissionTarget,
    BadgeAward,
    Candidate,
    CommitteeSeat,
    Member,
    Movement,
    Spell,
    Term,
)
from members.selectors import figures as member_figures
from organizations.models import Organization, OrganizationEvent
from organizations.selectors import Structure, structures_between

Kind = Organization.Kind
Sector = Organization.Sector
MovementKind = Movement.Kind
Position = CommitteeSeat.Position
# The kinds that can sit under a reporting organization, in the order the bloc lists them (plain
# strings: the result is JSON).
GRASSROOTS_KINDS = tuple(kind.value for kind in Organization.GRASSROOTS_KINDS)
SUB_KINDS = (*GRASSROOTS_KINDS, Kind.BRANCH_COMMITTEE.value, Kind.SUBORDINATE_CELL.value, Kind.GROUP.value)
SECTORS = tuple(Sector.values)
AGE_BANDS = tuple(band for band, *_ in member_figures.AGE_BANDS)
PARTY_AGE_BANDS = tuple(band for band, *_ in member_figures.PARTY_AGE_BANDS)
GENDERS = member_figures.GENDERS
THEORY_LEVELS = member_figures.THEORY_LEVELS
# Readers of frozen figures iterate these tuples, never the dicts: PostgreSQL's jsonb does not keep key order.

MOVEMENT_KEYS = (
    "admitted",
    "made_official",
    "transferred_in",
    "transferred_in_from_outside",
    "transferred_in_within_bloc",
    "transferred_out",
    "transferred_out_to_outside",
    "transferred_out_within_bloc",
    "temporary_in",
    "temporary_in_from_outside",
    "temporary_in_within_bloc",
    "temporary_out",
    "temporary_out_to_outside",
    "temporary_out_within_bloc",
    "exempted",
    "removed",
    "removed_probationary",
    "expelled",
    "left",
    "died",
    "exits",
)
# The series of "movements by month" on the dashboard.
MONTHLY_KEYS = ("admitted", "made_official", "transferred_in", "transferred_out", "exits")
EXIT_KEYS = ("removed", "removed_probationary", "expelled", "left", "died")
# The inspection commission (UBKT) is not the committee (cấp ủy).
COMMITTEE_POSITIONS = tuple(p.value for p in Position if p not in CommitteeSeat.INSPECTION_POSITIONS)
INSPECTION_POSITIONS = tuple(p.value for p in CommitteeSeat.INSPECTION_POSITIONS)
YOUNG_COMMITTEE_AGE = 40

# The tables whose rows the figures are made of. A module that adds a section adds its models here.
FIGURE_MODELS = (
    Organization,
    OrganizationEvent,
    Member,
    Spell,
    Movement,
    Candidate,
    AdmissionTarget,
    BadgeAward,
    Term,
    CommitteeSeat,
    Meeting,
    Sheet,
    StudySession,
    Case,
    DisciplineDecision,
    Complaint,
    MemberRating,
    OrganizationRating,
    Cluster,
    ClusterMember,
    ScoreSheet,
    Band,
    Criterion,
    Score,
)
CACHE_SECONDS = 24 * 3600


def statistics(organization: Organization, period: Period | str, *, version: str | None = None) -> dict:
    """The figures of ``organization`` (its whole subtree) for ``period``: stocks as of the period's
    end (today for a period still running), flows within it. Cached until the data changes;
    ``version``, when the caller has just read ``data_version()``, saves reading it again."""
    period = period if isinstance(period, Period) else Period.parse(period)
    as_of = min(period.end, clock.today())
    key = f"statistics:{version or data_version()}:{organization.pk}:{period}:{as_of.isoformat()}"
    figures = cache.get(key)
    if figures is None:
        figures = compute(organization, period, as_of=as_of)
        cache.set(key, figures, CACHE_SECONDS)
    return figures


def data_version() -> str:
    """A fingerprint of every table the figures read: the highest id of each table and of its
    history table. Every service write adds a history row (an update or a deletion too), so any
    change gives a new fingerprint. One query of index-only maxima."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        return "-".join(str(value or 0) for value in cursor.fetchone())


@functools.cache
def _version_sql() -> str:
    """Built once: reading ``Model.history`` builds a manager each time, which costs milliseconds."""
    quote = connection.ops.quote_name
    parts = []
    for model in FIGURE_MODELS:
        parts.append(f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)})")
        history = getattr(model, "history", None)
        if history is not None:
            parts.append(f"(SELECT MAX(history_id) FROM {quote(history.model._meta.db_table)})")
    return "SELECT " + ", ".join(parts)


def compute(organization: Organization, period: Period, *, as_of: date) -> dict:
    """The figures, computed now (``statistics`` caches them)."""
    tree = _PeriodTree(organization.pk, period.start, as_of)
    node = tree.end.units[organization.pk]
    figures = {
        "organization": {"code": node.code, "name": node.name, "kind": node.kind},
        "period": {
            "code": str(period),
            "kind": period.kind,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "as_of": as_of.isoformat(),
            "previous": str(period.previous),
        },
        "organizations": _organizations(tree),
        "members": _members(tree),
    }
    movements, by_month, admitted_by_grassroots = _movements(tree, period)
    figures["movements"] = {**movements, "by_month": by_month}
    figures["admissions"] = _admissions(tree, period, movements["admitted"], admitted_by_grassroots)
    figures["committees"] = _committees(tree)
    figures["badges"] = _badges(tree)
    figures["candidates"] = _candidates(tree)
    figures["meetings"] = _meetings(tree, period)
    figures["study"] = _study(tree)
    figures["inspections"] = _inspections(tree)
    figures["discipline"] = _discipline(tree)
    figures["complaints"] = _complaints(tree)
    figures["ratings"] = _ratings(tree)
    figures["emulation"] = _emulation(tree)
    return figures


class _PeriodTree:
    """Where each organization stood, on each day of the period, relative to the node."""

    # Above this many organizations the grouped counts are read for the whole bloc and kept in
    # Python: one sequential scan beats an IN list of thousands of ids.
    FILTER_LIMIT = 300

    def __init__(self, node_id: int, start: date, as_of: date):
        self.node_id, self.start, self.as_of = node_id, start, as_of
        self.move_days, trees = structures_between(start, as_of)
        self.end = trees[as_of]
        self.under_end = self.end.under(node_id)
        # The tree from the start of the period up to its first move, then from each move on.
        self.structures = [trees[start] if self.move_days else self.end] + [
            trees[day] for day in self.move_days
        ]
        self.unders = [s.under(node_id) if s is not self.end else self.under_end for s in self.structures]

    def at(self, day: date) -> tuple[Structure, set[int]]:
        """The tree on ``day`` (within the period) and the ids under the node that day."""
        index = bisect_right(self.move_days, day)
        return self.structures[index], self.unders[index]

    def filter_ids(self) -> set[int] | None:
        """The ids to filter on in SQL, or None to read the whole bloc."""
        ids = set().union(*self.unders)
        return ids if len(ids) <= self.FILTER_LIMIT else None

    def grassroots_code(self, structure: Structure, unit_id: int) -> str | None:
        """The code of the grassroots organization holding ``unit_id``, if it lies under the node."""
        grassroots = structure.grassroots_of(unit_id)
        return grassroots.code if grassroots is not None else None


def _organizations(tree: _PeriodTree) -> dict:
    """Sub-organizations that existed on the day, by kind and sector (the sector of their tổ chức
    cơ sở đảng). Tổ chức cơ sở đảng are the đảng bộ cơ sở and chi bộ cơ sở (Điều lệ Điều 21)."""
    by_sector_kind = {sector: dict.fromkeys(SUB_KINDS, 0) for sector in SECTORS}
    for unit_id in tree.under_end - {tree.node_id}:
        unit = tree.end.units[unit_id]
        if unit.kind in SUB_KINDS and tree.end.exists(unit_id):
            by_sector_kind[tree.end.sector_of(unit_id)][unit.kind] += 1
    by_kind = {kind: sum(row[kind] for row in by_sector_kind.values()) for kind in SUB_KINDS}
    grassroots_by_sector = {
        sector: sum(row[kind] for kind in GRASSROOTS_KINDS) for sector, row in by_sector_kind.items()
    }
    return {
        "as_of": tree.as_of.isoformat(),
        "grassroots": {
            "total": sum(by_kind[kind] for kind in GRASSROOTS_KINDS),
            "by_kind": {kind: by_kind[kind] for kind in GRASSROOTS_KINDS},
            "by_sector": grassroots_by_sector,
        },
        "branch_committees": by_kind[Kind.BRANCH_COMMITTEE],
        "cells": by_kind[Kind.SUBORDINATE_CELL],
        "groups": by_kind[Kind.GROUP],
        "by_sector_kind": by_sector_kind,
    }


def _members(tree: _PeriodTree) -> dict:
    """Members on the bloc's register on the day, in the node's subtree as it stood then."""
    counts = member_figures.register_counts_on(tree.as_of, tree.filter_ids())
    education = member_figures.education_counts_on(tree.as_of, tree.filter_ids())
    totals: dict[str, int] = defaultdict(int)
    by_sector = dict.fromkeys(SECTORS, 0)
    by_grassroots: dict[str, dict] = {}
    for organization_id, row in counts.items():
        if organization_id not in tree.under_end:
            continue
        for key, value in row.items():
            totals[key] += value
        by_sector[tree.end.sector_of(organization_id)] += row["total"]
        code = tree.grassroots_code(tree.end, organization_id)
        if code is not None:
            entry = by_grassroots.setdefault(code, {"total": 0, "official": 0, "probationary": 0, "women": 0})
            entry["total"] += row["total"]
            entry["official"] += row["official"]
            entry["probationary"] += row["probationary"]
            entry["women"] += row["gender:nu"]
    by_education: dict[str, int] = defaultdict(int)
    for (organization_id, level), value in education.items():
        if organization_id in tree.under_end:
            by_education[level or "?"] += value
    return {
        "as_of": tree.as_of.isoformat(),
        "total": totals["total"],
        "official": totals["official"],
        "probationary": totals["probationary"],
        "women": totals["gender:nu"],
        "men": totals["gender:nam"],
        "ethnic_minority": totals["minority"],
        "religious": totals["religious"],
        "women_percent": share(totals["gender:nu"], totals["total"]),
        "ethnic_minority_percent": share(totals["minority"], totals["total"]),
        "by_sector": by_sector,
        "by_age": {
            band: {gender: totals[f"age:{band}:{gender}"] for gender in GENDERS} for band in AGE_BANDS
        },
        "by_party_age": {band: totals[f"party_age:{band}"] for band in PARTY_AGE_BANDS},
        "by_theory": {level: totals[f"theory:{level}"] for level in THEORY_LEVELS},
        "by_education": dict(sorted(by_education.items())),
        "by_grassroots": by_grassroots,
    }


def _movements(tree: _PeriodTree, period: Period) -> tuple[dict, dict, dict]:
    """Movements in the period, each counted if it touched the node's subtree on its own day. A move
    between two organizations both under the node is not a movement of the node (not counted twice)."""
    counts = dict.fromkeys(MOVEMENT_KEYS, 0)
    months = {day.strftime("%Y-%m"): dict.fromkeys(MONTHLY_KEYS, 0) for day in period.month_starts()}
    admitted_by_grassroots: dict[str, int] = defaultdict(int)

    def add(key: str, day: date, n: int) -> None:
        counts[key] += n
        month = months.get(day.strftime("%Y-%m"))
        if month is not None and _monthly_key(key) in month:
            month[_monthly_key(key)] += n

    for field_name, key in (("admitted_on", "admitted"), ("official_on", "made_official")):
        for day, organization_id, n in member_figures.entries_between(tree.start, tree.as_of, field_name):
            structure, under = tree.at(day)
            if organization_id in under:
                add(key, day, n)
                if key == "admitted":
                    code = tree.grassroots_code(structure, organization_id)
                    if code is not None:
                        admitted_by_grassroots[code] += n

    simple = {
        MovementKind.EXEMPTED: "exempted",
        MovementKind.REMOVED: "removed",
        MovementKind.REMOVED_PROBATIONARY: "removed_probationary",
        MovementKind.EXPELLED: "expelled",
        MovementKind.LEFT: "left",
        MovementKind.DIED: "died",
        MovementKind.TRANSFERRED_IN: "transferred_in_from_outside",
        MovementKind.TRANSFERRED_OUT: "transferred_out_to_outside",
        MovementKind.TEMPORARY_ARRIVED: "temporary_in_from_outside",
    }
    for row in member_figures.movements_between(tree.start, tree.as_of):
        _, under = tree.at(row.on)
        if row.kind in simple:
            if row.organization_id in under:
                add(simple[row.kind], row.on, row.count)
            continue
        source = row.from_organization_id if row.from_organization_id is not None else row.organization_id
        leaves, arrives = source in under, row.to_organization_id in under
        if row.kind == MovementKind.TRANSFERRED:
            if arrives and not leaves:
                add("transferred_in_within_bloc", row.on, row.count)
            elif leaves and not arrives:
                add("transferred_out_within_bloc", row.on, row.count)
        elif row.kind == MovementKind.TEMPORARY_STARTED:
            if leaves and row.to_organization_id is None:
                add("temporary_out_to_outside", row.on, row.count)
            elif leaves and not arrives:
                add("temporary_out_within_bloc", row.on, row.count)
            elif arrives and not leaves:
                add("temporary_in_within_bloc", row.on, row.count)

    for total, parts in (
        ("transferred_in", ("transferred_in_from_outside", "transferred_in_within_bloc")),
        ("transferred_out", ("transferred_out_to_outside", "transferred_out_within_bloc")),
        ("temporary_in", ("temporary_in_from_outside", "temporary_in_within_bloc")),
        ("temporary_out", ("temporary_out_to_outside", "temporary_out_within_bloc")),
    ):
        counts[total] = sum(counts[part] for part in parts)
    counts["exits"] = sum(counts[key] for key in EXIT_KEYS)
    return counts, months, dict(admitted_by_grassroots)


def _monthly_key(key: str) -> str:
    """The series of "movements by month" a movement adds to: transfers by their total (in or
    out, from outside or within the bloc), every way of leaving as one "exits"."""
    if key in EXIT_KEYS:
        return "exits"
    for total in ("transferred_in", "transferred_out"):
        if key.startswith(total):
            return total
    return key


def _target_of(structure: Structure, children: dict, unit_id: int, year: int, targets: dict) -> int | None:
    """The admission target of ``unit_id`` for ``year``: its own, or the sum of the targets of the
    organizations directly below it that have one (recursively); None when nobody set one."""
    own = targets.get((unit_id, year))
    if own is not None:
        return own
    found = [
        _target_of(structure, children, child, year, targets)
        for child in children.get(unit_id, ())
        if structure.exists(child)
    ]
    found = [value for value in found if value is not None]
    return sum(found) if found else None


def _admissions(tree: _PeriodTree, period: Period, admitted: int, admitted_by_grassroots: dict) -> dict:
    """Admissions against the targets of the years in the period (the sum of those years' targets)."""
    targets = member_figures.admission_targets(period.years)
    children: dict[int, list[int]] = defaultdict(list)
    for unit in tree.end.units.values():
        children[unit.parent_id].append(unit.id)

    def total_target(unit_id: int) -> int | None:
        values = [_target_of(tree.end, children, unit_id, year, targets) for year in period.years]
        values = [value for value in values if value is not None]
        return sum(values) if values else None

    target = total_target(tree.node_id)
    by_grassroots = {}
    for unit_id in sorted(tree.under_end):
        unit = tree.end.units[unit_id]
        if unit.kind not in GRASSROOTS_KINDS:
            continue
        unit_target = total_target(unit_id)
        unit_admitted = admitted_by_grassroots.get(unit.code, 0)
        if unit_target is None and not unit_admitted:
            continue
        by_grassroots[unit.code] = {
            "name": unit.name,
            "target": unit_target,
            "admitted": unit_admitted,
            "percent_of_target": share(unit_admitted, unit_target),
        }
    return {
        "years": list(period.years),
        "target": target,
        "admitted": admitted,
        "percent_of_target": share(admitted, target),
        "over_target_percent": share(admitted - target, target) if target else None,
        "by_grassroots": by_grassroots,
    }


def _committees(tree: _PeriodTree) -> dict:
    """The node's own committee (cấp ủy) and inspection commission on the day, and the secretaries
    of the grassroots organizations under it."""
    seats = member_figures.seats_on(tree.as_of, tree.filter_ids())
    young_since = add_months(tree.as_of, -12 * YOUNG_COMMITTEE_AGE)
    committee: dict[int, member_figures.SeatRow] = {}
    inspection: set[int] = set()
    secretaries = heading = 0
    for seat in seats:
        if seat.organization_id == tree.node_id:
            if seat.position in COMMITTEE_POSITIONS:
                committee[seat.member_id] = seat
            else:
                inspection.add(seat.member_id)
        unit = tree.end.units.get(seat.organization_id)
        if (
            seat.position == Position.SECRETARY
            and unit is not None
            and unit.kind in GRASSROOTS_KINDS
            and seat.organization_id in tree.under_end
            and tree.end.exists(seat.organization_id)
        ):
            secretaries += 1
            heading += seat.heads_host_unit
    members = len(committee)
    women = sum(seat.gender == Member.Gender.FEMALE for seat in committee.values())
    young = sum(seat.birth_date > young_since for seat in committee.values())
    return {
        "as_of": tree.as_of.isoformat(),
        "members": members,
        "women": women,
        "women_percent": share(women, members),
        "under_40": young,
        "under_40_percent": share(young, members),
        "inspection_members": len(inspection),
        "secretaries": secretaries,
        "secretaries_heading_unit": heading,
        "secretaries_heading_unit_percent": share(heading, secretaries),
    }


def _badges(tree: _PeriodTree) -> dict:
    awarded, by_years = 0, defaultdict(int)
    for day, organization_id, years, n in member_figures.badges_between(tree.start, tree.as_of):
        if organization_id in tree.at(day)[1]:
            awarded += n
            by_years[str(years)] += n
    return {"awarded": awarded, "by_years": dict(sorted(by_years.items(), key=lambda item: int(item[0])))}


def _candidates(tree: _PeriodTree) -> dict:
    counts = member_figures.candidate_counts(tree.start, tree.as_of)
    return {
        "trained": _sum_under(counts.trained, tree.under_end),
        "waiting": _sum_under(counts.waiting, tree.under_end),
    }


def _sum_under(per_organization: dict[int, int], ids: Iterable[int]) -> int:
    ids = set(ids)
    return sum(n for organization_id, n in per_organization.items() if organization_id in ids)


# Meetings (DOMAIN.md §4) --------------------------------------------------------------------------

# Who is due which meeting (``meetings.selectors.compliance``), as plain strings: the result is JSON.
CELL_KINDS = tuple(kind.value for kind in Organization.CELL_KINDS)
MEETING_DUE_KINDS = tuple(Kind(kind).value for kind in meeting_compliance.REGULAR_DUE_KINDS)
THEMATIC_DUE_KINDS = tuple(Kind(kind).value for kind in meeting_compliance.THEMATIC_DUE_KINDS)
ATTENDANCE_KEYS = ("expected", "present", "committee_expected", "committee_present")
STUDY_KEYS = ("sessions", "members_expected", "members_present", "non_members_invited", "non_members_present")


def _month_key(day: date) -> str:
    return day.strftime("%Y-%m")


def _month_end(month: date) -> date:
    return date.fromordinal(add_months(month.replace(day=1), 1).toordinal() - 1)


def _with_rates(counts: dict) -> dict:
    """Attendance counts with their rates: present over expected summed (DOMAIN.md §4)."""
    counts["attendance_percent"] = share(counts["present"], counts["expected"])
    counts["committee_attendance_percent"] = share(counts["committee_present"], counts["committee_expected"])
    return counts


def _meetings(tree: _PeriodTree, period: Period) -> dict:
    """Chi bộ meetings in the period, from the lists' counters (``meetings.selectors.figures``) and
    the cadence's assessment (``meetings.selectors.compliance``).

    Compliance counts organization-blocks: a block of the cadence (a month for the regular meeting,
    a quarter for the thematic one) due from a chi bộ or đảng bộ cơ sở that lay under the node on the
    block's last day (``as_of`` while it runs). Attendance sums the counters of the chi bộ's own
    lists at their regular meetings, combined ones included: members present over members expected,
    not an average of the meetings' rates; each month counts in the tree of its last day."""
    totals = meeting_figures.sheet_totals(tree.start, tree.as_of, tree.filter_ids())
    kinds = {unit_id: unit.kind for unit_id, unit in tree.end.units.items()}
    regular_months, thematic_months = meeting_compliance.met_months(totals, kinds)
    months = {
        _month_key(day): {**dict.fromkeys(ATTENDANCE_KEYS, 0), "regular_held": 0, "regular_due": 0}
        for day in period.month_starts()
    }
    by_grassroots: dict[str, dict] = {}

    def grassroots_entry(structure: Structure, under: set[int], unit_id: int) -> dict | None:
        """The figures of the grassroots organization holding ``unit_id`` that day, if it lies under
        the node (a chi bộ trực thuộc's dashboard has none)."""
        grassroots = structure.grassroots_of(unit_id)
        if grassroots is None or grassroots.id not in under:
            return None
        entry = by_grassroots.get(grassroots.code)
        if entry is None:
            entry = by_grassroots[grassroots.code] = {
                "name": tree.end.units[grassroots.id].name,
                "regular_held": 0,
                "regular_due": 0,
                "thematic_held": 0,
                "thematic_due": 0,
                **dict.fromkeys(ATTENDANCE_KEYS, 0),
                "behind": 0,
            }
        return entry

    assessed: dict[str, dict[int, meeting_compliance.Assessment]] = {"regular": {}, "thematic": {}}
    for key, rule, due_kinds, met in (
        ("regular", meeting_compliance.REGULAR_RULE, MEETING_DUE_KINDS, regular_months),
        ("thematic", meeting_compliance.THEMATIC_RULE, THEMATIC_DUE_KINDS, thematic_months),
    ):
        due_ids = {unit_id for unit_id, kind in kinds.items() if kind in due_kinds}
        for block in meeting_compliance.blocks(rule, period.start, period.end):
            if block.starts_on > tree.as_of:
                continue
            structure, under = tree.at(min(block.ends_on, tree.as_of))
            for unit_id in under & due_ids:
                unit = structure.units[unit_id]
                one = meeting_compliance.assess(
                    unit.established_on, unit.dissolved_on, met.get(unit_id, set()), [block], tree.as_of
                )
                if not one.due:
                    continue
                assessed[key].setdefault(unit_id, meeting_compliance.Assessment()).add(block, bool(one.held))
                entry = grassroots_entry(structure, under, unit_id)
                if entry is not None:
                    entry[f"{key}_due"] += 1
                    entry[f"{key}_held"] += one.held
                if key == "regular":
                    month = months[_month_key(block.starts_on)]
                    month["regular_due"] += 1
                    month["regular_held"] += one.held

    attendance = dict.fromkeys(ATTENDANCE_KEYS, 0)
    regular_meetings = thematic_meetings = 0
    for row in totals:
        if row.body != Meeting.Body.MEMBERS or kinds.get(row.organization_id) not in CELL_KINDS:
            continue
        structure, under = tree.at(min(_month_end(row.month), tree.as_of))
        if row.organization_id not in under:
            continue
        regular_meetings += row.regular
        thematic_meetings += row.thematic
        for target in (
            attendance,
            months[_month_key(row.month)],
            grassroots_entry(structure, under, row.organization_id),
        ):
            if target is not None:
                for name in ATTENDANCE_KEYS:
                    target[name] += getattr(row, name)

    regular, thematic = assessed["regular"], assessed["thematic"]
    by_kind = {
        kind: {
            "total": 0,
            "every_month": 0,
            "regular_held": 0,
            "regular_due": 0,
            "thematic_held": 0,
            "thematic_due": 0,
        }
        for kind in MEETING_DUE_KINDS
    }
    for unit_id, assessment in regular.items():
        by_kind[kinds[unit_id]]["total"] += 1
        by_kind[kinds[unit_id]]["every_month"] += assessment.complete
        by_kind[kinds[unit_id]]["regular_held"] += assessment.held
        by_kind[kinds[unit_id]]["regular_due"] += assessment.due
    for unit_id, assessment in thematic.items():
        by_kind[kinds[unit_id]]["thematic_held"] += assessment.held
        by_kind[kinds[unit_id]]["thematic_due"] += assessment.due
    behind = []
    for unit_id in sorted(set(regular) | set(thematic), key=lambda unit_id: tree.end.units[unit_id].code):
        missing_regular = regular[unit_id].missing if unit_id in regular else []
        missing_thematic = thematic[unit_id].missing if unit_id in thematic else []
        if not missing_regular and not missing_thematic:
            continue
        unit = tree.end.units[unit_id]
        grassroots = tree.end.grassroots_of(unit_id)
        behind.append(
            {
                "code": unit.code,
                "name": unit.name,
                "kind": unit.kind,
                "grassroots": grassroots.code if grassroots is not None else None,
                "regular_missing": [_month_key(day) for day in missing_regular],
                "thematic_missing": [_month_key(day) for day in missing_thematic],
            }
        )
        entry = by_grassroots.get(grassroots.code) if grassroots is not None else None
        if entry is not None:
            entry["behind"] += 1
    behind.sort(key=lambda row: (-len(row["regular_missing"]), -len(row["thematic_missing"]), row["code"]))

    regular_held = sum(a.held for a in regular.values())
    regular_due = sum(a.due for a in regular.values())
    thematic_held = sum(a.held for a in thematic.values())
    thematic_due = sum(a.due for a in thematic.values())
    cells_total = sum(row["total"] for row in by_kind.values())
    every_month = sum(row["every_month"] for row in by_kind.values())
    return {
        "regular_held": regular_held,
        "regular_due": regular_due,
        "regular_held_percent": share(regular_held, regular_due),
        "thematic_held": thematic_held,
        "thematic_due": thematic_due,
        "thematic_held_percent": share(thematic_held, thematic_due),
        "cells_meeting_every_month": every_month,
        "cells_total": cells_total,
        "cells_meeting_every_month_percent": share(every_month, cells_total),
        "by_kind": by_kind,
        "regular_meetings": regular_meetings,
        "thematic_meetings": thematic_meetings,
        **_with_rates(attendance),
        "by_month": {month: _with_rates(row) for month, row in months.items()},
        "by_grassroots": {
            code: _with_rates(entry)
            for code, entry in sorted(by_grassroots.items(), key=lambda item: item[0])
        },
        "behind": behind,
    }


def _study(tree: _PeriodTree) -> dict:
    """The study of resolutions and directives (học tập, quán triệt) held by organizations under
    the node in the period: members present over members expected, non-members present over
    non-members invited, each summed over the sessions (not an average of their rates)."""
    sums = dict.fromkeys(STUDY_KEYS, 0)
    organizations = set()
    for row in meeting_figures.study_totals(tree.start, tree.as_of, tree.filter_ids()):
        _structure, under = tree.at(min(_month_end(row.month), tree.as_of))
        if row.organization_id not in under:
            continue
        organizations.add(row.organization_id)
        for name in STUDY_KEYS:
            sums[name] += getattr(row, name)
    return {
        **sums,
        "organizations": len(organizations),
        "member_percent": share(sums["members_present"], sums["members_expected"]),
        "non_member_percent": share(sums["non_members_present"], sums["non_members_invited"]),
    }


# Inspection, supervision, discipline and letters (DOMAIN.md §5) ------------------------------------

# Plain strings in the choices' order: the result is JSON, its readers iterate these tuples.
CASE_KINDS = tuple(Case.Kind.values)
ORGANIZATION_FORMS = tuple(form.value for form in DisciplineDecision.ORGANIZATION_FORMS)
MEMBER_FORMS = tuple(form.value for form in DisciplineDecision.MEMBER_FORMS)


def _inspections(tree: _PeriodTree) -> dict:
    """Cases opened in the period by a body of an organization that lay under the node on the
    decision date, and the organizations and members they covered, each counted once however many
    cases it had; the cases concluded in the period with a violation, placed on the conclusion date.
    A grassroots organization is a đảng bộ cơ sở or a chi bộ cơ sở (its kind, which never changes)."""
    by_kind = dict.fromkeys(CASE_KINDS, 0)
    organizations: set[int] = set()
    members: set[int] = set()
    secretaries: set[int] = set()
    for row in inspection_figures.cases_opened(tree.start, tree.as_of, tree.filter_ids()):
        if row.organization_id not in tree.at(row.opened_on)[1]:
            continue
        by_kind[row.kind] += row.count
        if row.target_organization_id is not None:
            organizations.add(row.target_organization_id)
        if row.target_member_id is not None:
            members.add(row.target_member_id)
            if row.secretary:
                secretaries.add(row.target_member_id)
    violations = sum(
        n
        for organization_id, day, n in inspection_figures.violations_found(
            tree.start, tree.as_of, tree.filter_ids()
        )
        if organization_id in tree.at(day)[1]
    )
    grassroots = sum(tree.end.units[unit_id].kind in GRASSROOTS_KINDS for unit_id in organizations)
    return {
        "cases": sum(by_kind.values()),
        "by_kind": by_kind,
        "organizations_covered": len(organizations),
        "grassroots_covered": grassroots,
        "members_covered": len(members),
        "secretaries_covered": len(secretaries),
        "violations_found": violations,
    }


def _discipline(tree: _PeriodTree) -> dict:
    """Discipline decisions taken in the period by an organization that lay under the node on the
    decision date, not annulled on appeal, by their form now (a form changed on appeal counts as
    the new one)."""
    organizations = dict.fromkeys(ORGANIZATION_FORMS, 0)
    members = dict.fromkeys(MEMBER_FORMS, 0)
    for row in inspection_figures.decisions_taken(tree.start, tree.as_of, tree.filter_ids()):
        if row.organization_id not in tree.at(row.decided_on)[1]:
            continue
        if row.organizations:
            organizations[row.form] += row.organizations
        if row.members:
            members[row.form] += row.members
    return {
        "organizations": sum(organizations.values()),
        "organizations_by_form": organizations,
        "members": sum(members.values()),
        "members_by_form": members,
    }


def _complaints(tree: _PeriodTree) -> dict:
    """Letters received and settled in the period by an organization that lay under the node on that
    day; those waiting at the period's end (``as_of`` while it runs), received by an organization
    under the node that day, and those of them past their handling deadline."""
    ids = tree.filter_ids()
    received = sum(
        n
        for organization_id, day, n in inspection_figures.letters_received(tree.start, tree.as_of, ids)
        if organization_id in tree.at(day)[1]
    )
    resolved = sum(
        n
        for organization_id, day, n in inspection_figures.letters_resolved(tree.start, tree.as_of, ids)
        if organization_id in tree.at(day)[1]
    )
    pending = overdue = 0
    for organization_id, (waiting, late) in inspection_figures.letters_pending_on(tree.as_of, ids).items():
        if organization_id in tree.under_end:
            pending += waiting
            overdue += late
    return {"received": received, "resolved": resolved, "pending": pending, "overdue": overdue}


# Quality ratings and emulation (DOMAIN.md §6–7) -----------------------------------------------------

# Plain strings in the choices' order: the result is JSON, its readers iterate these tuples. Members are
# rated in the four current levels; organizations also in the legacy ones (tsvm, yeu_kem) up to
# ``rating.legacy_until_year``.
MEMBER_LEVELS = tuple(level.value for level in CURRENT_LEVELS)
ORGANIZATION_LEVELS = tuple(Level.values)
# "Hoàn thành tốt nhiệm vụ trở lên": htxs and htt (tsvm in a legacy year).
GOOD_LEVELS = tuple(level for level in ORGANIZATION_LEVELS if RANK[level] <= RANK[Level.GOOD])


def _rating_years(tree: _PeriodTree) -> list[int]:
    """Every year the period's days touch, up to ``as_of`` (the ratings are annual)."""
    return list(range(tree.start.year, tree.as_of.year + 1))


def _year_day(tree: _PeriodTree, year: int) -> date:
    """The day a year's ratings are placed on: the year's end, or ``as_of`` when it comes first."""
    return min(date(year, 12, 31), tree.as_of)


def _level_counts(levels: tuple[str, ...], by_level: dict[str, int]) -> dict:
    rated = sum(by_level.values())
    good = sum(by_level.get(level, 0) for level in GOOD_LEVELS)
    return {
        "rated": rated,
        "by_level": {level: by_level.get(level, 0) for level in levels},
        "good_or_excellent": good,
        "good_or_excellent_percent": share(good, rated),
    }


def _ratings(tree: _PeriodTree) -> dict:
    """The decided annual ratings (quarter 0, approved or imported) of every year the period touches:
    members by the chi bộ they were rated in, grassroots organizations (the node itself if it is one),
    each counted if it lay under the node in the tree of the year's end (``as_of`` while the year runs),
    and the groups over the excellence quota (the members of one chi bộ, the organizations one committee
    rates) whose chi bộ or committee lay under the node."""
    years = _rating_years(tree)
    legacy = emulation_figures.legacy_years(years)
    ids = tree.filter_ids()
    members = emulation_figures.member_levels(years, ids)
    organizations = emulation_figures.organization_levels(years, ids)
    places = {year: tree.at(_year_day(tree, year)) for year in years}

    member_totals: dict[str, int] = defaultdict(int)
    organization_totals: dict[str, int] = defaultdict(int)
    legacy_totals: dict[str, int] = defaultdict(int)
    by_year = {year: {"members": defaultdict(int), "organizations": defaultdict(int)} for year in years}
    for row in members:
        _structure, under = places[row.year]
        if row.organization_id in under:
            member_totals[row.level] += row.count
            by_year[row.year]["members"][row.level] += row.count
    for row in organizations:
        structure, under = places[row.year]
        if row.organization_id in under and structure.units[row.organization_id].kind in GRASSROOTS_KINDS:
            organization_totals[row.level] += row.count
            by_year[row.year]["organizations"][row.level] += row.count
            if row.year in legacy:
                legacy_totals[row.level] += row.count

    groups = []
    for group, unit_id, year in emulation_figures.over_quota(members, organizations):
        if unit_id not in places[year][1]:
            continue
        unit = tree.end.units[unit_id]
        groups.append({"code": unit.code, "name": unit.name, "year": year, "group": group})
    groups.sort(key=lambda row: (row["year"], row["code"], row["group"]))

    organization_figures = _level_counts(ORGANIZATION_LEVELS, organization_totals)
    organization_figures["tsvm_percent"] = (
        share(legacy_totals[Level.CLEAN_STRONG], sum(legacy_totals.values())) if legacy else None
    )
    return {
        "years": years,
        "legacy_years": sorted(legacy),
        "members": _level_counts(MEMBER_LEVELS, member_totals),
        "organizations": organization_figures,
        "over_quota": sorted({row["code"] for row in groups}),
        "over_quota_groups": groups,
        "by_year": {
            str(year): {
                "legacy": year in legacy,
                "members": _level_counts(MEMBER_LEVELS, counts["members"]),
                "organizations": _level_counts(ORGANIZATION_LEVELS, counts["organizations"]),
            }
            for year, counts in by_year.items()
        },
    }


def _emulation(tree: _PeriodTree) -> dict:
    """The ranking on the latest issued score sheet of the bloc (the tree's root) among the period's
    years: every organization scored on it at the bloc, those under the node (in the tree of the year's
    end) below it, with their bloc ranks (equal totals share a rank)."""
    root = tree.node_id
    while tree.end.units[root].parent_id is not None:
        root = tree.end.units[root].parent_id
    sheet = emulation_figures.issued_sheet(root, _rating_years(tree))
    if sheet is None:
        return {"year": None, "sheet": None, "ranking": []}
    under = None if tree.node_id == root else tree.at(_year_day(tree, sheet.year))[1]
    return {
        "year": sheet.year,
        "sheet": sheet.title,
        "ranking": [
            {
                "code": row.code,
                "name": row.name,
                "total": float(row.total),
                "rank": row.rank,
                "band": row.band,
                "cluster": row.cluster,
                "cluster_rank": row.cluster_rank or None,
                "complete": row.complete,
            }
            for row in emulation_figures.sheet_ranking(sheet, under)
        ],
    }
