"""The editor of section VI (the narrative): three parts of HTML limited to paragraphs and lists.

The form only carries the text; ``services.update_narrative`` sanitizes it and decides whether the
report may still change."""

from django import forms
from django.utils.translation import pgettext_lazy

NARRATIVE_LABELS = {
    "strengths": pgettext_lazy("report narrative", "Strengths"),
    "shortcomings": pgettext_lazy("report narrative", "Shortcomings, failings and their causes"),
    "tasks": pgettext_lazy("report narrative", "Directions and tasks for the next period"),
}


def _part(name: str) -> forms.CharField:
    return forms.CharField(
        label=NARRATIVE_LABELS[name],
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control font-monospace narrative-source"}),
    )


class NarrativeForm(forms.Form):
    strengths = _part("strengths")
    shortcomings = _part("shortcomings")
    tasks = _part("tasks")
