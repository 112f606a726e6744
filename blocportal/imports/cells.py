"""Cell values as the rows read them: text, dates (typed, dd/mm/yyyy or Excel serial numbers) and
the fixed Vietnamese labels of a choice. The readers of ``files`` and the rows of ``rows`` both go
through here."""

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from ..text import nfc, search_key

_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_SERIAL = re.compile(r"^\d{5,7}(\.0+)?$")
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 01/01/1900 (Excel's 1900 leap-year bug included)
# Serial numbers below 10000 (18/05/1927) are far more often a year or a typo than a date.
SERIAL_RANGE = (10_000, 2_958_465)


def cell_text(value: object) -> str:
    """A cell as NFC text: 101.0 → "101", a date cell → "05/02/2026", None → ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return nfc(str(value))


def match_choice(value: str, labels: Mapping[str, str]) -> str | None:
    """The key of ``labels`` whose label equals ``value`` ignoring case and tone marks."""
    wanted = search_key(value)
    for key, label in labels.items():
        if search_key(label) == wanted:
            return key
    return None


def parse_date(value: object) -> date | None:
    """dd/mm/yyyy (also d/m/yyyy, with "-" or "."), an Excel date cell or an Excel serial number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return _from_serial(float(value))
    text = nfc(str(value))
    if _SERIAL.match(text):
        return _from_serial(float(text))
    match = _DATE.match(text)
    if not match:
        raise ValueError(value)
    day, month, year = (int(part) for part in match.groups())
    return date(year, month, day)


def _from_serial(serial: float) -> date:
    if not serial.is_integer() or not SERIAL_RANGE[0] <= serial <= SERIAL_RANGE[1]:
        raise ValueError(serial)
    return _EXCEL_EPOCH + timedelta(days=int(serial))
