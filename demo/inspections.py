"""The demo case work of ``seed_demo``: the inspection and supervision programme of the bloc and of its
grassroots organizations, the letters received and how they were handled, and the discipline decisions
with an appeal or two, for last year and this one up to today — recorded through
``inspections.services`` by the demo ``inspector``, so every case holds its target's chi bộ and post of
the day, every letter its deadline, every khai trừ and cách chức its effect on the register, exactly as
an inspector's entry would.

What the bloc sees in it (DOMAIN.md §5; seed 001: "Ban Thường vụ Đảng ủy Khối đã ban hành quyết định và
kế hoạch kiểm tra, giám sát đối với 14 chi, đảng bộ cơ sở và 07 đồng chí Bí thư Đảng ủy cơ sở; thi hành
kỷ luật 02 tổ chức đảng …; kiểm tra khi có dấu hiệu vi phạm đối với 01 chi bộ trực thuộc và 02 đồng chí
đảng viên …; thi hành kỷ luật 01 đảng viên bằng hình thức khai trừ"):

- each year the bloc's Ban Thường vụ and Ủy ban Kiểm tra inspect or supervise about 14 grassroots
  organizations (thematic supervision, the performance of inspection duties, Party finances) and 7
  grassroots bí thư, in a few rounds of decisions, and inspect on signs of violation a chi bộ or a
  grassroots organization and two or three members;
- each đảng ủy cơ sở (its inspection commission and committee) inspects and supervises one or two of its
  chi bộ a year, now and then a member on signs of violation; each chi bộ supervises a member or two;
- about 3.5 letters a year per 1,000 members (denunciations, complaints, reports), some anonymous, some
  forwarded to the competent body, some leading to a case, the recent ones pending and two or three past
  their deadline (the attention hub);
- about two members in 1,000 disciplined a year, mostly khiển trách or cảnh cáo, by their chi bộ or the
  inspection commission after a case, one khai trừ and one cách chức, one or two organizations
  reprimanded, and appeals: one settled, the latest still being settled;
- the cases older than a couple of months concluded (most without violation), one or two past their
  due date and still open.

The plan comes from a random source seeded here and from the register as it stands (read once, in
memory: ``World``); its volume follows the register's size, so the same planner writes the province of
``seed_bench`` in bulk (``bulk_inspections``) with the same proportions. Skipped when there is case work
already: a second run adds nothing.
"""

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from blocportal import clock
from demo.members import GIVEN, MIDDLE, SURNAMES, SeedError
from inspections.models import Appeal, Body, Case, Complaint, DisciplineDecision
from inspections.services import cases as case_services
from inspections.services import complaints as complaint_services
from inspections.services import discipline
from members.models import Candidate, CommitteeSeat, Member, Movement, Spell
from members.selectors.roll import POSITION_ORDER
from organizations.models import Organization

SEED = 20260301
Kind = Case.Kind
Conclusion = Case.Conclusion
Form = DisciplineDecision.Form
OrgKind = Organization.Kind
Position = CommitteeSeat.Position

# Per year, for a bloc of about 150 grassroots organizations (seed 001); scaled with their number.
BLOC_ORGANIZATIONS = 14  # grassroots organizations inspected or supervised by the bloc
BLOC_SECRETARIES = 7  # grassroots bí thư supervised by the bloc's Ban Thường vụ
BLOC_SIGNS_MEMBERS = 2.5  # members inspected on signs of violation by the bloc's commission
BLOC_SIGNS_ORGANIZATIONS = 1  # organizations inspected on signs of violation
# Per đảng ủy cơ sở and year (chances), and per chi bộ and year and member of it.
COMMITTEE_DUTIES, COMMITTEE_FINANCE, COMMITTEE_SUPERVISIONS = 0.6, 0.5, 1.2
COMMITTEE_SIGNS_PER_MEMBER = 0.0012
CELL_SUPERVISION_PER_MEMBER, CELL_SUPERVISION_MAX = 0.015, 0.35
CELL_SIGNS_PER_MEMBER, CELL_DIRECT_PER_MEMBER = 0.0008, 0.0005
LETTERS_PER_MEMBER = 0.0035  # a year
# Over the whole span, per member and year: the heaviest forms.
EXPULSIONS_PER_MEMBER_YEAR = 0.00012
DISMISSALS_PER_MEMBER_YEAR = 0.00008
APPEALS = 0.08  # of the member decisions

ROUNDS = ((3, 10), (5, 20), (8, 12), (10, 15))  # months and days of the bloc's rounds of decisions

