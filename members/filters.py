import django_filters
from django.utils.translation import gettext_lazy as _

from blocportal import clock
from blocportal.workdays import latest_start
from members import selectors
from organizations import pickers

from .models import Member

# Age bands of the bloc's statistics: (youngest, oldest) in full years, None = open.
AGE_BANDS = {
    "30": (None, 30, _("30 or younger")),
    "31-40": (31, 40, "31–40"),
    "41-50": (41, 50, "41–50"),
    "51-60": (51, 60, "51–60"),
    "61": (61, None, _("Over 60")),
}
KINH, NOT_KINH = "Kinh", "__not_kinh__"
EXIT_CHOICES = [
    ("current", _("Current members")),
    ("former", _("Former members (all)")),
    *Member.Exit.choices,
    ("all", _("All")),
]


def _organizations(request):
    return selectors.list_organizations(request.user)


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    organization = django_filters.ModelChoiceFilter(
        label=_("organization"),
        queryset=_organizations,
        method="filter_organization",
        widget=pickers.OrganizationPicker(),
    )
    status = django_filters.ChoiceFilter(label=_("status"), choices=Member.Status.choices)
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

    class Meta:
        model = Member
        fields = [
            "q",
            "organization",
            "status",
            "gender",
            "age",
            "ethnicity",
            "theory_level",
            "activity",
            "exit",
        ]

    def __init__(self, data=None, *args, request, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("exit", "current")
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
        return queryset.in_subtree(value)

    def filter_age(self, queryset, name, value):
        """Full years today, as a range of birth dates (one indexed comparison each side)."""
        youngest, oldest, _label = AGE_BANDS[value]
        today = clock.today()
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
        if value == "all":
            return queryset
        return queryset.filter(exit_reason=value)
