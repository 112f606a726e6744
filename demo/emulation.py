"""The demo quality ratings and emulation of ``seed_demo``, recorded through ``emulation.services`` as the
bloc's staff and secretaries would have entered them (DOMAIN.md §6–7, seeds 002 and 003):

- **three years of ratings**: the last legacy year (2017, ``rating.legacy_until_year``: grassroots
  organizations "trong sạch, vững mạnh" about two in three, members rated), recorded as decided (an import of
  the old reports); the year before last and last year rated as the portal rates them — each chi bộ's
  proposal approved by the level above within the excellence quota (members disciplined in the year rated
  "không hoàn thành nhiệm vụ"), then each organization's self-assessment approved by the committee directly
  above, within its members' and sub-organizations' results and the quota of its group. Over nine in ten
  members "hoàn thành tốt" or better (94% in the full demo; seed 002: "đạt trên 92,65%"). Last year two
  chi bộ were recorded as their year-end reports decided them, over the quota (seed 003: "tỷ lệ … hoàn
  thành xuất sắc nhiệm vụ còn cao hơn quy định"): the figures and the dashboard name them. One member is
  rated "không hoàn thành nhiệm vụ" two years running (a xóa tên ground on the attention hub). This year's
  review is under way in the demo secretaries' chi bộ: self-assessments and proposals waiting for approval;
- **the clusters** (cụm thi đua) of last year and this one: six clusters of the grassroots organizations by
  sector, this year's copied from last year's;
- **a scored year** (last year): the bloc's score sheet — groups, criteria, a bonus, a penalty and a veto
  item, the bands "Xuất sắc" ≥ 90, "Tốt" ≥ 75, "Khá" ≥ 60 and "Trung bình" —, issued in January, every
  grassroots organization self-assessed and approved (in half points: equal totals share a rank), the veto met
  where the organization or one of its members was disciplined that year; this year's sheet copied as a draft;
- **a handful of awards**: cờ thi đua and bằng khen to the best organizations of the ranking, giấy khen and a
  bằng khen to members rated "hoàn thành xuất sắc nhiệm vụ".

Each part is skipped when its records exist already: a second run writes nothing. The random choices come
from a source seeded here, so every run plans the same. ``bulk_emulation`` writes the same at the province
scale of ``seed_bench``, directly with ``bulk_create``.
"""

import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, datetime
from datetime import time as dt_time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from blocportal import clock, rules
from blocportal.models import Assignment
from demo.members import SeedError
from emulation import checks
from emulation.models import (
    RANK,
    Award,
    Cluster,
    ClusterMember,
    Criterion,
    Level,
    MemberRating,
    OrganizationRating,
    Score,
    ScoreSheet,
)
from emulation.selectors.awards import placeable
from emulation.selectors.ranking import ranking
from emulation.services import awards as award_services
from emulation.services import clusters as cluster_services
from emulation.services import ratings as rating_services
from emulation.services import scoring
from inspections.models import DisciplineDecision
from inspections.selectors.outcomes import disciplined_between
from members.models import Member, Movement, Spell
from members.selectors import roll
from organizations.models import Organization

SEED = 20261201
Sector = Organization.Sector
Kind = Organization.Kind

# A member's level (of the current classification), before the rules: about 5% "hoàn thành nhiệm vụ" and
# 0.4% "không hoàn thành" (besides the members disciplined); "hoàn thành xuất sắc" is then given within
# the quota of the chi bộ.
MEMBER_DONE, MEMBER_FAILED = 0.05, 0.004
EXCELLENT_SHARE = (0.5, 1.0)  # of what the quota allows in a chi bộ
# Organizations: the level each draws before its members' and sub-organizations' results cap it.
ORGANIZATION_LEVELS = {Level.EXCELLENT: 18, Level.GOOD: 70, Level.DONE: 11, Level.FAILED: 1}
LEGACY_ORGANIZATION_LEVELS = {Level.CLEAN_STRONG: 67, Level.GOOD: 27, Level.DONE: 5, Level.WEAK: 1}
LEGACY_MEMBER_LEVELS = {Level.EXCELLENT: 12, Level.GOOD: 78, Level.DONE: 9, Level.FAILED: 1}
OVER_QUOTA_CELLS = 2  # last year, recorded as decided