ORGANIZATION_SUPERVISIONS = [
    "Giám sát việc lãnh đạo, chỉ đạo thực hiện Nghị quyết Đại hội Đảng bộ nhiệm kỳ 2025–2030",
    "Giám sát việc thực hiện quy chế làm việc của cấp ủy và quy chế dân chủ ở cơ sở",
    "Giám sát công tác lãnh đạo, chỉ đạo phòng, chống tham nhũng, lãng phí, tiêu cực",
    "Giám sát việc thực hiện Chỉ thị 05-CT/TW về học tập và làm theo tư tưởng, đạo đức, phong cách "
    "Hồ Chí Minh",
    "Giám sát việc lãnh đạo công tác cán bộ và quản lý đảng viên",
    "Giám sát việc thực hiện Quy định 144-QĐ/TW về chuẩn mực đạo đức cách mạng của cán bộ, đảng viên",
]
DUTIES = "Kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát và thi hành kỷ luật trong Đảng năm {year}"
FINANCE = "Kiểm tra việc thu, nộp, quản lý và sử dụng đảng phí, tài chính đảng năm {year}"
SECRETARY = (
    "Giám sát việc thực hiện chức trách, nhiệm vụ được giao và việc tu dưỡng, rèn luyện phẩm chất đạo "
    "đức, lối sống của đồng chí Bí thư"
)
MEMBER_SUPERVISIONS = [
    "Giám sát việc thực hiện nhiệm vụ đảng viên và những điều đảng viên không được làm (Quy định 37-QĐ/TW)",
    "Giám sát việc giữ gìn phẩm chất đạo đức, lối sống và thực hiện trách nhiệm nêu gương",
    "Giám sát việc chấp hành sinh hoạt đảng và đóng đảng phí",
    "Giám sát việc thực hiện nhiệm vụ chuyên môn được chi bộ phân công",
]
MEMBER_SIGNS = [
    "Kiểm tra dấu hiệu vi phạm trong việc kê khai tài sản, thu nhập",
    "Kiểm tra dấu hiệu vi phạm trong quản lý, sử dụng tài chính, tài sản công của cơ quan",
    "Kiểm tra dấu hiệu vi phạm trong thực hiện nhiệm vụ được giao",
    "Kiểm tra dấu hiệu vi phạm về phẩm chất đạo đức, lối sống",
    "Kiểm tra dấu hiệu vi phạm những điều đảng viên không được làm",
]
ORGANIZATION_SIGNS = [
    "Kiểm tra dấu hiệu vi phạm trong lãnh đạo, chỉ đạo đấu tranh chống suy thoái về tư tưởng chính trị, "
    "“tự diễn biến”, “tự chuyển hóa” trong nội bộ",
    "Kiểm tra dấu hiệu vi phạm trong lãnh đạo, chỉ đạo quản lý tài chính, tài sản của cơ quan",
    "Kiểm tra dấu hiệu vi phạm trong lãnh đạo, kiểm tra, giám sát hoạt động nghiệp vụ của cơ quan",
]
FINDINGS_MINOR = [
    "Chưa thực hiện đầy đủ chế độ báo cáo; hồ sơ lưu trữ chưa đầy đủ.",
    "Việc thu, nộp đảng phí có tháng chưa đúng thời hạn; sổ sách kế toán chưa cập nhật kịp thời.",
    "Chưa xây dựng chương trình kiểm tra, giám sát năm sát với tình hình thực tế.",
    "Có biểu hiện thiếu tinh thần trách nhiệm trong thực hiện nhiệm vụ, đã được nhắc nhở và khắc phục.",
]
FINDINGS_DISCIPLINE = [
    "Vi phạm nguyên tắc tập trung dân chủ, quy chế làm việc; thiếu trách nhiệm trong lãnh đạo, chỉ đạo.",
    "Vi phạm quy định về quản lý, sử dụng tài chính, tài sản công, gây thất thoát ngân sách.",
    "Kê khai tài sản, thu nhập không trung thực.",
    "Vi phạm Quy định những điều đảng viên không được làm và trách nhiệm nêu gương.",
    "Buông lỏng lãnh đạo, chỉ đạo, kiểm tra, giám sát để cán bộ, đảng viên vi phạm trong hoạt động "
    "nghiệp vụ.",
]
DIRECT_VIOLATIONS = [
    "Bỏ sinh hoạt đảng nhiều lần không có lý do chính đáng.",
    "Không đóng đảng phí nhiều tháng không có lý do chính đáng.",
    "Vi phạm quy định về những điều đảng viên không được làm.",
]
LETTERS = {
    Complaint.Kind.DENUNCIATION: [
        "Tố cáo đảng viên có biểu hiện lợi dụng chức vụ, quyền hạn trong công tác cán bộ",
        "Tố cáo đảng viên vi phạm đạo đức, lối sống",
        "Tố cáo việc kê khai tài sản, thu nhập không trung thực",
        "Tố cáo sai phạm trong quản lý, sử dụng tài sản công của cơ quan",
    ],
    Complaint.Kind.COMPLAINT: [
        "Khiếu nại việc đánh giá, xếp loại chất lượng đảng viên cuối năm",
        "Khiếu nại việc xét kết nạp đảng viên của chi bộ",
        "Khiếu nại kết quả giải quyết đơn thư của cơ quan",
    ],
    Complaint.Kind.REPORT: [
        "Phản ánh việc thực hiện quy chế dân chủ ở cơ quan",
        "Phản ánh việc bố trí, sắp xếp cán bộ sau khi sắp xếp tổ chức bộ máy",
        "Phản ánh thái độ, tác phong của cán bộ khi giải quyết công việc cho người dân",
        "Phản ánh việc sử dụng xe công không đúng mục đích",
    ],
}
ADDRESSES = [
    "Tổ dân phố 3, phường Hội Thương, Pleiku",
    "Thôn 2, xã Biển Hồ, Pleiku",
    "Tổ dân phố 7, phường Tây Sơn, An Khê",
    "Làng Ia Nueng, xã Ia Grai",
    "Tổ dân phố 1, phường Đoàn Kết, Ayun Pa",
]
FORWARDED_TO = {
    OrgKind.BLOC: ["Ủy ban Kiểm tra Tỉnh ủy", "Thanh tra tỉnh", "Ban Nội chính Tỉnh ủy"],
    "other": ["Ủy ban Kiểm tra Đảng ủy Khối", "Thủ trưởng cơ quan, đơn vị", "Công đoàn cơ quan"],
}
RESULTS = {
    "resolved": [
        "Đã xem xét, trả lời người gửi đơn bằng văn bản.",
        "Đã chỉ đạo cơ quan kiểm tra, báo cáo và thông báo kết quả cho người gửi đơn.",
        "Nội dung phản ánh đúng một phần; đã yêu cầu khắc phục và trả lời người gửi đơn.",
    ],
    "filed": [
        "Đơn nặc danh, nội dung không cụ thể, không có cơ sở để xem xét.",
        "Đơn trùng nội dung đã được giải quyết trước đó.",
    ],
    "case": "Đã kết luận việc giải quyết tố cáo và thông báo kết quả cho người tố cáo.",
}


def _weighted(rng: random.Random, table: dict):
    return rng.choices(list(table), weights=list(table.values()))[0]


def _weekday(day: date) -> date:
    """Decisions are dated on working days: a Saturday or Sunday becomes the Friday before."""
    return day - timedelta(days=max(day.weekday() - 4, 0))


# --- The register, read once -------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A current member with one open official spell: where they have been since when."""

    pk: int
    cell: int
    since: date
    official_on: date | None
    last_moved: date | None  # their last movement (the register entry aside)
    sponsor: bool  # sponsors a candidate: not expelled, the pipeline would lose them


@dataclass(frozen=True)
class SeatHeld:
    pk: int
    member: int
    organization: int
    position: str
    starts_on: date
    ends_on: date | None
    term_starts_on: date


class World:
    """What the planner reads of the register: the organizations, the current members and where they
    sit, the committee seats. A few queries, whatever its size."""

    def __init__(self, today: date):
        self.today = today
        self.organizations = {
            organization.pk: organization
            for organization in Organization.objects.filter(dissolved_on__isnull=True).order_by("path")
        }
        self.bloc = next(o for o in self.organizations.values() if o.parent_id is None)
        last_moved = dict(
            Movement.objects.exclude(kind=Movement.Kind.RECORDED)
            .order_by()
            .values("member_id")
            .annotate(last=Max("on"))
            .values_list("member_id", "last")
        )
        sponsors = set()
        for first, second in Candidate.objects.values_list("sponsor_1_id", "sponsor_2_id"):
            sponsors |= {first, second}
        self.people: dict[int, Person] = {}
        self.by_cell: dict[int, list[Person]] = defaultdict(list)
        spells = (
            Spell.objects.official()
            .open()
            .filter(member__exit_reason="")
            .order_by("member_id")
            .values_list("member_id", "organization_id", "starts_on", "member__official_on")
        )
        for member_id, cell_id, since, official_on in spells:
            if member_id in self.people or cell_id not in self.organizations:
                continue
            person = Person(
                member_id, cell_id, since, official_on, last_moved.get(member_id), member_id in sponsors
            )
            self.people[member_id] = person
            self.by_cell[cell_id].append(person)
        self.seats: dict[int, list[SeatHeld]] = defaultdict(list)
        self.secretaries: list[SeatHeld] = []
        for values in CommitteeSeat.objects.order_by("pk").values_list(
            "pk", "member_id", "term__organization_id", "position", "starts_on", "ends_on", "term__starts_on"
        ):
            seat = SeatHeld(*values)
            self.seats[seat.member].append(seat)
            organization = self.organizations.get(seat.organization)
            if (
                seat.position == Position.SECRETARY
                and organization is not None
                and organization.kind in Organization.GRASSROOTS_KINDS
            ):
                self.secretaries.append(seat)
        # The members of each organization's subtree, and its chi bộ.
        self.members_under: dict[int, list[Person]] = defaultdict(list)
        self.cells_under: dict[int, list[Organization]] = defaultdict(list)
        self.below: dict[int, list[Organization]] = defaultdict(list)  # strictly below
        ancestors = {}
        for organization in self.organizations.values():
            chain = [organization.pk]
            parent = organization.parent_id
            while parent is not None and parent in self.organizations:
                chain.append(parent)
                parent = self.organizations[parent].parent_id
            ancestors[organization.pk] = chain
        for organization in self.organizations.values():
            for ancestor in ancestors[organization.pk][1:]:
                self.below[ancestor].append(organization)
            if organization.kind in Organization.CELL_KINDS:
                for ancestor in ancestors[organization.pk]:
                    self.cells_under[ancestor].append(organization)
                    self.members_under[ancestor] += self.by_cell[organization.pk]

    def established_by(self, organization: Organization, day: date) -> bool:
        return organization.established_on is None or organization.established_on < day

    def position_on(self, member: int, day: date) -> tuple[str, int | None]:
        """The highest post held that day and its committee (as ``roll.standing_on``)."""
        held = [
            (POSITION_ORDER[seat.position], self.organizations[seat.organization].path, seat)
            for seat in self.seats[member]
            if seat.starts_on <= day
            and (seat.ends_on is None or seat.ends_on > day)
            and seat.organization in self.organizations
        ]
        if not held:
            return "", None
        best = min(held, key=lambda item: item[:2])[2]
        return best.position, best.organization


