"""The spreadsheet format of the member register (docs/import-formats.md, *Party members*).

Export is a django-import-export ``ModelResource``. Import is an upsert on ``Số thẻ đảng viên``,
else on ``Số CCCD``: a member the file does not know yet is entered with ``register`` (a member
taken over from an existing file, not an admission), a known one is corrected with
``update_profile``, made official with ``make_official`` and moved to the chi bộ of the file with
``transfer`` — never a raw save, so history and movements are written as on the member's page.

What the rows refer to is read once per file (the chi bộ by code, locked for the import as the
services would lock them; the members by card number and CCCD), so a row that changes nothing
costs no query and a row that writes costs only its services' queries.

A row's values are checked before anything is written — each field, each date, and a new member's
record as a whole — so that a dry run lists every error of the row at once (blocportal.imports).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.fields import Field
from import_export.widgets import DateWidget

from blocportal import access, clock
from blocportal.dates import format_day
from blocportal.imports import (
    ImportResource,
    ImportResult,
    Outcome,
    Row,
    cell_text,
    check_dates,
    check_fields,
    duplicates_in_file,
    organization_by_code,
    register,
    scoped_by_code,
)
from organizations.models import Organization

from . import services
from .models import Member, Movement

CARD = "Số thẻ đảng viên"
NAME = "Họ và tên"
GENDER = "Giới tính"
BIRTH = "Ngày sinh"
ETHNICITY = "Dân tộc"
RELIGION = "Tôn giáo"
CCCD = "Số CCCD"
ORGANIZATION = "Mã tổ chức"
ADMITTED = "Ngày vào Đảng"
OFFICIAL = "Ngày chính thức"
PROFESSION = "Trình độ chuyên môn"
THEORY = "Lý luận chính trị"
JOB_TITLE = "Chức vụ"

GENDER_LABELS = {Member.Gender.MALE: "Nam", Member.Gender.FEMALE: "Nữ"}
THEORY_LABELS = {
    Member.TheoryLevel.NONE: "Chưa qua đào tạo",
    Member.TheoryLevel.ELEMENTARY: "Sơ cấp",
    Member.TheoryLevel.INTERMEDIATE: "Trung cấp",
    Member.TheoryLevel.ADVANCED: "Cao cấp",
    Member.TheoryLevel.BACHELOR: "Cử nhân",
}
# Model/service field → the column its ValidationError belongs to. ``on`` (the date of a
# movement) depends on the movement and is re-keyed where the service is called (``_on_field``).
FIELD_COLUMNS = {
    "card_number": CARD,
    "full_name": NAME,
    "gender": GENDER,
    "birth_date": BIRTH,
    "ethnicity": ETHNICITY,
    "religion": RELIGION,
    "cccd": CCCD,
    "organization": ORGANIZATION,
    "to": ORGANIZATION,
    "admitted_on": ADMITTED,
    "ceremony_on": ADMITTED,  # unknown to the file: taken as the admission date
    "official_on": OFFICIAL,
    "profession": PROFESSION,
    "theory_level": THEORY,
    "job_title": JOB_TITLE,
}
# Profile fields a row carries; an empty optional cell keeps the current value.
# (the file has no column for general education).
_PROFILE = tuple(field for field in services.PROFILE_FIELDS if field != "education")
# Values per query when the file's card numbers and CCCDs are looked up (SQLite takes at most
# 32 766 parameters in one statement; a file may hold 50 000 rows).
_LOOKUP_BATCH = 2_000


@dataclass(eq=False)
class _Entry:
    """One row read into model values ("" / None where the cell is empty or wrong)."""

    row: Row
    card_number: str
    full_name: str
    gender: str
    birth_date: date | None
    ethnicity: str
    religion: str
    cccd: str
    code: str
    admitted_on: date | None
    official_on: date | None
    profession: str
    theory_level: str
    job_title: str

    def profile(self) -> dict[str, object]:
        return {field: getattr(self, field) for field in _PROFILE}

    def values(self) -> dict[str, object]:
        """Every value of the row by model field."""
        return {**self.profile(), "admitted_on": self.admitted_on, "official_on": self.official_on}


class _Register:
    """The members the file names, by card number and by CCCD, read in a few queries and kept up
    to date as the rows write."""

    def __init__(self, entries: list[_Entry]):
        self.by_card: dict[str, Member] = {}
        self.by_cccd: dict[str, Member] = {}
        cards = {entry.card_number for entry in entries if entry.card_number}
        cccds = {entry.cccd for entry in entries if entry.cccd}
        members = Member.objects.select_related("organization")
        for field, values in (("card_number", cards), ("cccd", cccds)):
            values = sorted(values)
            for start in range(0, len(values), _LOOKUP_BATCH):
                for member in members.filter(Q(**{f"{field}__in": values[start : start + _LOOKUP_BATCH]})):
                    self.remember(member)

    def remember(self, member: Member, before: Member | None = None) -> None:
        if before is not None:
            self.by_card.pop(before.card_number, None)
            self.by_cccd.pop(before.cccd, None)
        if member.card_number:
            self.by_card[member.card_number] = member
        if member.cccd:
            self.by_cccd[member.cccd] = member


@register
class MemberResource(ImportResource):
    kind = "members"
    permission = "member.import"
    sheet_title = "Dang vien"
    title = gettext_lazy("Import Party members")
    namespace = "members"
    # A bloc's whole register in one file, imported by a Celery task: see docs/import-formats.md,
    # *Limits*, and docs/benchmarks.md for the measurements.
    max_rows = 50_000

    card_number = Field(attribute="card_number", column_name=CARD)
    full_name = Field(attribute="full_name", column_name=NAME)
    gender_label = Field(attribute="gender", column_name=GENDER)
    birth_date = Field(attribute="birth_date", column_name=BIRTH, widget=DateWidget("%d/%m/%Y"))
    ethnicity = Field(attribute="ethnicity", column_name=ETHNICITY)
    religion = Field(attribute="religion", column_name=RELIGION)
    cccd = Field(attribute="cccd", column_name=CCCD)
    organization_code = Field(attribute="organization__code", column_name=ORGANIZATION)
    admitted_on = Field(attribute="admitted_on", column_name=ADMITTED, widget=DateWidget("%d/%m/%Y"))
    official_on = Field(attribute="official_on", column_name=OFFICIAL, widget=DateWidget("%d/%m/%Y"))
    profession = Field(attribute="profession", column_name=PROFESSION)
    theory_label = Field(attribute="theory_level", column_name=THEORY)
    job_title = Field(attribute="job_title", column_name=JOB_TITLE)

    class Meta:
        model = Member
        fields = (
            "card_number",
            "full_name",
            "gender_label",
            "birth_date",
            "ethnicity",
            "religion",
            "cccd",
            "organization_code",
            "admitted_on",
            "official_on",
            "profession",
            "theory_label",
            "job_title",
        )
        export_order = fields

    # --- export

    def dehydrate_gender_label(self, member: Member) -> str:
        return GENDER_LABELS.get(member.gender, member.gender)

    def dehydrate_theory_label(self, member: Member) -> str:
        return THEORY_LABELS.get(member.theory_level, member.theory_level)

    def example_rows(self) -> list[list[object]]:
        return [
            [
                "79012345",
                "Nguyễn Thị Lan",
                "Nữ",
                "12/08/1985",
                "Kinh",
                "Không",
                "064185001234",
                "CB-VP-STC",
                "03/02/2012",
                "03/02/2013",
                "Cử nhân Kinh tế",
                "Trung cấp",
                "Chuyên viên",
            ],
        ]

    # --- import

    def import_rows(self, rows: list[Row], *, user, result: ImportResult) -> None:
        entries = [self._read(row) for row in rows]
        duplicates_in_file(entries, {CARD: "card_number", CCCD: "cccd"})
        # The chi bộ the file names that the importer can see, read and locked in one query: what
        # ``register`` and ``transfer`` do row by row; done once, they are told so
        # (``organization_locked``).
        cells = scoped_by_code(Organization.objects.select_for_update(), entries, "code", user=user)
        known = _Register(entries)
        decided = self._official_decisions(entries, known)
        note = _("Imported from the file %(filename)s.") % {"filename": result.filename}
        for entry in result.track(entries):
            self._apply(entry, user=user, result=result, cells=cells, known=known, decided=decided, note=note)

    def _read(self, row: Row) -> _Entry:
        entry = _Entry(
            row=row,
            card_number=row.text(CARD),
            full_name=row.text(NAME, required=True),
            gender=row.choice(GENDER, GENDER_LABELS, required=True),
            birth_date=row.date(BIRTH, required=True),
            ethnicity=row.text(ETHNICITY),
            religion=row.text(RELIGION),
            cccd=cccd_cell(row.values.get(CCCD)),
            code=row.text(ORGANIZATION, required=True).upper(),
            admitted_on=row.date(ADMITTED, required=True),
            official_on=row.date(OFFICIAL),
            profession=row.text(PROFESSION),
            theory_level=row.choice(THEORY, THEORY_LABELS),
            job_title=row.text(JOB_TITLE),
        )
        if not entry.card_number and not entry.cccd:
            row.error(
                CCCD,
                _(
                    "Give the citizen ID number (or the Party card number of an official member): "
                    "the import recognises members by them."
                ),
            )
        return entry

    def _official_decisions(self, entries: list[_Entry], known: _Register) -> dict[int, set[date]]:
        """Dates of the decisions that made the file's official members official, for the members
        whose official date in the file is not the one in the register: ``make_official`` records
        the end of the probation as the official date and the decision's date on its event, and
        a file may hold either. One query, and none when every official date agrees."""
        members = {}
        for entry in entries:
            member = self._match(entry, known, report=False)
            if member is not None and entry.official_on and entry.official_on != member.official_on:
                members[member.pk] = member
        decided: dict[int, set[date]] = {}
        if members:
            events = Movement.objects.filter(member__in=list(members), kind=Movement.Kind.MADE_OFFICIAL)
            for member_id, on in events.values_list("member_id", "on"):
                decided.setdefault(member_id, set()).add(on)
        return decided

    def _match(self, entry: _Entry, known: _Register, *, report: bool = True) -> Member | None:
        """The member the row names: by card number, else by CCCD. A card number of one member
        and a CCCD of another is an error (without names: either may be outside the scope)."""
        by_card = known.by_card.get(entry.card_number) if entry.card_number else None
        by_cccd = known.by_cccd.get(entry.cccd) if entry.cccd else None
        if by_card is not None and by_cccd is not None and by_card.pk != by_cccd.pk:
            if report:
                entry.row.error(
                    CCCD,
                    _(
                        "The Party card number and the citizen ID number belong to two different "
                        "members of the register."
                    ),
                )
            return None
        return by_card or by_cccd

    def _apply(
        self,
        entry: _Entry,
        *,
        user,
        result: ImportResult,
        cells: dict[str, Organization],
        known: _Register,
        decided: dict[int, set[date]],
        note: str,
    ) -> None:
        """Check one row in memory — every error it has, besides those of its cells — then write
        it through the services: for real when the checks passed, on trial (always undone) when
        they failed but the row is complete, for the errors only the services find."""
        row = entry.row
        member = self._match(entry, known)
        if member is not None and not access.has_permission(user, self.permission, member.organization):
            # Nothing more is said of a member the importer may not change: not even their dates.
            column = CARD if entry.card_number and known.by_card.get(entry.card_number) else CCCD
            row.error(column, _("This member is outside your scope."))
            return
        cell = self._cell(entry, member, user=user, cells=cells)
        if member is not None:
            self._check_dates(entry, member, decided)
        complete = not row.has_errors  # every cell read, the member and the chi bộ found
        self._check_values(entry, member)
        if not complete:
            return
        if member is None:
            created = row.write(  # one call of an atomic service: its savepoint is the row's
                lambda: self._register(entry, cell, user=user, note=note),
                columns=FIELD_COLUMNS,
                savepoint=False,
            )
            if created is not None:
                known.remember(created)
                result.record(Outcome.CREATED, row)
            return
        writes, changed = self._writes(entry, member, cell, user=user)
        if not writes:
            if not row.has_errors:
                result.record(Outcome.UNCHANGED)
            return

        def write_all() -> Member:
            updated = member
            for write in writes:
                updated = write(updated)
            return updated

        updated = row.write(write_all, columns=FIELD_COLUMNS)
        if updated is not None:
            known.remember(updated, before=member)
            result.record(Outcome.CHANGED, row, changed=changed)

    def _check_values(self, entry: _Entry, member: Member | None) -> None:
        """The checks of the row's values that need no write, all made whatever the others found:
        each field's own (length, the 12 digits of a CCCD), the calendar (none in the future, a
        birth from 1900, the Party's dates from its founding) and, for a new member, the record's
        (``Member.clean``: dates in order, no card while probationary, not official before the end
        of the probation). A known member's record is checked by the services that change it."""
        row, values = entry.row, entry.values()
        check_fields(row, Member, values, columns=FIELD_COLUMNS)
        dates = {field: values[field] for field in ("birth_date", "admitted_on", "official_on")}
        check_dates(row, dates, columns=FIELD_COLUMNS)
        if member is None and not row.has_error_in(OFFICIAL):  # the status follows from that date
            # The record ``register`` makes of the row: official when the file has the date.
            record = Member(
                birth_date=entry.birth_date,
                admitted_on=entry.admitted_on,
                ceremony_on=entry.admitted_on,
                official_on=entry.official_on,
                card_number=entry.card_number,
                status=Member.Status.OFFICIAL if entry.official_on else Member.Status.PROBATIONARY,
            )
            row.check(record.clean, columns=FIELD_COLUMNS)

    def _cell(self, entry: _Entry, member: Member | None, *, user, cells) -> Organization | None:
        """The chi bộ of the row, checked to be one the importer may import into; the member's
        own chi bộ needs no check (not moving)."""
        code = entry.code
        if not code:
            return None  # reported as required
        if member is not None and code == member.organization.code:
            return member.organization
        return organization_by_code(
            entry.row, ORGANIZATION, code, cells, user=user, permission=self.permission
        )

    def _check_dates(self, entry: _Entry, member: Member, decided: dict[int, set[date]]) -> None:
        """The dates of admission and conversion are the register's: an import never changes them
        (they are the movements' dates, and statistics count them)."""
        row = entry.row
        if entry.admitted_on and entry.admitted_on != member.admitted_on:
            row.error(
                ADMITTED,
                _(
                    "The register has %(date)s as the date of admission; an import does not change it: "
                    "correct it on the member's page."
                )
                % {"date": format_day(member.admitted_on)},
            )
        if member.status != Member.Status.OFFICIAL:
            return
        if entry.official_on is None:
            row.error(
                OFFICIAL,
                _(
                    "This member has been official since %(date)s; an import cannot make a member "
                    "probationary again."
                )
                % {"date": format_day(member.official_on)},
            )
        elif entry.official_on != member.official_on and entry.official_on not in decided.get(member.pk, ()):
            row.error(
                OFFICIAL,
                _(
                    "The register has %(date)s as the date the member became official; an import does "
                    "not change it: correct it on the member's page."
                )
                % {"date": format_day(member.official_on)},
            )

    def _register(self, entry: _Entry, cell: Organization, *, user, note: str) -> Member:
        return services.register(
            organization=cell,
            full_name=entry.full_name,
            gender=entry.gender,
            birth_date=entry.birth_date,
            admitted_on=entry.admitted_on,
            official_on=entry.official_on,
            cccd=entry.cccd,
            card_number=entry.card_number,
            ethnicity=entry.ethnicity,
            religion=entry.religion,
            profession=entry.profession,
            theory_level=entry.theory_level or Member.TheoryLevel.NONE,
            job_title=entry.job_title,
            note=note,
            by=user,
            organization_locked=True,
            numbers_checked=True,
        )

    def _writes(
        self, entry: _Entry, member: Member, cell: Organization, *, user
    ) -> tuple[list[Callable[[Member], Member]], list[str]]:
        """The service calls a row of a known member asks for, in the order the dates allow:
        conversion (dated in the file), corrections, then the transfer (dated today); and the
        columns they change."""
        changes = {
            field: value
            for field, value in entry.profile().items()
            if value not in ("", None) and value != getattr(member, field)
        }
        changed = [FIELD_COLUMNS[field] for field in changes]
        writes: list[Callable[[Member], Member]] = []
        if member.status == Member.Status.PROBATIONARY and entry.official_on is not None:
            changed.append(OFFICIAL)
            card_number = changes.pop("card_number", "")
            writes.append(
                lambda m: _on_field(
                    "official_on",
                    lambda: services.make_official(
                        member=m,
                        on=entry.official_on,
                        card_number=card_number,
                        by=user,
                        numbers_checked=True,
                        from_file=True,
                    ),
                )
            )
        if changes:
            writes.append(
                lambda m: services.update_profile(member=m, by=user, numbers_checked=True, **changes)
            )
        if cell.pk != member.organization_id:
            changed.append(ORGANIZATION)
            writes.append(
                lambda m: _on_field(
                    "to",
                    lambda: services.transfer(
                        member=m, to=cell, on=clock.today(), by=user, organization_locked=True
                    ),
                )
            )
        return writes, changed


