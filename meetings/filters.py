"""The filters of the meetings' lists (blocportal/lists.py). An organization filter keeps the
meetings with a list of an organization in its subtree (a joint meeting counts for each of its chi
bộ), through the server-side picker. ``within`` and ``period`` are the drill-down's filters (the
compliance page, the dashboard): hidden fields, shown above the table as chips that remove them."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from blocportal.forms import DateInput
from organizations import pickers
from organizations.models import Organization

from .forms import PeriodField
from .models import Meeting, Sheet, StudySession
from .selectors import choices


class PeriodFilter(django_filters.Filter):
    """The rows dated within a period (a ``PeriodField``); a value that is not one is ignored."""

    field_class = PeriodField

    def filter(self, queryset, value):
        if value is None:
            return queryset
        return queryset.filter(held_on__range=(value.start, value.end))


def _organizations(request):
    return choices.viewable_organizations(request.user)


def _in_subtree(queryset, organization: Organization):
    sheets = Sheet.objects.filter(meeting=OuterRef("pk"), organization__path__startswith=organization.path)
    return queryset.filter(Exists(sheets))


class _Drilled(django_filters.FilterSet):
    """The organization picker of the list and the drill-down's ``within`` and ``period``."""

    organization = django_filters.ModelChoiceFilter(
        label=_("organization"),
        queryset=_organizations,
        method="filter_organization",
        widget=pickers.OrganizationPicker("meeting.view"),
    )
    within = django_filters.NumberFilter(label=_("under"), method="filter_within", widget=forms.HiddenInput)
    period = PeriodFilter(label=_("period"), widget=forms.HiddenInput)

    def __init__(self, data=None, *args, request, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        self._found: dict = {}
        organization = self.form.fields["organization"]
        pickers.use(organization, organization.queryset, user=request.user)

    def _organization(self, pk) -> Organization | None:
        if pk not in self._found:
            self._found[pk] = choices.viewable_organizations(self.request.user).filter(pk=pk).first()
        return self._found[pk]

    def filter_within(self, queryset, name, value):
        """Under an organization the user reads (an id outside it lists nothing)."""
        organization = self._organization(value)
        return queryset.none() if organization is None else self._subtree(queryset, organization)

    def chip_within(self, value) -> str:
        organization = self._organization(value)
        return organization.name if organization is not None else str(value)

    def chip_period(self, value) -> str:
        return str(value.label)


class MeetingFilter(_Drilled):
    kind = django_filters.ChoiceFilter(label=_("kind of meeting"), choices=Meeting.Kind.choices)
    held_from = django_filters.DateFilter(
        label=_("from"), field_name="held_on", lookup_expr="gte", widget=DateInput()
    )
    held_to = django_filters.DateFilter(
        label=_("to"), field_name="held_on", lookup_expr="lte", widget=DateInput()
    )
    month = PeriodFilter(
        label=_("month"), kinds=("monthly",), widget=forms.TextInput(attrs={"placeholder": "yyyy-mm"})
    )

    class Meta:
        model = Meeting
        fields = ["organization", "kind", "month", "held_from", "held_to", "within", "period"]

    def filter_organization(self, queryset, name, value):
        return _in_subtree(queryset, value)

    def _subtree(self, queryset, organization):
        return _in_subtree(queryset, organization)


class StudyFilter(_Drilled):
    period = PeriodFilter(label=_("period"), help_text=_("For example 2025-03, 2025-Q1 or 2025."))

    class Meta:
        model = StudySession
        fields = ["organization", "period", "within"]

    def filter_organization(self, queryset, name, value):
        return queryset.filter(organization__path__startswith=value.path)

    def _subtree(self, queryset, organization):
        return queryset.filter(organization__path__startswith=organization.path)