# --- The plan ----------------------------------------------------------------------------------------


@dataclass(eq=False)
class LetterPlan:
    organization: Organization
    kind: str
    received_on: date
    summary: str
    anonymous: bool = False
    sender: str = ""
    sender_address: str = ""
    subject_member: int | None = None
    subject_organization: Organization | None = None
    outcome: str = ""  # resolved, forwarded, filed; empty while pending
    closed_on: date | None = None
    result: str = ""
    forwarded_to: str = ""
    case: "CasePlan | None" = None
    obj: Complaint | None = None


@dataclass(eq=False)
class CasePlan:
    organization: Organization
    body: str
    kind: str
    decision_no: str
    opened_on: date
    due_on: date | None
    subject: str
    target_member: int | None = None
    target_organization: Organization | None = None
    plan_year: int | None = None
    closed_on: date | None = None
    conclusion: str = ""
    findings: str = ""
    stage: str = Case.Stage.DECIDED
    letter: LetterPlan | None = None
    has_decision: bool = False
    obj: Case | None = None


@dataclass(eq=False)
class AppealPlan:
    organization: Organization
    decision_received_on: date
    filed_on: date
    outcome: str = ""  # empty while being settled
    new_form: str = ""
    settled_on: date | None = None
    settlement_no: str = ""
    case: "CasePlan | None" = None  # the settlement case (giải quyết khiếu nại kỷ luật)
    obj: Appeal | None = None


@dataclass(eq=False)
class DecisionPlan:
    organization: Organization
    body: str
    decision_no: str
    decided_on: date
    form: str
    violation: str
    violation_on: date
    target_member: int | None = None
    target_organization: Organization | None = None
    heard_on: date | None = None
    seat: int | None = None
    case: CasePlan | None = None
    appeal: AppealPlan | None = None
    obj: DisciplineDecision | None = None

    @property
    def has_effect(self) -> bool:
        return self.form in (Form.EXPULSION, Form.DISMISSAL, Form.DISSOLUTION)


@dataclass
class Plan:
    cases: list[CasePlan] = field(default_factory=list)
    letters: list[LetterPlan] = field(default_factory=list)
    decisions: list[DecisionPlan] = field(default_factory=list)


def expulsions(members: int, years: int) -> int:
    """How many khai trừ the plan holds for a register of ``members`` over ``years`` years (at least
    one): ``seed_bench`` plans that many more members, so that the register keeps its size."""
    return max(1, round(members * years * EXPULSIONS_PER_MEMBER_YEAR))


def dismissals(members: int, years: int) -> int:
    """How many cách chức the plan holds (at least one)."""
    return max(1, round(members * years * DISMISSALS_PER_MEMBER_YEAR))


def _deadline(organization: Organization, received_on: date) -> date:
    return complaint_services.handling_deadline(organization, received_on)


