"""Regulation parameters: the numbers the Party changes, in one place.

Each parameter carries its default from ../shared/DOMAIN.md and the regulation it came from.
Rules marked unconfirmed (U) there are parameters with that default, never constants in code.
Later issues add the meeting and rating parameters here (effective-dated, editable by
superusers).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    value: object
    source: str
    confirmed: bool


RULES: dict[str, Rule] = {
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
    "alert.badge_days_ahead": Rule(60, "DOMAIN.md validation rule 13", True),
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
    # as (month, day); the lunar ones (Tết, Giỗ Tổ), the day next to 2/9 that changes every year
    # and substitute days off are listed per year as ISO dates by the administrator.
    "calendar.fixed_holidays": Rule(
        ((1, 1), (4, 30), (5, 1), (9, 2)), "Bộ luật Lao động 2019 Điều 112", True
    ),
    "calendar.extra_holidays": Rule((), "Thông báo nghỉ lễ, Tết hằng năm", False),
}


def get(name: str):
    """The value of a rule parameter."""
    return RULES[name].value