def cccd_cell(value: object) -> str:
    """A CCCD as text. Every CCCD starts with the 0 of its province code (001–096), which a number
    cell of Excel drops: an 11-digit number is given its zero back."""
    text = cell_text(value)
    if isinstance(value, int | float) and len(text) == 11 and text.isdigit():
        return f"0{text}"
    return text


@dataclass
class NamedMembers:
    """The members the rows of a file name by Party card number (``CARD``) or CCCD (``CCCD``), read
    in one query, for the imports of other records about members (committee seats, meetings)."""

    by_card: dict[str, Member]
    by_cccd: dict[str, Member]

    @classmethod
    def read(cls, cards: Iterable[str], cccds: Iterable[str], members) -> "NamedMembers":
        """Among ``members`` (a queryset: the importer's scope, or the whole register)."""
        cards, cccds = sorted(set(cards) - {""}), sorted(set(cccds) - {""})
        found = cls({}, {})
        if cards or cccds:
            for member in members.filter(Q(card_number__in=cards) | Q(cccd__in=cccds)):
                if member.card_number:
                    found.by_card[member.card_number] = member
                if member.cccd:
                    found.by_cccd[member.cccd] = member
        return found

    def find(self, row: Row, card_number: str, cccd: str) -> tuple[Member | None, str]:
        """The member the row names and the column that named them; on the row, the error when the
        two numbers belong to different members or name nobody (a member outside the importer's
        scope reads like an unknown one)."""
        card_member = self.by_card.get(card_number) if card_number else None
        cccd_member = self.by_cccd.get(cccd) if cccd else None
        if card_member is not None and cccd_member is not None and card_member.pk != cccd_member.pk:
            row.error(
                CCCD,
                _(
                    "The Party card number and the citizen ID number belong to two different "
                    "members of the register."
                ),
            )
            return None, CCCD
        member = card_member or cccd_member
        if member is None:
            unknown_member(row, card_number, cccd)
        return member, CARD if card_member is not None else CCCD


def unknown_member(row: Row, card_number: str, cccd: str) -> None:
    """A member the register does not have (or the importer may not see), on the cells naming them."""
    if card_number:
        row.error(CARD, _("No member has the Party card number «%(value)s».") % {"value": card_number})
    if cccd:
        row.error(CCCD, _("No member has the citizen ID number «%(value)s».") % {"value": cccd})


def _on_field(field: str, call: Callable[[], Member]) -> Member:
    """Run a movement, reporting an error on its date (``on``) as one of ``field``: the date of a
    conversion is the file's official date, that of a transfer follows from the chi bộ."""
    try:
        return call()
    except ValidationError as error:
        if hasattr(error, "error_dict") and "on" in error.error_dict:
            raise ValidationError(
                {field if name == "on" else name: messages for name, messages in error.error_dict.items()}
            ) from None
        raise


# The app's other registers, in modules of their own, register with this one: ``imports.registered``
# discovers the ``resources`` module of each app (and the views import them directly).
from . import committee_resources, target_resources  # noqa: E402, F401, I001
