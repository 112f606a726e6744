"""The spreadsheet format of the committees (cấp ủy and ủy ban kiểm tra; docs/import-formats.md,
*Committees*): after each congress a bloc enters some 150 committees at once.

A row is one seat: the organization, the term, the member (by Party card number or CCCD), the
position, whether the secretary also heads the host unit, and the seat's dates. It goes through the
services of the committee forms (``members.services.committees``): ``create_term`` for a term the
organization does not have yet, ``appoint`` for the seat, ``end_seat`` when the row gives its end.
Every rule they enforce (an official member of the organization on the day, one secretary, an
inspection commission only from the đảng bộ cơ sở up …) comes back as an error of the row.

A term the register does not have is recorded from the file: its congress is the earliest
``Từ ngày`` of its rows (a newly elected committee takes charge on the congress day, Điều lệ Đảng
Điều 13.1), which must fall in the first year of the term or the year before; it ends as many years
later as the label spans (5 for 2025–2030, DOMAIN.md §1), or on the congress of the organization's
next term if that comes first. The terms are recorded in the order of their congresses, and each
closes the seats still open in the earlier ones, as in the form.

A seat the register has already (the same term, member, position and start) is left alone, so a
file imported twice writes its seats once; a filled ``Đến ngày`` ends it if it is still held.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.fields import Field
from import_export.widgets import DateWidget

from blocportal.dates import format_day
from blocportal.imports import (
    ImportResource,
    ImportResult,
    Outcome,
    Row,
    check_dates,
    duplicates_in_file,
    organization_by_code,
    register,
    scoped_by_code,
)
from blocportal.workdays import add_months
from organizations.models import Organization

from .models import CommitteeSeat, Member, Term
from .resources import NamedMembers, cccd_cell
from .services import committees as services

CODE = "Mã tổ chức"
TERM = "Nhiệm kỳ"
CARD = "Số thẻ đảng viên"
CCCD = "Số CCCD"
POSITION = "Chức vụ"
HEADS = "Kiêm thủ trưởng cơ quan"
SINCE = "Từ ngày"
UNTIL = "Đến ngày"

Position = CommitteeSeat.Position
POSITION_LABELS = {
    Position.SECRETARY: "Bí thư",
    Position.DEPUTY_SECRETARY: "Phó Bí thư",
    Position.STANDING_MEMBER: "Ủy viên Ban Thường vụ",
    Position.COMMITTEE_MEMBER: "Cấp ủy viên",
    Position.INSPECTION_CHAIR: "Chủ nhiệm UBKT",
    Position.INSPECTION_DEPUTY: "Phó Chủ nhiệm UBKT",
    Position.INSPECTION_MEMBER: "Ủy viên UBKT",
}
YES, NO = "co", "khong"
YES_NO_LABELS = {YES: "Có", NO: "Không"}
# Service field → the column its ValidationError belongs to; ``member`` is the column that named
# the member (``_Entry.member_column``).
TERM_COLUMNS = {"label": TERM, "starts_on": SINCE, "ends_on": TERM, NON_FIELD_ERRORS: CODE}
SEAT_COLUMNS = {
    "term": TERM,
    "position": POSITION,
    "heads_host_unit": HEADS,
    "starts_on": SINCE,
    "ends_on": UNTIL,
}


@dataclass(eq=False)
class _Entry:
    """One row read into values ("" / None where the cell is empty or wrong)."""

    row: Row
    code: str
    label: str
    card_number: str
    cccd: str
    position: str
    heads: bool | None  # None: the cell is empty
    starts_on: date | None
    ends_on: date | None
    organization: Organization | None = None
    member: Member | None = None
    member_column: str = CCCD

    @property
    def group(self) -> tuple[int, str] | None:
        """The organization's term this row is a seat of."""
        return (self.organization.pk, self.label) if self.organization is not None and self.label else None

    @property
    def seat(self) -> str:
        """What makes two rows the same seat ("" while a part of it is missing)."""
        if self.group is None or self.member is None or not self.position or self.starts_on is None:
            return ""
        return f"{self.group} {self.member.pk} {self.position} {self.starts_on}"