class Planner:
    """The case work of ``years`` (calendar years; nothing after yesterday) on the register ``world``."""

    def __init__(self, rng: random.Random, world: World, years: list[int]):
        self.rng, self.world, self.years = rng, world, years
        self.today = world.today
        self.last = self.today - timedelta(days=1)  # nothing is recorded for today or later
        self.plan = Plan()
        self.used: set[int] = set()  # members already the target of a case, a letter or a decision
        self.numbers: dict[tuple[int, str], int] = {}
        self.grassroots = [o for o in world.organizations.values() if o.kind in Organization.GRASSROOTS_KINDS]
        self.committees = [o for o in self.grassroots if o.kind == OrgKind.GRASSROOTS_COMMITTEE]
        self.cells = world.cells_under[world.bloc.pk]
        self.share = len(self.grassroots) / 150  # the bloc of seed 001 has about 150

    # Helpers ----------------------------------------------------------------------------------------

    def day_in(self, year: int, start: tuple[int, int] = (1, 5), end: tuple[int, int] = (12, 20)) -> date:
        first, last = date(year, *start), date(year, *end)
        return _weekday(first + timedelta(days=self.rng.randrange((last - first).days + 1)))

    def draw(self, expected: float) -> int:
        """A whole number whose mean is ``expected``."""
        whole = int(expected)
        return whole + (1 if self.rng.random() < expected - whole else 0)

    def number(self, organization: Organization, body: str) -> str:
        """The body's next decision number: "12-QĐ/UBKTĐUK" (one sequence over the years, so that a
        number never comes back on the same target)."""
        if body == Body.CELL:
            suffix = "CB"
        else:
            level = "ĐUK" if organization.kind == OrgKind.BLOC else "ĐU"
            suffix = f"UBKT{level}" if body == Body.COMMISSION else level
        key = (organization.pk, suffix)
        self.numbers[key] = self.numbers.get(key, self.rng.randint(1, 15)) + self.rng.randint(1, 4)
        return f"{self.numbers[key]:02d}-QĐ/{suffix}"

    def eligible(
        self, person: Person, day: date, *, official: bool = False, expellable: bool = False
    ) -> bool:
        """In their chi bộ since before ``day`` and not yet a target (official that day; for khai trừ,
        holding no seat, sponsoring no candidate and with no movement since)."""
        if person.pk in self.used or person.since >= day:
            return False
        if official and (person.official_on is None or person.official_on > day):
            return False
        if expellable and (
            person.sponsor
            or self.world.seats[person.pk]
            or (person.last_moved is not None and person.last_moved >= day)
        ):
            return False
        return True

    def pick(self, pool: list[Person], day: date, **conditions) -> Person | None:
        """An eligible member of ``pool``, now a target; None if there is none."""
        if day > self.last or not pool:
            return None
        if len(pool) > 40:
            tries = (self.rng.choice(pool) for _ in range(60))
        else:
            tries = iter(self.rng.sample(pool, len(pool)))
        for person in tries:
            if self.eligible(person, day, **conditions):
                self.used.add(person.pk)
                return person
        return None

    def case(self, organization, body, kind, opened_on, subject, *, number=None, due=(30, 60), **fields):
        case = CasePlan(
            organization=organization,
            body=body,
            kind=kind,
            decision_no=number or self.number(organization, body),
            opened_on=opened_on,
            due_on=opened_on + timedelta(days=self.rng.randint(*due)) if due else None,
            subject=subject,
            **fields,
        )
        self.plan.cases.append(case)
        return case

    def conclude(self, case: CasePlan, span: tuple[int, int], outcomes: dict) -> None:
        """A conclusion some weeks after the decision, by the due date, if that day has come; an open
        case is at the stage its age gives."""
        closed = _weekday(case.opened_on + timedelta(days=self.rng.randint(*span)))
        if case.due_on and closed > case.due_on:
            closed = _weekday(case.due_on - timedelta(days=self.rng.randint(0, 5)))
        closed = max(closed, case.opened_on)
        if closed > self.last:
            age = (self.today - case.opened_on).days
            case.stage = (
                Case.Stage.REPORTED if age > 45 else Case.Stage.VERIFYING if age > 15 else Case.Stage.DECIDED
            )
            return
        case.closed_on, case.conclusion, case.stage = (
            closed,
            _weighted(self.rng, outcomes),
            Case.Stage.CONCLUDED,
        )
        if case.conclusion == Conclusion.MINOR:
            case.findings = self.rng.choice(FINDINGS_MINOR)
        elif case.conclusion == Conclusion.DISCIPLINE:
            case.findings = self.rng.choice(FINDINGS_DISCIPLINE)

    # The whole plan ---------------------------------------------------------------------------------

    def make(self, expelled: int, dismissed: int) -> Plan:
        for year in self.years:
            self.bloc_programme(year)
            for committee in self.committees:
                self.committee_programme(committee, year)
            for cell in self.cells:
                self.cell_programme(cell, year)
            self.letters(year)
        self.heaviest(Form.EXPULSION, expelled)
        self.heaviest(Form.DISMISSAL, dismissed)
        self.organization_discipline()
        self.appeals()
        self.variety()
        self.overdue()
        self.plan.cases = [case for case in self.plan.cases if case.opened_on <= self.last]
        return self.plan

    def bloc_programme(self, year: int) -> None:
        """Rounds of decisions of the bloc's Ban Thường vụ and commission on grassroots organizations
        and bí thư, and its inspections on signs of violation."""
        rng, world, bloc = self.rng, self.world, self.world.bloc
        start = date(year, 1, 1)
        rounds = [_weekday(date(year, month, day)) for month, day in ROUNDS]
        numbers = {
            (body, day): self.number(bloc, body)
            for day in rounds
            for body in (Body.STANDING, Body.COMMISSION)
        }
        targets = [o for o in self.grassroots if world.established_by(o, start)]
        chosen = rng.sample(targets, min(len(targets), round(BLOC_ORGANIZATIONS * self.share)))
        for index, organization in enumerate(chosen):
            part = index / len(chosen)
            if part < 0.4:
                body, kind, subject = (
                    Body.STANDING,
                    Kind.THEMATIC_SUPERVISION,
                    rng.choice(ORGANIZATION_SUPERVISIONS),
                )
                outcomes = {Conclusion.NO_VIOLATION: 85, Conclusion.MINOR: 15}
            elif part < 0.75:
                body, kind, subject = Body.COMMISSION, Kind.INSPECTION_DUTIES, DUTIES.format(year=year)
                outcomes = {Conclusion.NO_VIOLATION: 70, Conclusion.MINOR: 30}
            else:
                body, kind, subject = Body.COMMISSION, Kind.FINANCE, FINANCE.format(year=year)
                outcomes = {Conclusion.NO_VIOLATION: 65, Conclusion.MINOR: 35}
            day = rng.choice(rounds)
            case = self.case(
                bloc,
                body,
                kind,
                day,
                subject,
                number=numbers[(body, day)],
                due=(45, 75),
                target_organization=organization,
                plan_year=year,
            )
            self.conclude(case, (30, 70), outcomes)
        # Grassroots bí thư in office on the day, supervised by the Ban Thường vụ.
        wanted = round(BLOC_SECRETARIES * self.share)
        seats = list(world.secretaries)
        rng.shuffle(seats)
        for seat in seats:
            day = rng.choice(rounds)
            person = world.people.get(seat.member)
            in_office = max(seat.starts_on, seat.term_starts_on) <= day and (
                seat.ends_on is None or seat.ends_on > day
            )
            if wanted <= 0:
                break
            if day > self.last or person is None or not in_office or not self.eligible(person, day):
                continue
            self.used.add(person.pk)
            wanted -= 1
            case = self.case(
                bloc,
                Body.STANDING,
                Kind.THEMATIC_SUPERVISION,
                day,
                SECRETARY,
                number=numbers[(Body.STANDING, day)],
                due=(45, 75),
                target_member=person.pk,
                plan_year=year,
            )
            self.conclude(case, (30, 70), {Conclusion.NO_VIOLATION: 90, Conclusion.MINOR: 10})
        # On signs of violation: members anywhere in the bloc, and a chi bộ or grassroots organization.
        for _draw in range(self.draw(BLOC_SIGNS_MEMBERS * self.share)):
            self.signs_on_member(bloc, Body.COMMISSION, self.day_in(year), world.members_under[bloc.pk])
        for _draw in range(max(1, round(BLOC_SIGNS_ORGANIZATIONS * self.share))):
            day = self.day_in(year)
            pool = [
                o
                for o in world.below[bloc.pk]
                if o.kind in (OrgKind.SUBORDINATE_CELL, *Organization.GRASSROOTS_KINDS)
                and world.established_by(o, day)
            ]
            if pool and day <= self.last:
                subject = rng.choice(ORGANIZATION_SIGNS)
                case = self.case(
                    bloc,
                    Body.COMMISSION,
                    Kind.SIGNS_OF_VIOLATION,
                    day,
                    subject,
                    target_organization=rng.choice(pool),
                )
                self.conclude(case, (40, 80), {Conclusion.DISCIPLINE: 70, Conclusion.MINOR: 30})

    def signs_on_member(self, organization, body, day, pool) -> None:
        """An inspection on signs of violation of a member of ``pool``, ending in discipline most often."""
        person = self.pick(pool, day)
        if person is None:
            return
        case = self.case(
            organization,
            body,
            Kind.SIGNS_OF_VIOLATION,
            day,
            self.rng.choice(MEMBER_SIGNS),
            target_member=person.pk,
        )
        outcomes = {Conclusion.DISCIPLINE: 70, Conclusion.MINOR: 20, Conclusion.NO_VIOLATION: 10}
        self.conclude(case, (40, 90), outcomes)
        if case.conclusion == Conclusion.DISCIPLINE:
            self.member_decision(case, organization, body, person)

    def member_decision(
        self, case, organization, body, person, *, day=None, form=None
    ) -> DecisionPlan | None:
        """A discipline decision on a member a week or two after the case's conclusion (or on ``day``):
        khiển trách or cảnh cáo unless ``form`` says otherwise."""
        rng = self.rng
        decided = day or _weekday(case.closed_on + timedelta(days=rng.randint(5, 20)))
        if decided > self.last:
            if case is not None:  # the decision is still to come: the conclusion stands alone
                case.conclusion, case.findings = Conclusion.MINOR, rng.choice(FINDINGS_MINOR)
            return None
        light = (
            {Form.REPRIMAND: 70, Form.WARNING: 30}
            if body == Body.CELL
            else {Form.REPRIMAND: 55, Form.WARNING: 45}
        )
        decision = DecisionPlan(
            organization=organization,
            body=body,
            decision_no=self.number(organization, body),
            decided_on=decided,
            form=form or _weighted(rng, light),
            violation=case.findings if case else rng.choice(DIRECT_VIOLATIONS),
            violation_on=(case.opened_on if case else decided) - timedelta(days=rng.randint(30, 300)),
            target_member=person.pk,
            heard_on=decided - timedelta(days=rng.randint(2, 7)),
            case=case,
        )
        if case is not None:
            case.has_decision = True
        self.plan.decisions.append(decision)
        return decision

    def committee_programme(self, committee: Organization, year: int) -> None:
        """A đảng ủy cơ sở inspects and supervises its chi bộ, and now and then a member."""
        rng, world = self.rng, self.world
        members = world.members_under[committee.pk]
        start = date(year, 1, 1)
        units = [
            o for o in world.below[committee.pk] if o.kind != OrgKind.GROUP and world.established_by(o, start)
        ]
        if not members or not units or not world.established_by(committee, start):
            return  # an organization without members does nothing
        programme = [
            (COMMITTEE_DUTIES, Body.COMMISSION, Kind.INSPECTION_DUTIES, DUTIES.format(year=year)),
            (COMMITTEE_FINANCE, Body.COMMISSION, Kind.FINANCE, FINANCE.format(year=year)),
            (COMMITTEE_SUPERVISIONS, Body.EXECUTIVE, Kind.THEMATIC_SUPERVISION, None),
        ]
        for expected, body, kind, subject in programme:
            for _draw in range(self.draw(expected)):
                case = self.case(
                    committee,
                    body,
                    kind,
                    self.day_in(year, (2, 1), (11, 30)),
                    subject or rng.choice(ORGANIZATION_SUPERVISIONS),
                    target_organization=rng.choice(units),
                    plan_year=year,
                )
                self.conclude(case, (20, 50), {Conclusion.NO_VIOLATION: 80, Conclusion.MINOR: 20})
        if rng.random() < min(0.5, COMMITTEE_SIGNS_PER_MEMBER * len(members)):
            self.signs_on_member(committee, Body.COMMISSION, self.day_in(year), members)

    def cell_programme(self, cell: Organization, year: int) -> None:
        """A chi bộ supervises a member; rarely it inspects one on signs of violation or disciplines one."""
        rng, world = self.rng, self.world
        members = world.by_cell[cell.pk]
        if not members or not world.established_by(cell, date(year, 1, 1)):
            return
        size = len(members)
        if rng.random() < min(CELL_SUPERVISION_MAX, CELL_SUPERVISION_PER_MEMBER * size):
            day = self.day_in(year)
            person = self.pick(members, day)
            if person is not None:
                case = self.case(
                    cell,
                    Body.CELL,
                    Kind.REGULAR_SUPERVISION,
                    day,
                    rng.choice(MEMBER_SUPERVISIONS),
                    target_member=person.pk,
                    plan_year=year,
                    due=(60, 120),
                )
                self.conclude(case, (40, 110), {Conclusion.NO_VIOLATION: 90, Conclusion.MINOR: 10})
        if rng.random() < CELL_SIGNS_PER_MEMBER * size:
            self.signs_on_member(cell, Body.CELL, self.day_in(year), members)
        if rng.random() < CELL_DIRECT_PER_MEMBER * size:
            day = self.day_in(year)
            person = self.pick(members, day)
            if person is not None:
                self.member_decision(None, cell, Body.CELL, person, day=day)

    # Letters ----------------------------------------------------------------------------------------

    def sender(self) -> str:
        rng = self.rng
        gender = rng.choice(("nam", "nu"))
        return f"{_weighted(rng, SURNAMES)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"

    def letters(self, year: int) -> None:
        rng, world = self.rng, self.world
        committees = [o for o in self.committees if world.members_under[o.pk]]
        cells = [o for o in self.cells if world.by_cell[o.pk]]
        for _draw in range(self.draw(max(10, len(world.people) * LETTERS_PER_MEMBER))):
            received = self.day_in(year, (1, 3), (12, 28))
            where = _weighted(
                rng, {"bloc": 35, "committee": 40 if committees else 0, "cell": 25 if cells else 0}
            )
            organization = (
                world.bloc if where == "bloc" else rng.choice(committees if where == "committee" else cells)
            )
            if received > self.last or not world.established_by(organization, received):
                continue
            kind = _weighted(
                rng,
                {Complaint.Kind.DENUNCIATION: 40, Complaint.Kind.COMPLAINT: 20, Complaint.Kind.REPORT: 40},
            )
            anonymous = kind != Complaint.Kind.COMPLAINT and rng.random() < 0.3
            letter = LetterPlan(
                organization=organization,
                kind=kind,
                received_on=received,
                summary=rng.choice(LETTERS[kind]),
                anonymous=anonymous,
                sender="" if anonymous else self.sender(),
                sender_address="" if anonymous else rng.choice(ADDRESSES),
            )
            self.letter_subject(letter)
            if (
                kind == Complaint.Kind.DENUNCIATION
                and letter.subject_member is None
                and letter.subject_organization is None
            ):
                continue  # a denunciation names whom it accuses
            self.handle(letter)
            self.plan.letters.append(letter)

    def letter_subject(self, letter: LetterPlan) -> None:
        rng, world, organization = self.rng, self.world, letter.organization
        about = {
            Complaint.Kind.DENUNCIATION: {"member": 80, "organization": 20},
            Complaint.Kind.COMPLAINT: {"member": 50, "": 50},
            Complaint.Kind.REPORT: {"organization": 60, "member": 20, "": 20},
        }[letter.kind]
        choice = _weighted(rng, about)
        below = [o for o in world.below[organization.pk] if world.established_by(o, letter.received_on)]
        if choice == "organization" and below:
            letter.subject_organization = rng.choice(below)
        elif choice:
            person = self.pick(world.members_under[organization.pk], letter.received_on)
            if person is not None:
                letter.subject_member = person.pk

    def close(self, letter: LetterPlan, outcome: str, days: tuple[int, int], result: str = "") -> None:
        closed = _weekday(letter.received_on + timedelta(days=self.rng.randint(*days)))
        if letter.received_on <= closed <= self.last:
            letter.outcome, letter.closed_on, letter.result = outcome, closed, result

    def handle(self, letter: LetterPlan) -> None:
        """Forwarded, filed, resolved, or handled through a case: a named denunciation by its settlement,
        an anonymous one with concrete content by an inspection on signs of violation."""
        rng, organization = self.rng, letter.organization
        days = (_deadline(organization, letter.received_on) - letter.received_on).days
        denunciation = letter.kind == Complaint.Kind.DENUNCIATION
        if organization.kind not in Organization.CELL_KINDS and rng.random() < 0.15:
            self.close(letter, "forwarded", (3, 10))
            if letter.outcome:
                letter.forwarded_to = rng.choice(FORWARDED_TO.get(organization.kind, FORWARDED_TO["other"]))
        elif denunciation and (not letter.anonymous or rng.random() < 0.5):
            self.letter_case(letter)
        elif (denunciation and letter.anonymous) or rng.random() < 0.2:
            self.close(letter, "filed", (5, 20), rng.choice(RESULTS["filed"]))
        else:
            self.close(letter, "resolved", (10, max(11, days - 5)), rng.choice(RESULTS["resolved"]))

    def letter_case(self, letter: LetterPlan) -> None:
        rng, organization = self.rng, letter.organization
        if letter.subject_member is None and letter.subject_organization is None:
            self.close(letter, "filed", (5, 20), rng.choice(RESULTS["filed"]))
            return
        opened = _weekday(letter.received_on + timedelta(days=rng.randint(5, 15)))
        if opened > self.last or opened < letter.received_on:
            return  # waiting to be handled
        body = Body.CELL if organization.kind in Organization.CELL_KINDS else Body.COMMISSION
        kind = Kind.SIGNS_OF_VIOLATION if letter.anonymous else Kind.DENUNCIATION
        case = self.case(
            organization,
            body,
            kind,
            opened,
            letter.summary,
            due=None,
            target_member=letter.subject_member,
            target_organization=letter.subject_organization,
        )
        case.due_on = max(_deadline(organization, letter.received_on), opened + timedelta(days=20))
        case.letter, letter.case = letter, case
        outcomes = {Conclusion.NO_VIOLATION: 55, Conclusion.MINOR: 30, Conclusion.DISCIPLINE: 15}
        self.conclude(case, (15, max(16, (case.due_on - opened).days - 3)), outcomes)
        if case.conclusion == Conclusion.DISCIPLINE:
            if letter.subject_member is not None:
                self.member_decision(case, organization, body, self.world.people[letter.subject_member])
            else:  # the organizations disciplined come from the inspections on signs of violation
                case.conclusion, case.findings = Conclusion.MINOR, rng.choice(FINDINGS_MINOR)
        if case.closed_on is not None:
            closed = _weekday(case.closed_on + timedelta(days=rng.randint(2, 7)))
            if case.closed_on <= closed <= self.last:
                letter.outcome, letter.closed_on, letter.result = "resolved", closed, RESULTS["case"]

    # The heaviest forms, organizations, appeals, what is overdue --------------------------------------

    def heaviest(self, form: str, count: int) -> None:
        """``count`` khai trừ (or cách chức) by the bloc's commission after an inspection on signs of
        violation, on official members (holding a post, for cách chức), spread over the years."""
        rng, world, bloc = self.rng, self.world, self.world.bloc
        done = attempts = 0
        while done < count and attempts < count * 20:
            attempts += 1
            # From the latest year back, so that a retry tries another year (a seat held then and still).
            day = self.day_in(self.years[-1 - (done + attempts) % len(self.years)], (1, 10), (9, 30))
            if day > self.last - timedelta(days=100):
                day = self.day_in(self.years[0], (1, 10), (9, 30))
                if day > self.last - timedelta(days=100):
                    continue  # the plan is too short for a case, its conclusion and the decision
            seat = None
            if form == Form.EXPULSION:
                person = self.pick(world.members_under[bloc.pk], day, official=True, expellable=True)
            else:
                person, seat = self.seat_holder(day)
            if person is None:
                continue
            case = self.case(
                bloc,
                Body.COMMISSION,
                Kind.SIGNS_OF_VIOLATION,
                day,
                rng.choice(MEMBER_SIGNS),
                target_member=person.pk,
                due=(60, 90),
            )
            case.closed_on = _weekday(day + timedelta(days=rng.randint(40, 55)))
            case.conclusion, case.stage = Conclusion.DISCIPLINE, Case.Stage.CONCLUDED
            case.findings = FINDINGS_DISCIPLINE[2 if form == Form.EXPULSION else 0]
            decision = self.member_decision(case, bloc, Body.COMMISSION, person, form=form)
            decision.seat = seat
            done += 1

    def seat_holder(self, day: date) -> tuple[Person | None, int | None]:
        """A member holding one seat only, that day and still (a cấp ủy viên, not a bí thư), official."""
        seats = [
            seat
            for held in self.world.seats.values()
            if len([s for s in held if s.ends_on is None]) == 1
            for seat in held
            if seat.ends_on is None
            and seat.position
            in (Position.COMMITTEE_MEMBER, Position.STANDING_MEMBER, Position.DEPUTY_SECRETARY)
            and max(seat.starts_on, seat.term_starts_on) < day
        ]
        seats.sort(key=lambda seat: seat.pk)
        self.rng.shuffle(seats)
        for seat in seats:
            person = self.world.people.get(seat.member)
            if person is not None and self.eligible(person, day, official=True):
                self.used.add(person.pk)
                return person, seat.pk
        return None, None

    def organization_discipline(self) -> None:
        """The organizations whose inspection on signs of violation concluded a violation warranting
        discipline are disciplined by the committee directly above them; at least one is."""
        rng, world = self.rng, self.world
        cases = [
            c
            for c in self.plan.cases
            if c.kind == Kind.SIGNS_OF_VIOLATION and c.target_organization is not None and c.letter is None
        ]
        flagged = [c for c in cases if c.conclusion == Conclusion.DISCIPLINE]
        if not flagged:
            concluded = [c for c in cases if c.closed_on and c.closed_on + timedelta(days=20) <= self.last]
            if concluded:
                flagged = concluded[:1]
                flagged[0].conclusion, flagged[0].findings = Conclusion.DISCIPLINE, FINDINGS_DISCIPLINE[4]
        deciding = (OrgKind.BLOC, OrgKind.GRASSROOTS_COMMITTEE, OrgKind.BRANCH_COMMITTEE)
        for case in flagged:
            target = case.target_organization
            above = world.organizations.get(target.parent_id)
            decided = _weekday(case.closed_on + timedelta(days=rng.randint(7, 20)))
            if above is None or decided > self.last or above.kind not in deciding:
                case.conclusion, case.findings = Conclusion.MINOR, rng.choice(FINDINGS_MINOR)
                continue
            body = Body.STANDING if above.kind == OrgKind.BLOC else Body.EXECUTIVE
            case.has_decision = True
            self.plan.decisions.append(
                DecisionPlan(
                    organization=above,
                    body=body,
                    decision_no=self.number(above, body),
                    decided_on=decided,
                    form=Form.REPRIMAND if rng.random() < 0.7 else Form.WARNING,
                    violation=case.findings,
                    violation_on=case.opened_on - timedelta(days=rng.randint(60, 300)),
                    target_organization=target,
                    case=case,
                )
            )

    def settler(self, decision: DecisionPlan) -> Organization:
        """Who settles an appeal: the level above the one that decided (the bloc settles its own)."""
        organizations = self.world.organizations
        settler = decision.organization
        if settler.kind != OrgKind.BLOC:
            settler = organizations[settler.parent_id]
        while settler.kind not in (OrgKind.BLOC, OrgKind.GRASSROOTS_COMMITTEE):
            settler = organizations[settler.parent_id]
        return settler

    def appeals(self) -> None:
        """Some members appeal their khiển trách or cảnh cáo within the 30 days: the last one filed is
        still being settled, the others settled by the level above (upheld, or a cảnh cáo changed to
        khiển trách), each through a case of its commission."""
        rng = self.rng
        filed = []
        for decision in self.plan.decisions:
            if decision.target_member is None or decision.form not in DisciplineDecision.LIGHT_FORMS:
                continue
            received = decision.decided_on + timedelta(days=rng.randint(1, 5))
            on = max(_weekday(received + timedelta(days=rng.randint(7, 25))), received)
            if on <= self.last:
                filed.append((on, received, decision))
        if not filed:
            return
        filed.sort(key=lambda item: (item[0], item[2].decision_no))
        count = max(2, round(len(filed) * APPEALS))
        pending = filed[-1]
        settled = [item for item in filed[:-1] if item[0] + timedelta(days=70) <= self.last]
        chosen = rng.sample(settled, min(len(settled), count - 1)) + [pending]
        for on, received, decision in chosen:
            settler = self.settler(decision)
            appeal = AppealPlan(settler, received, on)
            decision.appeal = appeal
            if decision is pending[2]:
                continue
            opened = _weekday(on + timedelta(days=rng.randint(3, 10)))
            appeal.settled_on = max(_weekday(opened + timedelta(days=rng.randint(25, 50))), opened)
            appeal.settlement_no = self.number(settler, Body.COMMISSION)
            if decision.form == Form.WARNING and rng.random() < 0.5:
                appeal.outcome, appeal.new_form = Appeal.Outcome.CHANGED, Form.REPRIMAND
            else:
                appeal.outcome = Appeal.Outcome.UPHELD
            subject = f"Giải quyết khiếu nại kỷ luật đối với Quyết định số {decision.decision_no}"
            case = self.case(
                settler,
                Body.COMMISSION,
                Kind.APPEAL,
                max(opened, on),
                subject,
                target_member=decision.target_member,
                due=None,
            )
            case.due_on = appeal.settled_on + timedelta(days=10)
            case.closed_on, case.stage = appeal.settled_on, Case.Stage.CONCLUDED
            case.conclusion, case.findings = Conclusion.DISCIPLINE, decision.violation
            appeal.case = case

    def variety(self) -> None:
        """However few the letters (a small demo, the first weeks of a year), one of them anonymous and
        one forwarded to the competent body."""
        rng = self.rng
        if not any(letter.anonymous for letter in self.plan.letters):
            plain = [
                letter
                for letter in self.plan.letters
                if letter.kind != Complaint.Kind.COMPLAINT and not letter.case
            ]
            if plain:
                letter = rng.choice(plain)
                letter.anonymous, letter.sender, letter.sender_address = True, "", ""
        if not any(letter.outcome == "forwarded" for letter in self.plan.letters):
            closed = [
                letter
                for letter in self.plan.letters
                if letter.outcome
                and not letter.case
                and letter.organization.kind not in Organization.CELL_KINDS
            ]
            if closed:
                letter = rng.choice(closed)
                letter.outcome, letter.result = "forwarded", ""
                letter.closed_on = _weekday(letter.received_on + timedelta(days=3))
                if letter.closed_on < letter.received_on:
                    letter.closed_on = letter.received_on
                letter.forwarded_to = rng.choice(
                    FORWARDED_TO.get(letter.organization.kind, FORWARDED_TO["other"])
                )

    def overdue(self) -> None:
        """Two or three letters, and a case or two, still open past their deadline, and a letter near it
        (the attention hub)."""
        rng, today = self.rng, self.today
        late = today - timedelta(days=3)
        letters = sorted(
            (
                letter
                for letter in self.plan.letters
                if letter.case is None
                and letter.outcome != "forwarded"
                and _deadline(letter.organization, letter.received_on) < late
            ),
            key=lambda letter: letter.received_on,
        )
        wanted = 2 + rng.randint(0, 1) + round(len(self.plan.letters) * 0.005)
        near = [
            letter
            for letter in self.plan.letters
            if letter.case is None
            and letter.outcome != "forwarded"
            and today <= _deadline(letter.organization, letter.received_on) <= today + timedelta(days=7)
        ]
        for letter in letters[-wanted:] + near[-1:]:  # and one near its deadline, if one was received then
            letter.outcome, letter.closed_on, letter.result, letter.forwarded_to = "", None, "", ""
        cases = sorted(
            (
                case
                for case in self.plan.cases
                if case.letter is None
                and not case.has_decision
                and case.kind != Kind.APPEAL
                and case.due_on is not None
                and case.due_on < late
                and case.opened_on <= self.last
            ),
            key=lambda case: case.due_on,
        )
        for case in cases[-(1 + round(len(self.plan.cases) * 0.003)) :]:
            case.closed_on, case.conclusion, case.findings, case.stage = None, "", "", Case.Stage.REPORTED


