"""The demo meetings of ``seed_demo``: two years of chi bộ meetings with their attendance, the monthly
meetings of each đảng ủy cơ sở, the study of the Party's resolutions, and the months the bloc has
closed — all recorded through ``meetings.services``, so every attendance list is frozen from the
register on the day of its meeting, exactly as a secretary's entry would freeze it.

What the bloc sees in it (DOMAIN.md §4, issue 10; seeds 002 and 004):

- every chi bộ meets every month, on a day of its own, up to today (a month still running counts the
  chi bộ that have met so far); about one chi bộ-month in twenty is skipped, and a few chi bộ skip
  often, so the compliance page and the attention hub have organizations behind;
- a thematic meeting most quarters, usually combined with the regular one ("thường kỳ kết hợp
  chuyên đề"), sometimes jointly by two or three chi bộ of one đảng bộ; a few chi bộ meet online at
  times; a cấp ủy viên of the level above attends now and then;
- attendance of 85–95%, most absences excused ("Đi công tác", "Ốm", "Việc gia đình", "Nghỉ phép"),
  and a few members absent without reason again and again (the absence rule of the attention hub);
- each grassroots organization studies the resolutions, directives and conclusions of the Central
  Committee within weeks of their issue, and each year's thematic study (Kết luận 01-KL/TW): nearly
  every member and 85–95% of the non-members invited;
- the months before the previous one are closed (khóa sổ) by the bloc's staff.

The plan comes from a random source seeded here and from the register as it stands (read once, in
memory), so every run on the same register plans the same meetings. Each part is skipped when its
table has rows already: a second run adds nothing.

A meeting and its marks are recorded in one call of ``record_meeting`` (about 13 queries, whatever
the size of the chi bộ: pinned in tests/meetings/test_query_counts.py); the two years of the demo's
register, about 9,800 meetings, take one to two minutes. ``seed_bench`` writes the same plan in bulk
at province scale (``bulk_meetings``, ``bulk_study``, ``bulk_close_months``).
"""

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocportal import clock
from blocportal.workdays import add_months
from demo.members import SeedError
from meetings import services
from meetings.models import Attendance, ClosedMonth, Meeting, Sheet, StudySession
from meetings.services.meetings import Mark, count_sheet
from members.models import CommitteeSeat, Member, Movement, Spell
from organizations.models import Organization

SEED = 20260210
MONTHS = 24
Kind, Body = Meeting.Kind, Meeting.Body
Status, Standing = Attendance.Status, Attendance.Standing
Position = CommitteeSeat.Position

# How often a chi bộ skips its monthly meeting: most rarely, a few often (about 6% of chi bộ-months).
SKIP = 0.045
WEAK_CELLS, WEAK_SKIP = 0.05, 0.35
COMMITTEE_SKIP = 0.03
THEMATIC_HELD = 0.85  # of the chi bộ-quarters
COMBINED = 0.7  # of the thematic meetings: held with the regular one
JOINT = 0.15  # of a đảng bộ's quarters: two or three of its chi bộ hold their thematic meeting together
ONLINE_CELLS, ONLINE = 0.08, 0.3
UPPER_ATTENDS = 0.12
ATTENDANCE = (0.85, 0.95)  # a chi bộ's usual share of members present
UNEXCUSED = 0.1  # of the absences
ABSENTEES, ABSENTEE_MISSES = 0.004, 0.45  # members absent without reason again and again
EXEMPTED_ATTEND = 0.25
REASONS = {"Đi công tác": 5, "Ốm": 3, "Việc gia đình": 2, "Nghỉ phép": 2}
AWAY_REASON = "Đang sinh hoạt tạm thời nơi khác"
EXEMPTED_REASON = "Được miễn công tác và sinh hoạt đảng"

