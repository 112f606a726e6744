"""Regulation parameters: the numbers the Party changes, in one place.

Each parameter carries its default from ../shared/DOMAIN.md and the regulation it came from.
Rules marked unconfirmed (U) there are parameters with that default, never constants in code.
Later issues add the member, meeting and rating parameters here (effective-dated, editable by
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
}


def get(name: str):
    """The value of a rule parameter."""
    return RULES[name].value
