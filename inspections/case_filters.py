"""The filter of the case list (blocportal/lists.py), the contract the dashboard's drill-down and the
figures link to (docs/statistics.md): ``q``, ``kind``, ``within``, ``opened_from``/``opened_to``,
``closed_from``/``closed_to``, ``target``, ``grassroots=1``, ``secretary=1``, ``violation=1``,
``open=1``. Dates as dd/mm/yyyy or yyyy-mm-dd. The filters only a link sets (``within``, the
conclusion dates, ``grassroots``, ``secretary``, ``violation``) are hidden fields, shown above the table
as chips that remove them; a value that does not read is ignored."""

from datetime import date

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from blocportal.forms import DateInput
from blocportal.text import search_key
from members.models import CommitteeSeat
from organizations import pickers
from organizations.models import Organization

from .models import Case
from .selectors import case_pages

# Dates a link may ask about; any other is ignored.
FIRST_DAY, LAST_DAY = date(1930, 1, 1), date(2100, 12, 31)
DATE_BOUNDS = [MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)]
TARGETS = (("organization", _("an organization")), ("member", _("a Party member")))
PROGRESS = (("1", _("not concluded")), ("0", _("concluded")))


def _organizations(request):
    return case_pages.inspected_organizations(request.user)


class _DateFilter(django_filters.DateFilter):
    def __init__(self, *args, hidden: bool = False, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput if hidden else DateInput())
        kwargs.setdefault("validators", DATE_BOUNDS)
        super().__init__(*args, **kwargs)


class _FlagFilter(django_filters.ChoiceFilter):
    """``name=1`` from a link: a hidden field whose chip says what it keeps."""

    def __init__(self, *args, says, **kwargs):
        super().__init__(*args, choices=[("1", says)], widget=forms.HiddenInput, **kwargs)


class _IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=2**53, widget=forms.HiddenInput, **kwargs)


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    organization = django_filters.ModelChoiceFilter(
        label=_("organization conducting"),
        queryset=_organizations,
        method="filter_organization",
        widget=pickers.OrganizationPicker("case.view"),
    )
    kind = django_filters.ChoiceFilter(label=_("kind of case"), choices=Case.Kind.choices)
    target = django_filters.ChoiceFilter(label=_("target"), choices=TARGETS, method="filter_target")
    open = django_filters.ChoiceFilter(label=_("progress"), choices=PROGRESS, method="filter_open")
    opened_from = _DateFilter(label=_("decided from"), field_name="opened_on", lookup_expr="gte")
    opened_to = _DateFilter(label=_("decided until"), field_name="opened_on", lookup_expr="lte")
    within = _IdFilter(label=_("conducted under"), method="filter_within")
    closed_from = _DateFilter(
        label=_("concluded from"), field_name="closed_on", lookup_expr="gte", hidden=True
    )
    closed_to = _DateFilter(
        label=_("concluded until"), field_name="closed_on", lookup_expr="lte", hidden=True
    )
    grassroots = _FlagFilter(
        label=_("target"), says=_("a grassroots Party organization"), method="filter_grassroots"
    )
    secretary = _FlagFilter(label=_("target"), says=_("a secretary on that date"), method="filter_secretary")
    violation = _FlagFilter(label=_("conclusion"), says=_("a violation found"), method="filter_violation")

    class Meta:
        model = Case
        fields = [
            "q",
            "organization",
            "kind",
            "target",
            "open",
            "opened_from",
            "opened_to",
            "within",
            "closed_from",
            "closed_to",
            "grassroots",
            "secretary",
            "violation",
        ]

    def __init__(self, data=None, *args, request, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        self._found: dict = {}
        organization = self.form.fields["organization"]
        pickers.use(organization, organization.queryset, user=request.user)

    def filter_search(self, queryset, name, value):
        """The decision number as typed, or the target's name without tone marks."""
        text, key = value.strip()[:100], search_key(value[:100])
        if not text:
            return queryset
        condition = Q(decision_no__icontains=text)
        if key:
            condition |= Q(target_member__search_name__contains=key)
            condition |= Q(target_organization__search_name__contains=key)
        return queryset.filter(condition)

    def filter_organization(self, queryset, name, value):
        return queryset.filter(organization__path__startswith=value.path)

    def _organization(self, pk) -> Organization | None:
        if pk not in self._found:
            self._found[pk] = _organizations(self.request).filter(pk=pk).first()
        return self._found[pk]

    def filter_within(self, queryset, name, value):
        """Conducted by an organization in the subtree of one the user inspects (today's tree); an id
        outside it lists nothing."""
        organization = self._organization(value)
        if organization is None:
            return queryset.none()
        return queryset.filter(organization__path__startswith=organization.path)

    def chip_within(self, value) -> str:
        organization = self._organization(value)
        return organization.name if organization is not None else str(value)

    def filter_target(self, queryset, name, value):
        if value == "member":
            return queryset.filter(target_member__isnull=False)
        return queryset.filter(target_organization__isnull=False)

    def filter_open(self, queryset, name, value):
        return queryset.filter(closed_on__isnull=value == "1")

    def filter_grassroots(self, queryset, name, value):
        return queryset.filter(target_organization__kind__in=Organization.GRASSROOTS_KINDS)

    def filter_secretary(self, queryset, name, value):
        return queryset.filter(target_position=CommitteeSeat.Position.SECRETARY)

    def filter_violation(self, queryset, name, value):
        return queryset.filter(conclusion__in=Case.VIOLATIONS)
