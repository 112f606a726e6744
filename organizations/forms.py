from django import forms
from django.utils.translation import gettext_lazy as _

from blocportal.forms import DateInput, PlausibleDatesMixin

from . import pickers
from .models import CommitteeSeat, Organization, Term
from .services import INSPECTION_KINDS


class _ScopedParentMixin:
    """Limits an organization choice to the active organizations the user may change, searched in a
    picker (pickers.py, purpose ``organization.parent``)."""

    def scope_field(
        self, name: str, user, *, exclude_subtree_of: Organization | None = None, kind: str | None = None
    ) -> None:
        qs = Organization.objects.changeable_by(user).active()
        params = {}
        if exclude_subtree_of is not None:
            qs = qs.exclude(path__startswith=exclude_subtree_of.path)
            params["exclude"] = exclude_subtree_of.pk
        if kind is not None:
            qs = qs.filter(kind=kind)
            params["kind"] = kind
        pickers.use(self.fields[name], qs, user=user, **params)


class OrganizationCreateForm(PlausibleDatesMixin, _ScopedParentMixin, forms.ModelForm):
    decision_no = forms.CharField(label=_("decision number"), max_length=64, required=False)

    class Meta:
        model = Organization
        fields = ["parent", "kind", "code", "name", "short_name", "sector", "host_unit", "established_on"]
        widgets = {
            "parent": pickers.OrganizationPicker("organization.parent"),
            "established_on": DateInput(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope_field("parent", user)
        self.fields["parent"].required = not user.is_superuser
        self.fields["sector"].help_text = _(
            "Sub-organizations (đảng bộ bộ phận, chi bộ trực thuộc, tổ đảng) take the sector of their "
            "grassroots organization."
        )
        self.fields["established_on"].required = True

    def _post_clean(self):
        # The model's rules run in the service, where the errors are mapped back onto the form.
        pass


class OrganizationUpdateForm(PlausibleDatesMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "short_name", "sector", "host_unit", "established_on"]
        widgets = {"established_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.inherits_sector:
            del self.fields["sector"]

    def _post_clean(self):
        pass


class RenameForm(forms.Form):
    name = forms.CharField(label=_("new name"), max_length=255)
    on = forms.DateField(label=_("effective date"), widget=DateInput())
    decision_no = forms.CharField(label=_("decision number"), max_length=64)


class MoveForm(_ScopedParentMixin, forms.Form):
    new_parent = forms.ModelChoiceField(
        label=_("new parent organization"),
        queryset=Organization.objects.none(),
        widget=pickers.OrganizationPicker("organization.parent"),
    )
    on = forms.DateField(label=_("effective date"), widget=DateInput())
    decision_no = forms.CharField(label=_("decision number"), max_length=64)

    def __init__(self, *args, user, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope_field("new_parent", user, exclude_subtree_of=organization)


class MergeForm(_ScopedParentMixin, forms.Form):
    into = forms.ModelChoiceField(
        label=_("merge into"),
        queryset=Organization.objects.none(),
        widget=pickers.OrganizationPicker("organization.parent"),
    )
    on = forms.DateField(label=_("effective date"), widget=DateInput())
    decision_no = forms.CharField(label=_("decision number"), max_length=64)

    def __init__(self, *args, user, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope_field("into", user, exclude_subtree_of=organization, kind=organization.kind)


class DissolveForm(forms.Form):
    on = forms.DateField(label=_("dissolution date"), widget=DateInput())
    decision_no = forms.CharField(label=_("decision number"), max_length=64)
    confirm = forms.BooleanField(
        label=_("I confirm that this organization is dissolved by the decision above."), required=True
    )


# Committees (cấp ủy) and terms ---------------------------------------------------------------


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["label", "congress_ordinal", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def _post_clean(self):
        # The term's rules (kind, overlap, dates) run in the service.
        pass


class SeatForm(forms.Form):
    """A seat on the committee of ``term``: the member is chosen among the current official members
    of the organization's subtree that the user can see."""

    member = forms.ModelChoiceField(label=_("Party member"), queryset=None)
    position = forms.ChoiceField(label=_("position"), choices=CommitteeSeat.Position.choices)
    since = forms.DateField(label=_("since"), widget=DateInput())
    heads_host_unit = forms.BooleanField(
        label=_("also head of the host unit"),
        required=False,
        help_text=_("Only for the secretary."),
    )
    decision_no = forms.CharField(label=_("decision number"), max_length=64, required=False)

    def __init__(self, *args, user, term: Term, **kwargs):
        kwargs.setdefault("initial", {"since": term.starts_on})
        super().__init__(*args, **kwargs)
        organization = term.organization
        # The member register depends on this app, not the reverse: reach it through the seat.
        members = CommitteeSeat._meta.get_field("member").related_model.objects
        self.fields["member"].queryset = (
            members.visible_to(user)
            .registered()
            .in_subtree(organization)
            .filter(status="chinh_thuc")
            .select_related("organization")
        )
        self.fields["member"].label_from_instance = lambda member: (
            f"{member.full_name} — {member.organization.short_name or member.organization.name}"
        )
        if organization.kind not in INSPECTION_KINDS:
            self.fields["position"].choices = [
                choice
                for choice in CommitteeSeat.Position.choices
                if choice[0] not in CommitteeSeat.INSPECTION_POSITIONS
            ]


class SeatEndForm(forms.Form):
    until = forms.DateField(label=_("until"), widget=DateInput())
    note = forms.CharField(label=_("reason the seat ended"), max_length=255, required=False)
