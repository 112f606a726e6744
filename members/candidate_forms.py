"""Input and list UI of the party-development pipeline: the candidate forms, one form per step,
the admission-target form, and the candidate list's filter and table.

The forms only parse what is typed; the rules live in members/services/candidates.py, whose refusals are put
back on the form by the views."""

import django_filters
import django_tables2 as tables
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from blocportal import access, clock, rules
from blocportal.dates import format_day
from blocportal.forms import DateInput, PlausibleDatesMixin
from blocportal.lists import DateColumn, ListTable
from members.selectors import candidates as candidate_selectors
from members.services import candidates as candidate_services
from organizations import pickers
from organizations.models import Organization

from . import resolutions
from .forms import exempted_present_field, register_count_help
from .models import AdmissionTarget, Candidate
from .tables import CellColumn, GrassrootsNames

_PROFILE_WIDGETS = {"birth_date": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}


class CandidateCreateForm(PlausibleDatesMixin, forms.ModelForm):
    """What a chi bộ secretary records about a quần chúng ưu tú."""

    class Meta:
        model = Candidate
        fields = ["organization", *candidate_services.PROFILE_FIELDS]
        widgets = _PROFILE_WIDGETS

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cells = (
            Organization.objects.filter(
                access.scope_q(user, "path", roles=access.PERMISSIONS["candidate.change"])
            )
            .active()
            .filter(kind__in=Organization.CELL_KINDS)
            .order_by("path")
        )
        self.fields["organization"].queryset = cells
        self.fields["organization"].label_from_instance = lambda org: org.name
        if cells.count() == 1:
            self.fields["organization"].initial = cells.first()

    def _post_clean(self):
        # The model's rules run in the service, where the errors are mapped back onto the form.
        pass


class CandidateUpdateForm(PlausibleDatesMixin, forms.ModelForm):
    class Meta:
        model = Candidate
        fields = list(candidate_services.PROFILE_FIELDS)
        widgets = _PROFILE_WIDGETS

    def _post_clean(self):
        pass


# One form per step. Every step form takes the candidate and the user; ``initial_from`` maps its
# fields to the candidate's, so a correction starts from what is recorded.


class StepForm(forms.Form):
    initial_from: dict[str, str] = {}

    def __init__(self, *args, candidate: Candidate, user, **kwargs):
        initial = {field: getattr(candidate, source) for field, source in self.initial_from.items()}
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)


class TrainingForm(StepForm):
    certificate_no = forms.CharField(label=_("awareness class certificate number"), max_length=64)
    certificate_on = forms.DateField(label=_("awareness class certificate date"), widget=DateInput())
    initial_from = {"certificate_no": "certificate_no", "certificate_on": "certificate_on"}


class SponsorsForm(StepForm):
    sponsor_1 = forms.ModelChoiceField(label=_("first sponsor"), queryset=None)
    sponsor_2 = forms.ModelChoiceField(label=_("second sponsor"), queryset=None, required=False)
    youth_union_sponsor = forms.BooleanField(
        label=_("second sponsor is the Youth Union committee"),
        required=False,
        help_text=_("For a Youth Union member: one Party member and the grassroots Youth Union committee."),
    )
    initial_from = {
        "sponsor_1": "sponsor_1",
        "sponsor_2": "sponsor_2",
        "youth_union_sponsor": "youth_union_sponsor",
    }

    def __init__(self, *args, candidate: Candidate, user, **kwargs):
        super().__init__(*args, candidate=candidate, user=user, **kwargs)
        choices = candidate_selectors.sponsor_choices(candidate, user)
        for name in ("sponsor_1", "sponsor_2"):
            self.fields[name].queryset = choices
            self.fields[name].label_from_instance = lambda m: f"{m.full_name} — {m.organization.name}"
        self.fields["sponsor_1"].help_text = _(
            "Official members who have worked or lived alongside the applicant for at least %(months)s "
            "months."
        ) % {"months": rules.get("candidate.sponsor_months_together")}


class ApplicationForm(StepForm):
    applied_on = forms.DateField(label=_("application and personal history submitted on"), widget=DateInput())
    initial_from = {"applied_on": "applied_on"}


_VETTING_SCOPE = _(
    "The check covers the applicant; their parents and parents-in-law (or the person who raised them); "
    "spouse; and adult children. Relatives who are Party members and fully declared need no check."
)


class VettingStartForm(StepForm):
    on = forms.DateField(label=_("background check started on"), widget=DateInput(), help_text=_VETTING_SCOPE)
    initial_from = {"on": "vetting_started_on"}


class VettingCompleteForm(StepForm):
    on = forms.DateField(
        label=_("background check completed on"), widget=DateInput(), help_text=_VETTING_SCOPE
    )
    initial_from = {"on": "vetting_completed_on"}


def _over_age_field() -> forms.CharField:
    return forms.CharField(
        label=_("approval of the higher committee"),
        max_length=64,
        required=False,
        help_text=_("For an admission over the age limit: the provincial Party committee's approval."),
    )


