"""The spreadsheet format of the organization register (docs/import-formats.md).

Export is a django-import-export ``ModelResource``. Import is an upsert on ``Mã tổ chức``: a new
code goes through ``create_organization``, a changed existing one through ``update_organization``
(descriptive corrections) and ``move_organization`` (a new parent) — never a raw save, so events
and history are written as in the forms. Headers and accepted values are fixed Vietnamese data.
A row's values are checked before anything is written, so that a dry run lists every error of the
row at once (blocportal.imports).
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.fields import Field
from import_export.widgets import DateWidget, ForeignKeyWidget

from blocportal import clock
from blocportal.imports import (
    ImportResource,
    ImportResult,
    Outcome,
    Row,
    check_dates,
    check_fields,
    duplicates_in_file,
    in_scope,
    organization_by_code,
    register,
    scoped_by_code,
)

from . import services
from .models import Organization

CODE = "Mã tổ chức"
NAME = "Tên tổ chức"
KIND = "Loại tổ chức"
SECTOR = "Lĩnh vực"
PARENT = "Mã tổ chức cấp trên"
HOST_UNIT = "Cơ quan, đơn vị"
ESTABLISHED = "Ngày thành lập"

KIND_LABELS = {
    Organization.Kind.BLOC: "Đảng bộ khối",
    Organization.Kind.GRASSROOTS_COMMITTEE: "Đảng bộ cơ sở",
    Organization.Kind.GRASSROOTS_CELL: "Chi bộ cơ sở",
    Organization.Kind.BRANCH_COMMITTEE: "Đảng bộ bộ phận",
    Organization.Kind.SUBORDINATE_CELL: "Chi bộ trực thuộc",
    Organization.Kind.GROUP: "Tổ đảng",
}
SECTOR_LABELS = {
    Organization.Sector.PARTY: "Cơ quan Đảng",
    Organization.Sector.STATE: "Cơ quan Nhà nước",
    Organization.Sector.FRONT: "MTTQ và đoàn thể",
    Organization.Sector.PUBLIC_SERVICE: "Đơn vị sự nghiệp",
    Organization.Sector.STATE_ENTERPRISE: "Doanh nghiệp nhà nước",
    Organization.Sector.PRIVATE_ENTERPRISE: "Doanh nghiệp ngoài nhà nước",
    Organization.Sector.OTHER: "Khác",
}
# Model/service field → the column its ValidationError belongs to.
FIELD_COLUMNS = {
    "code": CODE,
    "name": NAME,
    "kind": KIND,
    "sector": SECTOR,
    "parent": PARENT,
    "new_parent": PARENT,
    "host_unit": HOST_UNIT,
    "established_on": ESTABLISHED,
}


@dataclass(eq=False)
class _Entry:
    """One row read into model values ("" / None where the cell is empty or wrong)."""

    row: Row
    code: str
    name: str
    kind: str
    sector: str
    parent_code: str
    host_unit: str
    established_on: date | None
    depth: int = 0
    duplicate: bool = False
    in_loop: bool = False


@register
class OrganizationResource(ImportResource):
    kind = "organizations"
    permission = "organization.import"
    sheet_title = "To chuc"
    title = gettext_lazy("Import organizations")
    namespace = "organizations"
    # A bloc has at most a few thousand organizations; the limit is that of every register, what
    # one Celery task imports (docs/import-formats.md, *Limits*).
    max_rows = 50_000

    code = Field(attribute="code", column_name=CODE)
    name = Field(attribute="name", column_name=NAME)
    kind_label = Field(attribute="kind", column_name=KIND)
    sector_label = Field(attribute="sector", column_name=SECTOR)
    parent = Field(attribute="parent", column_name=PARENT, widget=ForeignKeyWidget(Organization, "code"))
    host_unit = Field(attribute="host_unit", column_name=HOST_UNIT)
    established_on = Field(attribute="established_on", column_name=ESTABLISHED, widget=DateWidget("%d/%m/%Y"))

    class Meta:
        model = Organization
        fields = ("code", "name", "kind_label", "sector_label", "parent", "host_unit", "established_on")
        export_order = fields

    # --- export

    def dehydrate_kind_label(self, organization: Organization) -> str:
        return KIND_LABELS.get(organization.kind, organization.kind)

    def dehydrate_sector_label(self, organization: Organization) -> str:
        return SECTOR_LABELS.get(organization.sector, organization.sector)

    def example_rows(self) -> list[list[object]]:
        return [
            [
                "CB-VP-STC",
                "Chi bộ Văn phòng Sở Tài chính",
                "Chi bộ trực thuộc",
                "Cơ quan Nhà nước",
                "DB-STC",
                "Văn phòng Sở Tài chính",
                "05/02/2016",
            ],
        ]

    # --- import

    def import_rows(self, rows: list[Row], *, user, result: ImportResult) -> None:
        entries = self._in_dependency_order([self._read(row) for row in rows])
        # Every organization the file names (codes and parent codes) that the importer can see; a
        # new organization given the code of one they cannot see is told only what the unique code
        # tells, exactly as in the form. The rows keep this map up to date as they write.
        known = scoped_by_code(
            Organization.objects.select_related("parent"), entries, "code", "parent_code", user=user
        )
        failed: dict[str, int] = {}  # code → row, for rows that reference a parent row with errors
        for entry in result.track(entries):
            ok = self._apply(entry, user=user, result=result, known=known, failed=failed)
            if not ok and not entry.duplicate:
                failed[entry.code] = entry.row.number

    def _read(self, row: Row) -> _Entry:
        return _Entry(
            row=row,
            code=row.text(CODE, required=True).upper(),
            name=row.text(NAME, required=True),
            kind=row.choice(KIND, KIND_LABELS, required=True),
            sector=row.choice(SECTOR, SECTOR_LABELS),
            parent_code=row.text(PARENT).upper(),
            host_unit=row.text(HOST_UNIT),
            established_on=row.date(ESTABLISHED),
        )

    def _in_dependency_order(self, entries: list[_Entry]) -> list[_Entry]:
        """Parents before the rows under them, so a file may list a new parent after its children;
        a code listed twice and a loop of parent codes are errors."""
        duplicates = duplicates_in_file(
            entries,
            {CODE: "code"},
            repeated=lambda code, row: (
                _("The code «%(code)s» already appears on row %(row)s.") % {"code": code, "row": row}
            ),
        )
        by_code = {entry.code: entry for entry in entries if entry.code and entry not in duplicates}
        for entry in entries:
            entry.duplicate = entry in duplicates
            chain = [entry]
            current = by_code.get(entry.parent_code)
            while current is not None and current not in chain:
                chain.append(current)
                current = by_code.get(current.parent_code)
            if current is not None:
                loop = chain[chain.index(current) :]
                if entry in loop:
                    entry.in_loop = True
                    entry.row.error(
                        PARENT,
                        _("The parent codes form a loop: %(codes)s.")
                        % {"codes": " → ".join([*(e.code for e in loop), current.code])},
                    )
            entry.depth = len(chain) - 1
        return sorted(entries, key=lambda entry: (entry.depth, entry.row.number))

    def _apply(
        self,
        entry: _Entry,
        *,
        user,
        result: ImportResult,
        known: dict[str, Organization],
        failed: dict[str, int],
    ) -> bool:
        """Check scope and write one row; False when the row has errors. Scope is checked in
        memory on the paths of ``known`` (the user's assignments are cached on the user). A
        complete row whose values failed their checks is written on trial (always undone), for the
        errors only the services find (``Row.write``)."""
        row = entry.row
        existing = known.get(entry.code) if entry.code else None
        if existing is not None:
            in_scope(row, CODE, entry.code, existing, user=user, permission=self.permission)
            if entry.kind and entry.kind != existing.kind:
                row.error(
                    KIND,
                    _("The kind of an existing organization cannot be changed by an import (now: %(kind)s).")
                    % {"kind": KIND_LABELS[existing.kind]},
                )
        elif not row.text(ESTABLISHED):
            row.error(ESTABLISHED, _("This column is required for a new organization."))
        parent = self._parent(entry, existing, user=user, known=known, failed=failed)
        complete = not row.has_errors  # every cell read, every code found and in scope
        values = {
            "code": entry.code,
            "name": entry.name,
            "kind": entry.kind,
            "sector": entry.sector,
            "host_unit": entry.host_unit,
            "established_on": entry.established_on,
        }
        check_fields(row, Organization, values, columns=FIELD_COLUMNS)
        check_dates(row, {"established_on": entry.established_on}, columns=FIELD_COLUMNS)
        if not complete:
            return False
        changed: list[str] = []
        if existing is None:
            outcome = Outcome.CREATED
            organization = row.write(lambda: self._create(entry, parent, user=user), columns=FIELD_COLUMNS)
        else:
            changes = self._changes(existing, entry)
            new_parent = parent if parent is not None and parent.pk != existing.parent_id else None
            if not changes and new_parent is None:
                if row.has_errors:
                    return False
                result.record(Outcome.UNCHANGED)
                return True
            outcome = Outcome.CHANGED
            changed = [FIELD_COLUMNS[name] for name in changes] + ([PARENT] if new_parent else [])
            organization = row.write(
                lambda: self._update(existing, changes, new_parent, user=user), columns=FIELD_COLUMNS
            )
        if organization is None:
            return False
        known[organization.code] = organization
        if existing is not None:
            _reread_below(known, existing)
        result.record(outcome, row, changed=changed)
        return True

    def _parent(
        self, entry: _Entry, existing: Organization | None, *, user, known: dict[str, Organization], failed
    ) -> Organization | None:
        """The parent the row asks for, checked to be in the user's scope; the current parent of an
        existing organization when the cell is empty or names it (no scope check: not moving)."""
        row, code = entry.row, entry.parent_code
        if entry.in_loop:
            return None
        if existing is not None and (
            not code or (existing.parent is not None and existing.parent.code == code)
        ):
            return existing.parent
        if not code:
            if entry.kind == Organization.Kind.BLOC and user.is_superuser:
                return None
            if entry.kind == Organization.Kind.BLOC:
                row.error(PARENT, _("Only an administrator can create a top-level organization."))
            else:
                row.error(PARENT, _("This column is required for a new organization."))
            return None
        if code not in known and code in failed:
            row.error(
                PARENT,
                _("The parent organization «%(code)s» (row %(row)s) has errors.")
                % {"code": code, "row": failed[code]},
            )
            return None
        return organization_by_code(row, PARENT, code, known, user=user, permission=self.permission)

    def _create(self, entry: _Entry, parent: Organization | None, *, user) -> Organization:
        return services.create_organization(
            code=entry.code,
            name=entry.name,
            kind=entry.kind,
            parent=parent,
            sector=entry.sector,
            host_unit=entry.host_unit,
            established_on=entry.established_on,
            by=user,
        )

    def _changes(self, organization: Organization, entry: _Entry) -> dict[str, object]:
        """The corrections a row asks for; an empty optional cell keeps the current value."""
        wanted = {
            "name": entry.name,
            "sector": entry.sector,
            "host_unit": entry.host_unit,
            "established_on": entry.established_on,
        }
        return {
            name: value
            for name, value in wanted.items()
            if value not in ("", None) and value != getattr(organization, name)
        }

    def _update(
        self,
        organization: Organization,
        changes: dict[str, object],
        new_parent: Organization | None,
        *,
        user,
    ) -> Organization:
        """Corrections, then a move (dated today: the import has no decision date)."""
        if changes:
            organization = services.update_organization(organization=organization, by=user, **changes)
        if new_parent is not None:
            organization = services.move_organization(
                organization=organization, new_parent=new_parent, on=clock.today(), by=user
            )
        return organization


def _reread_below(known: dict[str, Organization], organization: Organization) -> None:
    """Read again the known organizations under one that a row has just changed: a move rewrites
    the paths of its subtree and a move or a new sector rewrites the sectors below it (in the
    services), and later rows must check scope and compare values against the database. One
    query, and only for a row that changes an organization with known sub-organizations."""
    below = [
        code
        for code, other in known.items()
        if other.path.startswith(organization.path) and other.pk != organization.pk
    ]
    if below:
        known.update(Organization.objects.select_related("parent").in_bulk(below, field_name="code"))
