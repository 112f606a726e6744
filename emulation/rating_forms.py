"""The forms of the rating sheets: one ``<select>`` per row and per column the user may edit (the
self-assessment, the chi bộ's proposal, the approval), parsed here; the services decide
(emulation/services/ratings.py). Each column is pre-filled from the one below it (issue 12): the proposal
from the self-assessment, the approval from the proposal. ``changes`` gives, per column, only what differs
from what is recorded, so that a save writes nothing it was not asked to."""

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext_lazy as _

from blocportal.templatetags.portal import person

from .models import Level

EMPTY = ("", "—")
# Who recorded each column, and when (the rating's fields).
RECORDED = {
    "self": ("self_by", "self_at"),
    "proposed": ("proposed_by", "proposed_at"),
    "level": ("approved_by", "approved_at"),
}


@dataclass(frozen=True)
class Cell:
    """One column of one row of a sheet: its select (when the user may edit it) or the level recorded,
    with who recorded it and when. ``tabindex`` runs down the column, then on to the next one."""

    column: str
    name: str  # the field's name, "" when read-only
    value: str  # the select's value (typed, else pre-filled) or the level recorded
    level: str  # the level recorded
    label: str  # its label
    by: object
    at: datetime | None
    tabindex: int
    html: SafeString  # the select or the level, and who recorded it when: written once here, not by a
    # template per cell (a sheet of 300 members has 900 of them)


@dataclass(frozen=True)
class Line:
    row: object
    cells: list[Cell]


def _choices(levels) -> list[tuple[str, str]]:
    return [EMPTY, *((level, Level(level).label) for level in levels)]


class SheetForm(forms.Form):
    """The bulk entry of a rating sheet. ``rows`` have ``pk`` and ``rating``; ``columns`` maps a column
    (``self``, ``proposed``, ``level``) to the attribute of the rating it edits; ``editable`` the columns
    the user may edit, for every row or (a callable of the row) for some."""

    override_reason = forms.CharField(
        label=_("Reason for approving despite the rules broken"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only a superuser may approve ratings that break a rule; the reason and the rules broken stay "
            "visible on the ratings."
        ),
    )

    columns: dict[str, str] = {}
    prefill: dict[str, tuple[str, ...]] = {}

    def __init__(self, data=None, *, rows, levels, editable, can_override: bool, headings=None):
        super().__init__(data)
        self.rows = rows
        self.headings = headings or {}  # column → its heading, for the selects' labels
        self.editable = editable
        choices = self.level_choices = _choices(levels)
        if not can_override:
            del self.fields["override_reason"]
        for row in rows:
            for column, attribute in self.columns.items():
                if not self.may_edit(row, column):
                    continue
                rating = row.rating
                initial = ""
                for name in (attribute, *self.prefill.get(column, ())):
                    initial = getattr(rating, name, "") if rating is not None else ""
                    if initial:
                        break
                self.fields[f"{column}_{row.pk}"] = forms.ChoiceField(
                    choices=choices, required=False, initial=initial
                )

    def may_edit(self, row, column: str) -> bool:
        allowed = self.editable.get(column, False)
        return allowed(row) if callable(allowed) else bool(allowed)

    def field_name(self, row, column: str) -> str:
        return f"{column}_{row.pk}"

    def _options(self, value: str) -> str:
        """The options of a select with ``value`` chosen, made once per value."""
        cache = self.__dict__.setdefault("_options_html", {})
        if value not in cache:
            cache[value] = "".join(
                format_html(
                    '<option value="{}"{}>{}</option>', choice, " selected" if choice == value else "", label
                )
                for choice, label in self.level_choices
            )
        return cache[value]

    def _cell_html(self, row, column: str, name: str, value: str, level: str, by, at, tabindex: int):
        heading = self.headings.get(column, "")
        if name:
            shown = format_html(
                '<select class="form-select form-select-sm" name="{}" id="id_{}" data-column="{}" '
                'data-row="{}" tabindex="{}" aria-label="{}: {}">{}</select>',
                name,
                name,
                column,
                row.pk,
                tabindex,
                heading,
                self.row_name(row),
                mark_safe(self._options(value)),  # built by format_html above
            )
        else:
            shown = format_html(
                '<span data-column="{}" data-row="{}" data-value="{}">{}</span>',
                column,
                row.pk,
                level,
                Level(level).label if level else "—",
            )
        if not level:
            return shown
        return format_html(
            '{}<div class="small text-muted" data-recorded="{}">{}{}, {}</div>',
            shown,
            column,
            format_html("{} · ", Level(level).label) if name else "",
            person(by),
            date_format(template_localtime(at), "SHORT_DATETIME_FORMAT") if at else "",
        )

    def row_name(self, row) -> str:
        return str(row)

    def lines(self) -> list[Line]:
        """The rows with their cells, for the template (no query: the ratings come with their users)."""
        count, lines = len(self.rows), []
        for index, row in enumerate(self.rows):
            cells = []
            for position, (column, attribute) in enumerate(self.columns.items()):
                rating = row.rating
                level = getattr(rating, attribute, "") if rating is not None else ""
                by_name, at_name = RECORDED[column]
                name = f"{column}_{row.pk}" if f"{column}_{row.pk}" in self.fields else ""
                value = (self[name].value() or "") if name else level
                by = getattr(rating, by_name, None) if level else None
                at = getattr(rating, at_name, None) if level else None
                tabindex = 1 + position * count + index
                cells.append(
                    Cell(
                        column=column,
                        name=name,
                        value=value,
                        level=level,
                        label=str(Level(level).label) if level else "",
                        by=by,
                        at=at,
                        tabindex=tabindex,
                        html=self._cell_html(row, column, name, value, level, by, at, tabindex),
                    )
                )
            lines.append(Line(row, cells))
        return lines

    @property
    def choices(self) -> list[tuple[str, str]]:
        return self.level_choices

    def changes(self, column: str) -> dict[int, str]:
        """Row id → the level chosen in ``column`` where it differs from the recorded one (an empty choice
        leaves the row as it is)."""
        attribute = self.columns[column]
        result = {}
        for row in self.rows:
            value = self.cleaned_data.get(f"{column}_{row.pk}")
            recorded = getattr(row.rating, attribute, "") if row.rating is not None else ""
            if value and value != recorded:
                result[row.pk] = value
        return result


class MemberSheetForm(SheetForm):
    columns = {"self": "self_level", "proposed": "proposed_level", "level": "level"}
    prefill = {"proposed": ("self_level",), "level": ("proposed_level",)}

    def row_name(self, row) -> str:
        return row.member.full_name


class OrganizationSheetForm(SheetForm):
    columns = {"self": "self_level", "level": "level"}
    prefill = {"level": ("self_level",)}

    def row_name(self, row) -> str:
        return row.organization.name
