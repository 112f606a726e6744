"""Regulation parameters: the numbers the Party sets, as data in force by date.

Each parameter is a row of ``RuleValue`` (name, value, regulation, confirmed or not, in force from):
superusers edit them in the admin, and ``get(name, on=day)`` returns the value in force on that
day. ``DEFAULTS`` below are the values of ../shared/DOMAIN.md with the regulation each came from;
migration blocportal 0002 wrote them as the first rows, and they answer for a name that has no row
in force yet. Rules marked unconfirmed (U) there are parameters with that default, never constants
in code.

The rows are read once and kept in the process for ``CACHE_SECONDS``; a save or delete in this
process forgets them at once (``clear_cache``), other processes see an edit within that time.
"""

import time
from dataclasses import dataclass
from datetime import date

from django.db import DatabaseError

# A value with no row of its own is in force since the Party's founding.
SINCE_ALWAYS = date(1930, 2, 3)
CACHE_SECONDS = 60


@dataclass(frozen=True)
class Rule:
    value: object
    source: str
    confirmed: bool


DEFAULTS: dict[str, Rule] = {
    # DOMAIN.md §1: which kind of organization may sit under which. Types are confirmed, the exact
    # nesting limits are not (U).
    "organization.allowed_parents": Rule(
        {
            "dang_bo_khoi": (),
            "dang_bo_co_so": ("dang_bo_khoi",),
            "chi_bo_co_so": ("dang_bo_khoi",),
            "dang_bo_bo_phan": ("dang_bo_co_so",),
            "chi_bo_truc_thuoc": ("dang_bo_co_so", "dang_bo_bo_phan"),
            "to_dang": ("chi_bo_co_so", "chi_bo_truc_thuoc"),
        },
        "Điều lệ Đảng Điều 21; 294-QĐ/TW",
        False,
    ),
    # DOMAIN.md §8: document numbers run per document type within a cấp ủy term.
    "document.number_width": Rule(2, "HD 36-HD/VPTW §1.3", True),
    # DOMAIN.md §2: member lifecycle. Ages are counted in months at the admission decision.
    "member.min_age_months": Rule(18 * 12, "24-QĐ/TW §1.1, kept in 294-QĐ/TW §1.1.1", True),
    "member.max_age_months": Rule(60 * 12, "24-QĐ/TW §1.1, kept in 294-QĐ/TW §1.1.1", True),
    "member.ceremony_due_working_days": Rule(30, "294-QĐ/TW; QB Q13", True),
    "member.probation_months": Rule(12, "Điều lệ Đảng Điều 5", True),
    "member.conversion_due_working_days": Rule(30, "294-QĐ/TW §4.2", True),
    "member.official_transfer_due_working_days": Rule(60, "294-QĐ/TW §6.3.1a", True),
    # DOMAIN.md §3 (the admission pipeline, a later issue).
    "candidate.certificate_valid_months": Rule(60, "HD 06-HD/TW (2025)", True),
    "candidate.sponsor_months_together": Rule(12, "294-QĐ/TW §3.2.1; Điều lệ Đảng Điều 4", True),
    # DOMAIN.md validation rules 2, 6 and 13: how far ahead the attention list looks.
    "alert.probation_ending_days": Rule(30, "DOMAIN.md validation rule 6", True),
    "alert.certificate_expiring_days": Rule(90, "DOMAIN.md validation rule 2", True),
    # DOMAIN.md §1: below this a chi bộ cannot hold valid meetings (blocking alert).
    "cell.min_official_members": Rule(3, "Điều lệ Đảng Điều 24.1", True),
    # DOMAIN.md §1: a chi bộ with this many official members elects a chi ủy (U).
    "cell.chi_uy_from_official_members": Rule(9, "Điều lệ Đảng Điều 24.3", False),
    # DOMAIN.md §2: Huy hiệu Đảng. Only the 30-year milestone is confirmed; the later ones are U.
    "badge.milestone_years": Rule(
        (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90), "Quy định về Huy hiệu Đảng", False
    ),
    "badge.award_days": Rule(((2, 3), (5, 19), (9, 2), (11, 7)), "HD 01-HD/TW 2021 mục 18", True),
    # Working days for the Party's deadlines (blocportal/workdays.py): fixed solar public holidays
    # as (month, day). Tết, Giỗ Tổ, the day next to 2/9 and substitute days off change every year:
    # they are rows of the days-off table (blocportal.models.DayOff).
    "calendar.fixed_holidays": Rule(
        ((1, 1), (4, 30), (5, 1), (9, 2)), "Bộ luật Lao động 2019 Điều 112", True
    ),
    # DOMAIN.md §2, validation rule 5: the lý lịch đảng viên is completed after the ceremony.
    "member.personal_history_due_working_days": Rule(30, "HD 12-HD/BTCTW 2022; QB Q74", True),
    # DOMAIN.md §2 and §4: admission and conversion resolutions pass with this share of the
    # official members (the §4 denominator), as [numerator, denominator].
    "resolution.vote_share": Rule((2, 3), "HD 06-HD/TW §3.6b, §3.7a; 294-QĐ/TW §4.2", True),
    # DOMAIN.md §1 and validation rule 8: a đảng bộ cơ sở normally has this many members (U).
    "grassroots.committee_min_members": Rule(30, "Điều lệ Đảng Điều 21", False),
    # DOMAIN.md §8: the symbol of the issuing body in a document number, by kind of organization.
    "document.symbols": Rule(
        {
            "dang_bo_khoi": "ĐUK",
            "dang_bo_co_so": "ĐU",
            "dang_bo_bo_phan": "ĐU",
            "chi_bo_co_so": "CB",
            "chi_bo_truc_thuoc": "CB",
        },
        "HD 36-HD/VPTW §1.3; QB Q34, Q38",
        True,
    ),
    "document.report_type": Rule("BC", "66-QĐ/TW; 399-QĐ/TW (thể loại văn bản)", True),
    # DOMAIN.md §4: a chi bộ, a chi ủy and a đảng ủy cơ sở meet once a month (regular meeting), a
    # chi bộ holds a thematic meeting at least once a quarter (HD 12-HD/BTCTW 2018; whether HD
    # 42-HD/BTCTW 2025 keeps the quarter is U). In months: a meeting is due in each block of this
    # many months counted from January.
    "meeting.regular_every_months": Rule(1, "Điều lệ Đảng Điều 24.2; QB Q20, Q57", True),
    "meeting.thematic_every_months": Rule(3, "HD 12-HD/BTCTW 2018; HD 42-HD/BTCTW 28/10/2025", False),
    # DOMAIN.md §2, validation rule 10: absent without reason in this many months of a year is a
    # ground for xóa tên (24-QĐ/TW, kept in 294-QĐ/TW; exact wording U). The portal flags it.
    "meeting.absence_months_in_year": Rule(3, "24-QĐ/TW; 294-QĐ/TW (xóa tên)", False),
    # DOMAIN.md §5: which body may conduct which kind of case. Staff bodies never conduct an
    # inspection on signs of violation (296-QĐ/TW Điều 5, C: enforced even if this is edited); the
    # rest of the table reads Điều lệ Điều 30–32 and 296 Điều 3, 6 (U).
    "inspection.bodies_by_kind": Rule(
        {
            "dau_hieu_vi_pham": ("ban_chap_hanh", "ban_thuong_vu", "uy_ban_kiem_tra", "chi_bo"),
            "thuc_hien_nhiem_vu_ktgs": ("ban_chap_hanh", "ban_thuong_vu", "uy_ban_kiem_tra"),
            "tai_chinh_dang": ("ban_chap_hanh", "ban_thuong_vu", "uy_ban_kiem_tra"),
            "giam_sat_thuong_xuyen": (
                "ban_chap_hanh",
                "ban_thuong_vu",
                "uy_ban_kiem_tra",
                "chi_bo",
                "co_quan_tham_muu",
            ),
            "giam_sat_chuyen_de": (
                "ban_chap_hanh",
                "ban_thuong_vu",
                "uy_ban_kiem_tra",
                "chi_bo",
                "co_quan_tham_muu",
            ),
            "giai_quyet_to_cao": ("ban_chap_hanh", "ban_thuong_vu", "uy_ban_kiem_tra", "chi_bo"),
            "giai_quyet_khieu_nai": ("ban_chap_hanh", "ban_thuong_vu", "uy_ban_kiem_tra"),
        },
        "Điều lệ Đảng Điều 30–32; 296-QĐ/TW Điều 3, 5, 6",
        False,
    ),
    # DOMAIN.md §5: handling deadlines of a denunciation, in days from receipt, by the level of the
    # receiving organization (recalled from 22-QĐ/TW: U).
    "complaint.handling_days": Rule(
        {"chi_bo": 30, "co_so": 60, "cap_tren": 90}, "22-QĐ/TW (recalled; 296-QĐ/TW unconfirmed)", False
    ),
    # The attention hub lists a letter this many days before its deadline (a portal decision).
    "alert.complaint_due_days": Rule(10, "BlocPortal (DOMAIN.md validation rule 12)", True),
    # DOMAIN.md §5: limitation periods in years from the violation, by form; none for khai trừ and
    # giải tán (69-QĐ/TW Điều 4.2b, C); the years are U.
    "discipline.limitation_years": Rule(
        {"khien_trach": 5, "canh_cao": 10, "cach_chuc": 10}, "69-QĐ/TW Điều 4; HD 08 I.7", False
    ),
    # DOMAIN.md §5: an appeal is filed within this many days of receiving the decision.
    "discipline.appeal_days": Rule(30, "296-QĐ/TW Điều 25.1; QB Q31", True),
    # DOMAIN.md §6: quality ratings. Years up to this one rated grassroots organizations by the legacy
    # classification (trong sạch, vững mạnh … yếu kém; HD 20, HD 27), replaced by HD 16-HD/BTCTW (2018).
    "rating.legacy_until_year": Rule(2017, "HD 16-HD/BTCTW 2018; HD 20, HD 27", True),
    # "Hoàn thành xuất sắc" may not exceed this share of those rated "hoàn thành tốt" in a group (the
    # members of one chi bộ, the grassroots organizations under one committee), as [numerator,
    # denominator]. C for 124-QĐ/TW; whether 366-QĐ/TW keeps it is U.
    "rating.excellent_quota": Rule((1, 5), "124-QĐ/TW; 366-QĐ/TW (U)", False),
    # A member disciplined in the year is rated at most this (HD 16-HD/BTCTW 2018, C; later softened? U).
    "rating.disciplined_member_max": Rule("kht", "HD 16-HD/BTCTW 2018", False),
    # An organization rated "hoàn thành tốt" or better needs this share (percent) of its members (a chi bộ)
    # or of its sub-organizations (a đảng bộ) at "hoàn thành" or better, and this share at "hoàn thành tốt"
    # or better; more than ``failed_over_percent`` of a chi bộ's members "không hoàn thành" makes it
    # "không hoàn thành" (HD 16, 21, 25: C; under HD 43-HD/BTCTW: U).
    "rating.organization_caps": Rule(
        {"good_min_done_percent": 100, "good_min_good_percent": 50, "failed_over_percent": 20},
        "HD 16-HD/BTCTW; HD 21, HD 25; HD 43-HD/BTCTW (U)",
        False,
    ),
    # A member rated "không hoàn thành" this many years in a row is a ground for xóa tên (§2).
    "rating.failed_years_for_removal": Rule(2, "Điều lệ Đảng Điều 8; 294-QĐ/TW §7", True),
    # 366-QĐ/TW (2025) allows quarterly ratings from this year on (the year is U).
    "rating.quarterly_from_year": Rule(2025, "366-QĐ/TW (2025)", False),
    # DOMAIN.md §9 (periodic reports): a grassroots organization's report is due at the bloc this many
    # days after its period ends; a later submission is late (the bloc's practice, U).
    "report.submission_days": Rule(10, "BlocPortal (DOMAIN.md §9, the bloc's practice)", False),
    # The scheduled batch (Celery beat) makes the period's reports this many days after it ends (U).
    "report.batch_days_after": Rule(5, "BlocPortal (DOMAIN.md §9, the bloc's practice)", False),
}


