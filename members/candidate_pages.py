"""What the candidate pages show beside the data: the steps of the pipeline as a timeline, the steps
that are open for a candidate, and the history of their record."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from blocportal.dates import format_day
from blocportal.history import field_changes
from members.models import Candidate
from members.selectors.candidates import (
    Stage,
)


@dataclass(frozen=True)
class TimelineStep:
    label: str
    done: bool
    on: date | None = None
    detail: str = ""
    current: bool = False


def timeline(candidate: Candidate) -> list[TimelineStep]:
    """The stages of the file, what is done (with its date) and which one comes next."""
    sponsors = [s.full_name for s in (candidate.sponsor_1, candidate.sponsor_2) if s is not None]
    if candidate.youth_union_sponsor:
        sponsors.append(_("the Youth Union committee"))
    certificate = ""
    if candidate.certificate_on is not None:
        certificate = _("No. %(number)s, valid until %(date)s") % {
            "number": candidate.certificate_no,
            "date": format_day(candidate.certificate_expires_on),
        }
    vetting = ""
    if candidate.vetting_started_on is not None and candidate.vetting_completed_on is None:
        vetting = _("under way since %(date)s") % {"date": format_day(candidate.vetting_started_on)}
    resolution = ""
    if candidate.resolution_on is not None:
        resolution = _("No. %(number)s: %(votes)s of %(members)s official members in favour") % {
            "number": candidate.resolution_no,
            "votes": candidate.votes_for,
            "members": candidate.official_members,
        }
    member = candidate.member
    steps = [
        (_("Party awareness class"), candidate.certificate_on, certificate),
        (_("Sponsors"), None, ", ".join(sponsors), len(sponsors) >= 2),
        (_("Application and personal history"), candidate.applied_on, ""),
        (_("Background check"), candidate.vetting_completed_on, vetting),
        (_("Party cell resolution"), candidate.resolution_on, resolution),
        (_("Admission decision"), candidate.decision_on, candidate.decision_no),
        (_("Admission ceremony"), member.ceremony_on if member else None, ""),
    ]
    result, current_found = [], not candidate.is_open
    for label, on, detail, *done in steps:
        is_done = done[0] if done else on is not None
        current = not is_done and not current_found
        current_found = current_found or current
        result.append(TimelineStep(label=label, done=is_done, on=on, detail=detail, current=current))
    return result


# Steps a user may take on the page, by the stage the candidate is at; the services decide the rest.
STEP_STAGES = {
    "training": (Stage.OUTSTANDING, Stage.TRAINED, Stage.VETTING),
    "sponsors": (Stage.OUTSTANDING, Stage.TRAINED, Stage.VETTING),
    "application": (Stage.TRAINED,),
    "vetting-start": (Stage.TRAINED, Stage.VETTING),
    "vetting-complete": (Stage.VETTING,),
    "resolution": (Stage.VETTING, Stage.PROPOSED),
    "decision": (Stage.PROPOSED, Stage.DECIDED),
    "admit": (Stage.DECIDED,),
    "withdraw": (Stage.OUTSTANDING, Stage.TRAINED, Stage.VETTING, Stage.PROPOSED, Stage.DECIDED),
}


def open_steps(candidate: Candidate) -> list[str]:
    """The steps that fit the candidate's stage, in the order of the pipeline."""
    return [step for step, stages in STEP_STAGES.items() if candidate.stage in stages]


def candidate_history(candidate: Candidate, *, limit: int = 50) -> list[dict]:
    """Per-field changes from django-simple-history, newest first; related rows by name."""
    return field_changes(candidate, limit=limit)
