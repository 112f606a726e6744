"""``manage.py seed_bench --members N``: a province-scale bloc for the page benchmark
(``tests/bench/pages.py``).

With ``--members 100000``: about 1,500 organizations — the bloc, đảng bộ cơ sở with their chi bộ
trực thuộc (and a few đảng bộ bộ phận), chi bộ cơ sở, in every sector, named like the demo bloc's
and like the district-level units of a province — and 100,000 members on the register today, with
five years of movements: the register entered from the files five years ago, admissions, conversions
from probationary to official, transfers between chi bộ, exemptions, transfers in and out of the
bloc, deaths and removals. Then committees and their seats for the terms 2020–2025 and 2025–2030
(2025–2027 for the chi bộ trực thuộc and đảng bộ bộ phận), candidates at every stage of the
pipeline, admission targets for this year and the last, and the Party badges of every milestone
reached (a tenth of them left unrecorded: the badge lists have members due and overdue).

Meetings (``demo.meetings``, the plan of ``seed_demo``): five years (``MEETING_MONTHS``, the span of
the movements, so that the compliance page and the figures of a five-year period read a full
register of meetings) of monthly meetings of every chi bộ and đảng ủy cơ sở, with thematic, joint
and online ones, about 90,000 meetings and their sheets with their counters; the attendance rows
themselves only for the last ``ATTENDANCE_MONTHS`` months (about 100,000 rows a month at 100,000
members: five years would be six million rows, and nothing benchmarked needs them: the figures and
the compliance page read the sheets' counters, the meeting and sheet pages and the absence rule of
the attention hub read the rows of recent meetings). Then the study of resolutions by each
grassroots organization, and the months before the previous one closed. The meetings take about 190 s
of the 290 s the seed takes on the project's 2-core machine, the kept attendance rows (with their
history rows) half of that.

Case work (``demo.inspections``, the plan of ``seed_demo`` at this scale): six calendar years (the five
of the movements and this one) of the bloc's and the grassroots organizations' inspections and
supervisions, letters and discipline decisions with their appeals — about 900 cases, 350 letters and
160 decisions a year at 100,000 members, five seconds of the seed — written in bulk; the khai trừ and
cách chức go through ``discipline.decide``, whose effects on the register are the members services'
(``--members`` counts the members on the register after them: as many more are planned).

Ratings and emulation (``demo.emulation``, the plan of ``seed_demo`` at this scale): every member and
organization rated for the last legacy year and the last two years, within the quota and the caps, the
clusters of last year and this one, last year's score sheet with every grassroots organization's scores and
this year's draft, written in bulk.

**A benchmark fixture, not a demo**: it writes its rows directly with ``bulk_create`` (batches of
5,000), not through the services, which would take hours at this size (``seed_demo`` records 4,200
members through them in minutes). It writes what the services would have written, in its final
state:

- every member has official spells (``Spell``) that never overlap, one open while the member is
  on the register, in ``member.organization``; an exit closes it on the exit date and sets
  ``exit_reason`` and ``exited_on``, the member staying on the chi bộ they left; a transfer closes
  the spell on its date and opens the next one that day;
- one ``Movement`` per movement, dated and filled as its service fills it (the register entry
  dated today, as ``services.register`` dates it);
- derived fields as the models' ``save`` derives them (``nfc``, ``search_key``, ``name_sort_key``)
  and paths as ``organizations.services`` builds them;
- one history row per object, in its final state, under the demo superuser (the services write one
  per save), and the establishment event of every organization.

The demo users of ``seed_demo`` (same usernames, password and assignments) are created too, so that
the benchmark can log in. It refuses a database that already has organizations or members, and
refuses to run with DEBUG off (the demo users' password is published), unless ``--force``: that
empties the tables of the register (organizations, members, meetings, case work, ratings and emulation,
reports, role assignments; users, rule values and days off are kept) and seeds. Random choices come from
a fixed seed. It ends with ``ANALYZE``, so the query planner knows the new tables.
"""

import math
import random
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from blocportal import clock, rules
from blocportal.dates import format_day
from blocportal.models import Assignment, ImportJob
from blocportal.text import name_sort_key, nfc, search_key
from blocportal.workdays import add_months
from demo.emulation import bulk_emulation
from demo.inspections import bulk_inspections, expulsions
from demo.management.commands.seed_demo import (
    BRANCHES,
    DEMO_MEMBERS,
    DEMO_PASSWORD,
    GRASSROOTS,
    ROOT,
    ROOT_CODE,
    UNITS,
    Demo,
    Host,
    seed_admin,
    seed_users,
)
from demo.meetings import bulk_close_months, bulk_meetings, bulk_study
from demo.members import ORIGINS
from demo.members import person as made_up_person
from emulation.models import Cluster, MemberRating, OrganizationRating, Score
from inspections.models import Appeal, Case, Complaint, DisciplineDecision
from meetings.models import Attendance, Meeting, Sheet, StudySession
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
from organizations.models import PATH_STEP, Organization, OrganizationEvent

SEED = 20260206
BATCH = 5000
YEARS = 5
MEETING_MONTHS = 12 * YEARS
ATTENDANCE_MONTHS = 6
ORGANIZATIONS_PER_MEMBER = 0.015  # 1,500 organizations for 100,000 members

Kind = Organization.Kind
Sector = Organization.Sector
Status = Member.Status
Activity = Member.Activity
Exit = Member.Exit
EventKind = Movement.Kind
Position = CommitteeSeat.Position
Stage = Candidate.Stage

