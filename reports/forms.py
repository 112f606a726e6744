from django import forms
from django.utils.translation import gettext_lazy as _

from blocportal import clock
from blocportal.periods import Period
from organizations import pickers
from organizations.models import Organization

from . import selectors


class ReportRequestForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("organization"),
        queryset=Organization.objects.none(),
        widget=pickers.OrganizationPicker("report.request"),
    )
    period = forms.CharField(
        label=_("period"), max_length=9, help_text=_("For example 2026-Q2, 2026-H1, 2026-9M or 2026.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        pickers.use(self.fields["organization"], selectors.requestable_organizations(user), user=user)
        self.fields["period"].initial = str(selectors.last_finished_quarter(clock.today()))

    def clean_period(self) -> Period:
        return Period.parse(self.cleaned_data["period"])


class DashboardForm(forms.Form):
    """The dashboard's pickers (a GET form): the organization (in the user's scope) and the period."""

    organization = forms.ModelChoiceField(
        label=_("organization"),
        queryset=Organization.objects.none(),
        required=False,
        widget=pickers.OrganizationPicker("dashboard"),
    )
    period = forms.CharField(
        label=_("period"),
        max_length=9,
        required=False,
        help_text=_("For example 2026-05, 2026-Q2, 2026-H1, 2026-9M, 2026 or 2021-2025."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        pickers.use(self.fields["organization"], selectors.dashboard_organizations(user), user=user)

    def clean_period(self) -> Period | None:
        text = self.cleaned_data["period"]
        return Period.parse(text) if text else None
