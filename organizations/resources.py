"""The spreadsheet format of the organization register (docs/import-formats.md).

Export is a django-import-export ``ModelResource``. Import is an upsert on ``Mã tổ chức``: a new
code goes through ``create_organization``, a changed existing one through ``update_organization``
(descriptive corrections) and ``move_organization`` (a new parent) — never a raw save, so events
and history are written as in the forms. Headers and accepted values are fixed Vietnamese data.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.fields import Field
from import_export.widgets import DateWidget, ForeignKeyWidget

from blocportal import access
from blocportal.imports import ImportResource, ImportResult, Outcome, Row, register

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
    Organization.Kind.CELL: "Chi bộ trực thuộc",
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
        failed: dict[str, int] = {}  # code → row, for rows that reference a parent row with errors
        for entry in entries:
            if not self._apply(entry, user=user, result=result, failed=failed) and not entry.duplicate:
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
        by_code: dict[str, _Entry] = {}
        for entry in entries:
            if not entry.code:
                continue
            first = by_code.setdefault(entry.code, entry)
            if first is not entry:
                entry.duplicate = True
                entry.row.error(
                    CODE,
                    _("The code «%(code)s» already appears on row %(row)s.")
                    % {"code": entry.code, "row": first.row.number},
                )
        for entry in entries:
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

    def _apply(self, entry: _Entry, *, user, result: ImportResult, failed: dict[str, int]) -> bool:
        """Check scope and write one row in its own savepoint; False when the row has errors."""
        row = entry.row
        existing = (
            Organization.objects.select_related("parent").filter(code=entry.code).first()
            if entry.code
            else None
        )
        if existing is not None:
            if not self._may_import(user, existing):
                row.error(
                    CODE, _("The organization «%(code)s» is outside your scope.") % {"code": entry.code}
                )
            if entry.kind and entry.kind != existing.kind:
                row.error(
                    KIND,
                    _("The kind of an existing organization cannot be changed by an import (now: %(kind)s).")
                    % {"kind": KIND_LABELS[existing.kind]},
                )
        elif not row.text(ESTABLISHED):
            row.error(ESTABLISHED, _("This column is required for a new organization."))
        parent = self._parent(entry, existing, user=user, failed=failed)
        if row.has_errors:
            return False
        try:
            with transaction.atomic():
                outcome = (
                    self._update(existing, entry, parent, user=user)
                    if existing is not None
                    else self._create(entry, parent, user=user)
                )
        except ValidationError as error:
            result.add_validation_error(row.number, error, FIELD_COLUMNS)
            return False
        result.record(outcome)
        return True

    def _may_import(self, user, organization: Organization) -> bool:
        return Organization.objects.visible_to(user).filter(
            pk=organization.pk
        ).exists() and access.has_permission(user, self.permission, organization)

    def _parent(self, entry: _Entry, existing: Organization | None, *, user, failed) -> Organization | None:
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
        parent = Organization.objects.filter(code=code).first()
        if parent is None and code in failed:
            row.error(
                PARENT,
                _("The parent organization «%(code)s» (row %(row)s) has errors.")
                % {"code": code, "row": failed[code]},
            )
        elif parent is None:
            row.error(PARENT, _("No organization has the code «%(code)s».") % {"code": code})
        elif not self._may_import(user, parent):
            row.error(PARENT, _("The organization «%(code)s» is outside your scope.") % {"code": code})
        return parent

    def _create(self, entry: _Entry, parent: Organization | None, *, user) -> Outcome:
        services.create_organization(
            code=entry.code,
            name=entry.name,
            kind=entry.kind,
            parent=parent,
            sector=entry.sector,
            host_unit=entry.host_unit,
            established_on=entry.established_on,
            by=user,
        )
        return Outcome.CREATED

    def _update(
        self, organization: Organization, entry: _Entry, parent: Organization | None, *, user
    ) -> Outcome:
        """Corrections and a move; an empty optional cell keeps the current value."""
        wanted = {
            "name": entry.name,
            "sector": entry.sector,
            "host_unit": entry.host_unit,
            "established_on": entry.established_on,
        }
        changes = {
            name: value
            for name, value in wanted.items()
            if value not in ("", None) and value != getattr(organization, name)
        }
        moves = parent is not None and parent.pk != organization.parent_id
        if not changes and not moves:
            return Outcome.UNCHANGED
        if changes:
            organization = services.update_organization(organization=organization, by=user, **changes)
        if moves:
            services.move_organization(
                organization=organization, new_parent=parent, on=timezone.localdate(), by=user
            )
        return Outcome.CHANGED
