"""The filters of the awards register (blocportal/lists.py). Visible: a search (the recipient, the award,
the decision number), the year, the kind, the recipient's kind. ``within`` is a drill-down: the awards
counted under an organization's subtree, a chip that removes it."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inspections.complaint_filters import WithinFilterSet, words

from .models import Award

RECIPIENTS = (("member", _("Party members")), ("organization", _("Party organizations")))


class AwardFilter(WithinFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    year = django_filters.NumberFilter(label=_("year"), min_value=1930, max_value=2100)
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=Award.Kind.choices)
    recipient = django_filters.ChoiceFilter(
        label=_("recipient"), choices=RECIPIENTS, method="filter_recipient"
    )

    class Meta:
        model = Award
        fields = ["q", "year", "kind", "recipient", "within"]

    def filter_search(self, queryset, name, value):
        typed, key = words(value)
        if not typed:
            return queryset
        return queryset.filter(
            Q(decision_no__icontains=typed)
            | Q(title__icontains=typed)
            | Q(target_member__search_name__contains=key)
            | Q(target_organization__search_name__contains=key)
        )

    def filter_recipient(self, queryset, name, value):
        return queryset.filter(target_member__isnull=value != "member")
