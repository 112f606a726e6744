"""The filters of the reports' list (blocportal/lists.py): the state of the report, its kind and
its period. A period that does not parse is ignored, as a mistyped address should be."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from blocportal.periods import Period

from .models import Report


class PeriodCodeField(forms.CharField):
    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            return str(Period.parse(text))
        except (ValueError, ValidationError):
            return None


class PeriodFilter(django_filters.Filter):
    """Reports of one period, however it is typed (2025-q2 is 2025-Q2)."""

    field_class = PeriodCodeField


class ReportFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("state of the report"), choices=Report.State.choices)
    kind = django_filters.ChoiceFilter(label=pgettext_lazy("report", "kind"), choices=Report.Kind.choices)
    period = PeriodFilter(
        label=_("period"),
        widget=forms.TextInput(attrs={"placeholder": "2026-Q2"}),
    )

    class Meta:
        model = Report
        fields = ("state", "kind", "period")
