"""The filters of the discipline decisions' list. Visible: a search (decision number, the member or
organization disciplined), the form, the kind of target, the decision dates, those in force. ``within``
is the figures' drill-down (``discipline.*`` of reports.statistics): the deciding organization in a
subtree, a chip that removes it. A figure counts decisions by their current form and leaves out the
annulled ones (``in_force=1``)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .complaint_filters import WithinFilterSet, date_filter, words
from .models import DisciplineDecision

TARGETS = (("member", _("Party members")), ("organization", _("Party organizations")))


class DecisionFilter(WithinFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    form = django_filters.ChoiceFilter(label=_("form of discipline"), choices=DisciplineDecision.Form.choices)
    target = django_filters.ChoiceFilter(label=_("disciplined"), choices=TARGETS, method="filter_target")
    decided_from = date_filter(_("decided from"), "decided_on", "gte")
    decided_to = date_filter(_("decided until"), "decided_on", "lte")
    in_force = django_filters.BooleanFilter(
        label=_("not annulled"), method="filter_in_force", widget=forms.CheckboxInput
    )

    class Meta:
        model = DisciplineDecision
        fields = ["q", "form", "target", "decided_from", "decided_to", "in_force", "within"]

    def filter_search(self, queryset, name, value):
        typed, key = words(value)
        if not typed:
            return queryset
        return queryset.filter(
            Q(decision_no__icontains=typed)
            | Q(target_member__search_name__contains=key)
            | Q(target_organization__search_name__contains=key)
        )

    def filter_target(self, queryset, name, value):
        return queryset.filter(target_member__isnull=value != "member")

    def filter_in_force(self, queryset, name, value):
        return queryset.in_force() if value else queryset
