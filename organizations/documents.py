"""How a Party document names the bodies that issue it and dates it (HD 36-HD/VPTW; DOMAIN.md §8):
the reports' PDF (reports/document.py) and the meetings' printables (meetings/pages.py) share it."""

from datetime import date

from django.conf import settings

from blocportal.text import nfc

from .models import Organization

Kind = Organization.Kind
# The organizations that issue documents through their committee (đảng ủy): a đảng bộ.
COMMITTEE_KINDS = (Kind.BLOC, Kind.GRASSROOTS_COMMITTEE, Kind.BRANCH_COMMITTEE)


def date_line(day: date) -> str:
    """ "Gia Lai, ngày 05 tháng 02 năm 2026": days below 10 and the months January and February are
    written with a leading zero (DOMAIN.md §8), so that no digit can be added in front later."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{settings.PORTAL_PLACE}, ngày {day.day:02d} tháng {month} năm {day.year}"


def committee_name(name: str) -> str:
    """A đảng bộ issues documents through its committee: "Đảng bộ Sở Tài chính" → "Đảng ủy Sở Tài chính"."""
    name = nfc(name)
    prefix = "đảng bộ "
    return f"Đảng ủy {name[len(prefix) :]}" if name.lower().startswith(prefix) else name


def issuing_body(organization: Organization) -> str:
    name = (
        committee_name(organization.name) if organization.kind in COMMITTEE_KINDS else nfc(organization.name)
    )
    return name.upper()


def upper_body(organization: Organization) -> str:
    """The body directly above the issuer, in plain caps: the province's đảng bộ above the bloc."""
    if organization.parent is None:
        return nfc(settings.PORTAL_UPPER_BODY).upper()
    return nfc(organization.parent.name).upper()