PLACES = ["Hội trường cơ quan", "Phòng họp cơ quan", "Phòng họp tầng 2", "Phòng họp chi bộ"]
THEMES = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Nâng cao chất lượng sinh hoạt chi bộ",
    "Phòng, chống tham nhũng, lãng phí, tiêu cực trong cơ quan, đơn vị",
    "Bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan điểm sai trái, thù địch",
    "Chuyển đổi số trong hoạt động của cơ quan, đơn vị",
    "Thực hành tiết kiệm, chống lãng phí",
    "Nêu gương của cán bộ, đảng viên, trước hết là người đứng đầu",
    "Cải cách hành chính và văn hóa công vụ",
    "Công tác phát triển đảng viên trong đoàn viên thanh niên",
    "Xây dựng chi bộ trong sạch, vững mạnh",
]
# Committee members of the bloc (Đảng ủy Khối) who attend the meetings of the grassroots
# organizations: the demo has no seats at the bloc, so they are named here.
BLOC_COMMITTEE = [
    "Trần Văn Hùng, Phó Bí thư Thường trực Đảng ủy Khối",
    "Nguyễn Thị Kim Oanh, Ủy viên Ban Thường vụ, Chủ nhiệm Ủy ban Kiểm tra Đảng ủy Khối",
    "Lê Quang Vinh, Ủy viên Ban Thường vụ Đảng ủy Khối",
    "Phạm Thị Thu Hà, Đảng ủy viên, Trưởng Ban Tổ chức Đảng ủy Khối",
    "Rơ Châm Blong, Đảng ủy viên Đảng ủy Khối",
    "Đặng Minh Tuấn, Đảng ủy viên, Chánh Văn phòng Đảng ủy Khối",
]
TITLES = {
    Position.SECRETARY: "Bí thư",
    Position.DEPUTY_SECRETARY: "Phó Bí thư",
    Position.STANDING_MEMBER: "Ủy viên Ban Thường vụ",
    Position.COMMITTEE_MEMBER: "Ủy viên Ban Chấp hành",
}


@dataclass(frozen=True)
class Document:
    number: str
    title: str
    issuer: str
    issued_on: date


# What the bloc's organizations study (học tập, quán triệt): issued by the Central Committee and
# its Politburo. Each is studied within weeks of its issue, if that falls in the demo's two years.
DOCUMENTS = [
    Document(
        "35-CT/TW",
        "Về đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
        "Bộ Chính trị",
        date(2024, 6, 14),
    ),
    Document(
        "57-NQ/TW",
        "Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
        "Bộ Chính trị",
        date(2024, 12, 22),
    ),
    Document(
        "121-KL/TW",
        "Về tổng kết Nghị quyết số 18-NQ/TW về tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống chính "
        "trị tinh gọn, hoạt động hiệu lực, hiệu quả",
        "Ban Chấp hành Trung ương",
        date(2025, 1, 24),
    ),
    Document(
        "123-KL/TW",
        "Về Đề án bổ sung về phát triển kinh tế - xã hội năm 2025 với mục tiêu tăng trưởng đạt 8% trở lên",
        "Ban Chấp hành Trung ương",
        date(2025, 1, 24),
    ),
    Document("59-NQ/TW", "Về hội nhập quốc tế trong tình hình mới", "Bộ Chính trị", date(2025, 1, 24)),
    Document(
        "66-NQ/TW",
        "Về đổi mới công tác xây dựng và thi hành pháp luật đáp ứng yêu cầu phát triển đất nước trong kỷ "
        "nguyên mới",
        "Bộ Chính trị",
        date(2025, 4, 30),
    ),
    Document("68-NQ/TW", "Về phát triển kinh tế tư nhân", "Bộ Chính trị", date(2025, 5, 4)),
    Document("71-NQ/TW", "Về đột phá phát triển giáo dục và đào tạo", "Bộ Chính trị", date(2025, 8, 22)),
    Document(
        "72-NQ/TW",
        "Về một số giải pháp đột phá, tăng cường bảo vệ, chăm sóc và nâng cao sức khỏe Nhân dân",
        "Bộ Chính trị",
        date(2025, 9, 9),
    ),
]
YEARLY_STUDY = (
    "01-KL/TW",
    "Chuyên đề học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm {year}",
)


def _weighted(rng: random.Random, table: dict) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def _workday(day: date) -> date:
    """Meetings are held on working days: a Saturday or Sunday becomes the Friday before."""
    return day - timedelta(days=max(day.weekday() - 4, 0))


def _day_in(month: date, day: int) -> date:
    """The working day nearest ``day`` of ``month``, in that month."""
    chosen = month.replace(day=max(1, min(day, 28)))
    if chosen.weekday() < 5:
        return chosen
    earlier = _workday(chosen)
    return earlier if earlier.month == month.month else chosen + timedelta(days=7 - chosen.weekday())


POSITIONS = {position: index for index, position in enumerate(Position.values)}
STATE_PAIRS = (
    (Movement.Kind.TEMPORARY_STARTED, Movement.Kind.TEMPORARY_ENDED),
    (Movement.Kind.EXEMPTED, Movement.Kind.EXEMPTION_ENDED),
)


@dataclass(frozen=True)
class Entry:
    """A line of an attendance list, as ``members.selectors.roll`` freezes it."""

    member_id: int
    cell_id: int
    standing: str
    seat: str


