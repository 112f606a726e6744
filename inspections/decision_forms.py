"""Forms of the discipline pages: a decision, an appeal against it, the appeal's settlement. They parse
what is typed; the services (services.discipline) decide — the forms a target may get, what a chi bộ or
a probationary member may get, cách chức only for a post held, the circumstances of Điều 8, the 30-day
window of an appeal — and their refusals come back onto the fields through
``blocportal.forms.call_service``."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from blocportal import clock
from blocportal.forms import DateInput
from members.models import CommitteeSeat, Member
from members.selectors import roll
from organizations import pickers
from organizations.models import Organization

from .models import Appeal, Body, Case, DisciplineDecision
from .selectors import case_pages
from .views_common import MemberPicker, use_member_picker

Form = DisciplineDecision.Form


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _field(model, name: str):
    return model._meta.get_field(name)


def seat_label(seat: CommitteeSeat) -> str:
    """ "Bí thư · Đảng bộ Sở Tài chính (2025–2030)"."""
    return f"{seat.get_position_display()} · {seat.term.organization.name} ({seat.term.label})"


def _use_seats(field: forms.ModelChoiceField, member: Member | None, on: date) -> None:
    """The seats ``member`` held on ``on`` (none before a member is chosen)."""
    ids = [seat.pk for seat in roll.seats_held_on(member, on)] if member is not None else []
    field.queryset = CommitteeSeat.objects.filter(pk__in=ids).select_related("term__organization")
    field.label_from_instance = seat_label


def _seat_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("post removed from"),
        queryset=CommitteeSeat.objects.none(),
        required=False,
        empty_label=_("The highest post held that day"),
        help_text=_("Only for cách chức: the posts the member holds on that day."),
    )


class _Posted:
    """Reading a posted value through its field, for the choices that depend on it (the member's seats)."""

    def _posted(self, name: str, default=None):
        if not self.is_bound:
            return default
        try:
            value = self.fields[name].clean(self.data.get(self.add_prefix(name)))
        except ValidationError:
            return default
        return default if value in (None, "") else value


class DecisionForm(_Posted, forms.Form):
    """A discipline decision (services.discipline.decide): the deciding body of an organization of the
    inspector's subtrees, exactly one target (a member of its subtree or an organization directly under
    it), the form, and what the procedure keeps (the violation, the hearing, the member's circumstance).
    ``case`` and ``member`` preset it from a case or a member's page."""

    body = forms.ChoiceField(label=_("deciding body"), choices=[("", "---------"), *Body.choices])
    organization = forms.ModelChoiceField(
        label=_("organization deciding"),
        queryset=Organization.objects.none(),
        widget=pickers.OrganizationPicker("case.organizations"),
    )
    decision_no = forms.CharField(label=_("decision number"), max_length=64)
    decided_on = forms.DateField(label=_("decision date"), widget=DateInput())
    effective_on = forms.DateField(
        label=_("in effect from"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Empty: the decision date. For a decision of a chi bộ: the day the vote result was announced."
        ),
    )
    target_member = forms.ModelChoiceField(
        label=_("member disciplined"), queryset=Member.objects.none(), required=False, widget=MemberPicker()
    )
    target_organization = forms.ModelChoiceField(
        label=_("organization disciplined"),
        queryset=Organization.objects.none(),
        required=False,
        widget=pickers.OrganizationPicker("case.targets"),
        help_text=_("Exactly one target: a Party member or an organization."),
    )
    form = forms.ChoiceField(
        label=_("form of discipline"),
        choices=Form.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text=_(
            "A member: khiển trách, cảnh cáo, cách chức or khai trừ; an organization: khiển trách, cảnh cáo "
            "or giải tán."
        ),
    )
    seat = _seat_field()
    violation = forms.CharField(label=_("violation"), required=False, widget=_text(4))
    violation_on = forms.DateField(
        label=_("violation committed on"),
        required=False,
        widget=DateInput(),
        help_text=_field(DisciplineDecision, "violation_on").help_text,
    )
    heard_on = forms.DateField(
        label=_("member heard on"),
        required=False,
        widget=DateInput(),
        help_text=_field(DisciplineDecision, "heard_on").help_text,
    )
    circumstance = forms.ChoiceField(
        label=_("circumstance of the member"),
        choices=[("", _("None of these")), *DisciplineDecision.Circumstance.choices],
        required=False,
        help_text=_("No discipline while the member is in one of these (296-QĐ/TW Điều 8)."),
    )
    override_reason = forms.CharField(
        label=_("why the decision is taken despite the circumstance"), required=False, widget=_text(2)
    )
    case = forms.ModelChoiceField(queryset=Case.objects.none(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, case: Case | None = None, member: Member | None = None, **kwargs):
        kwargs.setdefault("initial", {})
        initial = kwargs["initial"]
        initial.setdefault("decided_on", clock.today())
        if case is not None:
            initial |= {
                "case": case.pk,
                "target_member": case.target_member_id,
                "target_organization": case.target_organization_id,
                "organization": case.organization_id,
                "body": case.body,
            }
        if member is not None:
            initial["target_member"] = member.pk
        super().__init__(*args, **kwargs)
        pickers.use(self.fields["organization"], case_pages.conducting_organizations(user), user=user)
        pickers.use(self.fields["target_organization"], case_pages.inspected_organizations(user), user=user)
        use_member_picker(self.fields["target_member"], user)
        self.fields["case"].queryset = Case.objects.visible_to(user)
        if self.is_bound:
            chosen = self._posted("target_member")
        else:
            chosen = member or (case.target_member if case is not None else None)
        day = min(self._posted("decided_on", clock.today()), clock.today())
        _use_seats(self.fields["seat"], chosen, day)
        self.from_case = self._posted("case") if self.is_bound else case

    def arguments(self) -> dict:
        """What services.discipline.decide takes, from the cleaned data."""
        return dict(self.cleaned_data)


class AppealForm(forms.Form):
    """An appeal received against a decision (services.discipline.file_appeal): accepted within the
    window after the appellant received the decision, otherwise not accepted for being late; another
    ground of Điều 23 is chosen here, with its reason."""

    organization = forms.ModelChoiceField(
        label=_("organization settling"),
        queryset=Organization.objects.none(),
        widget=pickers.OrganizationPicker("case.organizations"),
        help_text=_("The organization that decided, or one above it."),
    )
    decision_received_on = forms.DateField(
        label=_("decision received by the appellant on"), widget=DateInput()
    )
    filed_on = forms.DateField(label=_("appeal received on"), widget=DateInput())
    refusal_ground = forms.ChoiceField(
        label=_("ground for not accepting"),
        choices=[("", _("None: accept it if it came within the time limit")), *Appeal.RefusalGround.choices],
        required=False,
        help_text=_(
            "An appeal filed after the time limit is not accepted, with its reason, without choosing it."
        ),
    )
    refusal_note = forms.CharField(label=_("reason"), required=False, widget=_text(2))

    def __init__(self, *args, user, decision: DisciplineDecision, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault(
            "organization", decision.organization.parent_id or decision.organization_id
        )
        kwargs["initial"].setdefault("filed_on", clock.today())
        super().__init__(*args, **kwargs)
        pickers.use(self.fields["organization"], case_pages.inspected_organizations(user), user=user)


class SettleForm(_Posted, forms.Form):
    """The settlement of an accepted appeal (services.discipline.settle_appeal): the decision upheld, its
    form changed (with the post removed from, for a change to cách chức), or annulled; the effect is
    undone or changed with it."""

    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=Appeal.Outcome.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    new_form = forms.ChoiceField(
        label=_("new form"),
        required=False,
        help_text=_("Only when the form is changed."),
    )
    settled_on = forms.DateField(label=_("settled on"), widget=DateInput())
    settlement_no = forms.CharField(label=_("settlement decision number"), max_length=64, required=False)
    seat = _seat_field()
    case = forms.ModelChoiceField(
        label=_("settlement case"),
        queryset=Case.objects.none(),
        required=False,
        help_text=_("The case in which the appeal was examined (settlement of a discipline appeal), if any."),
    )

    def __init__(self, *args, appeal: Appeal, user=None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("settled_on", clock.today())
        super().__init__(*args, **kwargs)
        decision = appeal.decision
        # The settlement cases on the decision's target that the inspector sees.
        self.fields["case"].queryset = (
            Case.objects.visible_to(user)
            .filter(
                kind=Case.Kind.APPEAL,
                target_member_id=decision.target_member_id,
                target_organization_id=decision.target_organization_id,
            )
            .order_by("-opened_on")
            if user is not None
            else Case.objects.none()
        )
        if not self.fields["case"].queryset.exists():
            del self.fields["case"]
        allowed = (
            DisciplineDecision.MEMBER_FORMS
            if decision.target_member_id
            else DisciplineDecision.ORGANIZATION_FORMS
        )
        self.fields["new_form"].choices = [
            ("", "---------"),
            *((value, label) for value, label in Form.choices if value in allowed and value != decision.form),
        ]
        if decision.target_member_id is None:
            del self.fields["seat"]
        else:
            day = min(self._posted("settled_on", clock.today()), clock.today())
            _use_seats(self.fields["seat"], decision.target_member, day)

    def arguments(self) -> dict:
        return dict(self.cleaned_data)
