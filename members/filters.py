from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from blocportal import clock
from blocportal.workdays import add_months, latest_start
from members import selectors
from organizations import pickers
from organizations.models import Organization

from .models import Member
from .selectors.figures import MAJORITY_ETHNICITY

# Age bands of the bloc's statistics: (youngest, oldest) in full years, None = open.
AGE_BANDS = {
    "30": (None, 30, _("30 or younger")),
    "31-40": (31, 40, "31–40"),
    "41-50": (41, 50, "41–50"),
    "51-60": (51, 60, "51–60"),
    "61": (61, None, _("Over 60")),
}
KINH, NOT_KINH = MAJORITY_ETHNICITY, "__not_kinh__"
# Exits from the Party itself (not a transfer out of the bloc, nor the end of a visit): the dashboard's
# "left the register" figure.
OUT_OF_PARTY = (
    Member.Exit.REMOVED,
    Member.Exit.REMOVED_PROBATIONARY,
    Member.Exit.EXPELLED,
    Member.Exit.LEFT,
    Member.Exit.DIED,
)
EXIT_CHOICES = [
    ("current", _("Current members")),
    ("former", _("Former members (all)")),
    ("out_of_party", _("No longer in the Party (any reason)")),
    *Member.Exit.choices,
    ("all", _("All")),
]


# The drill-down of the dashboard's figures (issue 9): the members behind a count, found by dates the
# form does not show. They come in the figure's link, stay as hidden fields while the other filters
# change, and show above the list as chips that remove them (includes/filter_chips.html).
# ``on_register``, ``admitted_*`` and ``official_*`` ask where the member was on that day: with them,
# the organization and the sector are those of the chi bộ of that day, the status and the age those
# of that day (``on_register``; ``age_on`` gives the day of the age otherwise), and the list includes
# former members unless "exit" says otherwise.
DATED = ("on_register", "admitted_from", "admitted_to", "official_from", "official_to")
DRILL_DOWN = (*DATED, "exited_from", "exited_to", "age_on", "age_from", "age_to")


def _organizations(request):
    return selectors.list_organizations(request.user)


def _drilled(data) -> bool:
    """Whether ``data`` gives one of the drill-down's dates (one that reads as a date)."""
    field = forms.DateField(
        required=False, validators=[MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)]
    )
    for name in (*DATED, "exited_from", "exited_to"):
        try:
            if field.clean(data.get(name)):
                return True
        except ValidationError:
            continue
    return False


# Dates a drill-down may ask about; any other is ignored (no date arithmetic out of the calendar).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)


