"""The forms of the upward submission: the bloc's return of a report (the comment is required: the
organization must know what to correct), and the period of the submissions page."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from blocportal.periods import Period

from .models import Report


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What must be corrected"),
        widget=forms.Textarea(attrs={"rows": 3, "id": "report-return-comment"}),
        max_length=4000,
        error_messages={"required": _("Say what the organization must correct before returning the report.")},
    )


class SubmissionPeriodForm(forms.Form):
    """The period of the submissions page (a GET form): a quarter, 6 or 9 months, or a year."""

    period = forms.CharField(
        label=_("period"),
        max_length=9,
        required=False,
        help_text=_("For example 2026-Q2, 2026-H1, 2026-9M or 2026."),
    )

    def clean_period(self) -> Period | None:
        text = self.cleaned_data["period"]
        if not text:
            return None
        period = Period.parse(text)
        if period.kind not in Report.Kind.values:
            raise ValidationError(_("A report covers a quarter, 6 months, 9 months or a year."))
        return period
