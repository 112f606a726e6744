"""The meetings' sections of the attention hub (blocportal.attention; registered in
``meetings.apps``): the chi bộ and đảng bộ cơ sở with no regular meeting yet in this month (the
block of the regular cadence that holds the day), the chi bộ with no thematic meeting yet in this
quarter, and the members absent without reason in ``meeting.absence_months_in_year`` months of the
year (a ground for xóa tên that the chi bộ considers: DOMAIN.md §2). One query a section."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, When
from django.db.models.functions import ExtractMonth

from blocportal import access, rules
from blocportal.attention import Section
from members.models import Member
from organizations.models import Organization

from ..models import Attendance, Meeting, Sheet
from .compliance import REGULAR_DUE_KINDS, REGULAR_RULE, THEMATIC_DUE_KINDS, THEMATIC_RULE, Block, blocks


def current_block(rule: str, on: date) -> Block:
    year_start, year_end = on.replace(month=1, day=1), on.replace(month=12, day=31)
    return next(
        block for block in blocks(rule, year_start, year_end) if block.starts_on <= on <= block.ends_on
    )


def _existing_in(block: Block) -> Q:
    return Q(established_on__isnull=True) | Q(established_on__lte=block.ends_on), Q(
        dissolved_on__isnull=True
    ) | Q(dissolved_on__gt=block.starts_on)


def _sheets_in(block: Block, kinds) -> QuerySet:
    return Sheet.objects.filter(
        organization=OuterRef("pk"), held_on__range=(block.starts_on, block.ends_on), kind__in=kinds
    )


@dataclass(frozen=True)
class MissingRow:
    organization: Organization
    block: Block


def regular_missing(user, on: date) -> QuerySet[Organization]:
    block = current_block(REGULAR_RULE, on)
    sheets = _sheets_in(block, Meeting.REGULAR_KINDS)
    return (
        Organization.objects.visible_to(user)
        .filter(*_existing_in(block), kind__in=REGULAR_DUE_KINDS)
        .alias(
            met_members=Exists(sheets.filter(body=Meeting.Body.MEMBERS)),
            met_committee=Exists(sheets.filter(body=Meeting.Body.COMMITTEE)),
        )
        .filter(
            Q(kind__in=Organization.CELL_KINDS, met_members=False)
            | Q(kind=Organization.Kind.GRASSROOTS_COMMITTEE, met_committee=False)
        )
        .select_related("parent")
        .order_by("path")
    )


def regular_missing_section(user, on: date) -> Section:
    block = current_block(REGULAR_RULE, on)
    return Section.of(regular_missing(user, on), lambda org: MissingRow(org, block), context={"block": block})


def regular_missing_count(user, on: date) -> int:
    return regular_missing(user, on).count()


def thematic_missing(user, on: date) -> QuerySet[Organization]:
    block = current_block(THEMATIC_RULE, on)
    return (
        Organization.objects.visible_to(user)
        .filter(*_existing_in(block), kind__in=THEMATIC_DUE_KINDS)
        .exclude(Exists(_sheets_in(block, Meeting.THEMATIC_KINDS).filter(body=Meeting.Body.MEMBERS)))
        .select_related("parent")
        .order_by("path")
    )


def thematic_missing_section(user, on: date) -> Section:
    block = current_block(THEMATIC_RULE, on)
    return Section.of(
        thematic_missing(user, on), lambda org: MissingRow(org, block), context={"block": block}
    )


def thematic_missing_count(user, on: date) -> int:
    return thematic_missing(user, on).count()


@dataclass(frozen=True)
class AbsenceRow:
    member: Member
    months: tuple[int, ...]  # the months of the year with an absence without reason


def absentees(user, on: date) -> QuerySet[Member]:
    """Members of the user's chi bộ absent without reason at meetings in at least
    ``meeting.absence_months_in_year`` distinct months of ``on``'s year, with a flag per month. An
    absence while away (in temporary activity elsewhere) or exempted from meetings is no ground."""
    threshold = rules.get("meeting.absence_months_in_year", on=on)
    absent = Q(
        attendance__status=Attendance.Status.ABSENT,
        attendance__meeting__held_on__year=on.year,
        attendance__meeting__held_on__lte=on,
    ) & ~Q(attendance__standing__in=(Attendance.Standing.AWAY, Attendance.Standing.EXEMPTED))
    flags = {
        f"absent_{month}": Max(
            Case(
                When(absent & Q(attendance__meeting__held_on__month=month), then=1),
                default=0,
                output_field=IntegerField(),
            )
        )
        for month in range(1, 13)
    }
    # The members with such absences first, from the attendance rows of the year's meetings (an
    # index on the meeting's day, then its rows): joining every member of the scope to every row
    # before grouping read the whole attendance table.
    absent_ids = (
        Attendance.objects.filter(
            status=Attendance.Status.ABSENT, meeting__held_on__range=(on.replace(month=1, day=1), on)
        )
        .exclude(standing__in=(Attendance.Standing.AWAY, Attendance.Standing.EXEMPTED))
        .order_by()
        .values("member_id")
        .annotate(months=Count(ExtractMonth("meeting__held_on"), distinct=True))
        .filter(months__gte=threshold)
        .values("member_id")
    )
    return (
        Member.objects.filter(access.scope_q(user, "organization__path"), exit_reason="", pk__in=absent_ids)
        .annotate(
            absent_months=Count(ExtractMonth("attendance__meeting__held_on"), filter=absent, distinct=True),
            **flags,
        )
        .filter(absent_months__gte=threshold)
        .select_related("organization")
        .order_by("-absent_months", "sort_name")
    )


def _absence_row(member: Member) -> AbsenceRow:
    return AbsenceRow(member, tuple(month for month in range(1, 13) if getattr(member, f"absent_{month}")))


def absence_section(user, on: date) -> Section:
    return Section.of(absentees(user, on), _absence_row, context={"year": on.year})


def absence_count(user, on: date) -> int:
    return absentees(user, on).count()
