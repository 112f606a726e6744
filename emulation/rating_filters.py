"""The filters of the rating lists (blocportal/lists.py), the contract the dashboard's drill-down and the
figures link to (docs/statistics.md, ``ratings.*``): ``year``, ``level`` (a Level value), ``within`` (an
organization's subtree), ``over_quota=1`` (only the ratings of the groups over the excellence quota) and,
for organizations, ``grassroots=1``. The filters only a link sets (``within``, ``over_quota``,
``grassroots``) are hidden fields, shown above the table as chips that remove them; a value that does not
read is ignored.

The groups over the quota are those of the year's decided ratings in the user's scope, whatever the other
filters (a list narrowed to "htxs" still shows the chi bộ whose htxs are too many for their htt):
``rating_pages.over_quota_*`` reads them in one grouped query."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from blocportal.text import search_key
from organizations.models import Organization

from .models import CURRENT_LEVELS, LEGACY_LEVELS, Level, MemberRating, OrganizationRating
from .selectors import rating_pages

MAX_YEAR = 2100


def _level_choices(levels) -> list[tuple[str, str]]:
    return [(level, Level(level).label) for level in levels]


class _FlagFilter(django_filters.ChoiceFilter):
    """``name=1`` from a link: a hidden field whose chip says what it keeps."""

    def __init__(self, *args, says, **kwargs):
        super().__init__(*args, choices=[("1", says)], widget=forms.HiddenInput, **kwargs)


class _IntFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class _RatingFilter(django_filters.FilterSet):
    year = _IntFilter(
        label=_("year"),
        field_name="year",
        min_value=1930,
        max_value=MAX_YEAR,
        widget=forms.NumberInput(attrs={"min": 1930, "max": MAX_YEAR, "step": 1}),
    )
    within = _IntFilter(
        label=_("under"), method="filter_within", min_value=1, max_value=2**53, widget=forms.HiddenInput
    )

    def __init__(self, data=None, *args, request, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        self._found: dict = {}

    def _organization(self, pk) -> Organization | None:
        if pk not in self._found:
            self._found[pk] = Organization.objects.visible_to(self.request.user).filter(pk=pk).first()
        return self._found[pk]

    def filter_within(self, queryset, name, value):
        """Rated in an organization of the subtree of one the user sees; an id outside lists nothing."""
        organization = self._organization(value)
        if organization is None:
            return queryset.none()
        return queryset.filter(organization__path__startswith=organization.path)

    def chip_within(self, value) -> str:
        organization = self._organization(value)
        return organization.name if organization is not None else str(value)

    def _groups_base(self):
        """The ratings the quota groups are read from: the list's own (scope), in the year asked."""
        base = self.queryset
        year = self.form.cleaned_data.get("year")
        return base.filter(year=year) if year else base


class MemberRatingFilter(_RatingFilter):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    level = django_filters.ChoiceFilter(label=_("approved level"), choices=_level_choices(CURRENT_LEVELS))
    over_quota = _FlagFilter(
        label=_("excellence quota"), says=_("Party cells over the quota"), method="filter_over_quota"
    )

    class Meta:
        model = MemberRating
        fields = ["q", "year", "level", "within", "over_quota"]

    def filter_search(self, queryset, name, value):
        key = search_key(value[:100])
        return queryset.filter(member__search_name__contains=key) if key else queryset

    def filter_over_quota(self, queryset, name, value):
        return queryset.filter(rating_pages.over_quota_members(self._groups_base()))


class OrganizationRatingFilter(_RatingFilter):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    level = django_filters.ChoiceFilter(
        label=_("approved level"),
        choices=_level_choices(dict.fromkeys((*CURRENT_LEVELS, *LEGACY_LEVELS))),
    )
    over_quota = _FlagFilter(
        label=_("excellence quota"), says=_("groups over the quota"), method="filter_over_quota"
    )
    grassroots = _FlagFilter(
        label=_("organizations"), says=_("grassroots Party organizations"), method="filter_grassroots"
    )

    class Meta:
        model = OrganizationRating
        fields = ["q", "year", "level", "within", "over_quota", "grassroots"]

    def filter_search(self, queryset, name, value):
        key = search_key(value[:100])
        return queryset.filter(organization__search_name__contains=key) if key else queryset

    def filter_over_quota(self, queryset, name, value):
        return queryset.filter(rating_pages.over_quota_organizations(self._groups_base()))

    def filter_grassroots(self, queryset, name, value):
        return queryset.filter(organization__kind__in=Organization.GRASSROOTS_KINDS)