class Register:
    """The register as it stands, read once (a few queries): who was in which chi bộ on a day, who
    sat on which committee, and (``states``, for the bulk writer) who was exempted or in temporary
    activity elsewhere, so that the meetings are planned without a query each."""

    def __init__(self, *, states: bool = False):
        self.spells = defaultdict(list)
        self.official = defaultdict(list)  # member → (chi bộ, from, until)
        for organization_id, member_id, kind, starts_on, ends_on in Spell.objects.values_list(
            "organization_id", "member_id", "kind", "starts_on", "ends_on"
        ):
            self.spells[organization_id].append((member_id, kind, starts_on, ends_on))
            if kind == Spell.Kind.OFFICIAL:
                self.official[member_id].append((organization_id, starts_on, ends_on))
        self.seats = defaultdict(list)
        seats = CommitteeSeat.objects.exclude(position__in=CommitteeSeat.INSPECTION_POSITIONS).values_list(
            "term__organization_id", "member_id", "position", "starts_on", "ends_on", "term__starts_on"
        )
        for organization_id, member_id, position, starts_on, ends_on, term_starts_on in seats:
            self.seats[organization_id].append((member_id, position, max(starts_on, term_starts_on), ends_on))
        self.names, self.sort_names = {}, {}
        for pk, full_name, sort_name in Member.objects.values_list("pk", "full_name", "sort_name"):
            self.names[pk], self.sort_names[pk] = full_name, sort_name
        self.events = defaultdict(list)  # member → (kind, on) of the state movements, in order
        if states:
            kinds = [kind for pair in STATE_PAIRS for kind in pair]
            for member_id, kind, on in (
                Movement.objects.filter(kind__in=kinds)
                .order_by("on", "recorded_at", "pk")
                .values_list("member_id", "kind", "on")
            ):
                self.events[member_id].append((kind, on))

    def members_on(self, organization_id: int, day: date) -> list[int]:
        """The members of a chi bộ on ``day``: its own and those in temporary activity there."""
        return sorted(
            {
                member_id
                for member_id, _kind, starts_on, ends_on in self.spells[organization_id]
                if starts_on <= day and (ends_on is None or ends_on > day)
            }
        )

    def has_members_on(self, organization_id: int, day: date) -> bool:
        return any(
            starts_on <= day and (ends_on is None or ends_on > day)
            for _member, _kind, starts_on, ends_on in self.spells[organization_id]
        )

    def seats_on(self, organization_id: int, day: date) -> dict[int, str]:
        """The organization's committee on ``day``: member → highest position."""
        found: dict[int, str] = {}
        for member_id, position, starts_on, ends_on in self.seats[organization_id]:
            if starts_on <= day and (ends_on is None or ends_on > day):
                if member_id not in found or POSITIONS[position] < POSITIONS[found[member_id]]:
                    found[member_id] = position
        return found

    def _in_state(self, member_id: int, day: date, pair: tuple[str, str]) -> bool:
        last = None
        for kind, on in self.events[member_id]:
            if on > day:
                break
            if kind in pair:
                last = kind
        return last == pair[0]

    def _cell_of(self, member_id: int, day: date, default: int) -> int:
        for cell, starts_on, ends_on in self.official[member_id]:
            if starts_on <= day and (ends_on is None or ends_on > day):
                return cell
        return default

    def _ordered(self, entries: list[Entry]) -> list[Entry]:
        return sorted(
            entries,
            key=lambda e: (POSITIONS.get(e.seat, len(POSITIONS)), self.sort_names[e.member_id], e.member_id),
        )

    def cell_roll_on(self, organization_id: int, day: date) -> list[Entry]:
        """As ``members.selectors.roll.cell_roll_on`` (needs ``states``)."""
        own, visiting = set(), set()
        for member_id, kind, starts_on, ends_on in self.spells[organization_id]:
            if starts_on <= day and (ends_on is None or ends_on > day):
                (own if kind == Spell.Kind.OFFICIAL else visiting).add(member_id)
        seats = self.seats_on(organization_id, day)
        entries = []
        for member_id in own | visiting:
            if member_id not in own:
                standing = Standing.VISITING
            elif self._in_state(member_id, day, STATE_PAIRS[0]):
                standing = Standing.AWAY
            elif self._in_state(member_id, day, STATE_PAIRS[1]):
                standing = Standing.EXEMPTED
            else:
                standing = Standing.MEMBER
            entries.append(Entry(member_id, organization_id, standing, seats.get(member_id, "")))
        return self._ordered(entries)

    def committee_roll_on(self, organization_id: int, day: date) -> list[Entry]:
        """As ``members.selectors.roll.committee_roll_on``: each member with their chi bộ that day."""
        entries = []
        for member_id, position in self.seats_on(organization_id, day).items():
            entries.append(
                Entry(member_id, self._cell_of(member_id, day, organization_id), Standing.MEMBER, position)
            )
        return self._ordered(entries)


