"""The draft of section VI written from the figures (strengths, shortcomings, tasks).

To be written: see the narrative helper's brief."""

from blocportal.periods import Period
from organizations.models import Organization


def draft_narrative(organization: Organization, period: Period, figures: dict, previous: dict) -> dict:
    return {"strengths": "", "shortcomings": "", "tasks": ""}
