"""Reporting periods: "2026-05", "2026-Q2", "2026-H1", "2026-9M", "2026" and "2011-2015".

Labels read as the bloc writes them: "tháng 5 năm 2026", "Quý II năm 2026", "6 tháng đầu năm 2026",
"5 năm (2011–2015)". ``previous`` is the comparable period before ("so với cùng kỳ"): the same month,
quarter, half or months of the year before, and for a span of years the span of the same length
just before it.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_PATTERN = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<part>Q[1-4]|H[12]|9M)|(?P<month>0[1-9]|1[0-2])|(?P<last>\d{4})))?$"
)
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
# A span longer than this is a typing mistake, not a reporting period (a term is 5 years).
_MAX_SPAN_YEARS = 20


@dataclass(frozen=True, order=True)
class Period:
    year: int
    part: str = ""  # "" (whole year), "Q1".."Q4", "H1", "H2", "9M", "M01".."M12"
    last_year: int | None = None  # the last year of a span of whole years ("2011-2015")

    @classmethod
    def parse(cls, text: str) -> "Period":
        match = _PATTERN.match((text or "").strip().upper())
        if not match or not 1900 < int(match["year"]) < 2200:
            raise ValidationError(
                _("“%(value)s” is not a period. Use 2026-05, 2026-Q2, 2026-H1, 2026-9M, 2026 or 2011-2015."),
                code="invalid_period",
                params={"value": text},
            )
        year = int(match["year"])
        if match["last"]:
            last = int(match["last"])
            if not year < last <= year + _MAX_SPAN_YEARS:
                raise ValidationError(
                    _("A span of years runs from an earlier to a later year, at most %(max)s years apart."),
                    code="invalid_span",
                    params={"max": _MAX_SPAN_YEARS},
                )
            return cls(year, "", last)
        if match["month"]:
            return cls(year, f"M{match['month']}")
        return cls(year, match["part"] or "")

    @classmethod
    def quarter_of(cls, day: date) -> "Period":
        return cls(day.year, f"Q{(day.month - 1) // 3 + 1}")

    @classmethod
    def month_of(cls, day: date) -> "Period":
        return cls(day.year, f"M{day.month:02d}")

    def __str__(self) -> str:
        if self.last_year:
            return f"{self.year}-{self.last_year}"
        if self.part.startswith("M"):
            return f"{self.year}-{self.part[1:]}"
        return f"{self.year}-{self.part}" if self.part else str(self.year)

    @property
    def kind(self) -> str:
        """monthly, quarterly, half_year, nine_months, annual or years (a span of whole years).
        Periodic reports exist for quarterly … annual only."""
        if self.last_year:
            return "years"
        if self.part.startswith("M"):
            return "monthly"
        if self.part.startswith("Q"):
            return "quarterly"
        return {"H1": "half_year", "H2": "half_year", "9M": "nine_months"}.get(self.part, "annual")

    @property
    def months(self) -> tuple[int, int]:
        """The first and last month of the period within its first and last year."""
        if self.part.startswith("M"):
            month = int(self.part[1:])
            return month, month
        if self.part.startswith("Q"):
            q = int(self.part[1])
            return 3 * q - 2, 3 * q
        return {"H1": (1, 6), "H2": (7, 12), "9M": (1, 9)}.get(self.part, (1, 12))

    @property
    def years(self) -> range:
        return range(self.year, (self.last_year or self.year) + 1)

    @property
    def start(self) -> date:
        return date(self.year, self.months[0], 1)

    @property
    def end(self) -> date:
        year, last = self.last_year or self.year, self.months[1]
        return date(year, last, calendar.monthrange(year, last)[1])

    @property
    def previous(self) -> "Period":
        """The comparable period before this one (cùng kỳ)."""
        if self.last_year:
            length = self.last_year - self.year + 1
            return Period(self.year - length, "", self.year - 1)
        return Period(self.year - 1, self.part)

    def month_starts(self) -> list[date]:
        """The first day of every month of the period, in order (movements by month)."""
        months, day = [], self.start
        while day <= self.end:
            months.append(day)
            day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return months

    @property
    def label_in_sentence(self) -> str:
        """The label inside a sentence: "quý II năm 2026" (the roman numerals keep their case)."""
        label = str(self.label)
        return f"{label[:1].lower()}{label[1:]}"

    @property
    def label(self) -> str:
        if self.last_year:
            return _("%(count)s years (%(first)s–%(last)s)") % {
                "count": self.last_year - self.year + 1,
                "first": self.year,
                "last": self.last_year,
            }
        if self.part.startswith("M"):
            return _("month %(month)s of %(year)s") % {"month": int(self.part[1:]), "year": self.year}
        if self.part.startswith("Q"):
            return _("Quarter %(q)s of %(year)s") % {"q": _ROMAN[int(self.part[1])], "year": self.year}
        if self.part == "H1":
            return _("first 6 months of %(year)s") % {"year": self.year}
        if self.part == "H2":
            return _("last 6 months of %(year)s") % {"year": self.year}
        if self.part == "9M":
            return _("first 9 months of %(year)s") % {"year": self.year}
        return _("year %(year)s") % {"year": self.year}
