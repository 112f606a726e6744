"""Forms of the letters' pages (đơn thư). They parse what is typed; the services decide (who receives,
the sender or anonymity, whom the letter is about, the deadline, how it is closed) and their refusals
come back onto the form through ``blocportal.forms.call_service``. A case opened from a letter is the
case's own form (case_forms.CaseForm), its target and kind preset from the letter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from blocportal import clock
from blocportal.forms import DateInput
from members.models import Member
from organizations import pickers
from organizations.models import Organization

from .case_forms import CaseForm
from .models import Body, Case, Complaint
from .selectors import case_pages
from .services.common import CELL_KINDS
from .services.complaints import EDITABLE
from .views_common import MemberPicker, use_member_picker


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _label(name: str):
    return Complaint._meta.get_field(name).verbose_name


class _LetterForm(forms.Form):
    """What the letter says, shared by its recording and its correction (services.complaints.EDITABLE):
    a letter is anonymous or has its sender; it is about one member or one organization, or neither
    (a report on a general matter)."""

    kind = forms.ChoiceField(label=_("kind of letter"), choices=Complaint.Kind.choices)
    received_on = forms.DateField(label=_("received on"), widget=DateInput())
    anonymous = forms.BooleanField(label=_("anonymous letter"), required=False)
    sender = forms.CharField(
        label=_("sender"),
        max_length=255,
        required=False,
        help_text=_("Leave empty for an anonymous letter."),
    )
    sender_address = forms.CharField(label=_label("sender_address"), max_length=255, required=False)
    subject_member = forms.ModelChoiceField(
        label=_("about the member"), queryset=Member.objects.none(), required=False, widget=MemberPicker()
    )
    subject_organization = forms.ModelChoiceField(
        label=_("about the organization"),
        queryset=Organization.objects.none(),
        required=False,
        widget=pickers.OrganizationPicker("case.targets"),
        help_text=_(
            "A letter is about one member or one organization; a denunciation names whom it accuses."
        ),
    )
    summary = forms.CharField(label=_("content"), widget=_text(5))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        use_member_picker(self.fields["subject_member"], user)
        pickers.use(self.fields["subject_organization"], case_pages.inspected_organizations(user), user=user)


class ComplaintForm(_LetterForm):
    """A letter received (services.complaints.receive_complaint): the receiving organization first, in
    the inspector's subtrees; the handling deadline follows from its level."""

    organization = forms.ModelChoiceField(
        label=_("organization receiving"),
        queryset=Organization.objects.none(),
        widget=pickers.OrganizationPicker("case.organizations"),
        help_text=_("The deadline to handle the letter is that of its level: chi bộ, cơ sở or the bloc."),
    )

    field_order = ["organization", "kind", "received_on"]

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("received_on", clock.today())
        super().__init__(*args, user=user, **kwargs)
        pickers.use(self.fields["organization"], case_pages.conducting_organizations(user), user=user)


class ComplaintEditForm(_LetterForm):
    """The correction of what was recorded (services.complaints.correct_complaint); the receiving
    organization stays: a letter recorded at the wrong one is recorded again there."""

    def __init__(self, *args, complaint: Complaint, user, **kwargs):
        kwargs.setdefault("initial", {})
        for name in EDITABLE:
            value = getattr(complaint, f"{name}_id" if name.startswith("subject_") else name)
            kwargs["initial"].setdefault(name, value)
        super().__init__(*args, user=user, **kwargs)

    def changes(self) -> dict:
        """Only what was changed: the service saves no row for a form sent back as it was."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


class OpenCaseForm(CaseForm):
    """The decision that opens a case to handle the letter (services.cases.open_case(complaint=…)).
    Conducted by the receiving organization unless another (under it) is chosen; the target is the
    letter's subject unless another is chosen; an anonymous letter leads to an inspection on signs of
    violation, a denunciation to its settlement."""

    def __init__(self, *args, user, complaint: Complaint, **kwargs):
        kwargs.setdefault("initial", {})
        initial = kwargs["initial"]
        initial.setdefault("kind", default_kind(complaint))
        initial.setdefault("target_member", complaint.subject_member_id)
        initial.setdefault("target_organization", complaint.subject_organization_id)
        initial.setdefault("subject", complaint.summary[:500])
        super().__init__(
            *args, user=user, body=default_body(complaint), organization=complaint.organization, **kwargs
        )
        self.fields["target_member"].help_text = _(
            "The letter's subject by default; their Party cell and post on the decision date are kept."
        )


def default_body(complaint: Complaint) -> str:
    """A chi bộ handles a letter itself; a đảng ủy or the bloc through its inspection commission."""
    if complaint.organization.kind in CELL_KINDS:
        return Body.CELL
    return Body.COMMISSION


def default_kind(complaint: Complaint) -> str:
    if complaint.anonymous or complaint.kind != Complaint.Kind.DENUNCIATION:
        return Case.Kind.SIGNS_OF_VIOLATION
    return Case.Kind.DENUNCIATION


class CloseForm(forms.Form):
    """How the letter's handling ends: settled with its result (services.complaints.resolve_complaint),
    forwarded to the competent body (forward_complaint), or filed without handling with the reason
    (file_complaint)."""

    RESOLVE, FORWARD, FILE = "resolve", "forward", "file"
    ACTIONS = (
        (RESOLVE, _("Settled: record the result")),
        (FORWARD, _("Outside our competence: forwarded to the competent body")),
        (FILE, _("Filed without handling")),
    )

    action = forms.ChoiceField(
        label=_("how the letter was handled"),
        choices=ACTIONS,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    resolved_on = forms.DateField(label=_("handled on"), widget=DateInput())
    forwarded_to = forms.CharField(
        label=_("forwarded to"),
        max_length=255,
        required=False,
        help_text=_("Only for a letter forwarded: the body it goes to."),
    )
    result = forms.CharField(
        label=_("result or reason"),
        required=False,
        widget=_text(4),
        help_text=_("The result of the handling, or why the letter is filed without handling."),
    )

    def __init__(self, *args, complaint: Complaint, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("resolved_on", clock.today())
        kwargs["initial"].setdefault("action", self.RESOLVE)
        super().__init__(*args, **kwargs)
        if complaint.case_id:
            # A letter a case handles is settled here once the case is concluded.
            self.fields["action"].choices = [self.ACTIONS[0]]
            del self.fields["forwarded_to"]

    def arguments(self) -> dict:
        """What the chosen service takes."""
        data = self.cleaned_data
        arguments = {"on": data["resolved_on"], "result": data["result"]}
        if data["action"] == self.FORWARD:
            arguments["forwarded_to"] = data["forwarded_to"]
        return arguments
