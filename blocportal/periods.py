"""Reporting periods: "2026-Q2", "2026-H1", "2026-9M", "2026".

Labels read as the bloc writes them: "Quý II năm 2026", "6 tháng đầu năm 2026".
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<part>Q[1-4]|H[12]|9M))?$")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True, order=True)
class Period:
    year: int
    part: str = ""  # "" (whole year), "Q1".."Q4", "H1", "H2", "9M"

    @classmethod
    def parse(cls, text: str) -> "Period":
        match = _PATTERN.match((text or "").strip().upper())
        if not match or not 1900 < int(match["year"]) < 2200:
            raise ValidationError(
                _("“%(value)s” is not a period. Use 2026-Q2, 2026-H1, 2026-9M or 2026."),
                code="invalid_period",
                params={"value": text},
            )
        return cls(int(match["year"]), match["part"] or "")

    @classmethod
    def quarter_of(cls, day: date) -> "Period":
        return cls(day.year, f"Q{(day.month - 1) // 3 + 1}")

    def __str__(self) -> str:
        return f"{self.year}-{self.part}" if self.part else str(self.year)

    @property
    def kind(self) -> str:
        """The report kind this period belongs to: quarterly, half_year, nine_months or annual."""
        if self.part.startswith("Q"):
            return "quarterly"
        return {"H1": "half_year", "H2": "half_year", "9M": "nine_months"}.get(self.part, "annual")

    @property
    def months(self) -> tuple[int, int]:
        if self.part.startswith("Q"):
            q = int(self.part[1])
            return 3 * q - 2, 3 * q
        return {"H1": (1, 6), "H2": (7, 12), "9M": (1, 9)}.get(self.part, (1, 12))

    @property
    def start(self) -> date:
        return date(self.year, self.months[0], 1)

    @property
    def end(self) -> date:
        last = self.months[1]
        return date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def label(self) -> str:
        if self.part.startswith("Q"):
            return _("Quarter %(q)s of %(year)s") % {"q": _ROMAN[int(self.part[1])], "year": self.year}
        if self.part == "H1":
            return _("first 6 months of %(year)s") % {"year": self.year}
        if self.part == "H2":
            return _("last 6 months of %(year)s") % {"year": self.year}
        if self.part == "9M":
            return _("first 9 months of %(year)s") % {"year": self.year}
        return _("year %(year)s") % {"year": self.year}
