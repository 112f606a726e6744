"""The spreadsheet format of the admission targets (chỉ tiêu kết nạp; docs/import-formats.md,
*Admission targets*).

Import is an upsert on ``Mã tổ chức`` + ``Năm`` through ``set_admission_target``, the service of
the target form: a new target is created, a different one corrected, an equal one left alone. The
organizations the file names are read once, kept to the importer's scope; the targets they already
have for the file's years in one more query, so an unchanged row costs no query.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.fields import Field

from blocportal import clock
from blocportal.imports import (
    ImportResource,
    ImportResult,
    Outcome,
    Row,
    check_fields,
    duplicates_in_file,
    organization_by_code,
    register,
    scoped_by_code,
)
from organizations.models import Organization

from .models import AdmissionTarget
from .selectors.candidates import FIRST_TARGET_YEAR
from .services import candidates as services

CODE = "Mã tổ chức"
YEAR = "Năm"
TARGET = "Chỉ tiêu kết nạp"
NOTE = "Ghi chú"

# Service field → the column its ValidationError belongs to.
FIELD_COLUMNS = {"organization": CODE, "year": YEAR, "target": TARGET, "note": NOTE}
_WHOLE_NUMBER = re.compile(r"^[+-]?\d+$")


@dataclass(eq=False)
class _Entry:
    """One row read into values (None / "" where the cell is empty or wrong)."""

    row: Row
    code: str
    year: int | None
    target: int | None
    note: str

    @property
    def key(self) -> str:
        """Organization and year, the key of the upsert ("" while either is missing)."""
        return f"{self.code} · {self.year}" if self.code and self.year is not None else ""


def whole_number(row: Row, column: str, message: str, *, required: bool = True) -> int | None:
    """A cell holding a whole number (a number cell or digits), with ``message`` (worded with
    the cell's ``value``) as the error of anything else."""
    text = row.text(column, required=required)
    if not text:
        return None
    if not _WHOLE_NUMBER.match(text):
        row.error(column, message % {"value": text})
        return None
    return int(text)


@register
class AdmissionTargetResource(ImportResource):
    kind = "admission_targets"
    permission = "target.change"
    sheet_title = "Chi tieu ket nap"
    title = gettext_lazy("Import admission targets")
    namespace = "members:targets"
    # A target per grassroots organization and year: a bloc of a few hundred organizations over a
    # few decades stays far below this.
    max_rows = 10_000

    organization_code = Field(attribute="organization__code", column_name=CODE)
    year = Field(attribute="year", column_name=YEAR)
    target = Field(attribute="target", column_name=TARGET)
    note = Field(attribute="note", column_name=NOTE)

    class Meta:
        model = AdmissionTarget
        fields = ("organization_code", "year", "target", "note")
        export_order = fields

    def example_rows(self) -> list[list[object]]:
        return [["DB-STC", clock.today().year, 12, "Theo Nghị quyết Đại hội"]]

    # --- import

    def import_rows(self, rows: list[Row], *, user, result: ImportResult) -> None:
        entries = [self._read(row) for row in rows]
        duplicates_in_file(
            entries,
            {YEAR: "key"},
            repeated=lambda key, row: (
                _("The target of this organization for this year already appears on row %(row)s.")
                % {"row": row}
            ),
        )
        known = scoped_by_code(Organization.objects.all(), entries, "code", user=user)
        years = {entry.year for entry in entries if entry.year is not None}
        existing = {
            (target.organization_id, target.year): target
            for target in AdmissionTarget.objects.filter(
                organization__in=list(known.values()), year__in=years
            )
        }
        for entry in result.track(entries):
            self._apply(entry, user=user, result=result, known=known, existing=existing)

    def _read(self, row: Row) -> _Entry:
        return _Entry(
            row=row,
            code=row.text(CODE, required=True).upper(),
            year=whole_number(row, YEAR, _("«%(value)s» is not a year.")),
            target=whole_number(row, TARGET, _("«%(value)s» is not a whole number.")),
            note=row.text(NOTE),
        )

    def _check_values(self, entry: _Entry) -> None:
        """The checks of ``set_admission_target`` on the row's own values, made before it runs: it
        stops at its first error (the organization's), and the dry run lists them all."""
        row = entry.row
        last_year = clock.today().year + 1
        if entry.year is not None and not FIRST_TARGET_YEAR <= entry.year <= last_year:
            row.error(
                YEAR,
                _("Give a year from %(first)s to %(last)s.")
                % {"first": FIRST_TARGET_YEAR, "last": last_year},
            )
        if entry.target is not None and entry.target <= 0:
            row.error(TARGET, _("The target is a number of admissions greater than zero."))
        check_fields(row, AdmissionTarget, {"note": entry.note}, columns=FIELD_COLUMNS)

    def _apply(
        self,
        entry: _Entry,
        *,
        user,
        result: ImportResult,
        known: dict[str, Organization],
        existing: dict[tuple[int, int], AdmissionTarget],
    ) -> None:
        """Check one row, then write it through the service: for real when the checks passed, on
        trial (always undone) when only the values failed, for the errors the service finds."""
        row = entry.row
        organization = None
        if entry.code:
            organization = organization_by_code(
                row, CODE, entry.code, known, user=user, permission=self.permission
            )
        complete = not row.has_errors and organization is not None  # every cell read, the code found
        self._check_values(entry)
        if not complete or entry.year is None or entry.target is None:
            return
        current = existing.get((organization.pk, entry.year))
        # An empty note keeps the one the target has: a partial spreadsheet never erases data.
        note = entry.note or (current.note if current is not None else "")
        changed = []
        if current is not None:
            changed = [TARGET] * (current.target != entry.target) + [NOTE] * (current.note != note)
            if not changed:
                if not row.has_errors:
                    result.record(Outcome.UNCHANGED)
                return
        saved = row.write(
            lambda: services.set_admission_target(
                organization=organization, year=entry.year, target=entry.target, note=note, by=user
            ),
            columns=FIELD_COLUMNS,
            savepoint=False,  # one call of an atomic service: its savepoint is the row's
        )
        if saved is None:
            return
        existing[(organization.pk, entry.year)] = saved
        result.record(Outcome.CREATED if current is None else Outcome.CHANGED, row, changed=changed)