# The clusters: name and the sectors of their grassroots organizations; the State agencies are split in two
# halves in the tree's order (the management agencies first, then the judicial, financial and vertical ones).
CLUSTERS = [
    (
        "Cụm thi đua số 1 — Các cơ quan Đảng, Mặt trận Tổ quốc và các đoàn thể",
        (Sector.PARTY, Sector.FRONT),
        0,
    ),
    ("Cụm thi đua số 2 — Các cơ quan quản lý nhà nước", (Sector.STATE,), 1),
    ("Cụm thi đua số 3 — Các cơ quan tư pháp, tài chính và ngành dọc", (Sector.STATE,), 2),
    ("Cụm thi đua số 4 — Các đơn vị sự nghiệp công lập", (Sector.PUBLIC_SERVICE,), 0),
    ("Cụm thi đua số 5 — Các doanh nghiệp nhà nước", (Sector.STATE_ENTERPRISE,), 0),
    ("Cụm thi đua số 6 — Các doanh nghiệp ngoài nhà nước", (Sector.PRIVATE_ENTERPRISE, Sector.OTHER, ""), 0),
]


def plan_clusters(grassroots: list[Organization]) -> list[tuple[str, list[Organization]]]:
    """The clusters' names and organizations (``grassroots`` in the tree's order)."""
    plan = []
    for name, sectors, half in CLUSTERS:
        chosen = [organization for organization in grassroots if organization.sector in sectors]
        if half:
            middle = (len(chosen) + 1) // 2
            chosen = chosen[:middle] if half == 1 else chosen[middle:]
        plan.append((name, chosen))
    return plan


