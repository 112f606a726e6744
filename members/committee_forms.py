"""The forms of the committees (cấp ủy): a term, a seat, the end of a seat. They only parse what is
typed; the rules live in members/services/committees.py, whose refusals the views put back on the
form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from blocportal.forms import DateInput

from .models import CommitteeSeat, Member, Term
from .services.committees import INSPECTION_KINDS


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
    starts_on = forms.DateField(label=_("since"), widget=DateInput())
    heads_host_unit = forms.BooleanField(
        label=_("also head of the host unit"),
        required=False,
        help_text=_("Only for the secretary."),
    )
    decision_no = forms.CharField(label=_("decision number"), max_length=64, required=False)

    def __init__(self, *args, user, term: Term, **kwargs):
        kwargs.setdefault("initial", {"starts_on": term.starts_on})
        super().__init__(*args, **kwargs)
        organization = term.organization
        self.fields["member"].queryset = (
            Member.objects.visible_to(user)
            .registered()
            .in_subtree(organization)
            .filter(status=Member.Status.OFFICIAL)
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
    ends_on = forms.DateField(label=_("until"), widget=DateInput())
    note = forms.CharField(label=_("reason the seat ended"), max_length=255, required=False)
