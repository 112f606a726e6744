"""The rating sections of the attention hub (blocportal.attention), registered by
``EmulationConfig.ready()``: members rated "không hoàn thành nhiệm vụ" years in a row, a ground for xóa
tên (DOMAIN.md §2, §6), and the chi bộ whose proposals wait for the approval of the level above. Their
rows and counts come from ``emulation.selectors.alerts``; here are what the hub needs besides: titles,
templates, the lists behind them, and each row as a line of the weekly digest."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blocportal.attention import Provider

from .selectors import alerts


def _failed_text(row: alerts.FailedRow) -> str:
    return _("%(name)s (%(organization)s): rated “failed to fulfil duties” in %(years)s") % {
        "name": row.member.full_name,
        "organization": row.member.organization.name,
        "years": ", ".join(str(year) for year in row.years),
    }


def _awaiting_text(row: alerts.AwaitingRow) -> str:
    period = f"{row.quarter}/{row.year}" if row.quarter else str(row.year)
    return _("%(organization)s: %(count)s members' ratings for %(period)s await approval") % {
        "organization": row.organization.name,
        "count": row.waiting,
        "period": period,
    }


PROVIDERS = [
    Provider(
        key="ratings-failed",
        title=gettext_lazy("Rated “failed to fulfil duties” years in a row"),
        order=170,  # after the inspections' sections (130–160)
        build=alerts.failed_section,
        count=alerts.failed_count,
        template="emulation/attention/failed.html",
        url="emulation:member_rating_list?level=kht",
        permission="rating.view",
        describe=_failed_text,
        level="danger",
    ),
    Provider(
        key="ratings-awaiting",
        title=gettext_lazy("Ratings awaiting approval"),
        order=175,
        build=alerts.awaiting_section,
        count=alerts.awaiting_count,
        template="emulation/attention/awaiting.html",
        url="emulation:ratings",
        permission="rating.approve",
        describe=_awaiting_text,
        level="info",
    ),
]
