import django_filters
from django import forms
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

    # Drill-down from the dashboard ("the 31 grassroots organizations of the bloc on 30/6"): under
    # one organization, the tổ chức cơ sở đảng only, existing on a day. Not in the visible form.
    # The list's table shows each one in force as a chip that removes it (includes/filter_chips.html).
    within = django_filters.NumberFilter(label=_("under"), method="filter_within", widget=forms.HiddenInput)
    level = django_filters.ChoiceFilter(
        label=_("level"),
        choices=[("grassroots", _("Grassroots Party organizations"))],
        method="filter_level",
        widget=forms.HiddenInput,
    )
    on = django_filters.DateFilter(label=_("existing on"), method="filter_on", widget=forms.HiddenInput)

    class Meta:
        model = Organization
        fields = ["q", "kind", "sector", "status", "within", "level", "on"]

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

    def filter_within(self, queryset, name, value):
        """Below an organization the list already lets the user see (an id outside it lists nothing)."""
        path = queryset.filter(pk=value).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(path__startswith=path).exclude(pk=value)

    def chip_within(self, value) -> str:
        """The chip of ``within``: the organization's name, if the user may see it."""
        found = self.queryset.filter(pk=value).values_list("name", flat=True).first()
        return found or str(value)

    def filter_level(self, queryset, name, value):
        return queryset.grassroots()

    def filter_on(self, queryset, name, value):
        return queryset.active(on=value)