# District-level units of a province, for the grassroots organizations beyond the demo bloc's.
DISTRICTS = [
    "Pleiku", "An Khê", "Ayun Pa", "Chư Păh", "Chư Prông", "Chư Sê", "Chư Pưh", "Đak Đoa", "Đak Pơ",
    "Đức Cơ", "Ia Grai", "Ia Pa", "KBang", "Kông Chro", "Krông Pa", "Mang Yang", "Phú Thiện",
]  # fmt: skip
_C, _CC = Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL
EXTRA_HOSTS: dict[str, list[tuple[str, str, str]]] = {
    Sector.STATE: [
        ("Thuế cơ sở {d}", _C, "tax"),
        ("Kho bạc Nhà nước khu vực {d}", _CC, "agency"),
        ("Bảo hiểm xã hội cơ sở {d}", _CC, "agency"),
        ("Phòng Thi hành án dân sự khu vực {d}", _CC, "agency"),
        ("Tòa án nhân dân khu vực {d}", _C, "justice"),
        ("Viện Kiểm sát nhân dân khu vực {d}", _CC, "agency"),
        ("Hạt Kiểm lâm {d}", _CC, "agency"),
    ],
    Sector.PUBLIC_SERVICE: [
        ("Trung tâm Y tế {d}", _C, "health"),
        ("Trường THPT {d}", _CC, "agency"),
        ("Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên {d}", _CC, "agency"),
        ("Bệnh viện Đa khoa khu vực {d}", _C, "health"),
    ],
    Sector.STATE_ENTERPRISE: [
        ("Điện lực {d}", _C, "utility"),
        ("Ngân hàng Nông nghiệp và Phát triển nông thôn Chi nhánh {d}", _CC, "bank"),
        ("Phòng Giao dịch Ngân hàng Chính sách xã hội {d}", _CC, "bank"),
        ("Bưu điện {d}", _CC, "utility"),
        ("Trung tâm Viễn thông {d}", _CC, "utility"),
    ],
    Sector.PRIVATE_ENTERPRISE: [
        ("Công ty Cổ phần Cà phê {d}", _CC, "company"),
        ("Công ty Cổ phần Cấp thoát nước {d}", _CC, "company"),
        ("Hợp tác xã Nông nghiệp {d}", _CC, "company"),
    ],
}
# More chi bộ trực thuộc than the demo's lists name: further units, then numbered ones.
EXTRA_UNITS: dict[str, tuple[list[str], str]] = {
    "agency": (["Phòng Hành chính - Tổng hợp", "Phòng Cải cách hành chính", "Trung tâm Dịch vụ công"],
               "Tổ công tác số"),
    "party": (["Phòng Nghiên cứu", "Phòng Thông tin"], "Phòng Nghiệp vụ"),
    "finance": (["Phòng Quản lý ngân sách huyện", "Thanh tra Sở"], "Phòng Nghiệp vụ"),
    "justice": (["Phòng Tổ chức cán bộ", "Phòng Hành chính - Tư pháp"], "Khu vực"),
    "tax": (["Phòng Tuyên truyền - Hỗ trợ người nộp thuế", "Phòng Quản lý nợ"], "Phòng Quản lý khu vực"),
    "health": (
        ["Khoa Tim mạch", "Khoa Thận - Tiết niệu", "Khoa Ung bướu", "Khoa Truyền nhiễm", "Khoa Da liễu",
         "Khoa Tai Mũi Họng", "Khoa Răng Hàm Mặt", "Khoa Mắt", "Khoa Chẩn đoán hình ảnh", "Khoa Xét nghiệm",
         "Khoa Dược", "Khoa Dinh dưỡng", "Khoa Gây mê hồi sức", "Khoa Chấn thương chỉnh hình",
         "Khoa Y học cổ truyền", "Khoa Phục hồi chức năng", "Khoa Kiểm soát nhiễm khuẩn", "Khoa Khám bệnh"],
        "Khoa Lâm sàng",
    ),
    "school": (["Khoa Ngoại ngữ", "Khoa Nông - Lâm", "Phòng Khảo thí", "Thư viện"], "Bộ môn số"),
    "press": (["Ban Chuyên đề", "Ban Biên tập"], "Văn phòng đại diện khu vực"),
    "plantation": (["Nông trường Ia Pết", "Nông trường Đak Djrăng", "Xí nghiệp Cơ khí"], "Đội sản xuất"),
    "bank": (["Phòng Quản lý rủi ro", "Phòng Kiểm tra nội bộ"], "Phòng Giao dịch số"),
    "utility": (["Phòng An toàn", "Phòng Vật tư", "Chi nhánh Đak Đoa", "Chi nhánh Ia Grai"], "Đội khu vực"),
    "company": (["Phòng Kỹ thuật", "Phòng Vật tư"], "Xí nghiệp số"),
}  # fmt: skip
BRANCH_NAMES = ["Khối Nghiệp vụ", "Khối Hành chính", "Khối Sản xuất", "Khối Kỹ thuật", "Khối Kinh doanh"]
BIG_PROFILES = {"health": 1.6, "plantation": 1.6, "utility": 1.4, "bank": 1.3, "school": 1.3, "tax": 1.2}

# Movements per member and year, by the member's state (competing hazards).
RATES_OFFICIAL = {"transfer": 0.03, "transfer_out": 0.012, "remove": 0.0015, "leave": 0.0003, "exempt": 0.004}
RATES_PROBATIONARY = {"remove_probationary": 0.015}
RATES_EXEMPTED = {"end_exemption": 0.25}
EXITS = {
    "death": (Exit.DIED, EventKind.DIED),
    "transfer_out": (Exit.TRANSFERRED_OUT, EventKind.TRANSFERRED_OUT),
    "remove": (Exit.REMOVED, EventKind.REMOVED),
    "leave": (Exit.LEFT, EventKind.LEFT),
    "remove_probationary": (Exit.REMOVED_PROBATIONARY, EventKind.REMOVED_PROBATIONARY),
}
# Candidates at each stage (the admitted ones come from the admissions through the pipeline).
STAGES = {
    Stage.OUTSTANDING: 4,
    Stage.TRAINED: 4,
    Stage.VETTING: 3,
    Stage.PROPOSED: 2,
    Stage.DECIDED: 1,
    Stage.WITHDRAWN: 1,
}


def _weighted(rng: random.Random, table: dict) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def _weekday(day: date) -> date:
    """Decisions are dated on working days: a Saturday or Sunday becomes the Friday before."""
    return day - timedelta(days=max(day.weekday() - 4, 0))


def _random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max((end - start).days, 0) + 1))


# --- Organizations ----------------------------------------------------------------------------------


@dataclass
class OrgPlan:
    code: str
    name: str
    kind: str
    parent: "OrgPlan | None"
    sector: str = ""
    short_name: str = ""
    host_unit: str = ""
    established_on: date | None = None
    decision_no: str = ""
    profile: str = ""
    weight: float = 0  # chi bộ: how many members it gets, relatively
    obj: Organization | None = None  # once written


