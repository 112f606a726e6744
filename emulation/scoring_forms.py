"""Forms of the scoring pages: a sheet, its copy for another year, its issue, a group, a criterion, a band,
and the points of an organization. They parse what is typed (points in the Vietnamese way, "9,5"); the
services (services.scoring) decide — an issued sheet refuses every edit, the points stay within a
criterion's maximum — and their refusals come back onto the fields through ``blocportal.forms.call_service``.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from blocportal import clock
from blocportal.forms import DateInput

from .models import Band, Criterion, CriterionGroup, ScoreSheet
from .selectors.scoring_pages import ScoreGroup

Kind = Criterion.Kind


def _points_field(label, *, max_value: Decimal | None = None, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_value=max_value,
        max_digits=6,
        decimal_places=2,
        localize=True,
        required=required,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _year_field(initial: int | None = None) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("year"),
        min_value=1930,
        max_value=clock.today().year + 1,
        initial=initial,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class SheetForm(forms.Form):
    """A new sheet (services.scoring.create_sheet), or a draft's title."""

    year = _year_field()
    title = forms.CharField(label=_("title"), max_length=255)

    def __init__(self, *args, sheet: ScoreSheet | None = None, **kwargs):
        if sheet is not None:
            kwargs.setdefault("initial", {"year": sheet.year, "title": sheet.title})
        super().__init__(*args, **kwargs)
        if sheet is not None:
            del self.fields["year"]  # a sheet keeps its year: copy it for another one
        else:
            year = clock.today().year
            self.fields["year"].initial = year
            self.fields["title"].initial = _("Emulation score sheet %(year)s") % {"year": year}


class CopyForm(forms.Form):
    year = _year_field()

    def __init__(self, *args, sheet: ScoreSheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = sheet.year + 1


class IssueForm(forms.Form):
    issued_on = forms.DateField(label=_("issued on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].initial = clock.today()


class GroupForm(forms.Form):
    code = forms.CharField(label=_("group code"), max_length=16, help_text=_("For example I, II, III."))
    name = forms.CharField(label=_("group name"), max_length=255)
    order = forms.IntegerField(label=_("order"), min_value=0, max_value=32767, initial=0)

    def __init__(self, *args, sheet: ScoreSheet, instance: CriterionGroup | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial", {"code": instance.code, "name": instance.name, "order": instance.order}
            )
        super().__init__(*args, **kwargs)


class CriterionForm(forms.Form):
    """A criterion: its group, code, text and kind; the maximum points (the most a penalty item deducts);
    for a veto item, the band it caps the total at."""

    group = forms.ModelChoiceField(label=_("group"), queryset=CriterionGroup.objects.none())
    code = forms.CharField(label=_("criterion code"), max_length=16, help_text=_("For example 1.2."))
    text = forms.CharField(label=_("criterion"), widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("kind of item"), choices=Kind.choices, initial=Kind.REGULAR)
    max_points = _points_field(_("maximum points"), required=False)
    cap_band = forms.ModelChoiceField(
        label=_("band at most, when met"),
        queryset=Band.objects.none(),
        required=False,
        help_text=_("Only for a veto item."),
    )
    order = forms.IntegerField(label=_("order"), min_value=0, max_value=32767, initial=0)

    def __init__(self, *args, sheet: ScoreSheet, instance: Criterion | None = None, group=None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "group": instance.group_id,
                    "code": instance.code,
                    "text": instance.text,
                    "kind": instance.kind,
                    "max_points": instance.max_points if instance.kind != Kind.VETO else None,
                    "cap_band": instance.cap_band_id,
                    "order": instance.order,
                },
            )
        elif group is not None:
            kwargs.setdefault("initial", {"group": group.pk})
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = CriterionGroup.objects.filter(sheet=sheet).order_by("order", "code")
        self.fields["cap_band"].queryset = Band.objects.filter(sheet=sheet).order_by("order")
        self.fields["max_points"].help_text = Criterion._meta.get_field("max_points").help_text


class BandForm(forms.Form):
    name = forms.CharField(
        label=_("band name"), max_length=100, help_text=_("For example Xuất sắc, Tốt, Khá.")
    )
    min_total = _points_field(_("from (points)"))
    order = forms.IntegerField(
        label=_("order"), min_value=0, max_value=32767, initial=0, help_text=_("0 is the best band.")
    )

    def __init__(self, *args, sheet: ScoreSheet, instance: Band | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial", {"name": instance.name, "min_total": instance.min_total, "order": instance.order}
            )
        super().__init__(*args, **kwargs)


PART_FORMS = {"groups": GroupForm, "criteria": CriterionForm, "bands": BandForm}


# Points ---------------------------------------------------------------------------------------------------


def _veto_field(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "—"), ("0", _("Not met")), ("1", _("Met"))],
        coerce=Decimal,
        empty_value=None,
        required=False,
    )


def _initial(value: Decimal | None) -> str | Decimal | None:
    return None if value is None else (str(int(value)) if value in (0, 1) else value)


class ScoresForm(forms.Form):
    """An organization's points on every criterion of the sheet: the self-assessed column for
    ``emulation.score`` holders, the approved column for ``emulation.change`` holders. The approved column
    starts from the self-assessment where nothing is approved yet. Fields ``self_<id>`` and ``points_<id>``.
    """

    def __init__(self, *args, groups: list[ScoreGroup], can_assess: bool, can_approve: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_assess, self.can_approve, self.groups = can_assess, can_approve, groups
        self.criteria: list[Criterion] = []
        for group in groups:
            for line in group.lines:
                criterion = line.criterion
                self.criteria.append(criterion)
                veto = criterion.kind == Kind.VETO
                label = f"{criterion.code}. {criterion.text}"
                if can_assess:
                    field = (
                        _veto_field(label)
                        if veto
                        else _points_field(label, max_value=criterion.max_points, required=False)
                    )
                    field.initial = _initial(line.self_points) if veto else line.self_points
                    self.fields[f"self_{criterion.pk}"] = field
                if can_approve:
                    field = (
                        _veto_field(label)
                        if veto
                        else _points_field(label, max_value=criterion.max_points, required=False)
                    )
                    approved = line.points if line.points is not None else line.self_points
                    field.initial = _initial(approved) if veto else approved
                    self.fields[f"points_{criterion.pk}"] = field

    def grouped(self) -> list[tuple[ScoreGroup, list[tuple]]]:
        """The page's rows: each group with (line, self-assessed field, approved field) per criterion; a
        column the user does not write has None."""
        return [
            (
                group,
                [
                    (line, self._bound("self", line.criterion), self._bound("points", line.criterion))
                    for line in group.lines
                ],
            )
            for group in self.groups
        ]

    def _bound(self, prefix: str, criterion: Criterion):
        name = f"{prefix}_{criterion.pk}"
        return self[name] if name in self.fields else None

    def points(self, prefix: str) -> dict[int, Decimal | None]:
        """criterion id → the points typed in the column ``prefix`` ("self" or "points")."""
        return {
            criterion.pk: self.cleaned_data.get(f"{prefix}_{criterion.pk}")
            for criterion in self.criteria
            if f"{prefix}_{criterion.pk}" in self.fields
        }
