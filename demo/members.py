"""The demo members of ``seed_demo``: a register entered from the existing files two years ago, then
two years of movements recorded through the services, exactly as staff would have typed them.

Names, ages, ethnicities and religions follow a provincial bloc in the Central Highlands (Gia Lai):
mostly Kinh, with Gia Rai and Ba Na members. Everything comes from the seeded random source.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from blocportal import clock, rules
from blocportal.workdays import add_months
from members import resolutions, services
from members.models import Member, Movement
from organizations.models import Organization

SURNAMES = {
    "Nguyễn": 30, "Trần": 11, "Lê": 9, "Phạm": 7, "Hoàng": 5, "Huỳnh": 4, "Phan": 4, "Vũ": 4, "Võ": 4,
    "Đặng": 2, "Bùi": 2, "Đỗ": 2, "Hồ": 2, "Ngô": 2, "Đinh": 2, "Dương": 1, "Lý": 1, "Đào": 1,
    "Trương": 1, "Lương": 1,
}  # fmt: skip
MIDDLE = {
    "nam": ["Văn", "Đình", "Minh", "Quang", "Hữu", "Đức", "Công", "Thanh", "Xuân", "Ngọc", "Anh", "Trọng"],
    "nu": ["Thị", "Thị Thu", "Thị Thanh", "Ngọc", "Thị Kim", "Thị Hồng", "Thị Minh", "Thùy", "Thị Mỹ"],
}
GIVEN = {
    "nam": ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Khoa", "Lâm", "Long", "Minh",
            "Nam", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thắng", "Thành", "Trung", "Tuấn", "Việt",
            "Vinh", "Hiếu", "Toàn", "Khánh", "Lực"],
    "nu": ["Anh", "Bích", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hạnh", "Hoa", "Hồng", "Hương", "Lan",
           "Liên", "Linh", "Loan", "Mai", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Thảo", "Trang",
           "Vân", "Yến", "Huyền"],
}  # fmt: skip
# Gia Rai and Ba Na names: family name, then (for women) the H' prefix and the given name.
HIGHLANDS = {
    "Gia Rai": (["Ksor", "Rơ Châm", "Rah Lan", "Siu", "Rơ Mah", "Kpă", "Nay", "Puih"],
                ["Blong", "Thuyên", "Phước", "Hyuh", "Djuh", "Pher", "Byă", "Đoan"],
                ["Mai", "Linh", "Nhung", "Uyên", "Yơn", "Bly", "Hiên", "Lang"]),
    "Ba Na": (["Đinh", "Đinh Văn", "Rơ Ông"],
              ["Hmưi", "Khiếp", "Plơi", "Thuốt", "Blen", "Hyun"],
              ["Đinh Thị Hiền", "Đinh Thị Hmai", "Đinh Thị Phơ"]),
}  # fmt: skip
ETHNICITIES = {"Kinh": 84, "Gia Rai": 8, "Ba Na": 4, "Tày": 2, "Mường": 1, "Thái": 1}
RELIGIONS = {"Không": 86, "Phật giáo": 6, "Công giáo": 3, "Tin lành": 5}
PROFESSIONS = [
    "Cử nhân Kinh tế", "Cử nhân Luật", "Cử nhân Kế toán", "Kỹ sư Nông nghiệp", "Thạc sĩ Quản lý kinh tế",
    "Bác sĩ đa khoa", "Cử nhân Sư phạm", "Kỹ sư Điện", "Cử nhân Báo chí", "Thạc sĩ Quản lý công",
    "Kỹ sư Xây dựng", "Cao đẳng Kế toán", "Trung cấp Điều dưỡng", "Cử nhân Công nghệ thông tin",
]  # fmt: skip
JOB_TITLES = [
    "Chuyên viên", "Chuyên viên", "Chuyên viên chính", "Trưởng phòng", "Phó Trưởng phòng", "Kế toán viên",
    "Nhân viên", "Giảng viên", "Bác sĩ", "Phóng viên", "Kỹ sư", "Công nhân", "Điều dưỡng",
]  # fmt: skip
THEORY = {"chua": 18, "so_cap": 42, "trung_cap": 30, "cao_cap": 8, "cu_nhan": 2}

# Movements over the two years, per 1,000 members.
PER_THOUSAND = {
    "admit": 110,
    "transfer": 30,
    "transfer_out": 14,
    "transfer_in": 16,
    "temporary": 8,
    "end_temporary": 4,
    "visit": 3,
    "end_visit": 1,
    "exempt": 10,
    "end_exemption": 2,
    "death": 4,
    "remove": 1,
    "leave": 0.5,
    "remove_probationary": 1,
}


def _weighted(rng: random.Random, table: dict) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


class SeedError(Exception):
    """A demo step the services refused: the seed stops and says which, rather than skip it."""


def person(rng: random.Random, cccds: set, born_from: int, born_to: int) -> dict:
    """A made-up member of the Central Highlands bloc: name, gender, birth, ethnicity and religion
    drawn from the tables above, and a CCCD not in ``cccds`` (added to it). Shared with seed_bench."""
    gender = "nu" if rng.random() < 0.46 else "nam"
    ethnicity = _weighted(rng, ETHNICITIES)
    if ethnicity in HIGHLANDS:
        families, men, women = HIGHLANDS[ethnicity]
        given = rng.choice(men) if gender == "nam" else f"H'{rng.choice(women).split()[-1]}"
        name = f"{rng.choice(families)} {given}"
        religion = rng.choice(["Không", "Không", "Tin lành", "Công giáo"])
    else:
        name = f"{_weighted(rng, SURNAMES)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
        religion = _weighted(rng, RELIGIONS)
    birth = date(rng.randint(born_from, born_to), rng.randint(1, 12), rng.randint(1, 28))
    return {
        "full_name": name,
        "gender": gender,
        "birth_date": birth,
        "ethnicity": ethnicity,
        "religion": religion,
        "cccd": cccd(rng, cccds, gender, birth),
        "education": "12/12",
        "profession": rng.choice(PROFESSIONS),
        "theory_level": _weighted(rng, THEORY),
        "job_title": rng.choice(JOB_TITLES),
    }


def cccd(rng: random.Random, cccds: set, gender: str, birth: date) -> str:
    """Province 064 (Gia Lai), the gender-and-century digit, the year of birth, six digits; one not
    in ``cccds`` (added to it)."""
    century = 0 if birth.year < 2000 else 2
    while True:
        value = f"064{century + (gender == 'nu')}{birth.year % 100:02d}{rng.randint(0, 999_999):06d}"
        if value not in cccds:
            cccds.add(value)
            return value


@dataclass
class Register:
    """What the movements draw from: the chi bộ open on a date and the members in each state."""

    rng: random.Random
    by: object
    cells: list[Organization]
    today: date
    cccds: set = field(default_factory=set)
    visitors: list = field(default_factory=list)  # attached from outside the bloc, not on its register
    cards: int = 0
    created: int = 0
    # The chi bộ the register filled; movements land in them, so a small demo stays concentrated.
    populated: set = field(default_factory=set)

    def person(self, born_from: int, born_to: int) -> dict:
        return person(self.rng, self.cccds, born_from, born_to)

    def card(self) -> str:
        self.cards += 1
        return f"64{self.cards:06d}"

    def cell_open_on(self, on: date, exclude: int | None = None) -> Organization:
        choices = [c for c in self.cells if (c.established_on or on) <= on and c.pk != exclude]
        filled = [c for c in choices if c.pk in self.populated]
        return self.rng.choice(filled or choices)


def seed_members(demo, target: int) -> int:
    """About ``target`` members on the register today; returns how many member records were made.
    Skipped when the bloc already has members (a second run changes nothing)."""
    if Member.objects.exists() or target <= 0:
        return 0
    today = clock.today()
    cells = list(Organization.objects.filter(kind__in=Organization.CELL_KINDS, dissolved_on__isnull=True))
    cells.sort(key=lambda c: c.path)
    register = Register(rng=demo.rng, by=demo.by, cells=cells, today=today)
    start = today - timedelta(days=730)
    with transaction.atomic():
        initial = _seed_register(register, start, target, tuple(demo.keep_populated))
        _seed_movements(register, start, initial, target)
    return register.created


def _seed_register(register: Register, start: date, target: int, keep: tuple[str, ...] = ()) -> list[Member]:
    """The register as it stood two years ago, entered from the files: mostly official members of
    every age, and the probationary members admitted in the year before."""
    rng = register.rng
    weights = [
        rng.randint(4, 40) if c.kind == Organization.Kind.SUBORDINATE_CELL else rng.randint(6, 50)
        for c in register.cells
    ]
    # A few chi bộ stay below three official members, as the bloc's real register has.
    for index in rng.sample(range(len(weights)), k=max(1, len(weights) // 40)):
        weights[index] = 0
    # A small demo (the tests seed 300 members) fills fewer chi bộ, about a dozen members each, so
    # that some still have the three official members and the sponsors that an admission needs.
    # The demo users' organizations always have members.
    populated = max(12, target // 12)
    if populated < len(weights):
        kept = [i for i, c in enumerate(register.cells) if c.path.startswith(tuple(keep))]
        others = [i for i in range(len(weights)) if i not in set(kept)]
        for index in rng.sample(others, k=max(len(weights) - populated - len(kept), 0)):
            weights[index] = 0
        for index in kept:
            weights[index] = weights[index] or rng.randint(6, 20)
    register.populated = {cell.pk for cell, weight in zip(register.cells, weights, strict=True) if weight}
    scale = target * 0.9 / max(sum(weights), 1)
    members = []
    for cell, weight in zip(register.cells, weights, strict=True):
        for _ in range(max(round(weight * scale), 0)):
            probationary = rng.random() < 0.04
            person = register.person(1962 if not probationary else 1986, 1998 if not probationary else 2002)
            earliest = add_months(person["birth_date"], 12 * 20)
            if probationary:
                admitted = start - timedelta(days=rng.randint(40, 330))
            else:
                latest = min(add_months(person["birth_date"], 12 * 40), start - timedelta(days=400))
                admitted = earliest + timedelta(days=rng.randint(0, max((latest - earliest).days, 0)))
            ceremony = admitted + timedelta(days=rng.randint(7, 25))
            official = None
            if not probationary:
                official = add_months(ceremony, rules.get("member.probation_months"))
            members.append(
                services.register(
                    organization=cell,
                    admitted_on=admitted,
                    ceremony_on=ceremony,
                    official_on=official,
                    card_number=register.card() if official else "",
                    by=register.by,
                    note="Nhập từ sổ đảng viên năm " + str(start.year),
                    **person,
                )
            )
            if probationary:  # their lý lịch was completed a few weeks after the ceremony
                members[-1] = services.update_profile(
                    member=members[-1], personal_history_on=ceremony + timedelta(days=20), by=register.by
                )
            register.created += 1
    return members


def _seed_movements(register: Register, start: date, initial: list[Member], target: int) -> None:
    """Two years of movements in date order, each drawn on its day from the members it can apply to."""
    rng = register.rng
    days = (register.today - start).days
    plan = []
    for kind, rate in PER_THOUSAND.items():
        count = round(rate * target / 1000) or (1 if target >= 200 else 0)
        plan += [(start + timedelta(days=rng.randint(1, days - 3)), kind) for _ in range(count)]
    plan.sort()
    current = {m.pk: m for m in initial}
    for on, kind in plan:
        if on.weekday() >= 5:
            on -= timedelta(days=on.weekday() - 4)
        _convert_due(register, current, on)
        try:
            with transaction.atomic():
                _move(register, current, kind, on)
        except ValidationError as error:
            raise SeedError(f"{kind} on {on:%d/%m/%Y}: {'; '.join(error.messages)}") from error
    _convert_due(register, current, register.today, leave_some_overdue=True)


def _convert_due(register: Register, current: dict, on: date, leave_some_overdue: bool = False) -> None:
    """Probationary members whose probation ended are made official a few days later, as chi bộ do
    (a few are left overdue at the end, for the attention list)."""
    rng = register.rng
    for pk, member in list(current.items()):
        if member.status != Member.Status.PROBATIONARY:
            continue
        decided = member.probation_ends_on + timedelta(days=rng.randint(3, 20))
        if decided > on:
            continue
        if leave_some_overdue and rng.random() < 0.08:
            continue
        resolved = max(member.probation_ends_on, decided - timedelta(days=2))
        counted = resolutions.register_on(member.organization, resolved)
        if counted.official < rules.get("cell.min_official_members", on=resolved):
            continue  # the chi bộ cannot pass the resolution: the member stays overdue, as in life
        denominator = counted.denominator()
        current[pk] = services.make_official(
            member=member,
            on=decided,
            decision_no=f"{rng.randint(1, 999)}-QĐ/ĐU",
            card_number=register.card(),
            resolution_no=f"{rng.randint(1, 30):02d}-NQ/CB",
            resolution_on=resolved,
            votes_for=denominator - rng.randint(0, denominator // 4),
            official_members=denominator,
            by=register.by,
        )


def _pick(register: Register, current: dict, on: date, **wanted) -> Member | None:
    """A member in the wanted state whose spell had begun by ``on``: a member entered into a chi bộ
    founded after the register was taken belongs to it only from its founding."""
    founded = {c.pk: c.established_on for c in register.cells}
    pool = [
        m
        for m in current.values()
        if all(getattr(m, k) == v for k, v in wanted.items())
        and (founded.get(m.organization_id) or on) <= on
        and m.admitted_on <= on
    ]
    return register.rng.choice(pool) if pool else None


def _move(register: Register, current: dict, kind: str, on: date) -> None:
    rng, by = register.rng, register.by
    decision = f"{rng.randint(1, 999)}-QĐ/ĐU"
    official = {"status": Member.Status.OFFICIAL, "activity": Member.Activity.ACTIVE}
    if kind == "admit":
        person = register.person(max(on.year - 34, 1966), on.year - 21)
        member = services.admit(
            organization=register.cell_open_on(on),
            admitted_on=on,
            ceremony_on=min(on + timedelta(days=rng.randint(5, 20)), register.today),
            decision_no=decision,
            # The demo's past admissions: decided before the portal recorded the pipeline.
            decided_outside=True,
            note="Hồ sơ kết nạp lưu tại văn phòng cấp ủy cơ sở",
            by=by,
            **person,
        )
        # The lý lịch is completed within its 30 working days, but for a few late or still open.
        completed = member.ceremony_on + timedelta(days=rng.choice([14, 21, 28, 35, 60]))
        if completed <= register.today and rng.random() < 0.92:
            member = services.update_profile(member=member, personal_history_on=completed, by=by)
        current[member.pk] = member
        register.created += 1
    elif kind == "transfer_in":
        person = register.person(1970, 1996)
        admitted = min(add_months(person["birth_date"], 12 * rng.randint(22, 28)), on - timedelta(days=500))
        ceremony = admitted + timedelta(days=rng.randint(7, 20))
        member = services.transfer_in(
            organization=register.cell_open_on(on),
            origin=rng.choice(ORIGINS),
            on=on,
            decision_no=decision,
            admitted_on=admitted,
            ceremony_on=ceremony,
            official_on=add_months(ceremony, rules.get("member.probation_months")),
            card_number=register.card(),
            by=by,
            **person,
        )
        current[member.pk] = member
        register.created += 1
    elif kind == "visit":
        person = register.person(1975, 1996)
        admitted = min(add_months(person["birth_date"], 12 * rng.randint(22, 28)), on - timedelta(days=500))
        ceremony = admitted + timedelta(days=rng.randint(7, 20))
        register.visitors.append(
            services.receive_temporary(
                organization=register.cell_open_on(on),
                origin=rng.choice(ORIGINS),
                on=on,
                admitted_on=admitted,
                ceremony_on=ceremony,
                official_on=add_months(ceremony, rules.get("member.probation_months")),
                card_number=register.card(),
                by=by,
                **person,
            )
        )
        register.created += 1
    elif kind == "end_visit":
        if register.visitors:
            services.end_temporary(member=register.visitors.pop(0), on=on, by=by)
    elif kind == "transfer":
        member = _pick(register, current, on, **official)
        if member:
            to = register.cell_open_on(on, exclude=member.organization_id)
            current[member.pk] = services.transfer(member=member, to=to, on=on, decision_no=decision, by=by)
    elif kind == "temporary":
        member = _pick(register, current, on, **official)
        if member:
            to = register.cell_open_on(on, exclude=member.organization_id)
            current[member.pk] = services.send_temporary(
                member=member, to=to, on=on, decision_no=decision, by=by
            )
    elif kind == "exempt":
        member = _pick(register, current, on, **official)
        if member:
            ground = _weighted(rng, {"tuoi_cao": 6, "dieu_tri": 2, "thai_san": 2})
            current[member.pk] = services.exempt(member=member, on=on, ground=ground, decision_no="", by=by)
    elif kind == "end_temporary":
        member = _pick(register, current, on, activity=Member.Activity.TEMPORARILY_AWAY)
        if member:
            current[member.pk] = services.end_temporary(member=member, on=on, by=by)
    elif kind == "end_exemption":
        member = _pick(register, current, on, activity=Member.Activity.EXEMPTED)
        if member:
            current[member.pk] = services.end_exemption(member=member, on=on, by=by)
    elif kind == "remove_probationary":
        member = _pick(register, current, on, status=Member.Status.PROBATIONARY)
        if member:
            services.remove_probationary(member=member, on=on, decision_no=decision, by=by)
            del current[member.pk]
    else:
        member = _pick(register, current, on, status=Member.Status.OFFICIAL)
        if member is None:
            return
        if kind == "transfer_out":
            services.transfer_out(
                member=member, destination=rng.choice(ORIGINS), on=on, decision_no=decision, by=by
            )
            # Most return slips come back within weeks; a few never do (the attention list).
            received = on + timedelta(days=rng.randint(10, 50))
            if received <= register.today and rng.random() < 0.9:
                event = member.events.get(kind=Movement.Kind.TRANSFERRED_OUT, on=on)
                services.confirm_transfer_received(event=event, on=received, by=by)
        elif kind == "death":
            services.record_death(member=member, on=on, by=by)
        elif kind == "remove":
            services.remove(
                member=member, on=on, ground=Movement.RemovalGround.NEGLECT, decision_no=decision, by=by
            )
        elif kind == "leave":
            services.leave_party(member=member, on=on, decision_no=decision, by=by)
        del current[member.pk]


ORIGINS = [
    "Đảng bộ xã Ia Grai, tỉnh Gia Lai",
    "Đảng bộ phường Pleiku, tỉnh Gia Lai",
    "Đảng bộ Quân sự tỉnh Gia Lai",
    "Đảng bộ Công an tỉnh Gia Lai",
    "Đảng bộ Khối các cơ quan Trung ương",
    "Đảng bộ tỉnh Đắk Lắk",
    "Đảng bộ Thành phố Hồ Chí Minh",
]