@dataclass
class Plan:
    """One meeting to record."""

    organization: Organization
    held_on: date
    kind: str
    body: str = Body.MEMBERS
    joint_with: list = field(default_factory=list)
    place: str = ""
    online: bool = False
    topic: str = ""
    chair: int | None = None
    recorder: int | None = None
    upper_attendee: str = ""
    content: str = ""
    conclusions: str = ""


@dataclass
class Cell:
    """A chi bộ and its habits: the day it meets, how many of its members come."""

    organization: Organization
    day: int
    attendance: float
    weak: bool
    online: bool


class Planner:
    """The meetings of ``months`` months up to today's, drawn from the seeded random source."""

    def __init__(self, rng: random.Random, register: Register, today: date, months: int = MONTHS):
        self.rng, self.register, self.today = rng, register, today
        self.first = add_months(today.replace(day=1), -(months - 1))
        self.months = [add_months(self.first, k) for k in range(months)]
        self.quarters = sorted({month.replace(month=(month.month - 1) // 3 * 3 + 1) for month in self.months})

    def _open_on(self, organization: Organization, day: date) -> bool:
        return (organization.established_on is None or organization.established_on <= day) and (
            organization.dissolved_on is None or organization.dissolved_on > day
        )

    def _held(self, organization: Organization, day: date) -> bool:
        """A meeting on ``day`` could be held: not in the future, the organization existed, and it
        had members that day."""
        return (
            day <= self.today
            and self._open_on(organization, day)
            and self.register.has_members_on(organization.pk, day)
        )

    # Chi bộ ----------------------------------------------------------------------------------------

    def cell_meetings(self, cells: list[Cell]) -> list[Plan]:
        rng = self.rng
        plans = []
        thematic = self._thematic_months(cells)
        joint = self._joint_meetings(cells)
        taken = {(cell.organization.pk, month) for _plan, group in joint for cell, month in group}
        for month in self.months:
            for cell in cells:
                organization = cell.organization
                day = _day_in(month, cell.day + rng.randint(-2, 2))
                skipped = rng.random() < (WEAK_SKIP if cell.weak else SKIP)
                theme = thematic.get((organization.pk, month))
                if (organization.pk, month) in taken:
                    theme = None
                combined = theme is not None and not skipped and rng.random() < COMBINED
                if not skipped and self._held(organization, day):
                    kind = Kind.COMBINED if combined else Kind.REGULAR
                    topic = theme if combined else f"Sinh hoạt chi bộ thường kỳ tháng {month:%m/%Y}"
                    plans.append(self._cell_plan(cell, day, kind, topic))
                if theme is not None and not combined:
                    other = _day_in(month, cell.day + rng.randint(6, 12))
                    if self._held(organization, other):
                        plans.append(self._cell_plan(cell, other, Kind.THEMATIC, theme))
        plans += [plan for plan, _group in joint]
        return plans

    def _thematic_months(self, cells: list[Cell]) -> dict[tuple[int, date], str]:
        """The month of each chi bộ-quarter in which its thematic meeting is held (most quarters),
        with its theme."""
        chosen = {}
        for cell in cells:
            for quarter in self.quarters:
                if self.rng.random() >= THEMATIC_HELD:
                    continue
                month = add_months(quarter, self.rng.randrange(3))
                if self.first <= month:
                    chosen[(cell.organization.pk, month)] = self.rng.choice(THEMES)
        return chosen

    def _joint_meetings(self, cells: list[Cell]) -> list[tuple[Plan, list]]:
        """Thematic meetings held together by two or three chi bộ of one đảng bộ (seed 004)."""
        rng = self.rng
        by_parent = defaultdict(list)
        for cell in cells:
            if cell.organization.kind == Organization.Kind.SUBORDINATE_CELL:
                by_parent[cell.organization.parent_id].append(cell)
        found = []
        for _parent, siblings in sorted(by_parent.items()):
            if len(siblings) < 2:
                continue
            for quarter in self.quarters:
                if rng.random() >= JOINT:
                    continue
                month = add_months(quarter, rng.randrange(3))
                if month < self.first:
                    continue
                group = rng.sample(siblings, min(len(siblings), rng.randint(2, 3)))
                day = _day_in(month, group[0].day + rng.randint(5, 10))
                group = [cell for cell in group if self._held(cell.organization, day)]
                if len(group) < 2:
                    continue
                plan = self._cell_plan(group[0], day, Kind.THEMATIC, rng.choice(THEMES))
                plan.joint_with = [cell.organization for cell in group[1:]]
                plan.online, plan.place = False, "Hội trường Đảng ủy"
                found.append((plan, [(cell, month) for cell in group]))
        return found

    def _cell_plan(self, cell: Cell, day: date, kind: str, topic: str) -> Plan:
        rng, organization = self.rng, cell.organization
        members = self.register.members_on(organization.pk, day)
        seats = self.register.seats_on(organization.pk, day)
        secretaries = [m for m, position in sorted(seats.items()) if position == Position.SECRETARY]
        chair = next((m for m in secretaries if m in members), None) or rng.choice(members)
        others = [m for m in members if m != chair]
        online = cell.online and rng.random() < ONLINE
        return Plan(
            organization=organization,
            held_on=day,
            kind=kind,
            place="" if online else rng.choice(PLACES),
            online=online,
            topic=topic,
            chair=chair,
            recorder=rng.choice(others) if others else None,
            upper_attendee=self._upper(organization, day) if rng.random() < UPPER_ATTENDS else "",
            content=(
                f"Đánh giá kết quả thực hiện nhiệm vụ chính trị, công tác xây dựng Đảng tháng {day:%m/%Y}; "
                "triển khai nhiệm vụ tháng tới."
                if kind != Kind.THEMATIC
                else f"Sinh hoạt chuyên đề: {topic}."
            ),
            conclusions="Chi bộ thống nhất các nhiệm vụ trọng tâm, phân công đảng viên thực hiện.",
        )

    def _upper(self, organization: Organization, day: date) -> str:
        """A committee member of the level above: of the đảng bộ for a chi bộ trực thuộc, of the
        bloc for a chi bộ cơ sở and a đảng ủy cơ sở."""
        parent = organization.parent
        if parent is not None and parent.kind in (
            Organization.Kind.GRASSROOTS_COMMITTEE,
            Organization.Kind.BRANCH_COMMITTEE,
        ):
            seats = self.register.seats_on(parent.pk, day)
            if seats:
                member, position = self.rng.choice(sorted(seats.items()))
                title = (
                    "Đảng ủy viên" if position == Position.COMMITTEE_MEMBER else f"{TITLES[position]} Đảng ủy"
                )
                return f"{self.register.names[member]}, {title} {parent.name}"
        return self.rng.choice(BLOC_COMMITTEE)

    # Đảng ủy cơ sở ----------------------------------------------------------------------------------

    def committee_meetings(self, committees: list[Organization]) -> list[Plan]:
        """Each đảng ủy cơ sở meets every month, where it has a committee that day."""
        rng, plans = self.rng, []
        for organization in committees:
            usual = rng.randint(2, 10)
            for month in self.months:
                day = _day_in(month, usual + rng.randint(-1, 1))
                if rng.random() < COMMITTEE_SKIP or day > self.today or not self._open_on(organization, day):
                    continue
                seats = self.register.seats_on(organization.pk, day)
                if not seats:
                    continue
                ranked = sorted(seats, key=lambda member: (POSITIONS[seats[member]], member))
                plans.append(
                    Plan(
                        organization=organization,
                        held_on=day,
                        kind=Kind.REGULAR,
                        body=Body.COMMITTEE,
                        place="Phòng họp Đảng ủy",
                        topic=f"Hội nghị Ban Chấp hành Đảng bộ thường kỳ tháng {month:%m/%Y}",
                        chair=ranked[0],
                        recorder=rng.choice(ranked[1:]) if len(ranked) > 1 else None,
                        upper_attendee=rng.choice(BLOC_COMMITTEE) if rng.random() < UPPER_ATTENDS else "",
                        content="Đánh giá việc thực hiện nghị quyết tháng; lãnh đạo nhiệm vụ chính trị, "
                        "công tác xây dựng Đảng tháng tới.",
                        conclusions="Ban Chấp hành thống nhất nghị quyết lãnh đạo tháng tới.",
                    )
                )
        return plans


@dataclass
class Marker:
    """Who of a meeting's list came: the chi bộ's usual share, the committee members more often,
    a few members absent without reason again and again."""

    rng: random.Random
    absentees: set
    attendance: dict  # organization pk → share present

    def marks(self, plan: Plan, rows: list[tuple[int, str, str]]) -> list[Mark]:
        """The marks of the members not present, from the lines (member, standing, seat)."""
        rng = self.rng
        usual = self.attendance.get(plan.organization.pk, 0.95 if plan.body == Body.COMMITTEE else 0.9)
        marks = []
        for member_id, standing, seat in rows:
            if member_id in (plan.chair, plan.recorder):
                continue
            if standing == Standing.AWAY:
                marks.append(Mark(member_id, Status.EXCUSED, AWAY_REASON))
            elif standing == Standing.EXEMPTED:
                if rng.random() >= EXEMPTED_ATTEND:
                    marks.append(Mark(member_id, Status.EXCUSED, EXEMPTED_REASON))
            elif member_id in self.absentees and rng.random() < ABSENTEE_MISSES:
                marks.append(Mark(member_id, Status.ABSENT))
            elif rng.random() >= (min(0.99, usual + 0.05) if seat else usual):
                if rng.random() < UNEXCUSED:
                    marks.append(Mark(member_id, Status.ABSENT))
                else:
                    marks.append(Mark(member_id, Status.EXCUSED, _weighted(rng, REASONS)))
        return marks


def plan_meetings(register: Register, today: date, months: int) -> tuple[list[Plan], Marker]:
    """Every meeting of the ``months`` months up to today's, in date order, and who misses them:
    the same plan for ``seed_demo`` (through the services) and ``seed_bench`` (in bulk)."""
    rng = random.Random(SEED)
    organizations = list(Organization.objects.select_related("parent").order_by("path"))
    cells = [
        Cell(
            organization=organization,
            day=rng.randint(5, 25),
            attendance=rng.uniform(*ATTENDANCE),
            weak=rng.random() < WEAK_CELLS,
            online=rng.random() < ONLINE_CELLS,
        )
        for organization in organizations
        if organization.kind in Organization.CELL_KINDS
    ]
    committees = [o for o in organizations if o.kind == Organization.Kind.GRASSROOTS_COMMITTEE]
    planner = Planner(rng, register, today, months)
    plans = planner.cell_meetings(cells) + planner.committee_meetings(committees)
    plans.sort(key=lambda plan: (plan.held_on, plan.organization.path, plan.kind))
    current = sorted(
        member_id
        for member_id, spells in register.official.items()
        if any(ends_on is None for _cell, _starts_on, ends_on in spells)
    )
    marker = Marker(
        rng,
        absentees=set(rng.sample(current, min(len(current), max(2, round(len(current) * ABSENTEES))))),
        attendance={cell.organization.pk: cell.attendance for cell in cells},
    )
    return plans, marker


def _by_month(plans: list[Plan]):
    return groupby(plans, key=lambda plan: plan.held_on.replace(day=1))


def _progress_line(month: date, created: dict, began: float) -> str:
    return _("%(month)s: %(meetings)s meetings, %(rows)s attendance rows (%(seconds)s s)") % {
        "month": f"{month:%m/%Y}",
        "meetings": f"{created['meetings']:,}".replace(",", " "),
        "rows": f"{created['attendance']:,}".replace(",", " "),
        "seconds": f"{time.monotonic() - began:.1f}",
    }


# --- Through the services (seed_demo) -------------------------------------------------------------


def seed_meetings(
    demo, months: int = MONTHS, progress: Callable[[str], None] = lambda line: None
) -> dict[str, int]:
    """The meetings (chi bộ and đảng ủy cơ sở) of ``months`` months up to this one with their
    attendance, through the services; returns how many meetings, sheets and attendance rows were
    recorded. Skipped when there are meetings already."""
    created = {"meetings": 0, "sheets": 0, "attendance": 0}
    if Meeting.objects.exists():
        return created
    register = Register(states=True)
    plans, marker = plan_meetings(register, clock.today(), months)
    members = Member.objects.only("pk", "full_name").in_bulk(
        {plan.chair for plan in plans} | {plan.recorder for plan in plans} - {None}
    )
    began = time.monotonic()
    with transaction.atomic():
        for month, month_plans in _by_month(plans):
            for plan in month_plans:
                _record(demo.by, plan, _lists(register, plan), members, marker, created)
            progress(_progress_line(month, created, began))
    return created


def _record(by, plan: Plan, lists: list, members: dict, marker: Marker, created: dict) -> None:
    """One meeting as a secretary records it: the meeting, its lists frozen by the service, and
    its sheet marked in the same call. The marks are drawn on ``lists``, the lists as the register
    read in memory has them (the service refuses a mark for a member not on its own lists)."""
    lines = [(entry.member_id, entry.standing, entry.seat) for _org, entries in lists for entry in entries]
    try:
        services.record_meeting(
            organization=plan.organization,
            held_on=plan.held_on,
            kind=plan.kind,
            body=plan.body,
            joint_with=plan.joint_with,
            place=plan.place,
            online=plan.online,
            topic=plan.topic,
            chair=members.get(plan.chair),
            recorder=members.get(plan.recorder),
            upper_attendee=plan.upper_attendee,
            content=plan.content,
            conclusions=plan.conclusions,
            marks=marker.marks(plan, lines),
            by=by,
        )
    except ValidationError as error:
        raise SeedError(
            f"{plan.organization.code} {plan.held_on:%d/%m/%Y}: {'; '.join(error.messages)}"
        ) from error
    created["meetings"] += 1
    created["sheets"] += len(lists)
    created["attendance"] += len(lines)


# --- In bulk (seed_bench) ---------------------------------------------------------------------------


def bulk_meetings(
    by,
    *,
    months: int,
    attendance_months: int,
    batch: int,
    progress: Callable[[str], None] = lambda line: None,
) -> dict[str, int]:
    """The plan of ``seed_meetings`` over ``months`` months, written directly with ``bulk_create``
    for the benchmark: what ``record_meeting`` and ``record_attendance`` would have written — the
    lists frozen from the register of the day (``Register.cell_roll_on``, as the roll), the sheets'
    counters from their rows (``count_sheet``, the service's own), one history row per object under
    ``by`` — except that the attendance rows themselves are kept for the last ``attendance_months``
    only (the figures read the sheets' counters, never the rows)."""
    today = clock.today()
    register = Register(states=True)
    plans, marker = plan_meetings(register, today, months)
    rows_from = add_months(today.replace(day=1), -(attendance_months - 1))
    created = {"meetings": 0, "sheets": 0, "attendance": 0}
    began = time.monotonic()
    for month, month_plans in _by_month(plans):
        meetings, sheets, lists = [], [], []
        kept = month >= rows_from
        for plan in month_plans:
            meeting = Meeting(
                organization=plan.organization,
                body=plan.body,
                held_on=plan.held_on,
                kind=plan.kind,
                place=plan.place,
                online=plan.online,
                topic=plan.topic,
                chair_id=plan.chair,
                recorder_id=plan.recorder,
                upper_attendee=plan.upper_attendee,
                content=plan.content,
                conclusions=plan.conclusions,
                recorded_by=by,
            )
            meetings.append(meeting)
            for organization, rows in _marked_lists(register, marker, plan, Attendance if kept else _Line):
                sheet = Sheet(
                    meeting=meeting,
                    organization=organization,
                    held_on=plan.held_on,
                    kind=plan.kind,
                    body=plan.body,
                )
                count_sheet(sheet, rows)
                sheets.append(sheet)
                lists.append(rows)
        _bulk(Meeting, meetings, by, batch)
        _bulk(Sheet, sheets, by, batch)  # bulk_create reads each meeting's primary key, now it has one
        created["meetings"] += len(meetings)
        created["sheets"] += len(sheets)
        if kept:
            rows = []
            for sheet, sheet_rows in zip(sheets, lists, strict=True):
                for row in sheet_rows:
                    row.sheet, row.meeting = sheet, sheet.meeting
                rows += sheet_rows
            _bulk(Attendance, rows, by, batch)
            created["attendance"] += len(rows)
        progress(_progress_line(month, created, began))
    return created


def _lists(register: Register, plan: Plan) -> list[tuple[Organization, list[Entry]]]:
    """The lists of a meeting as ``record_meeting`` freezes them, from the register in memory."""
    day = plan.held_on
    if plan.body == Body.COMMITTEE:
        rolls = [(plan.organization, register.committee_roll_on(plan.organization.pk, day))]
    else:
        rolls = [(plan.organization, register.cell_roll_on(plan.organization.pk, day))]
        rolls += [(other, register.cell_roll_on(other.pk, day)) for other in plan.joint_with]
        present_elsewhere = {
            e.member_id for _org, entries in rolls for e in entries if e.standing != Standing.AWAY
        }
        rolls = [
            (org, [e for e in entries if e.standing != Standing.AWAY or e.member_id not in present_elsewhere])
            for org, entries in rolls
        ]
    return rolls


class _Line:
    """A line of a list that is counted but not kept (``bulk_meetings``): what ``count_sheet`` reads
    of an attendance row, ``Attendance.counted`` itself included, without a model instance."""

    __slots__ = ("member_id", "cell_id", "standing", "seat", "status", "reason")
    Standing, Status = Attendance.Standing, Attendance.Status
    counted = Attendance.counted

    def __init__(self, **fields):
        for name, value in fields.items():
            setattr(self, name, value)


def _marked_lists(
    register: Register, marker: Marker, plan: Plan, row=Attendance
) -> list[tuple[Organization, list]]:
    """The lists of a meeting as ``record_meeting`` freezes them, marked as ``Marker`` draws: rows
    of ``Attendance``, or ``_Line`` for lists that are only counted."""
    rolls = _lists(register, plan)
    lines = [(e.member_id, e.standing, e.seat) for _org, entries in rolls for e in entries]
    marks = {mark.member_id: mark for mark in marker.marks(plan, lines)}
    found = []
    for organization, entries in rolls:
        rows = []
        for entry in entries:
            mark = marks.get(entry.member_id)
            rows.append(
                row(
                    member_id=entry.member_id,
                    cell_id=entry.cell_id,
                    standing=entry.standing,
                    seat=entry.seat,
                    status=mark.status if mark else Status.PRESENT,
                    reason=mark.reason if mark else "",
                )
            )
        found.append((organization, rows))
    return found


def _bulk(model, objects: list, by, batch: int) -> None:
    for begin in range(0, len(objects), batch):
        chunk = model.objects.bulk_create(objects[begin : begin + batch], batch_size=batch)
        model.history.bulk_history_create(chunk, batch_size=batch, default_user=by)


# --- Study of resolutions -------------------------------------------------------------------------


def plan_study(register: Register, today: date, months: int, by) -> list[StudySession]:
    """Each grassroots organization studies each document within weeks of its issue (and each
    year's thematic study in spring), if that falls in the ``months`` months up to today's: the
    sessions, unsaved, in date order."""
    rng = random.Random(SEED + 1)
    first = add_months(today.replace(day=1), -(months - 1))
    documents = [(d.number, d.title, d.issuer, d.issued_on + timedelta(days=20)) for d in DOCUMENTS]
    number, title = YEARLY_STUDY
    for year in range(first.year, today.year + 1):
        documents.append((number, title.format(year=year), "Ban Chấp hành Trung ương", date(year, 3, 1)))
    organizations = list(Organization.objects.filter(kind__in=Organization.GRASSROOTS_KINDS).order_by("path"))
    cells_under = defaultdict(list)
    for pk, path in Organization.objects.filter(kind__in=Organization.CELL_KINDS).values_list("pk", "path"):
        for organization in organizations:
            if path.startswith(organization.path):
                cells_under[organization.pk].append(pk)
    sessions = []
    for number, title, issuer, from_day in sorted(documents, key=lambda document: document[3]):
        for organization in organizations:
            day = _workday(from_day + timedelta(days=rng.randint(0, 45)))
            if day < first or day > today or (organization.established_on or day) > day:
                continue
            expected = len({m for pk in cells_under[organization.pk] for m in register.members_on(pk, day)})
            if not expected:
                continue
            invited = round(expected * rng.uniform(0.2, 0.8))
            sessions.append(
                StudySession(
                    organization=organization,
                    held_on=day,
                    document_number=number,
                    document_title=title,
                    issuer=issuer,
                    members_expected=expected,
                    members_present=expected if rng.random() < 0.7 else max(expected - rng.randint(1, 2), 1),
                    non_members_invited=invited,
                    non_members_present=round(invited * rng.uniform(0.85, 0.95)),
                    recorded_by=by,
                )
            )
    return sessions


def seed_study(demo, months: int = MONTHS) -> int:
    """The study sessions of ``months`` months up to this one, through ``services.record_study``;
    returns how many. Skipped when there are study sessions already."""
    if StudySession.objects.exists():
        return 0
    sessions = plan_study(Register(), clock.today(), months, demo.by)
    with transaction.atomic():
        for session in sessions:
            try:
                services.record_study(
                    organization=session.organization,
                    held_on=session.held_on,
                    document_number=session.document_number,
                    document_title=session.document_title,
                    issuer=session.issuer,
                    members_expected=session.members_expected,
                    members_present=session.members_present,
                    non_members_invited=session.non_members_invited,
                    non_members_present=session.non_members_present,
                    by=demo.by,
                )
            except ValidationError as error:
                raise SeedError(
                    f"{session.organization.code} {session.document_number}: {'; '.join(error.messages)}"
                ) from error
    return len(sessions)


def bulk_study(by, *, months: int, batch: int) -> int:
    """The study sessions of ``months`` months, written in bulk (seed_bench)."""
    sessions = plan_study(Register(), clock.today(), months, by)
    _bulk(StudySession, sessions, by, batch)
    return len(sessions)


# --- Closed months ----------------------------------------------------------------------------------


def months_to_close(today: date, months: int) -> list[date]:
    """The first days of the months of the period before the previous month: the bloc closes a
    month once its meetings are in, leaving the current and the previous one open."""
    first, last = add_months(today.replace(day=1), -(months - 1)), add_months(today.replace(day=1), -2)
    found = []
    while first <= last:
        found.append(first)
        first = add_months(first, 1)
    return found


def close_months(demo, months: int = MONTHS) -> int:
    """The bloc's staff (``staff``) close the months of the demo's meetings before the previous one,
    through ``services.close_month``; returns how many. Skipped when a month is closed already."""
    if ClosedMonth.objects.exists():
        return 0
    staff = get_user_model().objects.get(username="staff")
    closing = months_to_close(clock.today(), months)
    with transaction.atomic():
        for month in closing:
            services.close_month(month=month, by=staff)
    return len(closing)


def bulk_close_months(*, months: int, batch: int) -> int:
    """The months before the previous one, closed by ``staff``, written in bulk (seed_bench)."""
    staff = get_user_model().objects.get(username="staff")
    closed = [ClosedMonth(month=month, closed_by=staff) for month in months_to_close(clock.today(), months)]
    _bulk(ClosedMonth, closed, staff, batch)
    return len(closed)
