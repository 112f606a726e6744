"""Forms of the member register. They check the input's shape; the rules of the Party (ages,
probation, dates, scope of the target chi bộ) are the services' and come back onto the form through
``blocportal.forms.add_service_error``."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from blocportal import clock
from blocportal.dates import format_day
from blocportal.forms import DateInput, PlausibleDatesMixin
from members import selectors
from organizations import pickers
from organizations.models import Organization

from . import resolutions, services
from .models import Member, Movement


def _cell_field(label, *, purpose: str = "member.cells", required: bool = True) -> forms.ModelChoiceField:
    """A chi bộ of the user's change scope, searched by name (several units have a "Chi bộ Văn
    phòng": each is named with its đảng bộ); the queryset is set per user in the form."""
    return forms.ModelChoiceField(
        label=label,
        queryset=Organization.objects.none(),
        required=required,
        widget=pickers.OrganizationPicker(purpose),
    )


class _NoModelValidation:
    """The model's rules run in the service, where the errors are mapped back onto the form."""

    def _post_clean(self):
        pass


def _date_widgets() -> dict[str, DateInput]:
    return {
        name: DateInput()
        for name in ("birth_date", "admitted_on", "ceremony_on", "official_on", "personal_history_on")
    }


def _new_member_widgets() -> dict[str, forms.Widget]:
    return {**_date_widgets(), "organization": pickers.OrganizationPicker("member.cells")}


class ProfileForm(PlausibleDatesMixin, _NoModelValidation, forms.ModelForm):
    """Correction of the profile (services.update_profile): dates of admission and status change
    only through the movements."""

    class Meta:
        model = Member
        fields = [*services.PROFILE_FIELDS, "personal_history_on"]
        widgets = _date_widgets()


class _NewMemberForm(PlausibleDatesMixin, _NoModelValidation, forms.ModelForm):
    """A member entering the register in a chi bộ of the user's change scope."""

    decision_no = forms.CharField(label=_("decision number"), max_length=64, required=False)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        pickers.use(self.fields["organization"], selectors.cells_for_change(user), user=user)


_PROFILE_WITHOUT_CARD = [field for field in services.PROFILE_FIELDS if field != "card_number"]


class AdmitForm(_NewMemberForm):
    """Kết nạp directly into a chi bộ (services.admit): probationary, so no card number yet."""

    over_age_approval = forms.CharField(
        label=Movement._meta.get_field("approval_no").verbose_name,
        help_text=Movement._meta.get_field("approval_no").help_text,
        max_length=64,
        required=False,
    )

    class Meta:
        model = Member
        fields = ["organization", *_PROFILE_WITHOUT_CARD, "admitted_on", "ceremony_on"]
        widgets = _new_member_widgets()

    field_order = ["organization", "full_name", "gender", "birth_date", "admitted_on", "decision_no"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Recorded as decided outside the portal: the decision and where its file is are required.
        self.fields["decision_no"].required = True
        self.fields["note"].required = True
        self.fields["note"].help_text = _("Who decided the admission, and where its file is kept.")


class TransferInForm(_NewMemberForm):
    """A member arriving from a Party organization outside the bloc, with the dates of their file
    (services.transfer_in): official when the official date is given."""

    origin = forms.CharField(label=Movement._meta.get_field("origin").verbose_name, max_length=255)
    on = forms.DateField(label=_("date of arrival"), widget=DateInput())

    class Meta:
        model = Member
        fields = ["organization", *services.PROFILE_FIELDS, "admitted_on", "ceremony_on", "official_on"]
        widgets = _new_member_widgets()

    field_order = ["organization", "origin", "on", "decision_no"]


class ReceiveTemporaryForm(TransferInForm):
    """A member of a Party organization outside the bloc attending one of its chi bộ for a while
    (services.receive_temporary)."""

    on = forms.DateField(label=_("attending from"), widget=DateInput())


class AdmissionDatesForm(PlausibleDatesMixin, forms.Form):
    """The dates of the admission as the file has them (services.correct_admission_dates)."""

    admitted_on = forms.DateField(label=_("admission decision date"), widget=DateInput())
    ceremony_on = forms.DateField(label=_("admission ceremony date"), widget=DateInput())
    official_on = forms.DateField(label=_("official member since"), widget=DateInput(), required=False)
    personal_history_on = forms.DateField(
        label=_("personal history (lý lịch) completed on"), widget=DateInput(), required=False
    )
    reason = forms.CharField(
        label=_("reason for the correction"),
        max_length=services.CORRECTION_REASON_MAX,
        help_text=_(
            "Kept in the history with your name, e.g. the number of the document that shows the date."
        ),
    )

    def __init__(self, *args, member: Member, **kwargs):
        initial = {
            field: getattr(member, field)
            for field in ("admitted_on", "ceremony_on", "official_on", "personal_history_on")
        }
        super().__init__(*args, initial=initial, **kwargs)
        if member.status != Member.Status.OFFICIAL:
            del self.fields["official_on"]


class ReceiptForm(forms.Form):
    """services.confirm_transfer_received: the day the new Party organization received the member."""

    on = forms.DateField(label=_("received by the new Party organization on"), widget=DateInput())


# Movements ------------------------------------------------------------------------------------


class MovementForm(forms.Form):
    """Date, decision and note: what every movement records. ``member`` and ``user`` are given to
    every movement form, for the ones whose choices or checks depend on them."""

    on = forms.DateField(label=_("date of the decision"), widget=DateInput())
    decision_no = forms.CharField(label=_("decision number"), max_length=64, required=False)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, member: Member, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member


def register_count_help(organization: Organization, day) -> str:
    """What the register counts for a resolution of the chi bộ (DOMAIN.md §4), for the secretary to
    confirm on the form (validation rule 4)."""
    register = resolutions.register_on(organization, day)
    return _(
        "On %(date)s the register of %(cell)s counts %(count)s: %(official)s official members, less "
        "%(away)s in temporary activity elsewhere and %(exempted)s exempted. Confirm it for the "
        "resolution date; a different figure is refused."
    ) % {
        "date": format_day(day),
        "cell": organization.name,
        "count": register.denominator(),
        "official": register.official,
        "away": register.away,
        "exempted": register.exempted,
    }


class _CountField(forms.IntegerField):
    """A count that may be left empty for none."""

    def to_python(self, value):
        return super().to_python(value) or 0


def exempted_present_field() -> forms.IntegerField:
    """Exempted members who attend and vote count in the §4 denominator."""
    return _CountField(
        label=_("exempted members who attended and voted"), min_value=0, initial=0, required=False
    )


class MakeOfficialForm(MovementForm):
    """The conversion and the chi bộ resolution behind it (DOMAIN.md validation rule 4): the votes
    of the official members that the register counts on the resolution date, which the secretary
    confirms here."""

    card_number = forms.CharField(label=_("Party card number"), max_length=32, required=False)
    resolution_no = forms.CharField(label=_("Party cell resolution number"), max_length=64, required=False)
    resolution_on = forms.DateField(label=_("Party cell resolution date"), widget=DateInput())
    official_members = forms.IntegerField(label=_("official members counted for the vote"), min_value=0)
    exempted_present = exempted_present_field()
    votes_for = forms.IntegerField(label=_("votes in favour"), min_value=0)

    field_order = [
        "resolution_no",
        "resolution_on",
        "official_members",
        "exempted_present",
        "votes_for",
        "on",
        "decision_no",
        "card_number",
    ]

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, member=member, **kwargs)
        if member.status == Member.Status.PROBATIONARY:
            self.fields["on"].help_text = _("The probation ends on %(date)s.") % {
                "date": format_day(member.probation_ends_on)
            }
            day = min(member.probation_ends_on, clock.today())
            self.fields["official_members"].initial = resolutions.vote_denominator(member.organization, day)
            self.fields["official_members"].help_text = register_count_help(member.organization, day)

    def clean(self):
        # The service treats an official member as done; here that is a mistake to say.
        if self.member.status == Member.Status.OFFICIAL:
            raise ValidationError(
                _("%(name)s is already an official member.") % {"name": self.member.full_name}
            )
        return super().clean()