def plan_organizations(rng: random.Random, members: int) -> list[OrgPlan]:
    """The tree, parents before children: the demo bloc's grassroots organizations (a share of them
    below the demo's size), district-level ones above 20,000 members, and as many chi bộ trực thuộc as
    make about ``ORGANIZATIONS_PER_MEMBER`` organizations per member."""
    root = OrgPlan(parent=None, **ROOT)
    share = min(1.0, members / DEMO_MEMBERS)
    grassroots: list[tuple[str, str, int, Host]] = []
    for sector, (prefix, hosts) in GRASSROOTS.items():
        keep = max(1, round(len(hosts) * share))
        if sector == Sector.STATE:
            keep = max(keep, 5)  # the demo users' NN03 and NN05
        grassroots += [(sector, prefix, number, host) for number, host in enumerate(hosts[:keep], start=1)]
    extra = max(0, round((members - 20_000) / 800))
    if extra:
        taken = {host.unit for *_rest, host in grassroots}
        combos = [
            (sector, template.format(d=district), kind, profile)
            for sector, templates in EXTRA_HOSTS.items()
            for template, kind, profile in templates
            for district in DISTRICTS
            if template.format(d=district) not in taken
        ]
        chosen = sorted(rng.sample(combos, min(extra, len(combos))), key=combos.index)
        numbers = {sector: len(hosts) for sector, (prefix, hosts) in GRASSROOTS.items()}
        for sector, unit, kind, profile in chosen:
            numbers[sector] += 1
            grassroots.append((sector, GRASSROOTS[sector][0], numbers[sector], Host(unit, kind, profile)))
    plan = [root]
    committees = []
    for sector, prefix, number, host in grassroots:
        established = _random_date(rng, date(1976, 1, 1), date(2012, 12, 31))
        organization = OrgPlan(
            code=f"{prefix}{number:02d}",
            name=f"{'Đảng bộ' if host.kind == Kind.GRASSROOTS_COMMITTEE else 'Chi bộ'} {host.unit}",
            kind=host.kind,
            parent=root,
            sector=sector,
            short_name=host.short_name,
            host_unit=host.unit,
            established_on=established,
            decision_no=f"{rng.randint(1, 999)}-QĐ/ĐUK",
            profile=host.profile,
        )
        plan.append(organization)
        if host.kind == Kind.GRASSROOTS_COMMITTEE:
            committees.append(organization)
        else:
            organization.weight = rng.randint(10, 60) * BIG_PROFILES.get(host.profile, 1)
    budget = max(round(members * ORGANIZATIONS_PER_MEMBER) - len(plan), 2 * len(committees))
    weights = [BIG_PROFILES.get(c.profile, 1) * rng.uniform(0.6, 1.4) for c in committees]
    total = sum(weights) or 1
    for committee, weight in zip(committees, weights, strict=True):
        plan += _plan_cells(rng, committee, max(2, round(budget * weight / total)))
    return plan


def _unit_names(rng: random.Random, profile: str, count: int) -> list[str]:
    extra, numbered = EXTRA_UNITS[profile]
    pool = list(dict.fromkeys(UNITS[profile] + extra))
    names = rng.sample(pool, min(count, len(pool)))
    number = 0
    while len(names) < count:
        number += 1
        name = f"{numbered} {number}"
        if name not in names:
            names.append(name)
    return names


def _plan_cells(rng: random.Random, committee: OrgPlan, count: int) -> list[OrgPlan]:
    """``count`` chi bộ for a đảng bộ cơ sở; a large one puts some of them under đảng bộ bộ phận."""
    founded = committee.established_on

    def child(code: str, name: str, kind: str, parent: OrgPlan) -> OrgPlan:
        item = OrgPlan(
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            sector=committee.sector,
            established_on=_random_date(rng, founded, max(founded, date(2015, 12, 31))),
            decision_no=f"{rng.randint(1, 199)}-QĐ/ĐU",
        )
        if kind == Kind.SUBORDINATE_CELL:
            item.weight = rng.randint(20, 100) * BIG_PROFILES.get(committee.profile, 1)
            if rng.random() < 0.03:
                item.weight = 1  # a few chi bộ below three official members, as real registers have
        return item

    names = _unit_names(rng, committee.profile, count)
    branches = 2 if count >= 32 else 1 if count >= 20 else 0
    specs = []
    branch_names = [name for name, _cells in BRANCHES.get(committee.profile, [])]
    branch_names += rng.sample(BRANCH_NAMES, len(BRANCH_NAMES))
    for number in range(1, branches + 1):
        branch = child(
            f"{committee.code}.BP{number}",
            f"Đảng bộ bộ phận {branch_names[number - 1]}",
            Kind.BRANCH_COMMITTEE,
            committee,
        )
        specs.append(branch)
        for c_number in range(1, rng.randint(3, 5) + 1):
            name = names.pop()
            specs.append(
                child(f"{branch.code}.{c_number:02d}", f"Chi bộ {name}", Kind.SUBORDINATE_CELL, branch)
            )
    for number, name in enumerate(names, start=1):
        specs.append(
            child(f"{committee.code}.{number:02d}", f"Chi bộ {name}", Kind.SUBORDINATE_CELL, committee)
        )
    return specs


# --- Members -----------------------------------------------------------------------------------------


@dataclass
class Cell:
    pk: int
    path: str
    grassroots: int  # pk of the tổ chức cơ sở đảng it belongs to (itself for a chi bộ cơ sở)
    established_on: date
    weight: float = 0  # how many members it gets, relatively
    size: int = 0  # official members expected: the vote denominators drawn below


@dataclass
class Person:
    """One member's record, spells and events, planned before anything is written."""

    fields: dict
    cell: Cell
    spells: list = field(default_factory=list)  # [cell, starts_on, ends_on]
    events: list = field(default_factory=list)  # (kind, on, fields)
    pipeline: dict | None = None  # admitted through the candidates' pipeline: the candidate's data


@dataclass(frozen=True)
class Summary:
    """What the later steps read of a member once it is written."""

    pk: int
    cell: int
    current: bool
    official: bool
    active: bool
    official_on: date | None
    since: date  # the open spell began (the last spell, for a former member)
    admitted_on: date
    exited_on: date | None