_cache: dict[str, list[tuple[date, object]]] | None = None
_loaded_at = 0.0


def _frozen(value):
    """JSON gives lists; the rules are compared as tuples ((1, 1) in holidays)."""
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    return value


def missing_table(error: DatabaseError) -> bool:
    """The rule tables do not exist yet (``migrate`` has not run): only then do defaults answer; any
    other database error (an outage) is raised, never hidden behind default values."""
    text = str(error).lower()
    return "no such table" in text or ("does not exist" in text and "relation" in text)


def shaped_like_default(name: str, value) -> bool:
    """A value of the same shape as the parameter's default: the same type, the same keys for a
    mapping, the same length for a pair (the vote share, a holiday)."""
    default = DEFAULTS[name].value
    value = _frozen(value)
    if isinstance(default, bool) or isinstance(value, bool):
        return type(default) is type(value)
    if isinstance(default, int):
        return isinstance(value, int)
    if isinstance(default, dict):
        return isinstance(value, dict) and set(value) == set(default)
    if isinstance(default, tuple):
        if not isinstance(value, tuple):
            return False
        if default and all(isinstance(item, tuple) for item in default):
            return all(isinstance(item, tuple) and len(item) == len(default[0]) for item in value)
        if len(default) == 2:  # a pair: the vote share
            return len(value) == 2 and all(isinstance(v, int) for v in value)
        return all(isinstance(v, type(default[0])) for v in value) if default else True
    return isinstance(value, type(default))