def plan_inspections(world: World, years: list[int], *, expelled: int | None = None) -> Plan:
    """The case work of ``years`` on the register ``world``, from the seeded random source."""
    span = len(years)
    members = len(world.people)
    expelled = expulsions(members, span) if expelled is None else expelled
    return Planner(random.Random(SEED), world, years).make(expelled, dismissals(members, span))


COUNTED = ("cases", "letters", "decisions", "appeals")


def _progress_line(year: int, created: dict, began: float) -> str:
    return _(
        "%(year)s: %(cases)s cases, %(letters)s letters, %(decisions)s discipline decisions, "
        "%(appeals)s appeals (%(seconds)s s)"
    ) % {**created, "year": year, "seconds": f"{time.monotonic() - began:.1f}"}


# --- Through the services (seed_demo) -------------------------------------------------------------


def _steps(plan: Plan) -> list[tuple[date, int, int, str, object]]:
    """Every write of the plan on its day, a day's writes in the order they depend on each other."""
    steps = []

    def add(day, rank, what, item):
        steps.append((day, rank, len(steps), what, item))

    for letter in plan.letters:
        add(letter.received_on, 0, "receive", letter)
        if letter.outcome:
            add(letter.closed_on, 4, "close", letter)
    for case in plan.cases:
        add(case.opened_on, 1, "open", case)
        if case.closed_on:
            add(case.closed_on, 2, "conclude", case)
    for decision in plan.decisions:
        add(decision.decided_on, 3, "decide", decision)
        if decision.appeal is not None:
            add(decision.appeal.filed_on, 5, "appeal", decision.appeal)
            if decision.appeal.outcome:
                add(decision.appeal.settled_on, 6, "settle", decision.appeal)
    steps.sort(key=lambda step: step[:3])
    return steps


