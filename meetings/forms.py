"""Forms of the meetings' pages. They parse what is typed; the services decide (who meets, who is
expected, the dates, a closed month) and their refusals come back onto the form through
``blocportal.forms.add_service_error``."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from blocportal import clock
from blocportal.forms import DateInput
from blocportal.periods import Period
from members.models import Member
from organizations import pickers
from organizations.models import Organization

from .models import Attendance, Meeting, StudySession
from .selectors import choices
from .services import study
from .services.meetings import Mark


class PeriodField(forms.CharField):
    """A reporting period typed as the portal writes it (2025-03, 2025-Q1, 2025…), as a
    ``Period``; ``kinds`` restricts it (a month only: ``("monthly",)``)."""

    def __init__(self, *args, kinds: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        self.widget.attrs.setdefault("maxlength", "9")

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        period = Period.parse(value[:20])
        if self.kinds and period.kind not in self.kinds:
            raise ValidationError(_("Type a month as YYYY-MM, for example 2025-03."), code="not_a_month")
        return period

    def prepare_value(self, value):
        return str(value) if isinstance(value, Period) else value


class OrganizationsPicker(pickers.OrganizationPicker):
    """An organization picker that chooses several (the chi bộ of a joint meeting)."""

    allow_multiple_selected = True
    value_from_datadict = forms.SelectMultiple.value_from_datadict
    value_omitted_from_data = forms.SelectMultiple.value_omitted_from_data


def _organization_field(purpose: str, **kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("organization"),
        queryset=Organization.objects.none(),
        widget=pickers.OrganizationPicker(purpose),
        **kwargs,
    )


def _member_field(label) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("Not chosen yet"),
    )


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class _DetailsForm(forms.Form):
    """The details of a meeting shared by its recording and its correction."""

    kind = forms.ChoiceField(label=_("kind of meeting"), choices=Meeting.Kind.choices)
    place = forms.CharField(label=_("place"), max_length=255, required=False)
    online = forms.BooleanField(label=_("held online"), required=False)
    topic = forms.CharField(label=_("topic"), max_length=255, required=False)
    chair = _member_field(_("chair"))
    recorder = _member_field(_("recorder"))
    upper_attendee = forms.CharField(
        label=Meeting._meta.get_field("upper_attendee").verbose_name,
        help_text=Meeting._meta.get_field("upper_attendee").help_text,
        max_length=255,
        required=False,
    )
    content = forms.CharField(label=_("content"), required=False, widget=_text(4))
    conclusions = forms.CharField(label=_("conclusions"), required=False, widget=_text(3))
    minutes_file = forms.FileField(
        label=_("minutes file"),
        required=False,
        help_text=_("A PDF, a Word document (.docx) or a photo of the signed minutes."),
    )

    def _set_people(self, queryset) -> None:
        for name in ("chair", "recorder"):
            self.fields[name].queryset = queryset


class MeetingForm(_DetailsForm):
    """A meeting recorded on a phone in two minutes (services.record_meeting): the organization,
    who meets, the day and the kind come first; the rest may be left for the edit page. The
    organization's dependent choices (a tổ đảng's members, the chair and the recorder) are those of
    the organization posted or preselected: the page asks for them again when it changes (htmx)."""

    organization = _organization_field("meeting.organizations")
    body = forms.ChoiceField(
        label=_("who meets"),
        choices=Meeting.Body.choices,
        initial=Meeting.Body.MEMBERS,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    held_on = forms.DateField(label=_("meeting date"), widget=DateInput())
    joint_with = forms.ModelMultipleChoiceField(
        label=_("joint with"),
        queryset=Organization.objects.none(),
        required=False,
        widget=OrganizationsPicker("meeting.joint"),
        help_text=_("The other Party cells of a joint meeting: each has its attendance list."),
    )
    group_members = forms.ModelMultipleChoiceField(
        label=_("members of the Party group"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    field_order = ["organization", "body", "held_on", "kind", "place", "online", "topic", "joint_with"]

    def __init__(self, *args, user, organization: Organization | None = None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("held_on", clock.today())
        kwargs["initial"].setdefault("kind", Meeting.Kind.REGULAR)
        if organization is not None:
            kwargs["initial"]["organization"] = organization.pk
        super().__init__(*args, **kwargs)
        pickers.use(self.fields["organization"], choices.recordable_organizations(user), user=user)
        pickers.use(self.fields["joint_with"], choices.joinable_cells(user), user=user)
        self.chosen = self._posted_organization() if self.is_bound else organization
        if self.chosen is None:
            return
        if self.chosen.kind == Organization.Kind.GROUP:
            self.fields["group_members"].queryset = choices.group_candidates(self.chosen)
            self.fields["kind"].initial = Meeting.Kind.GROUP
        self._set_people(choices.chairs_of(self.chosen, self._day()))

    def _posted_organization(self) -> Organization | None:
        try:
            return self.fields["organization"].clean(self.data.get(self.add_prefix("organization")))
        except ValidationError:
            return None

    def _day(self) -> date:
        today = clock.today()
        try:
            day = self.fields["held_on"].clean(self.data.get(self.add_prefix("held_on")))
        except ValidationError:
            return today
        return min(day, today) if day else today

    @property
    def is_group(self) -> bool:
        return self.chosen is not None and self.chosen.kind == Organization.Kind.GROUP

    def arguments(self) -> dict:
        """What services.record_meeting takes, from the cleaned data."""
        data = dict(self.cleaned_data)
        members = data.pop("group_members")
        data["group_members"] = [member.pk for member in members] if self.is_group else None
        data["minutes_file"] = data["minutes_file"] or None
        return data


class MeetingEditForm(_DetailsForm):
    """The correction of a meeting's details (services.correct_meeting): its organization and date
    froze its lists, so they are not here. The chair and the recorder are chosen among the members
    listed."""

    def __init__(self, *args, meeting: Meeting, **kwargs):
        kwargs.setdefault("initial", {})
        for name in ("kind", "place", "online", "topic", "upper_attendee", "content", "conclusions"):
            kwargs["initial"].setdefault(name, getattr(meeting, name))
        kwargs["initial"].setdefault("chair", meeting.chair_id)
        kwargs["initial"].setdefault("recorder", meeting.recorder_id)
        super().__init__(*args, **kwargs)
        self._set_people(choices.listed_members(meeting))

    def arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["minutes_file"] = data["minutes_file"] or None
        return data


class SheetForm(forms.Form):
    """The attendance sheet: for each row of the meeting's lists, present, excused or absent without
    reason (a radio group, default the stored mark) and the reason of an absence. The fields are
    named by the member (``status_<id>``, ``reason_<id>``): a member is on a meeting's lists once."""

    def __init__(self, *args, sheets, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheets = []
        for sheet in sheets:
            lines = []
            for row in sheet.rows.all():
                status, reason = f"status_{row.member_id}", f"reason_{row.member_id}"
                self.fields[status] = forms.ChoiceField(
                    label=row.member.full_name,
                    choices=Attendance.Status.choices,
                    initial=row.status,
                    # Bootstrap's toggle buttons: real radio inputs with their labels, large
                    # enough for a finger, in the tab order (arrows move within a member's group).
                    widget=forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
                    error_messages={"required": _("Mark whether this member attended.")},
                )
                self.fields[reason] = forms.CharField(
                    label=_("reason for absence"),
                    max_length=255,
                    required=False,
                    initial=row.reason,
                    widget=forms.TextInput(
                        attrs={
                            "class": "form-control form-control-sm",
                            "placeholder": _("reason for absence"),
                        }
                    ),
                )
                lines.append(SheetLine(row, self[status], self[reason]))
            self.sheets.append((sheet, lines))

    def marks(self) -> list[Mark]:
        return [
            Mark(line.row.member_id, self.cleaned_data[line.status.name], self.cleaned_data[line.reason.name])
            for _sheet, lines in self.sheets
            for line in lines
        ]


class SheetLine:
    """One member's line of the sheet: the stored row and its two fields."""

    def __init__(self, row: Attendance, status, reason):
        self.row, self.status, self.reason = row, status, reason


class MonthForm(forms.Form):
    """Close or reopen a month (services.close_month, reopen_month)."""

    ACTIONS = (("close", _("Close the month")), ("reopen", _("Reopen the month")))

    month = PeriodField(label=_("month"), kinds=("monthly",))
    action = forms.ChoiceField(choices=ACTIONS)

    def clean_month(self) -> date:
        return self.cleaned_data["month"].start


class StudyForm(forms.ModelForm):
    """A study session of a resolution (services.record_study, correct_study); the organization only
    when it is recorded."""

    organization = _organization_field("meeting.organizations")

    class Meta:
        model = StudySession
        fields = ["organization", *study.FIELDS]
        widgets = {"held_on": DateInput(), "note": _text(2)}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organization"]
        else:
            pickers.use(self.fields["organization"], choices.recordable_organizations(user), user=user)

    def _post_clean(self):
        """The model's rules run in the service, where its errors come back onto the form."""


class ComplianceForm(forms.Form):
    """The compliance page's choice (a GET form): an organization the user reads and a period."""

    organization = forms.ModelChoiceField(
        label=_("organization"),
        queryset=Organization.objects.none(),
        required=False,
        widget=pickers.OrganizationPicker("meeting.view"),
    )
    period = PeriodField(
        label=_("period"),
        required=False,
        help_text=_("For example 2025-03, 2025-Q1, 2025-H1 or 2025."),
    )
    behind = forms.BooleanField(label=_("only those behind"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        pickers.use(self.fields["organization"], choices.viewable_organizations(user), user=user)