def clear_cache() -> None:
    global _cache
    _cache = None


def _rows() -> dict[str, list[tuple[date, object]]]:
    global _cache, _loaded_at
    if _cache is None or time.monotonic() - _loaded_at > CACHE_SECONDS:
        from .models import RuleValue

        rows: dict[str, list[tuple[date, object]]] = {}
        try:
            for name, effective_on, value in RuleValue.objects.order_by("name", "-effective_on").values_list(
                "name", "effective_on", "value"
            ):
                rows.setdefault(name, []).append((effective_on, _frozen(value)))
        except DatabaseError as error:
            if missing_table(error):  # before the first migration: the defaults answer
                return {}
            raise
        _cache, _loaded_at = rows, time.monotonic()
    return _cache


def snapshot() -> dict[str, list[tuple[date, object]]]:
    """Every rule's values by date as this process holds them now. A new read of the table (a
    change, or the cache's age) gives a new object, so a caller may keep what it derived from the
    rules for as long as ``snapshot()`` returns the same object (``workdays.add_working_days``)."""
    return _rows()


def get(name: str, on: date | None = None):
    """The value of the parameter ``name`` in force on ``on`` (today by default)."""
    if name not in DEFAULTS:
        raise KeyError(name)
    if on is None:
        from . import clock

        on = clock.today()
    for effective_on, value in _rows().get(name, ()):
        if effective_on <= on:
            return value
    return DEFAULTS[name].value
