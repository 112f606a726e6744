"""Forms of the case pages. They parse what is typed; the services decide (which body of which
organization conducts which kind of case, the target within its reach, the dates, the conclusion) and
their refusals come back onto the form through ``blocportal.forms.call_service``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from blocportal import clock
from blocportal.forms import DateInput
from members.models import Member
from organizations import pickers
from organizations.models import Organization

from .models import Body, Case
from .selectors import case_pages
from .services.common import BODY_KINDS
from .views_common import MemberPicker, use_member_picker

# The body first: it decides which organizations may conduct (services.common.BODY_KINDS).
BODY_CHOICES = [("", "---------"), *Body.choices]


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=Case._meta.get_field("plan_year").verbose_name,
        help_text=Case._meta.get_field("plan_year").help_text,
        min_value=1990,
        max_value=2100,
        required=False,
    )


class _ParticularsForm(forms.Form):
    """The decision's particulars, shared by its recording and its correction (services.cases.CORRECTABLE
    without the stage, which has its own action)."""

    kind = forms.ChoiceField(label=_("kind of case"), choices=Case.Kind.choices)
    decision_no = forms.CharField(label=_("decision number"), max_length=64)
    opened_on = forms.DateField(label=_("decision date"), widget=DateInput())
    plan_year = _year_field()
    due_on = forms.DateField(label=_("due by"), required=False, widget=DateInput())
    subject = forms.CharField(label=_("content"), max_length=500, required=False, widget=_text(3))


class CaseForm(_ParticularsForm):
    """The decision that opens a case (services.cases.open_case): who conducts it (a body of an
    organization of the inspector's subtrees), what and on whom — exactly one target, an organization
    under the conducting one or a member of its subtree."""

    body = forms.ChoiceField(label=_("conducting body"), choices=BODY_CHOICES)
    organization = forms.ModelChoiceField(
        label=_("organization conducting"),
        queryset=Organization.objects.none(),
        widget=pickers.OrganizationPicker("case.organizations"),
    )
    target_organization = forms.ModelChoiceField(
        label=_("organization inspected"),
        queryset=Organization.objects.none(),
        required=False,
        widget=pickers.OrganizationPicker("case.targets"),
    )
    target_member = forms.ModelChoiceField(
        label=_("member inspected"),
        queryset=Member.objects.none(),
        required=False,
        widget=MemberPicker(),
        help_text=_("Their Party cell and post on the decision date are kept with the case."),
    )

    field_order = [
        "body",
        "organization",
        "kind",
        "decision_no",
        "opened_on",
        "plan_year",
        "due_on",
        "target_organization",
        "target_member",
        "subject",
    ]

    def __init__(self, *args, user, body: str = "", organization: Organization | None = None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("opened_on", clock.today())
        if body:
            kwargs["initial"]["body"] = body
        if organization is not None:
            kwargs["initial"]["organization"] = organization.pk
        super().__init__(*args, **kwargs)
        chosen_body = self._chosen_body(body)
        # The search offers the organizations that have the chosen body; the field accepts any that
        # conducts cases, so that a wrong pair gets the service's message rather than "not a choice".
        narrowed = {"kind": list(BODY_KINDS[chosen_body])} if chosen_body else {}
        pickers.use(
            self.fields["organization"], case_pages.conducting_organizations(user), user=user, **narrowed
        )
        pickers.use(self.fields["target_organization"], case_pages.inspected_organizations(user), user=user)
        use_member_picker(self.fields["target_member"], user)

    def _chosen_body(self, body: str) -> str:
        if self.is_bound:
            body = self.data.get(self.add_prefix("body"), "")
        return body if body in Body.values else ""

    def arguments(self) -> dict:
        """What services.cases.open_case takes, from the cleaned data."""
        return dict(self.cleaned_data)


class CaseEditForm(_ParticularsForm):
    """The correction of the decision's particulars (services.cases.correct_case); the body, the
    conducting organization and the target are the decision's own: a wrong one is deleted and recorded
    again."""

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault("initial", {})
        for name in self.base_fields:
            kwargs["initial"].setdefault(name, getattr(case, name))
        super().__init__(*args, **kwargs)

    def changes(self) -> dict:
        """Only what was changed: the service saves no row for a form sent back as it was."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


class StageForm(forms.Form):
    """The stage an open case has reached; the conclusion closes it (ConcludeForm)."""

    stage = forms.ChoiceField(
        label=_("stage"),
        choices=[choice for choice in Case.Stage.choices if choice[0] != Case.Stage.CONCLUDED],
    )

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault("initial", {"stage": case.stage})
        super().__init__(*args, **kwargs)


class ConcludeForm(forms.Form):
    """The conclusion (services.cases.conclude_case): a violation found is described."""

    conclusion = forms.ChoiceField(
        label=_("conclusion"),
        choices=Case.Conclusion.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    closed_on = forms.DateField(label=_("concluded on"), widget=DateInput())
    findings = forms.CharField(
        label=_("findings"),
        required=False,
        widget=_text(6),
        help_text=_("Required when a violation is found."),
    )

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "conclusion": case.conclusion,
                "closed_on": case.closed_on or clock.today(),
                "findings": case.findings,
            },
        )
        super().__init__(*args, **kwargs)


class DocumentForm(forms.Form):
    """A document of the case file (services.cases.add_document checks what it is)."""

    title = forms.CharField(
        label=_("document"),
        max_length=255,
        help_text=_("For example: the decision, the plan, the report, the conclusion."),
    )
    file = forms.FileField(
        label=_("file"),
        help_text=_("A PDF, a Word document (.docx) or a photo (JPEG or PNG)."),
    )