@dataclass(eq=False)
class _Term:
    """A term the file's rows sit in: the register's, or one to record from the file."""

    organization: Organization
    label: str
    entries: list[_Entry] = field(default_factory=list)
    term: Term | None = None  # the register's, or recorded by the import
    starts_on: date | None = None  # the congress: the register's, or the earliest start of the rows
    ends_on: date | None = None
    failed_row: int | None = None  # the row that reported why the term cannot be recorded

    @property
    def first(self) -> _Entry | None:
        """The row whose start is the congress of a term to record."""
        dated = [entry for entry in self.entries if entry.starts_on is not None]
        return min(dated, key=lambda entry: (entry.starts_on, entry.row.number)) if dated else None


@register
class CommitteeResource(ImportResource):
    kind = "committees"
    permission = "seat.change"
    sheet_title = "Cap uy"
    title = gettext_lazy("Import committees")
    namespace = "members:committees"
    # Some 150 committees of a dozen seats after a congress, and their history: far below this.
    max_rows = 10_000

    organization_code = Field(attribute="term__organization__code", column_name=CODE)
    term_label = Field(attribute="term__label", column_name=TERM)
    card_number = Field(attribute="member__card_number", column_name=CARD)
    cccd = Field(attribute="member__cccd", column_name=CCCD)
    position_label = Field(attribute="position", column_name=POSITION)
    heads_label = Field(attribute="heads_host_unit", column_name=HEADS)
    starts_on = Field(attribute="starts_on", column_name=SINCE, widget=DateWidget("%d/%m/%Y"))
    ends_on = Field(attribute="ends_on", column_name=UNTIL, widget=DateWidget("%d/%m/%Y"))

    class Meta:
        model = CommitteeSeat
        fields = (
            "organization_code",
            "term_label",
            "card_number",
            "cccd",
            "position_label",
            "heads_label",
            "starts_on",
            "ends_on",
        )
        export_order = fields

    # --- export

    def dehydrate_position_label(self, seat: CommitteeSeat) -> str:
        return POSITION_LABELS.get(seat.position, seat.position)

    def dehydrate_heads_label(self, seat: CommitteeSeat) -> str:
        return YES_NO_LABELS[YES if seat.heads_host_unit else NO]

    def example_rows(self) -> list[list[object]]:
        return [
            ["DB-STC", "2025-2030", "79012345", "064185001234", "Bí thư", "Có", "15/06/2025", ""],
            ["DB-STC", "2025-2030", "", "064190004321", "Phó Bí thư", "Không", "15/06/2025", ""],
            ["DB-STC", "2025-2030", "79034567", "", "Chủ nhiệm UBKT", "Không", "15/06/2025", "31/12/2025"],
        ]

    # --- import

    def import_rows(self, rows: list[Row], *, user, result: ImportResult) -> None:
        entries = [self._read(row) for row in rows]
        organizations = scoped_by_code(Organization.objects.all(), entries, "code", user=user)
        members = _members(entries, user)
        for entry in entries:
            self._resolve(entry, organizations=organizations, members=members, user=user)
        duplicates_in_file(
            entries,
            {POSITION: "seat"},
            repeated=lambda seat, row: _("This seat already appears on row %(row)s.") % {"row": row},
        )
        terms = _terms(entries)
        seats = _seats(terms)
        note = _("Imported from the file %(filename)s.") % {"filename": result.filename}
        # The seats of earlier terms before the congress of the next one, which closes them.
        ordered = sorted(entries, key=lambda entry: _order(entry, terms))
        for entry in result.track(ordered):
            term = terms.get(entry.group) if entry.group is not None else None
            if term is not None and term.term is None and term.failed_row is None:
                self._record_term(term, user=user)
            self._apply(entry, term, user=user, result=result, seats=seats, note=note)

    def _read(self, row: Row) -> _Entry:
        label = row.text(TERM, required=True)
        if label:
            try:
                label = services.normalize_term_label(label)
            except ValidationError as error:
                for message in error.messages:
                    row.error(TERM, message)
                label = ""
        heads = row.choice(HEADS, YES_NO_LABELS)
        entry = _Entry(
            row=row,
            code=row.text(CODE, required=True).upper(),
            label=label,
            card_number=row.text(CARD),
            cccd=cccd_cell(row.values.get(CCCD)),
            position=row.choice(POSITION, POSITION_LABELS, required=True),
            heads=(heads == YES) if heads else None,
            starts_on=row.date(SINCE, required=True),
            ends_on=row.date(UNTIL),
        )
        if not entry.card_number and not entry.cccd:
            row.error(CCCD, _("Give the Party card number or the citizen ID number of the member."))
        return entry

    def _resolve(self, entry: _Entry, *, organizations, members, user) -> None:
        """The organization (in the importer's scope) and the member the row names."""
        row = entry.row
        if entry.code:
            organization = organization_by_code(
                row, CODE, entry.code, organizations, user=user, permission=self.permission
            )
            if not row.has_error_in(CODE):
                entry.organization = organization
        entry.member, entry.member_column = members.find(row, entry.card_number, entry.cccd)

    def _record_term(self, term: _Term, *, user) -> None:
        """Record a term the register does not have, on the date its rows give, through
        ``create_term``; when it cannot be, the row of its congress says why."""
        first = term.first
        if first is None:
            return  # every row lacks its start: reported as required
        row, congress = first.row, first.starts_on
        first_year = int(term.label[:4])
        if congress.year not in (first_year - 1, first_year):
            term.failed_row = row.number
            row.error(
                SINCE,
                _(
                    "The term %(label)s is not recorded yet, and the import takes its congress day from "
                    "the earliest «%(column)s» of its rows: %(date)s is not in %(year)s or the year "
                    "before. Record the term on the organization's page first, or correct the date."
                )
                % {"label": term.label, "column": SINCE, "date": format_day(congress), "year": first_year},
            )
            return
        try:
            term.term = services.create_term(
                organization=term.organization,
                label=term.label,
                starts_on=congress,
                ends_on=term.ends_on,
                by=user,
            )
        except ValidationError as error:
            term.failed_row = row.number
            for name, messages in _messages(error):
                for message in messages:
                    row.error(TERM_COLUMNS.get(name, CODE), message)

    def _apply(
        self,
        entry: _Entry,
        term: _Term | None,
        *,
        user,
        result: ImportResult,
        seats: dict[tuple, CommitteeSeat],
        note: str,
    ) -> None:
        """Check one row, then write its seat through the services: for real when the checks
        passed, on trial (always undone) when only its values failed, for the errors the services
        find."""
        row = entry.row
        if term is not None and term.term is None and term.failed_row not in (None, row.number):
            row.error(
                TERM,
                _("The term %(label)s of «%(code)s» cannot be recorded: see row %(row)s.")
                % {"label": term.label, "code": entry.code, "row": term.failed_row},
            )
        complete = not row.has_errors  # every cell read, the organization and the member found
        self._check_values(entry)
        if not complete or term is None or term.term is None or entry.member is None:
            return
        columns = {**SEAT_COLUMNS, "member": entry.member_column}
        key = (term.term.pk, entry.member.pk, entry.position, entry.starts_on)
        seat = seats.get(key)
        if seat is not None:
            self._apply_to_seat(
                entry, seat, user=user, result=result, seats=seats, note=note, columns=columns
            )
            return

        def appoint() -> CommitteeSeat:
            seat = services.appoint(
                term=term.term,
                member=entry.member,
                position=entry.position,
                starts_on=entry.starts_on,
                heads_host_unit=bool(entry.heads),
                by=user,
            )
            if entry.ends_on is not None:
                seat = services.end_seat(seat=seat, ends_on=entry.ends_on, note=note, by=user)
            return seat

        # One call of an atomic service needs no savepoint of its own; appoint and end_seat do.
        created = row.write(appoint, columns=columns, savepoint=entry.ends_on is not None)
        if created is not None:
            seats[key] = created
            result.record(Outcome.CREATED, row)

    def _apply_to_seat(
        self, entry: _Entry, seat: CommitteeSeat, *, user, result, seats, note, columns
    ) -> None:
        """A seat the register has: unchanged, or ended by the row's ``Đến ngày``. An import
        changes nothing else of it; an empty cell keeps what the register has."""
        row = entry.row
        if entry.heads is not None and entry.heads != seat.heads_host_unit:
            row.error(
                HEADS,
                _("The register has «%(value)s» for this seat; an import does not change it.")
                % {"value": YES_NO_LABELS[YES if seat.heads_host_unit else NO]},
            )
        if entry.ends_on is not None and seat.ends_on is not None and entry.ends_on != seat.ends_on:
            row.error(
                UNTIL,
                _("The register has this seat ended on %(date)s; an import does not change it.")
                % {"date": format_day(seat.ends_on)},
            )
        if row.has_errors:
            return
        if entry.ends_on is None or seat.ends_on is not None:
            result.record(Outcome.UNCHANGED)
            return
        ended = row.write(
            lambda: services.end_seat(seat=seat, ends_on=entry.ends_on, note=note, by=user),
            columns=columns,
            savepoint=False,
        )
        if ended is not None:
            seats[(seat.term_id, seat.member_id, seat.position, seat.starts_on)] = ended
            result.record(Outcome.CHANGED, row, changed=[UNTIL])

    def _check_values(self, entry: _Entry) -> None:
        """The checks of the row's own values, made before the services run (they stop at their
        first error, and the dry run lists them all): dates that happened, in order; only a
        secretary heads the host unit."""
        row = entry.row
        check_dates(row, {"starts_on": entry.starts_on, "ends_on": entry.ends_on}, columns=SEAT_COLUMNS)
        if entry.starts_on and entry.ends_on and entry.ends_on < entry.starts_on:
            row.error(
                UNTIL,
                _("The seat began on %(date)s; it cannot end earlier.")
                % {"date": format_day(entry.starts_on)},
            )
        if entry.heads and entry.position and entry.position != Position.SECRETARY:
            row.error(HEADS, _("Only the secretary is recorded as also heading the host unit."))