class _TargetCellForm(MovementForm):
    """A movement to another chi bộ of the bloc, one the user may record movements in."""

    target_field = "to"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        pickers.use(self.fields[self.target_field], selectors.cells_for_change(user), user=user)


class TransferForm(_TargetCellForm):
    to = _cell_field(_("to Party cell"))

    field_order = ["to", "on", "decision_no"]


class TransferOutForm(MovementForm):
    destination = forms.CharField(label=_("to the Party organization"), max_length=255)

    field_order = ["destination", "on", "decision_no"]


class SendTemporaryForm(_TargetCellForm):
    to = _cell_field(_("host Party cell of the bloc"), required=False)
    destination = forms.CharField(
        label=_("or a Party organization outside the bloc"), max_length=255, required=False
    )

    field_order = ["to", "destination", "on", "decision_no"]


class ExemptForm(MovementForm):
    ground = forms.ChoiceField(label=_("ground"), choices=Movement.ExemptionGround.choices)

    field_order = ["ground", "on", "decision_no"]


class RemoveForm(MovementForm):
    ground = forms.ChoiceField(label=_("ground"), choices=Movement.RemovalGround.choices)

    field_order = ["ground", "on", "decision_no"]


class RecordDeathForm(MovementForm):
    on = forms.DateField(label=_("date of death"), widget=DateInput())
    decision_no = None


class TransferBackInForm(_TargetCellForm):
    """A former member who had transferred out comes back into a chi bộ of the bloc."""

    target_field = "organization"
    organization = _cell_field(_("into Party cell"))
    origin = forms.CharField(label=Movement._meta.get_field("origin").verbose_name, max_length=255)

    field_order = ["organization", "origin", "on", "decision_no"]


# Bulk transfer --------------------------------------------------------------------------------


class BulkSourceForm(forms.Form):
    source = _cell_field(_("Party cell to transfer from"), purpose="member.sources")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        pickers.use(self.fields["source"], selectors.bulk_transfer_sources(user), user=user)


class BulkTransferForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("members to transfer"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    to = _cell_field(_("to Party cell"))
    on = forms.DateField(label=_("date of the decision"), widget=DateInput())
    decision_no = forms.CharField(label=_("decision number"), max_length=64, required=False)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, source, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = selectors.current_members_of(source)
        self.fields["members"].label_from_instance = lambda m: f"{m.full_name} ({format_day(m.birth_date)})"
        pickers.use(
            self.fields["to"],
            selectors.cells_for_change(user).exclude(pk=source.pk),
            user=user,
            exclude=source.pk,
        )
