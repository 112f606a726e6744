from django import forms
from django.utils.translation import gettext_lazy as _

from blocportal.forms import DateInput, PlausibleDatesMixin

from . import pickers
from .models import Organization


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