class _Recorder:
    """Writes the plan's steps through the services, as the inspector would have typed them."""

    def __init__(self, plan: Plan, by):
        self.by = by
        members = {c.target_member for c in plan.cases} | {d.target_member for d in plan.decisions}
        members |= {letter.subject_member for letter in plan.letters}
        self.members = Member.objects.in_bulk(members - {None})
        self.seats = CommitteeSeat.objects.in_bulk({d.seat for d in plan.decisions} - {None})
        self.created = dict.fromkeys(COUNTED, 0)

    def receive(self, letter: LetterPlan) -> None:
        letter.obj = complaint_services.receive_complaint(
            organization=letter.organization,
            kind=letter.kind,
            received_on=letter.received_on,
            summary=letter.summary,
            anonymous=letter.anonymous,
            sender=letter.sender,
            sender_address=letter.sender_address,
            subject_member=self.members.get(letter.subject_member),
            subject_organization=letter.subject_organization,
            by=self.by,
        )
        self.created["letters"] += 1

    def close(self, letter: LetterPlan) -> None:
        common = {"complaint": letter.obj, "on": letter.closed_on, "by": self.by}
        if letter.outcome == "forwarded":
            complaint_services.forward_complaint(
                forwarded_to=letter.forwarded_to, result=letter.result, **common
            )
        elif letter.outcome == "filed":
            complaint_services.file_complaint(result=letter.result, **common)
        else:
            complaint_services.resolve_complaint(result=letter.result, **common)

    def open(self, case: CasePlan) -> None:
        case.obj = case_services.open_case(
            organization=case.organization,
            body=case.body,
            kind=case.kind,
            decision_no=case.decision_no,
            opened_on=case.opened_on,
            plan_year=case.plan_year,
            due_on=case.due_on,
            subject=case.subject,
            target_member=self.members.get(case.target_member),
            target_organization=case.target_organization,
            complaint=case.letter.obj if case.letter else None,
            by=self.by,
        )
        if not case.closed_on and case.stage != Case.Stage.DECIDED:
            case.obj = case_services.correct_case(case=case.obj, stage=case.stage, by=self.by)
        self.created["cases"] += 1

    def conclude(self, case: CasePlan) -> None:
        case.obj = case_services.conclude_case(
            case=case.obj,
            conclusion=case.conclusion,
            closed_on=case.closed_on,
            findings=case.findings,
            by=self.by,
        )

    def decide(self, decision: DecisionPlan) -> None:
        decision.obj = discipline.decide(
            organization=decision.organization,
            body=decision.body,
            decision_no=decision.decision_no,
            decided_on=decision.decided_on,
            form=decision.form,
            target_member=self.members.get(decision.target_member),
            target_organization=decision.target_organization,
            seat=self.seats.get(decision.seat),
            case=decision.case.obj if decision.case else None,
            violation=decision.violation,
            violation_on=decision.violation_on,
            heard_on=decision.heard_on,
            by=self.by,
        )
        self.created["decisions"] += 1

    def appeal(self, appeal: AppealPlan, decision: DecisionPlan) -> None:
        appeal.obj = discipline.file_appeal(
            decision=decision.obj,
            organization=appeal.organization,
            decision_received_on=appeal.decision_received_on,
            filed_on=appeal.filed_on,
            by=self.by,
        )
        self.created["appeals"] += 1

    def settle(self, appeal: AppealPlan) -> None:
        discipline.settle_appeal(
            appeal=appeal.obj,
            outcome=appeal.outcome,
            new_form=appeal.new_form,
            settled_on=appeal.settled_on,
            settlement_no=appeal.settlement_no,
            case=appeal.case.obj if appeal.case else None,
            by=self.by,
        )


