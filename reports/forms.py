from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from blocportal import clock
from blocportal.periods import Period
from organizations import pickers
from organizations.models import Organization

from . import selectors
from .models import Report


class ReportRequestForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("organization"),
        queryset=Organization.objects.none(),
        widget=pickers.OrganizationPicker("report.request"),
    )
    period = forms.CharField(
        label=_("period"), max_length=8, help_text=_("For example 2026-Q2, 2026-H1, 2026-9M or 2026.")
    )
    narrative = forms.CharField(
        label=_("narrative"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Optional. Printed in the report as its assessment; separate paragraphs with a blank line."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        pickers.use(self.fields["organization"], selectors.requestable_organizations(user), user=user)
        self.fields["period"].initial = str(selectors.last_finished_quarter(clock.today()))

    def clean_period(self) -> Period:
        period = Period.parse(self.cleaned_data["period"])
        if period.kind not in Report.Kind.values:
            raise ValidationError(_("A report covers a quarter, 6 months, 9 months or a year."))
        return period
