"""The inspectors' sections of the attention hub (blocportal.attention), registered by
``InspectionsConfig.ready()``: letters near their handling deadline and past it, cases past their due
date and not concluded, and appeals accepted and not yet settled (DOMAIN.md §5, validation rule 12).
Their rows and counts come from ``inspections.selectors.alerts``; here are what the hub needs besides:
titles, templates, the lists behind them, and each row as a line of the digest.

Only the ``inspector`` role (and superusers) holds ``case.view``: staff, leaders and secretaries never
get these sections. The digest's lines name the letter or case by its kind, number, dates and
organization, never a person: the e-mail leaves the portal, the case file does not."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blocportal.attention import Provider
from blocportal.dates import format_day

from .selectors import alerts


def _letter(row: alerts.LetterRow) -> dict:
    complaint = row.complaint
    return {
        "kind": complaint.get_kind_display(),
        "received": format_day(complaint.received_on),
        "organization": complaint.organization.name,
        "due": format_day(complaint.due_on),
        "days": row.days,
    }


def _due_soon_text(row: alerts.LetterRow) -> str:
    return _("%(kind)s received on %(received)s by %(organization)s: to be handled by %(due)s") % _letter(row)


def _overdue_text(row: alerts.LetterRow) -> str:
    return _(
        "%(kind)s received on %(received)s by %(organization)s: %(days)s days past its deadline of %(due)s"
    ) % _letter(row)


def _case_text(row: alerts.CaseRow) -> str:
    case = row.case
    return _("%(decision)s (%(kind)s, %(organization)s): due on %(due)s, %(days)s days ago") % {
        "decision": case.decision_no,
        "kind": case.get_kind_display(),
        "organization": case.organization.name,
        "due": format_day(case.due_on),
        "days": row.days,
    }


def _appeal_text(row: alerts.AppealRow) -> str:
    appeal = row.appeal
    return _("Appeal against decision %(decision)s of %(organization)s, received on %(filed)s") % {
        "decision": appeal.decision.decision_no,
        "organization": appeal.decision.organization.name,
        "filed": format_day(appeal.filed_on),
    }


PROVIDERS = [
    Provider(
        key="inspections-letters-overdue",
        title=gettext_lazy("Letters past their handling deadline"),
        order=130,  # after the meetings' sections (100–120)
        build=alerts.letters_overdue_section,
        count=alerts.letters_overdue_count,
        template="inspections/attention/letters_overdue.html",
        permission="case.view",
        describe=_overdue_text,
        level="danger",
    ),
    Provider(
        key="inspections-letters-due",
        title=gettext_lazy("Letters near their handling deadline"),
        order=140,
        build=alerts.letters_due_soon_section,
        count=alerts.letters_due_soon_count,
        template="inspections/attention/letters_due.html",
        permission="case.view",
        describe=_due_soon_text,
    ),
    Provider(
        key="inspections-cases-overdue",
        title=gettext_lazy("Cases past their due date"),
        order=150,
        build=alerts.cases_overdue_section,
        count=alerts.cases_overdue_count,
        template="inspections/attention/cases.html",
        url="inspections:cases?open=1",
        permission="case.view",
        describe=_case_text,
        level="danger",
    ),
    Provider(
        key="inspections-appeals",
        title=gettext_lazy("Discipline appeals to settle"),
        order=160,
        build=alerts.appeals_pending_section,
        count=alerts.appeals_pending_count,
        template="inspections/attention/appeals.html",
        permission="case.view",
        describe=_appeal_text,
    ),
]