def _members(entries: list[_Entry], user) -> NamedMembers:
    """The members the file names, among those the importer can see: one query at most."""
    return NamedMembers.read(
        (entry.card_number for entry in entries),
        (entry.cccd for entry in entries),
        Member.objects.visible_to(user).select_related("organization"),
    )


def _terms(entries: list[_Entry]) -> dict[tuple[int, str], _Term]:
    """The terms the rows sit in, by (organization, label): the register's when it has a term of
    that label (its latest), otherwise one to record, with the dates it will have (module
    docstring). One query."""
    terms: dict[tuple[int, str], _Term] = {}
    for entry in entries:
        if entry.group is not None:
            terms.setdefault(entry.group, _Term(entry.organization, entry.label)).entries.append(entry)
    if not terms:
        return terms
    organizations = {term.organization.pk for term in terms.values()}
    congresses: dict[int, list[date]] = defaultdict(list)  # organization → its known congress days
    for known in Term.objects.filter(organization__in=organizations).order_by("starts_on"):
        congresses[known.organization_id].append(known.starts_on)
        term = terms.get((known.organization_id, known.label))
        if term is not None:
            term.term, term.starts_on, term.ends_on = known, known.starts_on, known.ends_on
    new = [term for term in terms.values() if term.term is None and term.first is not None]
    for term in new:
        term.starts_on = term.first.starts_on
        congresses[term.organization.pk].append(term.starts_on)
    for term in new:
        first_year, last_year = int(term.label[:4]), int(term.label[-4:])
        ends_on = add_months(term.starts_on, 12 * (last_year - first_year))
        later = [day for day in congresses[term.organization.pk] if day > term.starts_on]
        term.ends_on = min([ends_on, *later])
    return terms


def _seats(terms: dict[tuple[int, str], _Term]) -> dict[tuple, CommitteeSeat]:
    """The seats of the register's terms that the file names, by (term, member, position, start):
    one query."""
    known = [term.term for term in terms.values() if term.term is not None]
    seats = CommitteeSeat.objects.filter(term__in=known) if known else CommitteeSeat.objects.none()
    return {(seat.term_id, seat.member_id, seat.position, seat.starts_on): seat for seat in seats}


def _order(entry: _Entry, terms: dict[tuple[int, str], _Term]) -> tuple[date, int]:
    term = terms.get(entry.group) if entry.group is not None else None
    congress = term.starts_on if term is not None and term.starts_on is not None else date.max
    return congress, entry.row.number


def _messages(error: ValidationError):
    """(field, messages) of a ValidationError; NON_FIELD_ERRORS for one without fields."""
    if hasattr(error, "error_dict"):
        return error.message_dict.items()
    return [(NON_FIELD_ERRORS, error.messages)]
