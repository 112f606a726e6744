"""The filters of the letters' list (blocportal/lists.py). The visible ones are the inspector's: a
search, the kind, the status and the dates received. The others are the figures' drill-down
(``complaints.received``, ``resolved``, ``pending``, ``overdue`` of reports.statistics): hidden fields,
shown above the table as chips that remove them. Their meaning is the figures': ``pending_on`` keeps
the letters received by that day and not closed by it, ``overdue_on`` those of them whose deadline
had passed that day."""

from datetime import date

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from blocportal.forms import DateInput
from blocportal.text import nfc, search_key
from organizations.models import Organization

from .models import Complaint

# Dates a filter may ask about; any other is ignored (no date arithmetic out of the calendar).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)
DATE_LIMITS = [MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)]


class HiddenDateFilter(django_filters.DateFilter):
    """A date given by a link (dd/mm/yyyy or yyyy-mm-dd, as any date field of the portal reads)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("validators", DATE_LIMITS)
        super().__init__(*args, **kwargs)


def date_filter(label, field_name: str, lookup_expr: str) -> django_filters.DateFilter:
    """A date typed in the filters' form (dd/mm/yyyy, with the calendar button)."""
    return django_filters.DateFilter(
        label=label,
        field_name=field_name,
        lookup_expr=lookup_expr,
        widget=DateInput(),
        validators=DATE_LIMITS,
    )


class WithinFilterSet(django_filters.FilterSet):
    """``within``: the rows whose acting organization lies in the subtree of an organization the user
    sees (today's tree, as the figures count); an id outside it lists nothing. A hidden field: a chip
    names the organization."""

    within = django_filters.NumberFilter(label=_("under"), method="filter_within", widget=forms.HiddenInput)

    def __init__(self, data=None, *args, request, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        self._found: dict = {}

    def _organization(self, pk) -> Organization | None:
        if pk not in self._found:
            self._found[pk] = Organization.objects.visible_to(self.request.user).filter(pk=pk).first()
        return self._found[pk]

    def filter_within(self, queryset, name, value):
        organization = self._organization(value)
        if organization is None:
            return queryset.none()
        return queryset.filter(organization__path__startswith=organization.path)

    def chip_within(self, value) -> str:
        organization = self._organization(value)
        return organization.name if organization is not None else str(value)


def words(value: str) -> tuple[str, str]:
    """The search as typed (NFC) and without tone marks, for the names' search keys."""
    return nfc(value), search_key(value)


class ComplaintFilter(WithinFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.ChoiceFilter(label=_("kind of letter"), choices=Complaint.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=Complaint.Status.choices)
    received_from = date_filter(_("received from"), "received_on", "gte")
    received_to = date_filter(_("received until"), "received_on", "lte")
    resolved_from = HiddenDateFilter(label=_("handled from"), field_name="resolved_on", lookup_expr="gte")
    resolved_to = HiddenDateFilter(label=_("handled until"), field_name="resolved_on", lookup_expr="lte")
    pending_on = HiddenDateFilter(label=_("pending on"), method="filter_pending")
    overdue_on = HiddenDateFilter(label=_("overdue on"), method="filter_overdue")

    class Meta:
        model = Complaint
        fields = [
            "q",
            "kind",
            "status",
            "received_from",
            "received_to",
            "within",
            "resolved_from",
            "resolved_to",
            "pending_on",
            "overdue_on",
        ]

    def filter_search(self, queryset, name, value):
        """The sender, the member or organization the letter is about, and its content."""
        typed, key = words(value)
        if not typed:
            return queryset
        return queryset.filter(
            Q(sender__icontains=typed)
            | Q(summary__icontains=typed)
            | Q(subject_member__search_name__contains=key)
            | Q(subject_organization__search_name__contains=key)
        )

    def filter_pending(self, queryset, name, value):
        return queryset.filter(pending_on(value))

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(pending_on(value), due_on__lt=value)


def pending_on(day: date) -> Q:
    """Received by ``day`` and not closed by it: still open, or closed after it."""
    return Q(received_on__lte=day) & (Q(status__in=Complaint.OPEN_STATUSES) | Q(resolved_on__gt=day))
