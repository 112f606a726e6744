"""Filters, tables and the award form of the Party badge pages (badge_views.py)."""

from datetime import date

import django_filters
import django_tables2 as tables
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from blocportal.dates import format_day
from blocportal.forms import DateInput
from blocportal.lists import DateColumn, ListTable
from members.selectors import badges
from organizations import pickers
from organizations.models import Organization

from .models import BadgeAward, Member, party_age
from .tables import CellColumn, GrassrootsNames


class _SubtreeFilterMixin:
    def filter_subtree(self, queryset, name, value):
        return queryset.filter(**{f"{self.organization_path}__startswith": value.path})

    def scope_organizations(self, user) -> None:
        """The organizations of the user's scope, searched in a picker (call after setting the
        other filters' choices: it builds the form)."""
        pickers.use(self.form.fields["organization"], Organization.objects.visible_to(user), user=user)


class BadgeDueFilter(_SubtreeFilterMixin, django_filters.FilterSet):
    """The award day (one of ``badges.award_day_options``), an organization's subtree and a
    milestone. ``qs`` narrows the members to the subtree; what is due on ``award_on`` (for
    ``milestone``) is decided by ``badges.due_badges``, as on the attention list."""

    organization_path = "organization__path"

    on = django_filters.ChoiceFilter(label=_("award day"), method="keep", empty_label=None)
    organization = django_filters.ModelChoiceFilter(
        label=_("organization"),
        queryset=Organization.objects.none(),
        method="filter_subtree",
        widget=pickers.OrganizationPicker(),
    )
    years = django_filters.ChoiceFilter(label=_("milestone"), method="keep")

    class Meta:
        model = Member
        fields = ["on", "organization", "years"]

    def __init__(self, data, *args, user, today: date, **kwargs):
        self.options = badges.award_day_options(today)
        self.default_day = badges.default_award_day(today)
        data = data.copy()
        if data.get("on") not in {day.isoformat() for day in self.options}:
            data["on"] = self.default_day.isoformat()
        super().__init__(data, *args, **kwargs)
        self.filters["on"].extra["choices"] = [(day.isoformat(), format_day(day)) for day in self.options]
        self.filters["years"].extra["choices"] = [
            (str(n), _("%(years)s years") % {"years": n}) for n in badges.milestones()
        ]
        self.scope_organizations(user)

    @property
    def award_on(self) -> date:
        """The chosen award day; the next one when the choice is missing or not offered."""
        return date.fromisoformat(self.data["on"])

    @property
    def milestone(self) -> int | None:
        """The chosen milestone, or None for all of them; an invalid choice is left out, as
        ``qs`` leaves out the invalid filters."""
        self.form.is_valid()
        years = self.form.cleaned_data.get("years")
        return int(years) if years else None

    def keep(self, queryset, name, value):
        return queryset


