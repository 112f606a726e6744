"""Forms of the clusters, the awards register and the streak lists. They parse what is typed; the services
(``services.clusters``, ``services.awards``) decide — an organization in one cluster a year, only the
grassroots organizations of the year, a decision not in the future, the same decision twice — and their
refusals come back onto the fields through ``blocportal.forms.call_service``."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blocportal import clock
from blocportal.forms import DateInput
from blocportal.widgets import SearchSelect
from inspections.views_common import member_label
from meetings.forms import OrganizationsPicker as MultiplePicker
from members.models import Member
from organizations import pickers
from organizations.models import Organization

from .models import Award, Cluster
from .selectors import awards as selectors

MIN_YEAR = 1930


def _year_field(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=MIN_YEAR, max_value=clock.today().year + 1, **kwargs)


class OrganizationsPicker(MultiplePicker):
    """The organization picker that chooses several (meetings.forms.OrganizationsPicker), naming the chosen
    ones again when the form comes back with an error: one query for all of them."""

    def chosen_objects(self, field, values: list[str]) -> list:
        ids = [value for value in values if value.isdigit()]
        return list(field.queryset.filter(pk__in=ids).order_by("path")) if ids else []


class ClusterForm(forms.Form):
    """A cluster (services.clusters.create_cluster / update_cluster): its name, its place in the year's
    order and its organizations, chosen with the organization picker (several)."""

    owner = forms.ModelChoiceField(label=_("organized by"), queryset=Organization.objects.none())
    name = forms.CharField(label=_("name of the cluster"), max_length=200)
    order = forms.IntegerField(label=_("order"), min_value=0, max_value=999, required=False)
    organizations = forms.ModelMultipleChoiceField(
        label=_("organizations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=OrganizationsPicker("emulation.clusters", kind=list(Organization.GRASSROOTS_KINDS)),
        help_text=_("Grassroots organizations existing that year; each in one cluster a year."),
    )

    def __init__(self, *args, user, cluster: Cluster | None = None, **kwargs):
        kwargs.setdefault("initial", {})
        if cluster is not None:
            kwargs["initial"].setdefault("name", cluster.name)
            kwargs["initial"].setdefault("order", cluster.order)
            kwargs["initial"].setdefault(
                "organizations", [place.organization_id for place in cluster.places.all()]
            )
        super().__init__(*args, **kwargs)
        pickers.use(
            self.fields["organizations"],
            selectors.cluster_organizations(user),
            user=user,
            kind=list(Organization.GRASSROOTS_KINDS),
        )
        owners = selectors.cluster_owners(user)
        if cluster is not None:
            del self.fields["owner"]
        else:
            self.fields["owner"].queryset = owners
            first = owners.first()
            if first is not None:
                self.fields["owner"].initial = first.pk
            if owners.count() <= 1:
                self.fields["owner"].widget = forms.HiddenInput()

    def arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["organizations"] = list(data["organizations"])
        return data


class CopyClustersForm(forms.Form):
    """Start a year's clusters as a copy of another year's (services.clusters.copy_clusters)."""

    from_year = _year_field(_("copy the clusters of"))

    def __init__(self, *args, to_year: int, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("from_year", to_year - 1)
        super().__init__(*args, **kwargs)


class MemberPicker(SearchSelect):
    """The member field of the award form: the chosen member only, the others searched at
    ``emulation:member_search`` (name without tone marks, CCCD or Party card number) as the user types."""

    placeholder = _("Type to search: name, citizen ID or Party card number")

    def get_search_url(self) -> str:
        return reverse("emulation:member_search")


class AwardForm(forms.Form):
    """An award (services.awards.record_award / update_award): what, who gave it, for which year, the
    decision, and exactly one recipient — an organization or a Party member."""

    kind = forms.ChoiceField(label=_("kind"), choices=Award.Kind.choices)
    title = forms.CharField(
        label=_("award"),
        max_length=255,
        help_text=_("As the decision names it, e.g. “Cờ thi đua của Ban Thường vụ Tỉnh ủy”."),
    )
    giver = forms.CharField(
        label=_("given by"), max_length=200, help_text=_("e.g. Ban Thường vụ Tỉnh ủy, Ủy ban nhân dân tỉnh.")
    )
    year = _year_field(_("year rewarded"))
    decision_no = forms.CharField(label=_("decision number"), max_length=64)
    decided_on = forms.DateField(label=_("decision date"), widget=DateInput())
    target_organization = forms.ModelChoiceField(
        label=_("organization"),
        queryset=Organization.objects.none(),
        required=False,
        widget=pickers.OrganizationPicker("emulation.awards"),
    )
    target_member = forms.ModelChoiceField(
        label=_("Party member"),
        queryset=Member.objects.none(),
        required=False,
        widget=MemberPicker(),
        help_text=_("The award counts under the member's Party cell on the decision date."),
    )
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, award: Award | None = None, **kwargs):
        kwargs.setdefault("initial", {})
        if award is not None:
            for name in ("kind", "title", "giver", "year", "decision_no", "decided_on", "note"):
                kwargs["initial"].setdefault(name, getattr(award, name))
            kwargs["initial"].setdefault("target_member", award.target_member_id)
            kwargs["initial"].setdefault("target_organization", award.target_organization_id)
        else:
            kwargs["initial"].setdefault("year", clock.today().year)
            kwargs["initial"].setdefault("decided_on", clock.today())
        super().__init__(*args, **kwargs)
        pickers.use(self.fields["target_organization"], selectors.award_organizations(user), user=user)
        self.fields["target_member"].queryset = selectors.award_members(user).select_related("organization")
        self.fields["target_member"].label_from_instance = member_label


class StreakForm(forms.Form):
    """The question of the streak lists: members or organizations, how many years in a row, up to which."""

    KINDS = (
        (selectors.MEMBER, _("Party members")),
        (selectors.ORGANIZATION, _("Party organizations")),
    )

    kind = forms.ChoiceField(label=_("who"), choices=KINDS, required=False)
    years = forms.IntegerField(label=_("years in a row"), min_value=2, max_value=20, required=False)
    until = forms.IntegerField(label=_("up to the year"), min_value=MIN_YEAR, max_value=2100, required=False)

    DEFAULT_YEARS = 5

    def question(self) -> tuple[str, int, int]:
        """(kind, years, until), the defaults for what is missing or does not fit: members, five years,
        up to last year (this year's ratings are decided in December)."""
        data = {}
        if self.is_bound:
            self.is_valid()  # the fields that fit land in cleaned_data; the others keep their default
            data = self.cleaned_data
        return (
            data.get("kind") or selectors.MEMBER,
            data.get("years") or self.DEFAULT_YEARS,
            data.get("until") or clock.today().year - 1,
        )