def seed_inspections(demo, progress: Callable[[str], None] = lambda line: None) -> dict[str, int]:
    """Last year's and this year's case work, through the services, recorded by the demo ``inspector``;
    returns how many cases, letters, decisions and appeals were recorded. Skipped when there is case
    work already."""
    if Case.objects.exists() or Complaint.objects.exists() or DisciplineDecision.objects.exists():
        return dict.fromkeys(COUNTED, 0)
    today = clock.today()
    plan = plan_inspections(World(today), [today.year - 1, today.year])
    recorder = _Recorder(plan, get_user_model().objects.get(username="inspector"))
    appealed = {id(d.appeal): d for d in plan.decisions if d.appeal is not None}
    began = time.monotonic()
    steps = _steps(plan)
    with transaction.atomic():
        for index, (day, _rank, _order, what, item) in enumerate(steps):
            try:
                if what == "appeal":
                    recorder.appeal(item, appealed[id(item)])
                else:
                    getattr(recorder, what)(item)
            except ValidationError as error:
                raise SeedError(
                    f"{what} {_describe(item)} {day:%d/%m/%Y}: {'; '.join(error.messages)}"
                ) from error
            if index + 1 == len(steps) or steps[index + 1][0].year != day.year:
                progress(_progress_line(day.year, recorder.created, began))
    return recorder.created