class ResolutionForm(StepForm):
    resolution_no = forms.CharField(label=_("Party cell resolution number"), max_length=64)
    resolution_on = forms.DateField(label=_("Party cell resolution date"), widget=DateInput())
    official_members = forms.IntegerField(
        label=_("official members of the Party cell"),
        min_value=0,
        help_text=_(
            "All official members, less those attached elsewhere temporarily and exempted members who "
            "were absent — not only those present. Two thirds of them must vote in favour."
        ),
    )
    exempted_present = exempted_present_field()
    votes_for = forms.IntegerField(label=_("votes in favour"), min_value=0)
    over_age_approval = _over_age_field()
    initial_from = {
        "resolution_no": "resolution_no",
        "resolution_on": "resolution_on",
        "official_members": "official_members",
        "votes_for": "votes_for",
        "over_age_approval": "over_age_approval",
    }

    def __init__(self, *args, candidate: Candidate, **kwargs):
        super().__init__(*args, candidate=candidate, **kwargs)
        day = candidate.resolution_on or clock.today()
        if candidate.official_members is None:
            self.fields["official_members"].initial = resolutions.vote_denominator(
                candidate.organization, day
            )
        self.fields["official_members"].help_text = register_count_help(candidate.organization, day)


class DecisionForm(StepForm):
    decision_no = forms.CharField(label=_("admission decision number"), max_length=64)
    decision_on = forms.DateField(label=_("admission decision date"), widget=DateInput())
    over_age_approval = _over_age_field()
    initial_from = {
        "decision_no": "decision_no",
        "decision_on": "decision_on",
        "over_age_approval": "over_age_approval",
    }


class AdmitForm(StepForm):
    ceremony_on = forms.DateField(
        label=_("admission ceremony date"),
        widget=DateInput(),
    )
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ceremony_on"].help_text = gettext(
            "Within %(days)s working days of the admission decision."
        ) % {"days": rules.get("member.ceremony_due_working_days")}


class WithdrawForm(StepForm):
    on = forms.DateField(label=_("withdrawn on"), widget=DateInput())
    reason = forms.CharField(label=_("reason"), max_length=255)


# Admission targets ------------------------------------------------------------------------------


class TargetForm(forms.ModelForm):
    class Meta:
        model = AdmissionTarget
        fields = ["organization", "year", "target", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            Organization.objects.filter(
                access.scope_q(user, "path", roles=access.PERMISSIONS["target.change"])
            )
            .active()
            .filter(kind__in=candidate_selectors.TARGET_KINDS)
            .order_by("path")
        )
        self.fields["organization"].label_from_instance = lambda org: org.name
        self.fields["year"].initial = clock.today().year

    def validate_unique(self):
        # One row per organization and year: the service corrects the existing row.
        pass

    def _post_clean(self):
        pass


# The candidate list ---------------------------------------------------------------------------

OPEN, ALL = "open", "all"


class CandidateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    stage = django_filters.ChoiceFilter(
        label=_("stage"),
        choices=[(OPEN, _("In progress")), *Candidate.Stage.choices, (ALL, _("All"))],
        method="filter_stage",
        empty_label=None,
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("Party cell"),
        queryset=Organization.objects.none(),
        widget=pickers.OrganizationPicker(kind=Organization.CELL_KINDS),
    )

    class Meta:
        model = Candidate
        fields = ["q", "stage", "organization"]

    def __init__(self, data=None, *args, user, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("stage", OPEN)
        super().__init__(data, *args, **kwargs)
        pickers.use(
            self.form.fields["organization"],
            Organization.objects.visible_to(user).filter(kind__in=Organization.CELL_KINDS),
            user=user,
        )

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_stage(self, queryset, name, value):
        if value == OPEN:
            return queryset.open()
        if value == ALL:
            return queryset
        return queryset.filter(stage=value)


class CertificateColumn(tables.Column):
    """The certificate's expiry, marked when it ran out or runs out soon (validation rule 2) — only
    while the chi bộ has not adopted its resolution: after that the certificate has served."""

    def render(self, record, table):
        expires = record.certificate_expires_on
        if expires is None:
            return "—"
        text = format_day(expires)
        if not record.is_open or candidate_selectors.STAGE_ORDER.index(
            record.stage
        ) >= candidate_selectors.STAGE_ORDER.index(Candidate.Stage.PROPOSED):
            return text
        if expires < table.today:
            return format_html('{} <span class="badge text-bg-danger">{}</span>', text, _("expired"))
        if (expires - table.today).days <= table.expiring_days:
            return format_html('{} <span class="badge text-bg-warning">{}</span>', text, _("expiring soon"))
        return text


class SponsorsColumn(tables.Column):
    def render(self, record):
        names = [s.full_name for s in (record.sponsor_1, record.sponsor_2) if s is not None]
        if record.youth_union_sponsor:
            names.append(str(_("Youth Union committee")))
        return ", ".join(names) or "—"


class CandidateTable(GrassrootsNames, ListTable):
    phone_columns = ("full_name", "organization", "stage")

    full_name = tables.Column(
        verbose_name=_("full name"),
        linkify=("members:candidate_detail", {"pk": tables.A("pk")}),
        order_by=("sort_name", "birth_date"),
    )
    birth_date = DateColumn(verbose_name=_("date of birth"))
    organization = CellColumn(verbose_name=_("Party cell"), order_by=("organization__path",))
    stage = tables.Column(verbose_name=_("stage"))
    certificate = CertificateColumn(
        verbose_name=_("certificate valid until"), accessor="certificate_on", order_by=("certificate_on",)
    )
    sponsors = SponsorsColumn(verbose_name=_("sponsors"), accessor="sponsor_1", orderable=False)

    class Meta:
        model = Candidate
        fields = ("full_name", "birth_date", "organization", "stage", "certificate", "sponsors")
        order_by = ("full_name",)
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No candidate matches.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once for the table, not once a cell (CertificateColumn).
        self.today = clock.today()
        self.expiring_days = rules.get("alert.certificate_expiring_days")
