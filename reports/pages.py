"""Page-only logic of the report's page: which sections its frozen figures hold, and its history
told as steps (drafted, narrative edited, finalized, rendered, superseded, submitted...)."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .document import ROMAN, has_ratings
from .models import Report
from .sanitize import NARRATIVE_FIELDS

# How the pages name the states of a report's life (bản nháp, đã ban hành, đã bị thay thế): the
# model's choices use generic words that other pages translate otherwise.
STATE_LABELS = {
    Report.State.DRAFT: pgettext_lazy("report state", "Draft"),
    Report.State.FINALIZED: pgettext_lazy("report state", "Finalized"),
    Report.State.SUPERSEDED: pgettext_lazy("report state", "Superseded"),
}


def state_label(report: Report) -> str:
    return str(STATE_LABELS[report.state])


# The sections of the document, in print order, and whether the frozen figures hold each: a section
# shows only when its module had figures for the period (reports.document.document_context).
SECTIONS = (
    (gettext_lazy("Party organizations and members"), lambda figures: "organizations" in figures),
    (gettext_lazy("Party cell meetings"), lambda figures: figures.get("meetings") is not None),
    (gettext_lazy("Study of resolutions"), lambda figures: figures.get("meetings") is not None),
    (
        gettext_lazy("Inspection, supervision and Party discipline"),
        lambda figures: figures.get("inspections") is not None,
    ),
    (gettext_lazy("Quality ratings and emulation"), has_ratings),
)


def sections_present(figures: dict) -> list[tuple[str, str]]:
    """(Roman number, title) of each section the document prints, the narrative (its assessment)
    last, numbered as the PDF numbers them."""
    titles = [str(title) for title, present in SECTIONS if present(figures)]
    titles.append(_("General assessment: strengths, shortcomings and tasks"))
    return [(ROMAN[index], title) for index, title in enumerate(titles)]


@dataclass(frozen=True)
class Step:
    at: datetime
    user: object
    text: str


def history_steps(report: Report) -> list[Step]:
    """Every recorded change of the report, oldest first, each told by what changed and who did it.
    A row that changed nothing a reader cares about (a retried claim) is left out."""
    records = list(report.history.select_related("history_user").order_by("history_date", "history_id"))
    steps, previous = [], None
    for record in records:
        for text in _changes(previous, record):
            steps.append(Step(record.history_date, record.history_user, text))
        previous = record
    return steps


def _changes(before, after) -> list[str]:
    if before is None:
        return [_("Draft made from the figures of the day (version %(v)s)") % {"v": after.version}]
    changes = []
    if any(getattr(before, field) != getattr(after, field) for field in NARRATIVE_FIELDS):
        changes.append(_("Narrative edited"))
    if before.state != after.state:
        if after.state == Report.State.FINALIZED:
            changes.append(_("Finalized as No. %(number)s") % {"number": after.document_number})
        elif after.state == Report.State.SUPERSEDED:
            changes.append(_("Superseded by a newer version"))
    if before.status != after.status and after.status != Report.Status.NONE:
        if after.status == Report.Status.QUEUED and before.status == Report.Status.FAILED:
            changes.append(_("PDF queued again"))
        elif after.status != Report.Status.QUEUED or before.state == after.state:
            changes.append(_("PDF: %(status)s") % {"status": after.get_status_display()})
    if before.submission != after.submission:
        changes.append(
            {
                Report.Submission.SUBMITTED: _("Submitted to the bloc"),
                Report.Submission.ACCEPTED: _("Accepted by the bloc"),
                Report.Submission.RETURNED: _("Returned by the bloc"),
            }.get(after.submission, _("Submission withdrawn"))
        )
    return changes