class YearFilter(django_filters.NumberFilter):
    """A whole year of the Party's history (founded 1930): ``?year=0`` or ``?year=99999999999``
    leaves the form invalid, so the filter is ignored instead of failing in the date lookup."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1930)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class BadgeAwardedFilter(_SubtreeFilterMixin, django_filters.FilterSet):
    organization_path = "member__organization__path"

    year = YearFilter(label=_("year"), field_name="awarded_on", lookup_expr="year")
    organization = django_filters.ModelChoiceFilter(
        label=_("organization"),
        queryset=Organization.objects.none(),
        method="filter_subtree",
        widget=pickers.OrganizationPicker(),
    )
    years = django_filters.ChoiceFilter(label=_("milestone"), field_name="years")

    class Meta:
        model = BadgeAward
        fields = ["year", "organization", "years"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["years"].extra["choices"] = [
            (str(n), _("%(years)s years") % {"years": n}) for n in badges.milestones()
        ]
        self.scope_organizations(user)


class _SelectColumn(tables.Column):
    """A checkbox per row for the award form; the header one ticks them all (static/js/check-all.js)."""

    def __init__(self, **kwargs):
        super().__init__(empty_values=(), orderable=False, **kwargs)

    @property
    def header(self):
        return format_html(
            '<input class="form-check-input" type="checkbox" data-check-all="members" aria-label="{}">',
            _("Select all"),
        )

    def render(self, record):
        return format_html(
            '<input class="form-check-input" type="checkbox" name="members" value="{}" '
            'form="badge-award-form" aria-label="{}">',
            record.pk,
            _("Select %(name)s") % {"name": record.full_name},
        )


class BadgeDueTable(GrassrootsNames, ListTable):
    phone_columns = ("select", "full_name", "badge_years", "badge_overdue")

    select = _SelectColumn(attrs={"th": {"class": "d-print-none"}, "td": {"class": "d-print-none"}})
    full_name = tables.Column(
        verbose_name=_("full name"),
        linkify=("members:detail", {"pk": tables.A("pk")}),
        order_by=("sort_name",),
    )
    birth_date = DateColumn(verbose_name=_("date of birth"))
    organization = CellColumn(verbose_name=_("Party cell"), order_by=("organization__path",))
    admitted_on = DateColumn(verbose_name=_("admission decision date"))
    party_age = tables.Column(verbose_name=_("Party age on the award day"), empty_values=(), orderable=False)
    badge_years = tables.Column(verbose_name=_("milestone"))
    badge_overdue = tables.Column(verbose_name=_("overdue"))

    class Meta:
        model = Member
        fields = ()
        sequence = (
            "select",
            "full_name",
            "birth_date",
            "organization",
            "admitted_on",
            "party_age",
            "badge_years",
            "badge_overdue",
        )
        order_by = ("organization", "full_name")
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No member reaches a milestone by this award day.")

    def __init__(self, *args, award_on: date, can_award: bool, **kwargs):
        super().__init__(*args, exclude=() if can_award else ("select",), **kwargs)
        self.award_on = award_on

    def render_party_age(self, record):
        return party_age(record, self.award_on)

    def render_badge_overdue(self, value):
        return format_html('<span class="badge text-bg-danger">{}</span>', _("overdue")) if value else ""


class BadgeAwardedTable(GrassrootsNames, ListTable):
    cell = "member__organization"
    count_kept_as = "badges"  # counted again after a badge or a member is written (members.apps)
    phone_columns = ("member", "years", "awarded_on")

    member = tables.Column(
        accessor="member__full_name",
        linkify=("members:detail", {"pk": tables.A("member_id")}),
        verbose_name=_("Party member"),
        order_by=("member__sort_name",),
    )
    organization = CellColumn(
        accessor="member__organization",
        verbose_name=_("Party cell"),
        order_by=("member__organization__path",),
    )
    years = tables.Column(verbose_name=_("milestone"))
    awarded_on = DateColumn(verbose_name=_("awarded on"))
    decision_no = tables.Column(verbose_name=_("decision number"))
    recorded_by = tables.Column(verbose_name=_("recorded by"))

    class Meta:
        model = BadgeAward
        fields = ()
        sequence = ("member", "organization", "years", "awarded_on", "decision_no", "recorded_by")
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No Party badge recorded.")


class BadgeAwardForm(forms.Form):
    """The members ticked in the list, the award day and the decision: ``badge_services.award_badges``."""

    members = forms.ModelMultipleChoiceField(
        label=_("Party members"),
        queryset=Member.objects.none(),
        error_messages={"required": _("Select at least one member.")},
    )
    awarded_on = forms.DateField(label=_("awarded on"), widget=DateInput())
    decision_no = forms.CharField(label=_("decision number"), max_length=64)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = (
            Member.objects.visible_to(user).current().select_related("organization")
        )


def export_headers() -> list[str]:
    return [
        str(_("full name")),
        str(_("date of birth")),
        str(_("Party cell")),
        str(_("admission decision date")),
        str(_("Party age on the award day")),
        str(_("milestone")),
        str(_("overdue")),
        str(_("award day")),
    ]


def export_row(member: Member, award_on: date) -> list[object]:
    return [
        member.full_name,
        format_day(member.birth_date),
        member.organization.name,
        format_day(member.admitted_on),
        party_age(member, award_on),
        member.badge_years,
        str(_("Yes")) if member.badge_overdue else "",
        format_day(award_on),
    ]