def _describe(item) -> str:
    organization = getattr(item, "organization", None)
    number = getattr(item, "decision_no", "")
    return f"{organization.code if organization else ''} {number}".strip()


# --- In bulk (seed_bench) ---------------------------------------------------------------------------


def _number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _bulk(model, objects: list, by, batch: int) -> None:
    for begin in range(0, len(objects), batch):
        chunk = model.objects.bulk_create(objects[begin : begin + batch], batch_size=batch)
        model.history.bulk_history_create(chunk, batch_size=batch, default_user=by)


def bulk_inspections(
    *, years: list[int], expelled: int, batch: int, progress: Callable[[str], None] = lambda line: None
) -> dict[str, int]:
    """The plan of ``seed_inspections`` over ``years`` at the register's scale, written directly with
    ``bulk_create`` for the benchmark: what the services would have written — each case with its
    target's chi bộ and post of the day (``World.position_on``, as ``roll.standing_on``), each letter
    with its deadline (``handling_deadline``) and its status, each decision with the member's chi bộ,
    each appeal settled with the decision it changed — one history row per object, in its final state,
    under the demo ``inspector``. The khai trừ and cách chức go through ``discipline.decide``: their
    effects on the register (the exit, the spell, the seat, the movement) are the members services'."""
    by = get_user_model().objects.get(username="inspector")
    today = clock.today()
    world = World(today)
    plan = plan_inspections(world, years, expelled=expelled)
    began = time.monotonic()
    cases = []
    for case in plan.cases:
        obj = Case(
            organization=case.organization,
            body=case.body,
            kind=case.kind,
            decision_no=case.decision_no,
            opened_on=case.opened_on,
            plan_year=case.plan_year,
            due_on=case.due_on,
            closed_on=case.closed_on,
            stage=case.stage,
            target_organization=case.target_organization,
            target_member_id=case.target_member,
            subject=case.subject,
            conclusion=case.conclusion,
            findings=case.findings,
            recorded_by=by,
        )
        if case.target_member is not None:
            obj.target_cell_id = world.people[case.target_member].cell
            obj.target_position, obj.target_position_organization_id = world.position_on(
                case.target_member, case.opened_on
            )
        case.obj = obj
        cases.append(obj)
    _bulk(Case, cases, by, batch)
    progress(
        f"{capfirst(Case._meta.verbose_name_plural)}: {_number(len(cases))} "
        f"({time.monotonic() - began:.1f} s)"
    )
    letters = []
    statuses = {
        "resolved": Complaint.Status.RESOLVED,
        "forwarded": Complaint.Status.FORWARDED,
        "filed": Complaint.Status.FILED,
    }
    for letter in plan.letters:
        obj = Complaint(
            organization=letter.organization,
            kind=letter.kind,
            received_on=letter.received_on,
            anonymous=letter.anonymous,
            sender=letter.sender,
            sender_address=letter.sender_address,
            subject_member_id=letter.subject_member,
            subject_organization=letter.subject_organization,
            summary=letter.summary,
            due_on=_deadline(letter.organization, letter.received_on),
            status=statuses.get(
                letter.outcome, Complaint.Status.IN_PROGRESS if letter.case else Complaint.Status.RECEIVED
            ),
            resolved_on=letter.closed_on,
            result=letter.result,
            case=letter.case.obj if letter.case else None,
            recorded_by=by,
        )
        if letter.outcome == "forwarded":
            obj.jurisdiction, obj.forwarded_to = Complaint.Jurisdiction.FORWARDED, letter.forwarded_to
        letters.append(obj)
    _bulk(Complaint, letters, by, batch)
    progress(
        f"{capfirst(Complaint._meta.verbose_name_plural)}: {_number(len(letters))} "
        f"({time.monotonic() - began:.1f} s)"
    )
    decisions, appeals, effects = [], [], []
    for decision in plan.decisions:
        if decision.has_effect:
            effects.append(decision)
            continue
        obj = DisciplineDecision(
            organization=decision.organization,
            body=decision.body,
            decision_no=decision.decision_no,
            decided_on=decision.decided_on,
            effective_on=decision.decided_on,
            target_member_id=decision.target_member,
            target_organization=decision.target_organization,
            target_cell_id=world.people[decision.target_member].cell if decision.target_member else None,
            form=decision.form,
            case=decision.case.obj if decision.case else None,
            violation=decision.violation,
            violation_on=decision.violation_on,
            heard_on=decision.heard_on,
            recorded_by=by,
        )
        appeal = decision.appeal
        if appeal is not None and appeal.outcome == Appeal.Outcome.CHANGED:
            obj.original_form, obj.form = obj.form, appeal.new_form
            obj.status = DisciplineDecision.Status.CHANGED
        decision.obj = obj
        decisions.append(obj)
    _bulk(DisciplineDecision, decisions, by, batch)
    for decision in plan.decisions:
        appeal = decision.appeal
        if appeal is None:
            continue
        appeals.append(
            Appeal(
                decision=decision.obj,
                organization=appeal.organization,
                decision_received_on=appeal.decision_received_on,
                filed_on=appeal.filed_on,
                status=Appeal.Status.SETTLED if appeal.outcome else Appeal.Status.ACCEPTED,
                outcome=appeal.outcome,
                new_form=appeal.new_form,
                settled_on=appeal.settled_on,
                settlement_no=appeal.settlement_no,
                case=appeal.case.obj if appeal.case else None,
                recorded_by=by,
            )
        )
    _bulk(Appeal, appeals, by, batch)
    recorder = _Recorder(Plan(decisions=effects), by)
    for decision in sorted(effects, key=lambda d: d.decided_on):
        try:
            recorder.decide(decision)
        except ValidationError as error:
            raise SeedError(f"decide {_describe(decision)}: {'; '.join(error.messages)}") from error
    progress(
        f"{capfirst(DisciplineDecision._meta.verbose_name_plural)}: "
        f"{_number(len(decisions) + len(effects))}, "
        f"{Appeal._meta.verbose_name_plural}: {_number(len(appeals))} ({time.monotonic() - began:.1f} s)"
    )
    return {
        "cases": len(cases),
        "letters": len(letters),
        "decisions": len(decisions) + len(effects),
        "appeals": len(appeals),
    }
