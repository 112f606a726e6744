import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Organization


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=Organization.Kind.choices)
    sector = django_filters.ChoiceFilter(label=_("sector"), choices=Organization.Sector.choices)
    status = django_filters.ChoiceFilter(
        label=_("status"),
        choices=[("active", _("Active")), ("dissolved", _("Dissolved")), ("all", _("All"))],
        method="filter_status",
        empty_label=None,
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "sector", "status"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("status", "active")
        super().__init__(data, *args, **kwargs)

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_status(self, queryset, name, value):
        if value == "dissolved":
            return queryset.filter(dissolved_on__isnull=False)
        if value == "all":
            return queryset
        return queryset.filter(dissolved_on__isnull=True)