class Planner:
    """Members one at a time, each with its own five years: the hazards of the movements that apply
    to its state compete, and the conversion comes when the probation has ended."""

    def __init__(self, rng: random.Random, cells: list[Cell], today: date, by):
        self.rng, self.cells, self.today, self.by = rng, cells, today, by
        self.start = add_months(today, -12 * YEARS)
        self.cum_weights = []
        running = 0.0
        for cell in cells:
            running += cell.weight
            self.cum_weights.append(running)
        self.by_grassroots = defaultdict(list)
        for cell in cells:
            self.by_grassroots[cell.grassroots].append(cell)
        self.cccds: set[str] = set()
        self.cards = 0
        self.admitted = Counter()  # (grassroots pk, year) → admissions
        self.probation_months = rules.get("member.probation_months")

    def pick_cell(self, exclude: Cell | None = None) -> Cell:
        while True:
            cell = self.rng.choices(self.cells, cum_weights=self.cum_weights)[0]
            if cell is not exclude or len(self.cells) == 1:
                return cell

    def person(self, born_from: int, born_to: int) -> dict:
        return made_up_person(self.rng, self.cccds, born_from, born_to)

    def card(self) -> str:
        self.cards += 1
        return f"64{self.cards:07d}"

    def decision(self) -> str:
        return f"{self.rng.randint(1, 999)}-QĐ/ĐU"

    # One member ---------------------------------------------------------------------------------

    def plan(self) -> Person:
        draw = self.rng.random()
        if draw < 0.80:
            person = self._recorded()
        elif draw < 0.94:
            person = self._admitted()
        else:
            person = self._transferred_in()
        self._live(person)
        return person

    def _recorded(self) -> Person:
        """On the register five years ago, entered from the files (``services.register``)."""
        rng = self.rng
        probationary = rng.random() < 0.04
        fields = self.person(1986 if probationary else 1963, 2002 if probationary else 1999)
        cell = self.pick_cell()
        if probationary:
            admitted = self.start - timedelta(days=rng.randint(40, 330))
        else:
            earliest = add_months(fields["birth_date"], 12 * 20)
            latest = min(add_months(fields["birth_date"], 12 * 40), self.start - timedelta(days=400))
            admitted = earliest + timedelta(days=rng.randint(0, max((latest - earliest).days, 0)))
        ceremony = admitted + timedelta(days=rng.randint(7, 25))
        fields.update(admitted_on=admitted, ceremony_on=ceremony)
        if probationary:
            fields.update(status=Status.PROBATIONARY, personal_history_on=ceremony + timedelta(days=20))
        else:
            official = add_months(ceremony, self.probation_months)
            fields.update(status=Status.OFFICIAL, official_on=official, card_number=self.card())
        person = Person(fields=fields, cell=cell)
        person.spells.append([cell, max(admitted, cell.established_on), None])
        person.events.append(
            (
                EventKind.RECORDED,
                self.today,
                {"organization": cell, "note": f"Nhập từ sổ đảng viên năm {self.start.year}"},
            )
        )
        return person

    def _admitted(self) -> Person:
        """Admitted in the last five years (``services.admit``); a third of the admissions of the
        last two years went through the candidates' pipeline, the others were decided outside."""
        rng = self.rng
        on = _weekday(_random_date(rng, self.start, self.today - timedelta(days=3)))
        fields = self.person(max(on.year - 34, 1966), on.year - 21)
        cell = self.pick_cell()
        ceremony = min(on + timedelta(days=rng.randint(5, 20)), self.today)
        fields.update(admitted_on=on, ceremony_on=ceremony, status=Status.PROBATIONARY)
        completed = ceremony + timedelta(days=rng.choice([14, 21, 28, 35, 60]))
        if completed <= self.today and rng.random() < 0.92:
            fields["personal_history_on"] = completed
        person = Person(fields=fields, cell=cell)
        person.spells.append([cell, on, None])
        decision = self.decision()
        event = {"organization": cell, "decision_no": decision}
        if on >= self.today - timedelta(days=730) and rng.random() < 0.3:
            resolved = on - timedelta(days=rng.randint(10, 25))
            denominator = max(cell.size, 3)
            person.pipeline = {
                "resolution_no": f"{rng.randint(1, 30):02d}-NQ/CB",
                "resolution_on": resolved,
                "votes_for": denominator - rng.randint(0, denominator // 4),
                "official_members": denominator,
                "decision_no": decision,
                "decision_on": on,
            }
            event.update(
                resolution_no=person.pipeline["resolution_no"],
                resolution_on=resolved,
                votes_for=person.pipeline["votes_for"],
                vote_denominator=denominator,
            )
        else:
            event.update(decided_outside=True, note="Hồ sơ kết nạp lưu tại văn phòng cấp ủy cơ sở")
        person.events.append((EventKind.ADMITTED, on, event))
        self.admitted[(cell.grassroots, on.year)] += 1
        return person

    def _transferred_in(self) -> Person:
        """Came from a Party organization outside the bloc (``services.transfer_in``)."""
        rng = self.rng
        on = _weekday(_random_date(rng, self.start, self.today - timedelta(days=3)))
        fields = self.person(1970, 1996)
        admitted = min(add_months(fields["birth_date"], 12 * rng.randint(22, 28)), on - timedelta(days=500))
        ceremony = admitted + timedelta(days=rng.randint(7, 20))
        official = add_months(ceremony, self.probation_months)
        fields.update(
            admitted_on=admitted,
            ceremony_on=ceremony,
            official_on=official,
            status=Status.OFFICIAL,
            card_number=self.card(),
        )
        cell = self.pick_cell()
        person = Person(fields=fields, cell=cell)
        person.spells.append([cell, on, None])
        person.events.append(
            (
                EventKind.TRANSFERRED_IN,
                on,
                {"organization": cell, "origin": rng.choice(ORIGINS), "decision_no": self.decision()},
            )
        )
        return person

    def _live(self, person: Person) -> None:
        """The movements after the member's entry, in date order, up to today."""
        rng, fields = self.rng, person.fields
        moment = max(person.spells[0][1], self.start)
        last = person.events[-1][1] if person.events[-1][0] != EventKind.RECORDED else moment
        conversion = None
        if fields["status"] == Status.PROBATIONARY:
            ends = add_months(fields["ceremony_on"], self.probation_months)
            decided = _weekday(ends + timedelta(days=rng.randint(3, 20)))
            overdue = decided > self.today - timedelta(days=60) and rng.random() < 0.08
            if decided <= self.today and not overdue:
                conversion = (max(decided, ends), ends)
        age = self.today.year - fields["birth_date"].year
        death = 0.001 if age < 50 else 0.004 if age < 62 else 0.015
        while True:
            if fields["status"] == Status.PROBATIONARY:
                rates = {**RATES_PROBATIONARY, "death": death}
            elif fields.get("activity") == Activity.EXEMPTED:
                rates = {**RATES_EXEMPTED, "death": death * 3}
            else:
                rates = {**RATES_OFFICIAL, "death": death}
            wait = rng.expovariate(sum(rates.values()) / 365.25)
            upcoming = moment + timedelta(days=math.ceil(wait)) if wait < 366 * YEARS * 2 else date.max
            if conversion and conversion[0] <= upcoming:
                on, ends = conversion
                conversion = None
                if on > last:
                    self._convert(person, on, ends)
                    moment = last = on
                continue
            if upcoming > self.today:
                return
            on = _weekday(upcoming)
            moment = upcoming
            if on <= last or on > self.today or on <= person.spells[-1][1]:
                continue
            if self._move(person, _weighted(rng, rates), on):
                return  # an exit
            last = on

    def _convert(self, person: Person, on: date, ends: date) -> None:
        rng, cell = self.rng, person.spells[-1][0]
        denominator = max(cell.size, 3)
        resolved = max(ends, on - timedelta(days=2))
        person.fields.update(status=Status.OFFICIAL, official_on=ends, card_number=self.card())
        person.events.append(
            (
                EventKind.MADE_OFFICIAL,
                on,
                {
                    "organization": cell,
                    "decision_no": self.decision(),
                    "resolution_no": f"{rng.randint(1, 30):02d}-NQ/CB",
                    "resolution_on": resolved,
                    "votes_for": denominator - rng.randint(0, denominator // 4),
                    "vote_denominator": denominator,
                },
            )
        )

    def _move(self, person: Person, kind: str, on: date) -> bool:
        """One movement on ``on``; True when the member leaves the register."""
        rng, fields, cell = self.rng, person.fields, person.spells[-1][0]
        if kind == "transfer":
            siblings = self.by_grassroots[cell.grassroots]
            if len(siblings) > 1 and rng.random() < 0.5:
                to = rng.choice([c for c in siblings if c is not cell])
            else:
                to = self.pick_cell(exclude=cell)
            if to is cell:
                return False
            person.spells[-1][2] = on
            person.spells.append([to, on, None])
            person.cell = to
            person.events.append(
                (
                    EventKind.TRANSFERRED,
                    on,
                    {
                        "organization": cell,
                        "from_organization": cell,
                        "to_organization": to,
                        "decision_no": self.decision(),
                    },
                )
            )
            return False
        if kind == "exempt":
            grounds = {"tuoi_cao": 6, "dieu_tri": 2, **({"thai_san": 2} if fields["gender"] == "nu" else {})}
            fields["activity"] = Activity.EXEMPTED
            person.events.append(
                (EventKind.EXEMPTED, on, {"organization": cell, "ground": _weighted(rng, grounds)})
            )
            return False
        if kind == "end_exemption":
            fields["activity"] = Activity.ACTIVE
            person.events.append((EventKind.EXEMPTION_ENDED, on, {"organization": cell}))
            return False
        exit_reason, event_kind = EXITS[kind]
        event = {"organization": cell, "decision_no": "" if kind == "death" else self.decision()}
        if kind == "transfer_out":
            event["destination"] = rng.choice(ORIGINS)
            received = on + timedelta(days=rng.randint(10, 50))
            if received <= self.today and rng.random() < 0.9:
                event.update(received_on=received, received_recorded_by=self.by)
        elif kind == "remove":
            event["ground"] = Movement.RemovalGround.NEGLECT
        person.spells[-1][2] = on
        fields.update(exit_reason=exit_reason, exited_on=on)
        person.events.append((event_kind, on, event))
        return True


# --- Command ---------------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Create a province-scale bloc for the page benchmark (about 1,500 organizations and 100,000 "
        "members with --members 100000) and the demo users, writing rows directly in bulk. Refuses a "
        "database with organizations or members, or DEBUG off, unless --force (which empties it first)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--members",
            type=int,
            default=100_000,
            help="How many members are on the register today (default %(default)s).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Empty the register (organizations, members, meetings, reports) first, and seed even with "
            "DEBUG off.",
        )

    def handle(self, *args, members: int, force: bool, **options):
        if members <= 0:
            raise CommandError(_("Give a positive number of members."))
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "DEBUG is off, so this looks like a production database: the demo users have a "
                    "published password. Use --force to seed anyway."
                )
            )
        filled = Organization.objects.exists() or Member.objects.exists()
        if filled and not force:
            raise CommandError(
                _(
                    "The database already has organizations or members. Use --force to delete them "
                    "(with their movements, committees and reports) and seed the benchmark bloc."
                )
            )
        started = time.monotonic()
        self.rng = random.Random(SEED)
        self.today = clock.today()
        self.stdout.write(
            _("Seeding the benchmark bloc as of %(today)s: %(members)s members on the register.")
            % {"today": format_day(self.today), "members": f"{members:,}".replace(",", " ")}
        )
        # The case work covers the years of the movements and the current one; its khai trừ take
        # members off the register, so that many more are planned (``demo.inspections.expulsions``).
        self.inspection_years = list(range(self.today.year - YEARS, self.today.year + 1))
        self.expelled = expulsions(members, len(self.inspection_years))
        self.steps, self.step_number = 9 + filled, 0
        if filled:
            with self._step(_("emptying the register already in the database")):
                self._wipe()
        with transaction.atomic():
            with self._step(_("organizations and users")):
                self._organizations(members)
            with self._step(_("members and five years of movements")):
                self._members(members + self.expelled)
            with self._step(_("terms and committee seats")):
                self._committees()
            with self._step(_("candidates and admission targets")):
                self._candidates()
            # Before the badges and the meetings: a khai trừ ends a membership, a cách chức a seat.
            with self._step(_("inspections, supervisions, letters and discipline")):
                self._inspections()
            with self._step(BadgeAward._meta.verbose_name_plural):
                self._badges()
            with self._step(_("meetings, attendance and study of resolutions")):
                self._meetings()
            # After the case work: a member disciplined in the year is rated "không hoàn thành".
            with self._step(_("quality ratings, emulation clusters and scores")):
                bulk_emulation(by=self.demo.by, batch=BATCH, progress=self._say)
        with self._step("ANALYZE"):
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self._report()
        self.stdout.write(_("Done in %(seconds)s s.") % {"seconds": f"{time.monotonic() - started:.0f}"})

    # Output -------------------------------------------------------------------------------------

    @contextmanager
    def _step(self, what: str):
        """One line when a step starts and one when it ends, with its time (as ``seed_demo``)."""
        self.step_number += 1
        self.stdout.write(f"[{self.step_number}/{self.steps}] {capfirst(what)} …")
        self.stdout.flush()
        self.step_began = time.monotonic()
        yield
        self.stdout.write(
            "      " + _("done in %(seconds)s s") % {"seconds": f"{time.monotonic() - self.step_began:.1f}"}
        )
        self.stdout.flush()

    def _progress(self, model, done: int, total: int | None = None) -> None:
        label = capfirst(model._meta.verbose_name_plural)
        of = f" / {total:,}" if total else ""
        elapsed = time.monotonic() - self.step_began
        self.stdout.write(f"      {label}: {done:,}{of}".replace(",", " ") + f" ({elapsed:.1f} s)")
        self.stdout.flush()

    def _say(self, line: str) -> None:
        self.stdout.write(f"      {line}")
        self.stdout.flush()

    def _report(self) -> None:
        counts = [(_("Current members"), Member.objects.current().count())]
        for model in (
            Organization,
            Member,
            Spell,
            Movement,
            Term,
            CommitteeSeat,
            Candidate,
            BadgeAward,
            Meeting,
            Sheet,
            Attendance,
            StudySession,
            Case,
            Complaint,
            DisciplineDecision,
            Appeal,
            MemberRating,
            OrganizationRating,
            Cluster,
            Score,
        ):
            counts.append((capfirst(model._meta.verbose_name_plural), model.objects.count()))
        self.stdout.write("; ".join(f"{name}: {count:,}".replace(",", " ") for name, count in counts) + ".")
        self.stdout.write(_("Password of every demo user: %(password)s") % {"password": DEMO_PASSWORD})

    # Writing ------------------------------------------------------------------------------------

    def _bulk(self, model, objects: list) -> None:
        """Insert ``objects`` in batches, with one history row each, saying how far it is."""
        for begin in range(0, len(objects), BATCH):
            chunk = model.objects.bulk_create(objects[begin : begin + BATCH], batch_size=BATCH)
            model.history.bulk_history_create(chunk, batch_size=BATCH, default_user=self.demo.by)
            if len(objects) > BATCH:
                self._progress(model, begin + len(chunk), len(objects))

    def _wipe(self) -> None:
        """Empty the tables of the register, as ``flush`` would (TRUNCATE on PostgreSQL), keeping
        the users, the rule values and the days off."""
        models = [
            model
            for label in ("organizations", "members", "meetings", "inspections", "emulation", "reports")
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
        ]
        models += [Assignment, Assignment.history.model, ImportJob]
        tables = [model._meta.db_table for model in models]
        sql = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            # Inside a transaction (a test), check the deferred foreign keys now: PostgreSQL does not
            # truncate a table with checks still pending.
            sql.insert(0, "SET CONSTRAINTS ALL IMMEDIATE")
        connection.ops.execute_sql_flush(sql)

    def _organizations(self, members: int) -> None:
        """The superuser first (it records everything), the tree level by level (a path holds the
        primary keys of the organization and its ancestors), then the demo users and their roles."""
        self.demo = Demo(rng=self.rng)
        seed_admin(self.demo)
        plan = plan_organizations(self.rng, members)
        levels = defaultdict(list)
        depth = {}
        for spec in plan:
            depth[id(spec)] = 0 if spec.parent is None else depth[id(spec.parent)] + 1
            levels[depth[id(spec)]].append(spec)
        for level in sorted(levels):
            specs = levels[level]
            objects = []
            for spec in specs:
                organization = Organization(
                    code=spec.code,
                    name=spec.name,
                    short_name=spec.short_name,
                    kind=spec.kind,
                    sector=spec.sector,
                    parent=spec.parent.obj if spec.parent else None,
                    host_unit=spec.host_unit,
                    established_on=spec.established_on,
                    path=f"~{spec.code}",
                )
                organization.normalize()
                organization.search_name = search_key(
                    f"{organization.name} {organization.short_name} {organization.code}"
                )
                spec.obj = organization
                objects.append(organization)
            Organization.objects.bulk_create(objects, batch_size=BATCH)
            for spec in specs:
                parent_path = spec.parent.obj.path if spec.parent else ""
                spec.obj.path = f"{parent_path}{spec.obj.pk:0{PATH_STEP - 1}d}/"
            Organization.objects.bulk_update(objects, ["path"], batch_size=1000)
        organizations = [spec.obj for spec in plan]
        Organization.history.bulk_history_create(organizations, batch_size=BATCH, default_user=self.demo.by)
        OrganizationEvent.objects.bulk_create(
            [
                OrganizationEvent(
                    organization=spec.obj,
                    kind=OrganizationEvent.Kind.ESTABLISHED,
                    on=spec.established_on or self.today,
                    decision_no=spec.decision_no,
                    new_parent=spec.parent.obj if spec.parent else None,
                    new_name=spec.obj.name,
                    recorded_by=self.demo.by,
                )
                for spec in plan
            ],
            batch_size=BATCH,
        )
        self.plan = plan
        self.demo.organizations = {organization.code: organization for organization in organizations}
        self._progress(Organization, len(organizations))
        seed_users(self.demo)

    def _members(self, target: int) -> None:
        """Members one batch at a time: plan 5,000, write them, then their spells and events."""
        grassroots_of = {}
        for spec in self.plan:
            if spec.obj.kind in Organization.GRASSROOTS_KINDS:
                grassroots_of[id(spec)] = spec.obj.pk
            elif spec.parent is not None and id(spec.parent) in grassroots_of:
                grassroots_of[id(spec)] = grassroots_of[id(spec.parent)]
        cells = [
            Cell(
                pk=spec.obj.pk,
                path=spec.obj.path,
                grassroots=grassroots_of[id(spec)],
                established_on=spec.established_on,
                weight=spec.weight,
            )
            for spec in self.plan
            if spec.obj.kind in Organization.CELL_KINDS
        ]
        total_weight = sum(cell.weight for cell in cells) or 1
        for cell in cells:
            cell.size = round(target * 0.95 * cell.weight / total_weight)
        self.cells = cells
        planner = Planner(self.rng, cells, self.today, self.demo.by)
        self.planner = planner
        self.summaries: list[Summary] = []
        self.pipeline: list[tuple[Summary, Person]] = []
        current = 0
        batch: list[Person] = []
        while current < target:
            person = planner.plan()
            if not person.fields.get("exit_reason"):
                current += 1
            batch.append(person)
            if len(batch) == BATCH or current == target:
                self._write_members(batch)
                batch = []
                message = _(
                    "%(current)s of %(target)s members on the register (%(records)s records), %(seconds)s s"
                )
                numbers = {"current": current, "target": target, "records": len(self.summaries)}
                self.stdout.write(
                    "      "
                    + message
                    % {
                        **{name: f"{value:,}".replace(",", " ") for name, value in numbers.items()},
                        "seconds": f"{time.monotonic() - self.step_began:.1f}",
                    }
                )
                self.stdout.flush()

    def _write_members(self, batch: list[Person]) -> None:
        by = self.demo.by
        objects = []
        for person in batch:
            member = Member(organization_id=person.cell.pk, **person.fields)
            member.normalize()
            member.search_name = search_key(member.full_name)
            member.sort_name = name_sort_key(member.full_name)
            objects.append(member)
        Member.objects.bulk_create(objects, batch_size=BATCH)
        Member.history.bulk_history_create(objects, batch_size=BATCH, default_user=by)
        spells, events = [], []
        for person, member in zip(batch, objects, strict=True):
            for cell, started, ended in person.spells:
                spells.append(
                    Spell(
                        member=member,
                        organization_id=cell.pk,
                        kind=Spell.Kind.OFFICIAL,
                        starts_on=started,
                        ends_on=ended,
                    )
                )
            for kind, on, planned in person.events:
                values = {
                    (f"{name}_id" if isinstance(value, Cell) else name): (
                        value.pk if isinstance(value, Cell) else value
                    )
                    for name, value in planned.items()
                }
                events.append(Movement(member=member, kind=kind, on=on, recorded_by=by, **values))
            summary = Summary(
                pk=member.pk,
                cell=person.cell.pk,
                current=not member.exit_reason,
                official=member.status == Status.OFFICIAL,
                active=member.activity == Activity.ACTIVE,
                official_on=member.official_on,
                since=person.spells[-1][1],
                admitted_on=member.admitted_on,
                exited_on=member.exited_on,
            )
            self.summaries.append(summary)
            if person.pipeline:
                self.pipeline.append((summary, person))
        Spell.objects.bulk_create(spells, batch_size=BATCH)
        Spell.history.bulk_history_create(spells, batch_size=BATCH, default_user=by)
        Movement.objects.bulk_create(events, batch_size=BATCH)

    # Committees -----------------------------------------------------------------------------------

    def _committees(self) -> None:
        """Terms and seats, drawn as ``demo.committees`` draws them, among the current official
        members who were in the organization on the congress day and still are."""
        rng = self.rng
        electable_by_cell = defaultdict(list)
        for summary in self.summaries:
            if summary.current and summary.official and summary.active:
                electable_by_cell[summary.cell].append(summary)
        cell_paths = [(cell.path, cell.pk) for cell in self.cells]
        terms, seat_plans = [], []
        for spec in self.plan:
            organization = spec.obj
            if organization.kind == Kind.BLOC:
                continue
            pool = [
                summary
                for path, pk in cell_paths
                if path.startswith(organization.path)
                for summary in electable_by_cell[pk]
            ]
            for label, starts_on, ends_on, ordinal in self._terms_of(organization):
                electable = [s for s in pool if s.official_on <= starts_on and s.since <= starts_on]
                if not electable:
                    continue
                term = Term(
                    organization=organization,
                    label=label,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    congress_ordinal=ordinal,
                )
                terms.append(term)
                seat_plans.append((term, self._elect(organization, starts_on, electable)))
        self._bulk(Term, terms)
        seats = []
        for term, plan in seat_plans:
            decision = f"{rng.randint(1, 999)}-QĐ/{'ĐUK' if term.organization.is_grassroots else 'ĐU'}"
            for summary, position, heads in plan:
                seats.append(
                    CommitteeSeat(
                        term=term,
                        member_id=summary.pk,
                        position=position,
                        starts_on=term.starts_on,
                        heads_host_unit=heads,
                        decision_no=decision,
                    )
                )
        # The seats of an earlier term end at the congress of the next one (services.create_term).
        by_organization = defaultdict(list)
        for term in terms:
            by_organization[term.organization_id].append(term)
        next_term = {}
        for organization_terms in by_organization.values():
            organization_terms.sort(key=lambda t: t.starts_on)
            for earlier, later in zip(organization_terms, organization_terms[1:], strict=False):
                next_term[earlier.pk] = later
        for seat in seats:
            later = next_term.get(seat.term.pk)
            if later is not None:
                seat.ends_on = later.starts_on
                seat.end_note = _("Succeeded by the committee of the term %(label)s.") % {
                    "label": later.label
                }
        self._bulk(CommitteeSeat, seats)

    def _terms_of(self, organization: Organization) -> list[tuple[str, date, date, int | None]]:
        rng = self.rng

        def congress(year: int, months: tuple[int, int]) -> date:
            return _weekday(date(year, rng.randint(*months), rng.randint(1, 28)))

        if organization.kind in Organization.GRASSROOTS_KINDS:
            ordinal = rng.randint(4, 14)
            congress_2020, congress_2025 = congress(2020, (4, 7)), congress(2025, (3, 6))
            terms = [
                ("2020–2025", congress_2020, congress_2025, ordinal),
                ("2025–2030", congress_2025, congress(2030, (3, 6)), ordinal + 1),
            ]
        else:
            terms = [("2025–2027", congress(2025, (1, 4)), congress(2027, (10, 12)), None)]
        established = organization.established_on or date(1990, 1, 1)
        return [term for term in terms if established < term[1] <= self.today]

    def _elect(self, organization: Organization, on: date, electable: list[Summary]):
        """(member, position, heads the host unit) of the committee a congress elects."""
        rng = self.rng
        official = len(electable)
        if organization.kind in Organization.CELL_KINDS and official < rules.get(
            "cell.chi_uy_from_official_members", on=on
        ):
            size = 2 if official >= 5 and rng.random() < 0.7 else 1
        elif organization.kind in (*Organization.CELL_KINDS, Kind.BRANCH_COMMITTEE):
            size = rng.randint(3, 5)
        else:
            size = rng.choice((5, 7, 7, 9, 9, 11))
        chosen = rng.sample(electable, min(size, official))
        positions = [Position.SECRETARY, Position.DEPUTY_SECRETARY]
        if organization.kind == Kind.GRASSROOTS_COMMITTEE and len(chosen) >= 9:
            positions += [Position.DEPUTY_SECRETARY, Position.STANDING_MEMBER, Position.STANDING_MEMBER]
        positions += [Position.COMMITTEE_MEMBER] * len(chosen)
        seats = [
            (
                summary,
                position,
                position == Position.SECRETARY and organization.is_grassroots and rng.random() < 0.4,
            )
            for summary, position in zip(chosen, positions, strict=False)
        ]
        if organization.kind == Kind.GRASSROOTS_COMMITTEE:
            chosen_pks = {s.pk for s in chosen}
            others = [s for s in electable if s.pk not in chosen_pks]
            inspectors = [
                rng.choice(chosen[1:] or chosen),
                *rng.sample(others, min(len(others), rng.randint(2, 4))),
            ]
            ranks = [Position.INSPECTION_CHAIR, Position.INSPECTION_DEPUTY] + [Position.INSPECTION_MEMBER] * 4
            seats += [(summary, rank, False) for summary, rank in zip(inspectors, ranks, strict=False)]
        return seats

    # Candidates and targets ---------------------------------------------------------------------

    def _candidates(self) -> None:
        rng, today, planner = self.rng, self.today, self.planner
        official_by_cell = defaultdict(list)
        for summary in self.summaries:
            if summary.current and summary.official:
                official_by_cell[summary.cell].append(summary)
        year_ago = today - timedelta(days=365)

        def sponsors(cell_pk: int, on: date) -> list[Summary]:
            """Official members for a year by ``on``, in the chi bộ for a year: the sponsors' rule."""
            before = on - timedelta(days=365)
            return [
                s
                for s in official_by_cell[cell_pk]
                if s.active and s.official_on <= before and s.since <= before
            ]

        able = [
            cell
            for cell in self.cells
            if len(official_by_cell[cell.pk]) >= rules.get("cell.min_official_members")
            and len(sponsors(cell.pk, year_ago)) >= 2
        ]
        candidates = []
        goals = [stage for stage, weight in STAGES.items() for _ in range(weight)]
        count = max(len(goals), round(len(self.summaries) * 0.008))
        for index in range(count if able else 0):
            goal = goals[index % len(goals)]
            cell = rng.choice(able)
            fields = planner.person(today.year - 34, today.year - 20)
            fields.pop("theory_level")
            candidate = Candidate(organization_id=cell.pk, stage=goal, **fields)
            if goal != Stage.OUTSTANDING:
                day = today - timedelta(days=rng.randint(90, 300))
                candidate.certificate_no = f"{rng.randint(10, 999)}/GCN"
                candidate.certificate_on = day
                if goal == Stage.WITHDRAWN:
                    candidate.withdrawn_on = day + timedelta(days=30)
                    candidate.withdrawal_reason = "Chuyển công tác ra ngoài tỉnh"
                elif goal != Stage.TRAINED:
                    first, second = rng.sample(sponsors(cell.pk, year_ago), 2)
                    candidate.sponsor_1_id, candidate.sponsor_2_id = first.pk, second.pk
                    candidate.applied_on = day + timedelta(days=15)
                    candidate.vetting_started_on = day + timedelta(days=20)
                    if goal in (Stage.PROPOSED, Stage.DECIDED):
                        denominator = len(official_by_cell[cell.pk])
                        candidate.vetting_completed_on = day + timedelta(days=50)
                        candidate.resolution_no = f"{rng.randint(1, 30):02d}-NQ/CB"
                        candidate.resolution_on = day + timedelta(days=55)
                        candidate.votes_for = denominator - rng.randint(0, denominator // 4)
                        candidate.official_members = denominator
                    if goal == Stage.DECIDED:
                        candidate.decision_no = f"{rng.randint(100, 999)}-QĐ/ĐU"
                        candidate.decision_on = min(
                            day + timedelta(days=rng.randint(65, 80)), today - timedelta(days=2)
                        )
            candidates.append(candidate)
        # The admissions recorded through the pipeline: their candidate, at the stage "admitted".
        for summary, person in self.pipeline:
            data = person.pipeline
            fields = {k: v for k, v in person.fields.items() if k in _CANDIDATE_FIELDS}
            resolution_on = data["resolution_on"]
            candidate = Candidate(
                organization_id=person.spells[0][0].pk,
                stage=Stage.ADMITTED,
                member_id=summary.pk,
                certificate_no=f"{rng.randint(10, 999)}/GCN",
                certificate_on=resolution_on - timedelta(days=rng.randint(70, 120)),
                applied_on=resolution_on - timedelta(days=45),
                vetting_started_on=resolution_on - timedelta(days=40),
                vetting_completed_on=resolution_on - timedelta(days=5),
                **data,
                **fields,
            )
            pool = sponsors(person.spells[0][0].pk, candidate.applied_on)
            if len(pool) >= 2:
                first, second = rng.sample(pool, 2)
                candidate.sponsor_1_id, candidate.sponsor_2_id = first.pk, second.pk
            candidates.append(candidate)
        for candidate in candidates:
            candidate.full_name = nfc(candidate.full_name)
            candidate.search_name = search_key(candidate.full_name)
            candidate.sort_name = name_sort_key(candidate.full_name)
        self._bulk(Candidate, candidates)
        # Admission targets near what each organization admitted, some over, some under.
        targets = []
        root = self.demo.organizations[ROOT_CODE]
        for year in (today.year - 1, today.year):
            total = sum(n for (_grassroots, y), n in planner.admitted.items() if y == year)
            targets.append(AdmissionTarget(organization=root, year=year, target=max(round(total * 0.8), 1)))
            for spec in self.plan:
                if spec.obj.kind in Organization.GRASSROOTS_KINDS:
                    done = planner.admitted[(spec.obj.pk, year)]
                    target = max(round(done * rng.uniform(0.7, 1.3)), 1)
                    targets.append(AdmissionTarget(organization=spec.obj, year=year, target=target))
        self._bulk(AdmissionTarget, targets)

    # Case work ------------------------------------------------------------------------------------

    def _inspections(self) -> None:
        """Six calendar years of inspections, supervisions, letters and discipline decisions
        (``demo.inspections``, the plan of ``seed_demo``), in bulk; the members it expelled are off
        the register from then on for the steps after it (their badges)."""
        bulk_inspections(years=self.inspection_years, expelled=self.expelled, batch=BATCH, progress=self._say)
        expelled = dict(Member.objects.filter(exit_reason=Exit.EXPELLED).values_list("pk", "exited_on"))
        self.summaries = [
            replace(summary, current=False, exited_on=expelled[summary.pk])
            if summary.pk in expelled
            else summary
            for summary in self.summaries
        ]

    # Meetings -------------------------------------------------------------------------------------

    def _meetings(self) -> None:
        by = self.demo.by
        bulk_meetings(
            by,
            months=MEETING_MONTHS,
            attendance_months=ATTENDANCE_MONTHS,
            batch=BATCH,
            progress=self._say,
        )
        bulk_study(by, months=MEETING_MONTHS, batch=BATCH)
        bulk_close_months(months=MEETING_MONTHS, batch=BATCH)

    # Badges ---------------------------------------------------------------------------------------

    def _badges(self) -> None:
        """Every milestone reached by an award day already past, recorded on that day, for nine in
        ten of them: the others are still due (and overdue) on the badge lists."""
        rng, today = self.rng, self.today
        award_days = sorted(rules.get("badge.award_days"))
        milestones = sorted(rules.get("badge.milestone_years"))

        def award_day(on: date) -> date:
            for year in (on.year, on.year + 1):
                for month, day in award_days:
                    if date(year, month, day) >= on:
                        return date(year, month, day)
            raise AssertionError(on)

        badges = []
        for summary in self.summaries:
            for years in milestones:
                awarded = award_day(add_months(summary.admitted_on, 12 * years))
                if awarded > today or (summary.exited_on is not None and summary.exited_on < awarded):
                    break
                if rng.random() < 0.9:
                    badges.append(
                        BadgeAward(
                            member_id=summary.pk,
                            years=years,
                            awarded_on=awarded,
                            decision_no=f"{rng.randint(100, 999)}-QĐ/TU",
                            recorded_by=self.demo.by,
                        )
                    )
        self._bulk(BadgeAward, badges)


_CANDIDATE_FIELDS = (
    "full_name",
    "gender",
    "birth_date",
    "ethnicity",
    "religion",
    "cccd",
    "education",
    "profession",
    "job_title",
)