class _HiddenDateFilter(django_filters.DateFilter):
    """A date given by a link (dd/mm/yyyy or yyyy-mm-dd, as any date field of the portal reads)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("validators", [MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)])
        super().__init__(*args, **kwargs)


class _HiddenAgeFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(*args, min_value=0, max_value=150, **kwargs)


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    organization = django_filters.ModelChoiceFilter(
        label=_("organization"),
        queryset=_organizations,
        method="filter_organization",
        widget=pickers.OrganizationPicker(),
    )
    sector = django_filters.ChoiceFilter(
        label=_("sector"), choices=Organization.Sector.choices, method="filter_sector"
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=Member.Status.choices, method="filter_status"
    )
    gender = django_filters.ChoiceFilter(label=_("gender"), choices=Member.Gender.choices)
    age = django_filters.ChoiceFilter(
        label=_("age"), choices=[(key, band[2]) for key, band in AGE_BANDS.items()], method="filter_age"
    )
    ethnicity = django_filters.ChoiceFilter(label=_("ethnicity"), method="filter_ethnicity")
    theory_level = django_filters.ChoiceFilter(
        label=_("political theory level"), choices=Member.TheoryLevel.choices
    )
    activity = django_filters.ChoiceFilter(label=_("Party activity"), choices=Member.Activity.choices)
    exit = django_filters.ChoiceFilter(
        label=_("on the register"), choices=EXIT_CHOICES, method="filter_exit", empty_label=None
    )
    on_register = _HiddenDateFilter(label=_("on the register on"), method="filter_dated")
    admitted_from = _HiddenDateFilter(label=_("admitted from"), method="filter_dated")
    admitted_to = _HiddenDateFilter(label=_("admitted until"), method="filter_dated")
    official_from = _HiddenDateFilter(label=_("made official from"), method="filter_dated")
    official_to = _HiddenDateFilter(label=_("made official until"), method="filter_dated")
    exited_from = _HiddenDateFilter(
        label=_("left the register from"), field_name="exited_on", lookup_expr="gte"
    )
    exited_to = _HiddenDateFilter(
        label=_("left the register until"), field_name="exited_on", lookup_expr="lte"
    )
    age_on = _HiddenDateFilter(label=_("age on"), method="filter_age_range")
    age_from = _HiddenAgeFilter(label=_("age from"), method="filter_age_range")
    age_to = _HiddenAgeFilter(label=_("age up to"), method="filter_age_range")

    class Meta:
        model = Member
        fields = [
            "q",
            "organization",
            "sector",
            "status",
            "gender",
            "age",
            "ethnicity",
            "theory_level",
            "activity",
            "exit",
            *DRILL_DOWN,
        ]

    def __init__(self, data=None, *args, request, **kwargs):
        data = data.copy() if data is not None else {}
        # A drill-down counts those who have left since (a count of a past day or period).
        data.setdefault("exit", "all" if _drilled(data) else "current")
        super().__init__(data, *args, request=request, **kwargs)
        others = [(value, value) for value in selectors.ethnicities(request.user) if value != KINH]
        self.filters["ethnicity"].extra["choices"] = [
            (KINH, KINH),
            (NOT_KINH, _("Other than Kinh")),
            *others,
        ]
        organization = self.form.fields["organization"]
        pickers.use(organization, organization.queryset, user=request.user)

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_organization(self, queryset, name, value):
        if self._dated():
            return queryset  # the chi bộ of that day: filter_dated
        return queryset.in_subtree(value)

    def filter_sector(self, queryset, name, value):
        if self._dated():
            return queryset  # the sector of that day's chi bộ: filter_dated
        return queryset.filter(organization__sector=value)

    def filter_status(self, queryset, name, value):
        """The status on ``on_register`` when given (official from ``official_on``), else today's."""
        day = self._value("on_register")
        if day is None:
            return queryset.filter(status=value)
        if value == Member.Status.OFFICIAL:
            return queryset.filter(official_on__lte=day)
        return queryset.exclude(official_on__lte=day)

    def filter_dated(self, queryset, name, value):
        """The dated filters at once, when their first one comes (django-filter calls each filter in
        turn): each asks for an official spell covering its day, in the organization's subtree and
        the sector when they are chosen."""
        if name != next(other for other in DATED if self._value(other) is not None):
            return queryset
        where = {"within": self._value("organization"), "sector": self._value("sector") or ""}
        day = self._value("on_register")
        if day is not None:
            queryset = queryset.on_register(day, **where)
        admitted = self._value("admitted_from"), self._value("admitted_to")
        if admitted != (None, None):
            queryset = queryset.admitted_between(*admitted, **where)
        official = self._value("official_from"), self._value("official_to")
        if official != (None, None):
            queryset = queryset.made_official_between(*official, **where)
        return queryset

    def filter_age_range(self, queryset, name, value):
        """Full years on ``age_on`` (else ``on_register``, else today), counted as the dashboard's
        age bands count them (members.selectors.figures): born on or before the day ``age_from``
        years back, after the day ``age_to`` + 1 years back."""
        if name == "age_on":
            return queryset  # the day of age_from and age_to
        day = self._value("age_on") or self._value("on_register") or clock.today()
        if name == "age_from":
            return queryset.filter(birth_date__lte=add_months(day, -12 * value))
        return queryset.filter(birth_date__gt=add_months(day, -12 * (value + 1)))

    def _value(self, name: str):
        value = self.form.cleaned_data.get(name)
        return None if value in (None, "") else value

    def _dated(self) -> bool:
        return any(self._value(name) is not None for name in DATED)

    def filter_age(self, queryset, name, value):
        """Full years today (on ``age_on`` or ``on_register`` when given), as a range of birth dates
        (one indexed comparison each side)."""
        youngest, oldest, _label = AGE_BANDS[value]
        today = self._value("age_on") or self._value("on_register") or clock.today()
        if youngest is not None:
            queryset = queryset.filter(birth_date__lte=latest_start(today, 12 * youngest))
        if oldest is not None:
            queryset = queryset.filter(birth_date__gt=latest_start(today, 12 * (oldest + 1)))
        return queryset

    def filter_ethnicity(self, queryset, name, value):
        if value == NOT_KINH:
            return queryset.exclude(ethnicity="").exclude(ethnicity__iexact=KINH)
        return queryset.filter(ethnicity__iexact=value)

    def filter_exit(self, queryset, name, value):
        if value == "current":
            return queryset.current()
        if value == "former":
            return queryset.exclude(exit_reason="")
        if value == "out_of_party":
            return queryset.filter(exit_reason__in=OUT_OF_PARTY)
        if value == "all":
            return queryset
        return queryset.filter(exit_reason=value)
