"""The member register's sections of the attention hub (blocportal.attention), registered by
``MembersConfig.ready()``: probations ending, awareness certificates expiring, chi bộ below the
minimum of official members, transfers not received, personal histories late, the organizations'
set-up (no chi ủy, too small a đảng bộ cơ sở) and Party badges coming. Their rows and counts come
from ``members.selectors.attention``; here are what the hub needs besides: titles, templates, the
lists behind them, and each row as a line of the weekly digest."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blocportal.attention import Provider
from members.models import Member
from members.selectors import attention


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _probation_text(row: attention.ProbationRow) -> str:
    return _("%(name)s (%(organization)s): probation ends on %(date)s") % {
        "name": row.member.full_name,
        "organization": row.member.organization.name,
        "date": _day(row.ends_on),
    }


def _certificate_text(row: attention.CertificateRow) -> str:
    return _("%(name)s (%(organization)s): certificate expires on %(date)s") % {
        "name": row.candidate.full_name,
        "organization": row.candidate.organization.name,
        "date": _day(row.expires_on),
    }


def _small_cell_text(cell) -> str:
    return _("%(organization)s: %(count)s official members") % {
        "organization": cell.name,
        "count": cell.official_count,
    }


def _transfer_text(row: attention.TransferRow) -> str:
    return _("%(name)s, to %(destination)s: receipt due by %(date)s") % {
        "name": row.event.member.full_name,
        "destination": row.event.destination,
        "date": _day(row.due_on),
    }


def _personal_history_text(row: attention.PersonalHistoryRow) -> str:
    return _("%(name)s (%(organization)s): personal history due by %(date)s") % {
        "name": row.member.full_name,
        "organization": row.member.organization.name,
        "date": _day(row.due_on),
    }


def _committee_text(row: attention.CommitteeWarning) -> str:
    return f"{row.organization.name}: {row.message}"


def _badge_text(row: attention.BadgeRow) -> str:
    return _("%(name)s (%(organization)s): %(years)s-year Party badge") % {
        "name": row.member.full_name,
        "organization": row.member.organization.name,
        "years": row.years,
    }


PROVIDERS = [
    Provider(
        key="probations",
        title=gettext_lazy("Probations ending"),
        order=10,
        build=attention.probations_section,
        count=attention.probations_count,
        template="members/attention/probations.html",
        url=f"members:list?status={Member.Status.PROBATIONARY}",
        permission="member.view",
        describe=_probation_text,
    ),
    Provider(
        key="certificates",
        title=gettext_lazy("Awareness certificates expiring"),
        order=20,
        build=attention.certificates_section,
        count=attention.certificates_count,
        template="members/attention/certificates.html",
        url="members:candidate_list",
        permission="candidate.view",
        describe=_certificate_text,
    ),
    Provider(
        key="small-cells",
        title=gettext_lazy("Party cells below the minimum of official members"),
        order=30,
        build=attention.small_cells_section,
        count=attention.small_cells_count,
        template="members/attention/small_cells.html",
        permission="member.view",
        describe=_small_cell_text,
        level="danger",
    ),
    Provider(
        key="transfers",
        title=gettext_lazy("Transfers not received"),
        order=40,
        build=attention.transfers_section,
        count=attention.transfers_count,
        template="members/attention/transfers.html",
        url=f"members:list?exit={Member.Exit.TRANSFERRED_OUT}",
        permission="member.view",
        describe=_transfer_text,
    ),
    Provider(
        key="personal-histories",
        title=gettext_lazy("Personal histories not completed"),
        order=50,
        build=attention.personal_histories_section,
        count=attention.personal_histories_count,
        template="members/attention/personal_histories.html",
        url=f"members:list?status={Member.Status.PROBATIONARY}",
        permission="member.view",
        describe=_personal_history_text,
    ),
    Provider(
        key="committees",
        title=gettext_lazy("Organization set-up"),
        order=60,
        build=attention.committees_section,
        count=attention.committees_count,
        template="members/attention/committees.html",
        permission="member.view",
        describe=_committee_text,
        level="info",
    ),
    Provider(
        key="badges",
        title=gettext_lazy("Party badges coming"),
        order=70,
        build=attention.badges_section,
        count=attention.badges_count,
        template="members/attention/badges.html",
        url="members:badge_list",
        permission="member.view",
        describe=_badge_text,
        level="info",
    ),
]
