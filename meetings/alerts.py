"""The meetings' sections of the attention hub (blocportal.attention), registered by
``MeetingsConfig.ready()``: the chi bộ and đảng bộ cơ sở with no regular meeting yet this month, the
chi bộ with no thematic meeting yet this quarter (DOMAIN.md §4), and the members absent without a
reason in ``meeting.absence_months_in_year`` months of the year, a ground for xóa tên that the chi
bộ considers (DOMAIN.md §2: the portal flags, the chi bộ decides, and a removal goes through the
member service). Their rows and counts come from ``meetings.selectors.alerts``; here are what the
hub needs besides: titles, templates, the page behind them, and each row as a line of the digest."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blocportal import rules
from blocportal.attention import Provider, Section

from .selectors import alerts
from .selectors.compliance import Block


def block_text(block: Block) -> str:
    """ "04/2026" for a month, "04–06/2026" for a longer block."""
    first, last = block.starts_on, block.ends_on
    if first.month == last.month:
        return f"{first:%m/%Y}"
    return f"{first:%m}–{last:%m/%Y}"


def _regular_text(row: alerts.MissingRow) -> str:
    return _("%(organization)s: no regular meeting recorded in %(block)s") % {
        "organization": row.organization.name,
        "block": block_text(row.block),
    }


def _thematic_text(row: alerts.MissingRow) -> str:
    return _("%(organization)s: no thematic meeting recorded in %(block)s") % {
        "organization": row.organization.name,
        "block": block_text(row.block),
    }


def _absence_text(row: alerts.AbsenceRow) -> str:
    return _("%(name)s (%(organization)s): absent without a reason in months %(months)s") % {
        "name": row.member.full_name,
        "organization": row.member.organization.name,
        "months": ", ".join(str(month) for month in row.months),
    }


def absence_section(user, on: date) -> Section:
    """The selector's section, with the threshold of the rule in force for the template."""
    section = alerts.absence_section(user, on)
    section.context = {**section.context, "threshold": rules.get("meeting.absence_months_in_year", on=on)}
    return section


PROVIDERS = [
    Provider(
        key="meetings-regular",
        title=gettext_lazy("No regular meeting this month"),
        order=100,  # after the register's sections (10–70)
        build=alerts.regular_missing_section,
        count=alerts.regular_missing_count,
        template="meetings/attention/regular_missing.html",
        url="meetings:compliance",
        permission="meeting.view",
        describe=_regular_text,
    ),
    Provider(
        key="meetings-thematic",
        title=gettext_lazy("No thematic meeting this quarter"),
        order=110,
        build=alerts.thematic_missing_section,
        count=alerts.thematic_missing_count,
        template="meetings/attention/thematic_missing.html",
        url="meetings:compliance",
        permission="meeting.view",
        describe=_thematic_text,
        level="info",
    ),
    Provider(
        key="meetings-absences",
        title=gettext_lazy("Members absent without a reason"),
        order=120,
        build=absence_section,
        count=alerts.absence_count,
        template="meetings/attention/absences.html",
        permission="meeting.view",
        describe=_absence_text,
        level="danger",
    ),
]
