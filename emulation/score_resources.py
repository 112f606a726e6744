"""The spreadsheet format of emulation scores (docs/import-formats.md, *Emulation scores*): the bloc's
office keeps each year's scoring tables in spreadsheets, and the grassroots organizations send theirs.

A row of ``--kind scores`` is one organization's points on one criterion of the bloc's issued score sheet
of the year (``Năm``): the organization by code, the criterion by its code on that sheet, the approved
points (``Điểm``) and, optionally, the self-assessed ones (``Điểm tự chấm``: a column the file may leave
out). For a penalty item the points are the deduction; for a veto item 1 means it was met.

The points go through the services of the score page (``services.scoring.approve_scores`` and
``assess_scores``, marked ``imported``), so an import is checked as the page is: an issued sheet, an
organization the sheet scores, points within the criterion's maximum. An empty cell leaves the points the
register has; a row whose points the register has already changes nothing, so a file imported twice
writes once. Totals and ranks follow from the points (``selectors.ranking``).
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.fields import Field

from blocportal.imports import (
    ImportResource,
    ImportResult,
    Outcome,
    Row,
    cell_text,
    duplicates_in_file,
    organization_by_code,
    register,
    scoped_by_code,
)
from organizations.models import Organization

from .models import Criterion, Score, ScoreSheet
from .selectors.scoring_pages import scorable_organizations
from .services import scoring

YEAR = "Năm"
CODE = "Mã tổ chức"
CRITERION = "Mã tiêu chí"
POINTS = "Điểm"
SELF_POINTS = "Điểm tự chấm"
# Service field → the column its ValidationError belongs to.
COLUMNS = {"year": YEAR, "organization": CODE, "points": POINTS, "self_points": SELF_POINTS, "__all__": ""}


@dataclass(eq=False)
class _Entry:
    """One row read into values (0 / "" / None where the cell is empty or wrong), and what it names."""

    row: Row
    year: int
    code: str
    criterion_code: str
    points: Decimal | None
    self_points: Decimal | None
    sheet: ScoreSheet | None = None
    organization: Organization | None = None
    criterion: Criterion | None = None

    @property
    def key(self) -> tuple[int, int] | None:
        if self.organization is None or self.criterion is None:
            return None
        return (self.organization.pk, self.criterion.pk)

    @property
    def file_key(self) -> str:
        return "" if self.key is None else repr(self.key)


@register
class ScoreResource(ImportResource):
    kind = "scores"
    permission = "emulation.import"
    namespace = "emulation"
    sheet_title = "Cham diem thi dua"
    title = gettext_lazy("Import emulation scores")
    optional_columns = (SELF_POINTS,)
    # A year of a bloc: some hundred organizations on some fifty criteria.
    max_rows = 50_000

    year_number = Field(attribute="criterion__sheet__year", column_name=YEAR)
    organization_code = Field(attribute="organization__code", column_name=CODE)
    criterion_code = Field(attribute="criterion__code", column_name=CRITERION)
    approved_points = Field(attribute="points", column_name=POINTS)
    assessed_points = Field(attribute="self_points", column_name=SELF_POINTS)

    class Meta:
        model = Score
        fields = ("year_number", "organization_code", "criterion_code", "approved_points", "assessed_points")
        export_order = fields

    @classmethod
    def page_urls(cls) -> dict[str, str]:
        """The emulation registers share the import page (``emulation:import?kind=``), each with its
        template (``emulation:import_template``); the scores lead back to the score sheets."""
        return {
            "import": f"{reverse('emulation:import')}?kind={cls.kind}",
            "import_template": reverse("emulation:import_template", args=[cls.kind]),
            "list": reverse("emulation:sheets"),
        }

    def example_rows(self) -> list[list[object]]:
        return [
            [2025, "DB-STC", "1.1", 9.5, 10],
            [2025, "DB-STC", "1.2", 18, 18],
            [2025, "DB-STC", "PQ1", 0, 0],
            [2025, "CB-BGL", "1.1", 8, ""],
        ]

    # --- import

    def import_rows(self, rows: list[Row], *, user, result: ImportResult) -> None:
        entries = [self._read(row) for row in rows]
        self._resolve(entries, user=user)
        duplicates = duplicates_in_file(
            entries,
            {CRITERION: "file_key"},
            repeated=lambda _key, row: (
                _("The same organization's points on the same criterion are already on row %(row)s.")
                % {"row": row}
            ),
        )
        recorded = self._recorded(entries)
        for entry in result.track(entries):
            if entry in duplicates or entry.key is None:
                continue
            self._apply(entry, recorded=recorded, user=user, result=result)

    def _read(self, row: Row) -> _Entry:
        entry = _Entry(
            row=row,
            year=_year(row),
            code=row.text(CODE, required=True).strip().upper(),
            criterion_code=row.text(CRITERION, required=True).strip(),
            points=_points(row, POINTS),
            self_points=_points(row, SELF_POINTS),
        )
        if entry.points is None and entry.self_points is None and not row.has_error_in(POINTS):
            row.error(POINTS, _("Give the points: approved, self-assessed or both."))
        return entry

    def _resolve(self, entries: list[_Entry], *, user) -> None:
        """The bloc's issued sheet of each year (one query), the criteria the rows name on them (one
        query), the organizations in the importer's scope (one query) that each sheet scores (one query
        a year)."""
        years = sorted({entry.year for entry in entries if entry.year})
        sheets = {
            sheet.year: sheet
            for sheet in ScoreSheet.objects.filter(
                owner__kind=Organization.Kind.BLOC,
                owner__parent__isnull=True,
                year__in=years,
                status=ScoreSheet.Status.ISSUED,
            ).select_related("owner")
        }
        criteria = {
            (criterion.sheet_id, criterion.code.upper()): criterion
            for criterion in Criterion.objects.filter(sheet__in=list(sheets.values()))
        }
        scorable = {
            year: set(scorable_organizations(sheet).values_list("pk", flat=True))
            for year, sheet in sheets.items()
        }
        organizations = scoped_by_code(Organization.objects.all(), entries, "code", user=user)
        for entry in entries:
            row = entry.row
            sheet = sheets.get(entry.year)
            if entry.year and sheet is None:
                row.error(YEAR, _("The bloc has no issued score sheet for %(year)s.") % {"year": entry.year})
            if sheet is not None and entry.criterion_code:
                entry.criterion = criteria.get((sheet.pk, entry.criterion_code.upper()))
                if entry.criterion is None:
                    row.error(
                        CRITERION,
                        _("The score sheet of %(year)s has no criterion «%(code)s».")
                        % {"year": entry.year, "code": entry.criterion_code},
                    )
            if entry.code:
                organization = organization_by_code(
                    row, CODE, entry.code, organizations, user=user, permission=self.permission
                )
                if organization is not None and not row.has_error_in(CODE):
                    if sheet is not None and organization.pk not in scorable[entry.year]:
                        row.error(
                            CODE,
                            _(
                                "%(name)s is not scored on the sheet of %(year)s: only the grassroots Party "
                                "organizations of the bloc that existed that year are."
                            )
                            % {"name": organization.name, "year": entry.year},
                        )
                    else:
                        entry.organization = organization
            entry.sheet = sheet
            if entry.criterion is not None:
                for value, field in ((entry.points, "points"), (entry.self_points, "self_points")):
                    row.check(scoring.check_points, entry.criterion, value, field, columns=COLUMNS)

    def _recorded(
        self, entries: list[_Entry]
    ) -> dict[tuple[int, int], tuple[Decimal | None, Decimal | None]]:
        """(organization, criterion) → (approved, self-assessed) of the scores the register has among those
        the rows name. One query."""
        criteria = {entry.criterion.pk for entry in entries if entry.key is not None}
        organizations = {entry.organization.pk for entry in entries if entry.key is not None}
        if not criteria:
            return {}
        return {
            (organization_id, criterion_id): (points, self_points)
            for organization_id, criterion_id, points, self_points in Score.objects.filter(
                criterion_id__in=sorted(criteria), organization_id__in=sorted(organizations)
            ).values_list("organization_id", "criterion_id", "points", "self_points")
        }

    def _apply(self, entry: _Entry, *, recorded, user, result: ImportResult) -> None:
        """Points the register has are left alone (an empty cell keeps what is there); other points are
        written through the services: for real when the row has no error, on trial (always undone)
        otherwise, for the errors only the services see."""
        row = entry.row
        known = recorded.get(entry.key)
        changed = []
        if entry.points is not None and (known is None or known[0] != entry.points):
            changed.append(POINTS)
        if entry.self_points is not None and (known is None or known[1] != entry.self_points):
            changed.append(SELF_POINTS)
        if not changed:
            if not row.has_errors:
                result.record(Outcome.UNCHANGED)
            return

        def write():
            kwargs = {"sheet": entry.sheet, "organization": entry.organization, "by": user, "imported": True}
            if SELF_POINTS in changed:
                scoring.assess_scores(points={entry.criterion.pk: entry.self_points}, **kwargs)
            if POINTS in changed:
                scoring.approve_scores(points={entry.criterion.pk: entry.points}, **kwargs)
            return True

        if row.write(write, columns=COLUMNS) is None:
            return
        points, self_points = known or (None, None)
        recorded[entry.key] = (
            entry.points if entry.points is not None else points,
            entry.self_points if entry.self_points is not None else self_points,
        )
        result.record(Outcome.CREATED if known is None else Outcome.CHANGED, row, changed=changed)


def _year(row: Row) -> int:
    text = row.text(YEAR, required=True)
    if not text:
        return 0
    if not (text.isdigit() and len(text) == 4):
        row.error(YEAR, _("«%(value)s» is not a year: write it with four digits.") % {"value": text})
        return 0
    return int(text)


def _points(row: Row, column: str) -> Decimal | None:
    """A number cell, or text written either way ("9,5" or "9.5"); None when empty."""
    value = row.values.get(column)
    if isinstance(value, bool):
        value = cell_text(value)
    if isinstance(value, int | float) and value == value and abs(value) != float("inf"):
        return Decimal(str(value))
    text = cell_text(value).strip().replace(" ", "")
    if not text:
        return None
    try:
        points = Decimal(text.replace(",", "."))
    except InvalidOperation:
        points = None
    if points is None or not points.is_finite():
        row.error(column, _("«%(value)s» is not a number of points.") % {"value": text})
        return None
    return points