# The score sheet: groups, then (code, text, kind, max points).
SHEET_GROUPS = [
    (
        "I",
        "Công tác chính trị, tư tưởng",
        [
            ("1.1", "Quán triệt, triển khai nghị quyết, chỉ thị của Đảng kịp thời, đầy đủ", "thuong", 10),
            ("1.2", "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "thuong", 10),
        ],
    ),
    (
        "II",
        "Công tác tổ chức, cán bộ, đảng viên",
        [
            ("2.1", "Sinh hoạt chi bộ định kỳ và chuyên đề đúng quy định, có chất lượng", "thuong", 10),
            ("2.2", "Phát triển đảng viên đạt và vượt chỉ tiêu", "thuong", 10),
            ("2.3", "Quản lý đảng viên, thu nộp đảng phí, hồ sơ đảng viên", "thuong", 10),
        ],
    ),
    (
        "III",
        "Công tác kiểm tra, giám sát và thi hành kỷ luật đảng",
        [
            ("3.1", "Thực hiện chương trình kiểm tra, giám sát năm", "thuong", 10),
            ("3.2", "Giải quyết đơn thư, thi hành kỷ luật đúng thẩm quyền, thời hạn", "thuong", 10),
        ],
    ),
    (
        "IV",
        "Lãnh đạo thực hiện nhiệm vụ chính trị của cơ quan, đơn vị",
        [
            ("4.1", "Cơ quan, đơn vị hoàn thành các chỉ tiêu, nhiệm vụ được giao", "thuong", 15),
            ("4.2", "Lãnh đạo đoàn thể, xây dựng cơ quan, đơn vị văn hóa", "thuong", 15),
        ],
    ),
    (
        "V",
        "Điểm cộng, điểm trừ và tiêu chí phủ quyết",
        [
            ("C1", "Có mô hình, cách làm hay được cấp có thẩm quyền công nhận", "cong", 5),
            ("T1", "Chậm hoặc không thực hiện chế độ báo cáo theo quy định", "tru", 5),
            (
                "PQ1",
                "Tổ chức đảng hoặc đảng viên trong đảng bộ, chi bộ bị thi hành kỷ luật trong năm",
                "phu_quyet",
                0,
            ),
        ],
    ),
]
BANDS = [("Xuất sắc", 90), ("Tốt", 75), ("Khá", 60), ("Trung bình", 0)]
VETO_CAP = "Khá"


def _years(today: date) -> tuple[int, int, int]:
    """(the legacy year, the year before last, last year)."""
    legacy = rules.get("rating.legacy_until_year", date(2017, 12, 31))
    return legacy, today.year - 2, today.year - 1


def _weighted(rng: random.Random, table: dict):
    return rng.choices(list(table), weights=list(table.values()))[0]


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


class _Seeder:
    def __init__(self, demo, progress: Callable[[str], None]):
        self.rng = random.Random(SEED)
        self.today = clock.today()
        self.progress = progress
        self.created: Counter = Counter()
        self.staff = _user("staff") or demo.by
        self.superuser = demo.by
        self.secretaries = {}
        for username in ("secretary1", "secretary2"):
            user = _user(username)
            if user is not None:
                for path in Assignment.objects.filter(user=user).values_list("organization__path", flat=True):
                    self.secretaries[path] = user
        self.bloc = Organization.objects.get(parent__isnull=True, kind=Kind.BLOC)
        self.began = time.monotonic()
        # What the organizations' levels are capped by: by year, each chi bộ's members' levels and each
        # organization's level.
        self.member_levels_of: dict[int, dict[int, dict]] = defaultdict(dict)
        self.organization_levels: dict[int, dict[int, str]] = defaultdict(dict)
        self.cells_of: dict[int, list] = {}

    def say(self, line: str) -> None:
        self.progress(f"{line} ({time.monotonic() - self.began:.1f} s)")

    def proposer(self, cell: Organization):
        """The secretary of the demo who leads the chi bộ's organization, else the bloc's staff."""
        for path, user in self.secretaries.items():
            if cell.path.startswith(path):
                return user
        return self.staff

    # Organizations of a year ---------------------------------------------------------------------------

    def rated_organizations(self, year: int) -> list[Organization]:
        """Every organization rated in ``year`` (the kinds a committee rates), deepest first: a committee is
        rated after what it is capped by."""
        start, end = checks.period_bounds(year)
        found = list(
            Organization.objects.filter(kind__in=checks.RATED_KINDS)
            .filter(Q(established_on__isnull=True) | Q(established_on__lte=end))
            .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=start))
        )
        return sorted(found, key=lambda o: (-len(o.path), o.path))

    # Ratings -------------------------------------------------------------------------------------------

    def ratings(self) -> None:
        if MemberRating.objects.exists() or OrganizationRating.objects.exists():
            return
        legacy, before_last, last = _years(self.today)
        self.legacy_year(legacy)
        failing = self.failing_member(before_last, last)
        for year in (before_last, last):
            over_quota = self.over_quota_cells(year) if year == last else set()
            self.member_year(year, failing, over_quota)
            self.organization_year(year)
            members, organizations = self.created[f"members {year}"], self.created[f"orgs {year}"]
            self.say(f"{year}: {members} members, {organizations} organizations")
        self.current_review(self.today.year)

    def legacy_year(self, year: int) -> None:
        """The old classification, recorded as the year-end reports decided it."""
        for organization in self.rated_organizations(year):
            level = _weighted(self.rng, LEGACY_ORGANIZATION_LEVELS)
            rating_services.record_decided_organization(
                organization=organization, year=year, level=level, by=self.staff
            )
            self.created["organization_ratings"] += 1
        on = checks.rating_day(year)
        member_ids = list(
            Spell.objects.official()
            .on(on)
            .order_by("member_id")
            .values_list("member_id", flat=True)
            .distinct()
        )
        members = Member.objects.in_bulk(member_ids)
        for member_id in member_ids:
            rating_services.record_decided_member(
                member=members[member_id],
                year=year,
                level=_weighted(self.rng, LEGACY_MEMBER_LEVELS),
                by=self.staff,
            )
            self.created["member_ratings"] += 1
        self.say(f"{year}: {len(member_ids)} members, legacy classification")

    def cells_with_members(self, year: int) -> list[tuple[Organization, list[Member]]]:
        """The chi bộ of ``year`` with the members they rate (read once a year)."""
        if year not in self.cells_of:
            self.cells_of[year] = self._cells_with_members(year)
        return self.cells_of[year]

    def _cells_with_members(self, year: int) -> list[tuple[Organization, list[Member]]]:
        cells = sorted((o for o in self.rated_organizations(year) if o.is_cell), key=lambda o: o.path)
        rated = checks.rated_members_many(cells, year)
        return [(cell, rated[cell.pk]) for cell in cells if rated[cell.pk]]

    def failing_member(self, before_last: int, last: int) -> Member | None:
        """A member on the same chi bộ's register both years, in a chi bộ of ten or more: rated "không hoàn
        thành nhiệm vụ" two years running."""
        for cell, members in self.cells_with_members(last):
            if len(members) < 10:
                continue
            earlier = {m.pk for m in checks.rated_members(cell, before_last)}
            for member in members:
                if member.pk in earlier:
                    return member
        return None

    def over_quota_cells(self, year: int) -> set[int]:
        """Two chi bộ of eight or more members whose year-end reports rated too many "xuất sắc"."""
        candidates = [cell.pk for cell, members in self.cells_with_members(year) if len(members) >= 8]
        return set(self.rng.sample(candidates, min(OVER_QUOTA_CELLS, len(candidates))))

    def member_levels(self, year: int, members: list[Member], disciplined: set[int], failing) -> dict:
        forced = disciplined | ({failing.pk} if failing is not None else set())
        return draw_member_levels(self.rng, year, [member.pk for member in members], forced)

    def member_year(self, year: int, failing: Member | None, over_quota: set[int]) -> None:
        start, end = checks.period_bounds(year)
        cells = self.cells_with_members(year)
        everyone = [m.pk for _cell, members in cells for m in members]
        disciplined = set(disciplined_between(everyone, start, end))
        for cell, members in cells:
            levels = self.member_levels(year, members, disciplined, failing)
            self.member_levels_of[year][cell.pk] = levels  # what the chi bộ's own level is capped by
            if cell.pk in over_quota:
                self.decided_over_quota(cell, members, levels, year)
                continue
            try:
                rating_services.propose_members(
                    organization=cell, year=year, levels=levels, by=self.proposer(cell)
                )
                rating_services.approve_members(organization=cell, year=year, by=self.staff)
            except ValidationError as error:
                raise SeedError(f"{cell.code} {year}: {'; '.join(error.messages)}") from error
            self.created[f"members {year}"] += len(levels)
            self.created["member_ratings"] += len(levels)

    def decided_over_quota(self, cell: Organization, members: list[Member], levels: dict, year: int) -> None:
        """The chi bộ's year as its report decided it: half of its "tốt" rated "xuất sắc", over the quota."""
        good = [pk for pk, level in levels.items() if level == Level.GOOD]
        for pk in good[: max(len(good) // 2, 2)]:
            levels[pk] = Level.EXCELLENT
        by_pk = {member.pk: member for member in members}
        for pk, level in levels.items():
            rating_services.record_decided_member(
                member=by_pk[pk], year=year, level=level, by=self.staff, organization=cell
            )
        self.created[f"members {year}"] += len(levels)
        self.created["member_ratings"] += len(levels)

    def organization_year(self, year: int) -> None:
        """Each organization's self-assessment, then the approval of each committee's group, bottom up: the
        level drawn, lowered to what its members' or sub-organizations' results allow (``_capped``; the
        approval checks it again), the group's "xuất sắc" within the quota."""
        organizations = self.rated_organizations(year)
        by_approver: dict[int, list[Organization]] = defaultdict(list)
        for organization in organizations:
            by_approver[organization.parent_id].append(organization)
        approvers = Organization.objects.in_bulk(list(by_approver))
        on = checks.period_bounds(year)[1]
        caps = rules.get("rating.organization_caps", on)
        children = {pk: [o.pk for o in group] for pk, group in by_approver.items()}
        # Deepest groups first: a committee's own level is checked against its group's approved ratings.
        for approver_id in sorted(by_approver, key=lambda pk: -len(approvers[pk].path)):
            approver, group = approvers[approver_id], by_approver[approver_id]
            chosen = {}
            for organization in group:
                below = (
                    list(self.member_levels_of[year].get(organization.pk, {}).values())
                    if organization.is_cell
                    else [self.organization_levels[year][pk] for pk in children.get(organization.pk, ())]
                )
                level = _capped(
                    _weighted(self.rng, ORGANIZATION_LEVELS), below, caps, cell=organization.is_cell
                )
                chosen[organization.pk] = self.organization_levels[year][organization.pk] = level
            while checks.quota_broken(chosen.values(), on):
                excellent = [pk for pk, level in chosen.items() if level == Level.EXCELLENT]
                chosen[self.rng.choice(excellent)] = Level.GOOD
            for organization in group:
                # Now and then a committee thinks better of itself than the level above does.
                own = chosen[organization.pk]
                if own == Level.GOOD and self.rng.random() < 0.1:
                    own = Level.EXCELLENT
                rating_services.assess_organization(
                    organization=organization, year=year, level=own, by=self.proposer(organization)
                )
            try:
                rating_services.approve_organizations(
                    approver=approver, year=year, levels=chosen, by=self.staff
                )
            except ValidationError as error:
                raise SeedError(f"{approver.code} {year}: {'; '.join(error.messages)}") from error
            self.created[f"orgs {year}"] += len(chosen)
            self.created["organization_ratings"] += len(chosen)

    def current_review(self, year: int) -> None:
        """This year's review under way in the demo secretaries' chi bộ: the members' self-assessments and
        the chi bộ's proposal, not yet approved."""
        if self.today < date(year, 11, 1):
            return
        cells = [
            o for o in self.rated_organizations(year) if o.is_cell and self.proposer(o) is not self.staff
        ]
        for cell in sorted(cells, key=lambda o: o.path):
            members = checks.rated_members(cell, year)
            if not members:
                continue
            levels = self.member_levels(year, members, set(), None)
            for member in members:
                rating_services.assess_member(
                    member=member, year=year, level=levels[member.pk], by=self.proposer(cell)
                )
            rating_services.propose_members(
                organization=cell, year=year, levels=levels, by=self.proposer(cell)
            )
            self.created["member_ratings"] += len(levels)

    # Clusters ------------------------------------------------------------------------------------------

    def clusters(self) -> None:
        last, this = self.today.year - 1, self.today.year
        if Cluster.objects.filter(owner=self.bloc, year__in=(last, this)).exists():
            return
        grassroots = list(placeable(self.bloc, last).order_by("path"))
        for order, (name, chosen) in enumerate(plan_clusters(grassroots)):
            cluster_services.create_cluster(
                owner=self.bloc, year=last, name=name, organizations=chosen, order=order, by=self.staff
            )
            self.created["clusters"] += 1
        cluster_services.copy_clusters(owner=self.bloc, from_year=last, to_year=this, by=self.staff)
        self.created["clusters"] += len(CLUSTERS)

    # The score sheet -----------------------------------------------------------------------------------

    def score_sheet(self) -> ScoreSheet | None:
        year = self.today.year - 1
        if ScoreSheet.objects.filter(owner=self.bloc, year=year).exists():
            return None
        sheet = build_sheet(self.bloc, year, self.staff)
        self.scores(sheet)
        scoring.copy_sheet(sheet=sheet, year=year + 1, by=self.staff)
        self.created["score_sheets"] += 2
        return sheet

    def scores(self, sheet: ScoreSheet) -> None:
        """Every grassroots organization's points, self-assessed, then approved."""
        criteria = list(Criterion.objects.filter(sheet=sheet))
        vetoed = vetoed_paths(sheet.year)
        for organization in checks.rated_under(self.bloc, sheet.year):
            if not organization.is_grassroots:
                continue
            met = any(path.startswith(organization.path) for path in vetoed)
            own, approved = draw_points(self.rng, criteria, met)
            scoring.assess_scores(
                sheet=sheet, organization=organization, points=own, by=self.proposer(organization)
            )
            scoring.approve_scores(sheet=sheet, organization=organization, points=approved, by=self.staff)
            self.created["scored_organizations"] += 1
        self.say(f"{sheet.year}: {self.created['scored_organizations']} organizations scored")

    # Awards --------------------------------------------------------------------------------------------

    def awards(self, sheet: ScoreSheet | None) -> None:
        if Award.objects.exists():
            return
        last = self.today.year - 1
        decided = min(date(last + 1, 1, 20), self.today)
        if sheet is None:
            sheet = ScoreSheet.objects.filter(owner=self.bloc, year=last).first()
        standings = ranking(sheet) if sheet is not None else []
        organizations = Organization.objects.in_bulk([row.organization_id for row in standings])
        best_by_cluster = {}
        for row in standings:
            best_by_cluster.setdefault(row.cluster_id, row)
        plan = []
        if standings:
            plan.append(
                (
                    Award.Kind.FLAG,
                    "Cờ thi đua của Ủy ban nhân dân tỉnh",
                    "Ủy ban nhân dân tỉnh",
                    f"{self.rng.randint(100, 999)}/QĐ-UBND",
                    organizations[standings[0].organization_id],
                    None,
                )
            )
        for index, row in enumerate(list(best_by_cluster.values())[:3]):
            plan.append(
                (
                    Award.Kind.MERIT,
                    "Bằng khen của Ban Thường vụ Tỉnh ủy",
                    "Ban Thường vụ Tỉnh ủy",
                    f"{1200 + index}-QĐ/TU",
                    organizations[row.organization_id],
                    None,
                )
            )
        excellent = list(
            MemberRating.objects.annual()
            .filter(year=last, level=Level.EXCELLENT, imported=False)
            .filter(member__in=Spell.objects.official().on(decided).values("member_id"))
            .select_related("member")
            .order_by("organization__path", "member__sort_name")
        )
        chosen = self.rng.sample(excellent, min(5, len(excellent)))
        for index, rating in enumerate(chosen):
            if index == 0:
                plan.append(
                    (
                        Award.Kind.MERIT,
                        "Bằng khen của Ủy ban nhân dân tỉnh",
                        "Ủy ban nhân dân tỉnh",
                        f"{self.rng.randint(100, 999)}/QĐ-UBND",
                        None,
                        rating.member,
                    )
                )
            else:
                plan.append(
                    (
                        Award.Kind.COMMENDATION,
                        "Giấy khen của Ban Thường vụ Đảng ủy Khối",
                        "Ban Thường vụ Đảng ủy Khối",
                        "35-QĐ/ĐUK",
                        None,
                        rating.member,
                    )
                )
        for kind, title, giver, number, organization, member in plan:
            try:
                award_services.record_award(
                    kind=kind,
                    title=title,
                    giver=giver,
                    year=last,
                    decision_no=number,
                    decided_on=decided,
                    target_organization=organization,
                    target_member=member,
                    by=self.staff,
                )
            except ValidationError as error:
                raise SeedError(f"award {number}: {'; '.join(error.messages)}") from error
            self.created["awards"] += 1


def draw_member_levels(
    rng: random.Random, year: int, member_ids: list[int], failed: set[int]
) -> dict[int, str]:
    """The levels of a chi bộ's members: "không hoàn thành" for ``failed`` (disciplined in the year: the
    cap), the others drawn, then "xuất sắc" for some of the "tốt" within the quota of the year."""
    levels = {}
    for pk in member_ids:
        draw = rng.random()
        if pk in failed or draw < MEMBER_FAILED:
            levels[pk] = Level.FAILED
        else:
            levels[pk] = Level.DONE if draw < MEMBER_FAILED + MEMBER_DONE else Level.GOOD
    good = [pk for pk, level in levels.items() if level == Level.GOOD]
    numerator, denominator = rules.get("rating.excellent_quota", checks.period_bounds(year)[1])
    allowed = len(good) * numerator // (denominator + numerator)  # "xuất sắc" ≤ 20% of the "tốt" left
    for pk in rng.sample(good, round(allowed * rng.uniform(*EXCELLENT_SHARE))):
        levels[pk] = Level.EXCELLENT
    return levels


def vetoed_paths(year: int) -> set[str]:
    """The paths of the organizations disciplined, and of the chi bộ of the members disciplined, in
    ``year``: their grassroots organization meets the veto item."""
    start, end = checks.period_bounds(year)
    decisions = DisciplineDecision.objects.in_force().filter(decided_on__range=(start, end))
    paths = set(
        decisions.filter(target_organization__isnull=False).values_list(
            "target_organization__path", flat=True
        )
    )
    paths |= set(decisions.filter(target_member__isnull=False).values_list("target_cell__path", flat=True))
    return {path for path in paths if path}


def draw_points(rng: random.Random, criteria: list[Criterion], met: bool) -> tuple[dict, dict]:
    """An organization's (self-assessed, approved) points by criterion id, in half points: the regular
    criteria around the organization's strength, now and then a bonus or a penalty, the veto ``met``; the
    self-assessment a half point higher here and there."""
    strength = rng.uniform(0.72, 0.97)
    own, approved = {}, {}
    for criterion in criteria:
        if criterion.kind == Criterion.Kind.VETO:
            approved[criterion.pk] = own[criterion.pk] = Decimal(int(met))
            continue
        top = criterion.max_points
        if criterion.kind == Criterion.Kind.BONUS:
            share = rng.choice((0, 0, 0, 0.4, 0.6, 1))
        elif criterion.kind == Criterion.Kind.PENALTY:
            share = rng.choice((0, 0, 0, 0, 0.2, 0.4))
        else:
            share = min(1, max(0, rng.gauss(strength, 0.06)))
        points = (Decimal(round(float(top) * share * 2)) / 2).quantize(Decimal("0.01"))
        approved[criterion.pk] = points
        higher = criterion.kind == Criterion.Kind.REGULAR and rng.random() < 0.2
        own[criterion.pk] = min(points + Decimal("0.5"), top) if higher else points
    return own, approved


def build_sheet(owner: Organization, year: int, by) -> ScoreSheet:
    """The bloc's score sheet of ``year`` (``SHEET_GROUPS``, ``BANDS``), issued on 15 January."""
    sheet = scoring.create_sheet(owner=owner, year=year, title=f"Bảng chấm điểm thi đua năm {year}", by=by)
    bands = {
        name: scoring.save_band(sheet=sheet, name=name, min_total=Decimal(minimum), order=order, by=by)
        for order, (name, minimum) in enumerate(BANDS)
    }
    for order, (code, name, criteria) in enumerate(SHEET_GROUPS, start=1):
        group = scoring.save_group(sheet=sheet, code=code, name=name, order=order, by=by)
        for position, (criterion_code, text, kind, points) in enumerate(criteria, start=1):
            scoring.save_criterion(
                sheet=sheet,
                group=group,
                code=criterion_code,
                text=text,
                kind=kind,
                max_points=Decimal(points) if points else None,
                cap_band=bands[VETO_CAP] if kind == Criterion.Kind.VETO else None,
                order=position,
                by=by,
            )
    return scoring.issue_sheet(sheet=sheet, issued_on=date(year, 1, 15), by=by)


COUNTED = (
    "member_ratings",
    "organization_ratings",
    "clusters",
    "score_sheets",
    "scored_organizations",
    "awards",
)


def seed_emulation(demo, progress: Callable[[str], None] = lambda line: None) -> dict[str, int]:
    """Three years of ratings, the clusters of last year and this one, last year's scores and this year's
    draft sheet, and a handful of awards, through the services; returns how many of each were written. Each
    part is skipped when it exists already."""
    seeder = _Seeder(demo, progress)
    with transaction.atomic():
        seeder.ratings()
        seeder.clusters()
        sheet = seeder.score_sheet()
        seeder.awards(sheet)
    return {name: seeder.created[name] for name in COUNTED}


# --- In bulk (seed_bench) ---------------------------------------------------------------------------


def _write(model, objects: list, by, batch: int) -> int:
    """Insert ``objects`` in batches with one history row each (what a service's save writes)."""
    for begin in range(0, len(objects), batch):
        chunk = model.objects.bulk_create(objects[begin : begin + batch], batch_size=batch)
        model.history.bulk_history_create(chunk, batch_size=batch, default_user=by)
    return len(objects)


def _capped(level: str, below: list[str], caps: dict, *, cell: bool) -> str:
    """``level`` lowered to what the results ``below`` it allow: the caps that
    ``emulation.checks.organization_problems`` refuses an approval for (``rating.organization_caps``), applied
    to the levels being planned (the demo's approval checks them again; the bench writes them as they are)."""
    count = len(below)
    if not count:
        return level
    failed = sum(1 for value in below if RANK[value] == RANK[Level.FAILED])
    done = sum(1 for value in below if RANK[value] <= RANK[Level.DONE])
    good = sum(1 for value in below if RANK[value] <= RANK[Level.GOOD])
    if cell and failed * 100 > caps["failed_over_percent"] * count:
        return Level.FAILED
    if RANK[level] <= RANK[Level.GOOD] and (
        done * 100 < caps["good_min_done_percent"] * count
        or good * 100 < caps["good_min_good_percent"] * count
    ):
        return Level.DONE
    return level


def _existing(organizations: list[Organization], year: int) -> list[Organization]:
    start, end = checks.period_bounds(year)
    return [
        o
        for o in organizations
        if (o.established_on is None or o.established_on <= end)
        and (o.dissolved_on is None or o.dissolved_on >= start)
    ]


def bulk_emulation(*, by, batch: int, progress: Callable[[str], None] = lambda line: None) -> dict[str, int]:
    """What ``seed_emulation`` records, at the register's scale, written with ``bulk_create`` for the
    benchmark: the three years of member and organization ratings in their final state (last two years
    proposed and approved within the quota and the caps, the legacy year imported), the clusters of last
    year and this one, last year's sheet (through the scoring services: a few rows) with every grassroots
    organization's scores, and this year's draft copy. One history row per object, under ``by``."""
    rng = random.Random(SEED)
    today = clock.today()
    began = time.monotonic()
    counts: Counter = Counter()
    bloc = Organization.objects.get(parent__isnull=True, kind=Kind.BLOC)
    organizations = list(Organization.objects.filter(kind__in=checks.RATED_KINDS))
    for year in _years(today):
        legacy = checks.is_legacy(year)
        start, end = checks.period_bounds(year)
        on = checks.rating_day(year)
        stamp = timezone.make_aware(datetime.combine(end, dt_time(16)))
        spells = list(Spell.objects.official().on(on).values_list("member_id", "organization_id"))
        ids = [member_id for member_id, _cell in spells]
        (exempted,) = roll.states_on(ids, on, (Movement.Kind.EXEMPTED, Movement.Kind.EXEMPTION_ENDED))
        left_out = exempted | set(
            Member.objects.filter(activity=Member.Activity.SUSPENDED).values_list("pk", flat=True)
        )
        by_cell: dict[int, list[int]] = defaultdict(list)
        for member_id, cell_id in spells:
            if member_id not in left_out:
                by_cell[cell_id].append(member_id)
        disciplined = set() if legacy else set(disciplined_between(ids, start, end))
        member_levels: dict[int, dict[int, str]] = {}
        ratings = []
        for cell_id, members in by_cell.items():
            if legacy:
                levels = {pk: _weighted(rng, LEGACY_MEMBER_LEVELS) for pk in members}
            else:
                levels = draw_member_levels(rng, year, members, disciplined)
            member_levels[cell_id] = levels
            for pk, level in levels.items():
                rating = MemberRating(
                    member_id=pk,
                    organization_id=cell_id,
                    year=year,
                    level=level,
                    approved_by=by,
                    approved_at=stamp,
                )
                if legacy:
                    rating.imported = True
                else:
                    rating.proposed_level, rating.proposed_by, rating.proposed_at = level, by, stamp
                ratings.append(rating)
        counts["member_ratings"] += _write(MemberRating, ratings, by, batch)
        # The organizations, deepest first: a committee is capped by its sub-organizations' levels.
        existing = sorted(_existing(organizations, year), key=lambda o: (-len(o.path), o.path))
        caps = rules.get("rating.organization_caps", end)
        children: dict[int, list[int]] = defaultdict(list)
        chosen: dict[int, str] = {}
        for organization in existing:
            children[organization.parent_id].append(organization.pk)
        for organization in existing:
            if legacy:
                chosen[organization.pk] = _weighted(rng, LEGACY_ORGANIZATION_LEVELS)
                continue
            below = (
                list(member_levels.get(organization.pk, {}).values())
                if organization.is_cell
                else [chosen[pk] for pk in children[organization.pk]]
            )
            chosen[organization.pk] = _capped(
                _weighted(rng, ORGANIZATION_LEVELS), below, caps, cell=organization.is_cell
            )
        if not legacy:
            for group in children.values():
                while checks.quota_broken([chosen[pk] for pk in group], end):
                    excellent = [pk for pk in group if chosen[pk] == Level.EXCELLENT]
                    chosen[rng.choice(excellent)] = Level.GOOD
        organization_ratings = [
            OrganizationRating(
                organization_id=organization.pk,
                approver_id=organization.parent_id,
                year=year,
                self_level="" if legacy else chosen[organization.pk],
                self_by=None if legacy else by,
                self_at=None if legacy else stamp,
                level=chosen[organization.pk],
                approved_by=by,
                approved_at=stamp,
                imported=legacy,
            )
            for organization in existing
        ]
        counts["organization_ratings"] += _write(OrganizationRating, organization_ratings, by, batch)
        progress(
            f"{year}: {len(ratings)} member and {len(organization_ratings)} organization ratings "
            f"({time.monotonic() - began:.1f} s)"
        )
    last = today.year - 1
    for year in (last, today.year):
        grassroots = list(placeable(bloc, year).order_by("path"))
        clusters = [
            Cluster(owner=bloc, year=year, name=name, order=order)
            for order, (name, _chosen) in enumerate(plan_clusters(grassroots))
        ]
        counts["clusters"] += _write(Cluster, clusters, by, batch)
        places = [
            ClusterMember(cluster=cluster, organization=organization, year=year)
            for cluster, (_name, chosen) in zip(clusters, plan_clusters(grassroots), strict=True)
            for organization in chosen
        ]
        _write(ClusterMember, places, by, batch)
    sheet = build_sheet(bloc, last, by)
    criteria = list(Criterion.objects.filter(sheet=sheet))
    vetoed = vetoed_paths(last)
    stamp = timezone.make_aware(datetime.combine(date(last, 12, 20), dt_time(16)))
    scores = []
    for organization in placeable(bloc, last).order_by("path"):
        met = any(path.startswith(organization.path) for path in vetoed)
        own, approved = draw_points(rng, criteria, met)
        scores += [
            Score(
                criterion=criterion,
                organization=organization,
                self_points=own[criterion.pk],
                self_by=by,
                self_at=stamp,
                points=approved[criterion.pk],
                approved_by=by,
                approved_at=stamp,
            )
            for criterion in criteria
        ]
        counts["scored_organizations"] += 1
    _write(Score, scores, by, batch)
    scoring.copy_sheet(sheet=sheet, year=today.year, by=by)
    counts["score_sheets"] += 2
    scored, seconds = counts["scored_organizations"], time.monotonic() - began
    progress(f"{len(scores)} scores of {scored} organizations ({seconds:.1f} s)")
    return {name: counts[name] for name in COUNTED}
