"""The spreadsheet format of past meetings (sinh hoạt chi bộ; docs/import-formats.md, *Meetings*):
chi bộ keep years of attendance registers in spreadsheets.

A row is one member at one meeting; a meeting is ``Mã tổ chức`` + ``Ngày sinh hoạt`` + ``Loại sinh
hoạt``. The rows of a meeting must name exactly the members expected on its date — the list
``record_meeting`` freezes from the register (``members.selectors.roll``): the members of a chi bộ,
those exempted or in temporary activity elsewhere included, and those in temporary activity here;
the committee members of a đảng bộ, whose committee is what meets. A tổ đảng is not kept in the
register: its rows say who its members are, among the members of its chi bộ that day.

A meeting the register does not have is recorded and marked with ``record_meeting(marks=…)``, the
service of the meeting form. One it has (the same organization, date
and kind) keeps its list: rows with the same marks leave it alone, so a file imported twice writes
its meetings once; a different mark is corrected through ``record_attendance``, a different topic
through ``correct_meeting``, with the importer in the history.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.fields import Field
from import_export.widgets import DateWidget

from blocportal.dates import PARTY_FOUNDED, format_day
from blocportal.imports import (
    ImportResource,
    ImportResult,
    Outcome,
    Row,
    check_dates,
    check_fields,
    organization_by_code,
    register,
    scoped_by_code,
)
from members.models import Member
from members.resources import NamedMembers, cccd_cell, unknown_member
from members.selectors import roll
from organizations.models import Organization

from . import services
from .models import Attendance, Meeting, Sheet
from .services.meetings import MEMBER_MEETING_KINDS, Mark, check_held_by

CODE = "Mã tổ chức"
DAY = "Ngày sinh hoạt"
KIND = "Loại sinh hoạt"
TOPIC = "Chủ đề"
CARD = "Số thẻ đảng viên"
CCCD = "Số CCCD"
STATUS = "Tình trạng"
REASON = "Lý do vắng"
KEY_COLUMNS = (CODE, DAY, KIND)

Kind, Status = Meeting.Kind, Attendance.Status
KIND_LABELS = {
    Kind.REGULAR: "Thường kỳ",
    Kind.THEMATIC: "Chuyên đề",
    Kind.COMBINED: "Thường kỳ kết hợp chuyên đề",
    Kind.EXTRAORDINARY: "Bất thường",
    Kind.GROUP: "Tổ đảng",
}
STATUS_LABELS = {
    Status.PRESENT: "Có mặt",
    Status.EXCUSED: "Vắng có lý do",
    Status.ABSENT: "Vắng không lý do",
}
# Service field → the column its ValidationError belongs to (errors of the meeting go on its first
# row; those without a field on the whole row).
MEETING_COLUMNS = {
    "organization": CODE,
    "body": CODE,
    "held_on": DAY,
    "kind": KIND,
    "topic": TOPIC,
    "reason": REASON,
    "status": STATUS,
}


@dataclass(eq=False)
class _Entry:
    """One row read into values ("" / None where the cell is empty or wrong)."""

    row: Row
    code: str
    held_on: date | None
    kind: str
    topic: str
    card_number: str
    cccd: str
    status: str
    reason: str
    organization: Organization | None = None
    member: Member | None = None
    member_column: str = CCCD

    @property
    def key(self) -> tuple[int, date, str] | None:
        """The meeting this row is a line of (None while a part of it is missing)."""
        if self.organization is None or self.held_on is None or not self.kind:
            return None
        return (self.organization.pk, self.held_on, self.kind)

    @property
    def mark(self) -> Mark:
        return Mark(self.member.pk, self.status, self.reason if self.status != Status.PRESENT else "")


@dataclass(eq=False)
class _Meeting:
    """A meeting the file's rows are the lines of: the register's (its sheet), or one to record."""

    organization: Organization
    held_on: date
    kind: str
    entries: list[_Entry] = field(default_factory=list)
    sheet: Sheet | None = None  # the register's list of the organization at this meeting
    recorded: int = 0  # lists of the register matching it (more than one: the import cannot tell which)

    @property
    def body(self) -> str:
        """The members of a chi bộ or tổ đảng meet; of a đảng bộ, its committee (đảng ủy)."""
        if self.organization.kind in MEMBER_MEETING_KINDS:
            return Meeting.Body.MEMBERS
        return Meeting.Body.COMMITTEE

    @property
    def is_group(self) -> bool:
        return self.organization.kind == Organization.Kind.GROUP

    @property
    def first(self) -> _Entry:
        return self.entries[0]

    @property
    def topic(self) -> str:
        return next((entry.topic for entry in self.entries if entry.topic), "")

    @property
    def rows(self) -> str:
        """The rows of the meeting as ranges: "2–13", "2–5, 9"."""
        numbers = [entry.row.number for entry in self.entries]
        spans: list[list[int]] = []
        for number in numbers:
            if spans and number == spans[-1][1] + 1:
                spans[-1][1] = number
            else:
                spans.append([number, number])
        return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


@register
class MeetingResource(ImportResource):
    kind = "meetings"
    permission = "meeting.import"
    sheet_title = "Sinh hoat chi bo"
    title = gettext_lazy("Import meetings")
    namespace = "meetings"
    # Data rows per file (the default): a year of the whole bloc, some 4 000 members at 12 meetings.

    organization_code = Field(attribute="meeting__organization__code", column_name=CODE)
    held_on = Field(attribute="meeting__held_on", column_name=DAY, widget=DateWidget("%d/%m/%Y"))
    kind_label = Field(attribute="meeting__kind", column_name=KIND)
    topic = Field(attribute="meeting__topic", column_name=TOPIC)
    card_number = Field(attribute="member__card_number", column_name=CARD)
    cccd = Field(attribute="member__cccd", column_name=CCCD)
    status_label = Field(attribute="status", column_name=STATUS)
    reason = Field(attribute="reason", column_name=REASON)

    class Meta:
        model = Attendance
        fields = (
            "organization_code",
            "held_on",
            "kind_label",
            "topic",
            "card_number",
            "cccd",
            "status_label",
            "reason",
        )
        export_order = fields

    # --- export

    def dehydrate_kind_label(self, attendance: Attendance) -> str:
        return KIND_LABELS.get(attendance.meeting.kind, attendance.meeting.kind)

    def dehydrate_status_label(self, attendance: Attendance) -> str:
        return STATUS_LABELS.get(attendance.status, attendance.status)

    def example_rows(self) -> list[list[object]]:
        meeting = ["DB-STC-NS", "10/03/2025", "Thường kỳ", "Kiểm điểm công tác tháng 3"]
        return [
            [*meeting, "79012345", "", "Có mặt", ""],
            [*meeting, "", "064190004321", "Vắng có lý do", "Đi công tác"],
            [*meeting, "79034567", "", "Vắng không lý do", ""],
        ]

    # --- import

    def import_rows(self, rows: list[Row], *, user, result: ImportResult) -> None:
        entries = [self._read(row) for row in rows]
        organizations = scoped_by_code(
            Organization.objects.select_related("parent"), entries, "code", user=user
        )
        members = NamedMembers.read(
            (entry.card_number for entry in entries), (entry.cccd for entry in entries), Member.objects.all()
        )
        for entry in entries:
            self._resolve(entry, organizations=organizations, members=members, user=user)
        visible = set(
            Member.objects.visible_to(user)
            .filter(pk__in={entry.member.pk for entry in entries if entry.member is not None})
            .values_list("pk", flat=True)
        )
        meetings = _meetings(entries)
        lists = _recorded(meetings)
        # Members named on a row whose meeting cannot be told (a wrong date or kind): not reported
        # missing from the meetings of their organization, the row's own error says enough.
        loose = {
            (entry.organization.pk, entry.member.pk)
            for entry in entries
            if entry.key is None and entry.organization is not None and entry.member is not None
        }
        last = {id(meeting.entries[-1]): meeting for meeting in meetings.values()}
        ordered = sorted(entries, key=lambda entry: _order(entry, meetings))
        for entry in result.track(ordered):
            meeting = last.get(id(entry))
            if meeting is not None:
                self._apply(meeting, user=user, result=result, lists=lists, visible=visible, loose=loose)

    def _read(self, row: Row) -> _Entry:
        entry = _Entry(
            row=row,
            code=row.text(CODE, required=True).upper(),
            held_on=row.date(DAY, required=True),
            kind=row.choice(KIND, KIND_LABELS, required=True),
            topic=row.text(TOPIC),
            card_number=row.text(CARD),
            cccd=cccd_cell(row.values.get(CCCD)),
            status=row.choice(STATUS, STATUS_LABELS, required=True),
            reason=row.text(REASON),
        )
        if not entry.card_number and not entry.cccd:
            row.error(CCCD, _("Give the Party card number or the citizen ID number of the member."))
        check_dates(
            row, {"held_on": entry.held_on}, columns={"held_on": DAY}, earliest={"held_on": PARTY_FOUNDED}
        )
        check_fields(row, Meeting, {"topic": entry.topic}, columns={"topic": TOPIC})
        check_fields(row, Attendance, {"reason": entry.reason}, columns={"reason": REASON})
        if entry.status == Status.EXCUSED and not entry.reason:
            row.error(REASON, _("Give the reason for the absence."))
        elif entry.status == Status.PRESENT and entry.reason:
            row.error(REASON, _("The member was present: leave the reason for absence empty."))
        return entry

    def _resolve(self, entry: _Entry, *, organizations, members: NamedMembers, user) -> None:
        """The organization (in the importer's scope, existing on the day) and the member the row
        names. A member is looked up in the whole register: one who has since left the importer's
        scope was still on the list of the meeting; the list decides (``_apply``)."""
        row = entry.row
        if entry.code:
            organization = organization_by_code(
                row, CODE, entry.code, organizations, user=user, permission=self.permission
            )
            if not row.has_error_in(CODE):
                entry.organization = organization
                if entry.held_on is not None:
                    row.check(check_held_by, organization, entry.held_on, columns={"organization": CODE})
        entry.member, entry.member_column = members.find(row, entry.card_number, entry.cccd)

    def _apply(
        self,
        meeting: _Meeting,
        *,
        user,
        result: ImportResult,
        lists: dict[int, dict[int, tuple[str, str, str]]],
        visible: set[int],
        loose: set[tuple[int, int]],
    ) -> None:
        """Check that the rows of a meeting cover its list, then write it through the services: for
        real when every row passed, on trial (always undone) when only some values failed, for the
        errors the services find. A meeting whose organization, date or kind is wrong on a row is
        not checked further: its list is not known."""
        if any(entry.row.has_error_in(column) for entry in meeting.entries for column in KEY_COLUMNS):
            return
        first = meeting.first
        if meeting.recorded > 1:
            first.row.error(
                KIND,
                _(
                    "The register has %(count)s meetings of this kind of %(name)s on %(date)s: the "
                    "import cannot tell which one these rows are. Correct them in the portal."
                )
                % {
                    "count": meeting.recorded,
                    "name": meeting.organization.name,
                    "date": format_day(meeting.held_on),
                },
            )
            return
        self._check_topic(meeting)
        named = self._check_members(meeting, lists=lists, visible=visible, loose=loose)
        # The rows whose marks the services may take (on trial too): the others' errors are said.
        complete = [
            entry
            for entry in meeting.entries
            if entry.member is not None
            and entry.member.pk in named
            and not entry.row.has_error_in(STATUS)
            and not entry.row.has_error_in(REASON)
        ]
        failed = any(entry.row.has_errors for entry in meeting.entries)
        if meeting.sheet is None:
            self._record(meeting, complete, named, user=user, result=result, failed=failed)
        else:
            self._correct(meeting, complete, lists[meeting.sheet.pk], user=user, result=result, failed=failed)

    def _check_topic(self, meeting: _Meeting) -> None:
        """A meeting has one topic: the rows that give one give the same (or leave it empty)."""
        given = next((entry for entry in meeting.entries if entry.topic), None)
        for entry in meeting.entries:
            if given is not None and entry.topic and entry.topic != given.topic:
                entry.row.error(
                    TOPIC,
                    _("Row %(row)s of the same meeting gives the topic «%(topic)s»: a meeting has one topic.")
                    % {"row": given.row.number, "topic": given.topic},
                )

    def _check_members(self, meeting: _Meeting, *, lists, visible, loose) -> set[int]:
        """Every member named once, each on the meeting's list, and nobody of the list left out
        (except at a new tổ đảng meeting, whose rows say who its members are). Returns the members
        the rows may mark: on the list, named once."""
        expected = self._expected(meeting, lists)
        rows_of: dict[int, list[_Entry]] = defaultdict(list)
        for entry in meeting.entries:
            if entry.member is not None:
                rows_of[entry.member.pk].append(entry)
        # A new tổ đảng meeting takes its members from the list of its chi bộ.
        new_group = meeting.is_group and meeting.sheet is None
        organization = meeting.organization.parent if new_group else meeting.organization
        for member_id, named in rows_of.items():
            if len(named) > 1:
                for entry in named:
                    others = ", ".join(str(other.row.number) for other in named if other is not entry)
                    entry.row.error(
                        entry.member_column,
                        _("%(name)s is also on row %(rows)s of the same meeting.")
                        % {"name": entry.member.full_name, "rows": others},
                    )
            if member_id in expected:
                continue
            for entry in named:
                if member_id not in visible:  # outside the importer's scope: reads like an unknown one
                    unknown_member(entry.row, entry.card_number, entry.cccd)
                    continue
                entry.row.error(
                    entry.member_column,
                    _(
                        "%(name)s is not expected at this meeting: not on the list of %(organization)s "
                        "on %(date)s."
                    )
                    % {
                        "name": entry.member.full_name,
                        "organization": organization.name,
                        "date": format_day(meeting.held_on),
                    },
                )
        if not new_group:
            missing = (
                set(expected)
                - set(rows_of)
                - {member_id for org_id, member_id in loose if org_id == meeting.organization.pk}
            )
            self._report_missing(meeting, missing, expected)
        return {
            member_id for member_id, named in rows_of.items() if len(named) == 1 and member_id in expected
        }

    def _expected(self, meeting: _Meeting, lists) -> dict[int, str]:
        """The members expected at the meeting, with their standing that day: the register's list
        of a recorded meeting, else the roll ``record_meeting`` will freeze (a tổ đảng: the members
        of its chi bộ that day). Four or five queries for a new meeting."""
        if meeting.sheet is not None:
            return {member_id: standing for member_id, (standing, _s, _r) in lists[meeting.sheet.pk].items()}
        if meeting.body == Meeting.Body.COMMITTEE:
            entries = roll.committee_roll_on(meeting.organization, meeting.held_on)
        elif meeting.is_group:
            entries = roll.cell_roll_on(meeting.organization.parent, meeting.held_on)
        else:
            entries = roll.cell_roll_on(meeting.organization, meeting.held_on)
        return {entry.member_id: entry.standing for entry in entries}

    def _report_missing(self, meeting: _Meeting, missing: set[int], expected: dict[int, str]) -> None:
        """Each member of the list no row names, on the meeting's first row. One query."""
        if not missing:
            return
        found = Member.objects.filter(pk__in=missing).order_by("sort_name", "pk")
        standings = dict(Attendance.Standing.choices)
        for member in found.only("full_name", "card_number", "cccd"):
            details = [member.full_name]
            if member.card_number:
                details.append(_("Party card number %(value)s") % {"value": member.card_number})
            elif member.cccd:
                details.append(_("citizen ID number %(value)s") % {"value": member.cccd})
            if expected[member.pk]:
                details.append(str(standings[expected[member.pk]]).lower())
            meeting.first.row.error(
                CARD,
                _(
                    "No row of this meeting (rows %(rows)s) names %(member)s, who is on the list of "
                    "%(organization)s on %(date)s: add a row for them."
                )
                % {
                    "rows": meeting.rows,
                    "member": ", ".join(details),
                    "organization": meeting.organization.name,
                    "date": format_day(meeting.held_on),
                },
            )

    def _record(
        self, meeting: _Meeting, complete: list[_Entry], named: set[int], *, user, result, failed
    ) -> None:
        """A meeting the register does not have: recorded with its sheet marked, in one call."""

        def record() -> Meeting:
            return services.record_meeting(
                organization=meeting.organization,
                held_on=meeting.held_on,
                kind=meeting.kind,
                body=meeting.body,
                topic=meeting.topic,
                group_members=sorted(named) if meeting.is_group else None,
                marks=[entry.mark for entry in complete if entry.status != Status.PRESENT],
                by=user,
            )

        if _write(meeting, record, failed=failed) is None:
            return
        for entry in meeting.entries:
            result.record(Outcome.CREATED, entry.row)

    def _correct(
        self,
        meeting: _Meeting,
        complete: list[_Entry],
        recorded: dict[int, tuple[str, str, str]],
        *,
        user,
        result,
        failed,
    ) -> None:
        """A meeting the register has: unchanged, or its marks (and topic) corrected."""
        changed: dict[int, list[str]] = {}
        for entry in complete:
            _standing, status, reason = recorded[entry.member.pk]
            mark = entry.mark
            columns = [STATUS] * (status != mark.status) + [REASON] * (reason != mark.reason)
            if columns:
                changed[id(entry)] = columns
        current = meeting.sheet.meeting
        new_topic = meeting.topic if meeting.topic and meeting.topic != current.topic else ""
        if changed or new_topic:
            written = _write(
                meeting,
                lambda: self._write_corrections(meeting, complete, changed, new_topic, user),
                failed=failed,
            )
            if written is None:
                return
        elif failed:
            return
        topic_row = next((entry for entry in meeting.entries if entry.topic), None) if new_topic else None
        for entry in meeting.entries:
            columns = changed.get(id(entry), []) + [TOPIC] * (entry is topic_row)
            if columns:
                result.record(Outcome.CHANGED, entry.row, changed=columns)
            else:
                result.record(Outcome.UNCHANGED)

    def _write_corrections(self, meeting: _Meeting, complete, changed, new_topic: str, user) -> Meeting:
        current = meeting.sheet.meeting
        if new_topic:
            current = services.correct_meeting(meeting=current, topic=new_topic, by=user)
        marks = [entry.mark for entry in complete if id(entry) in changed]
        if marks:
            current = services.record_attendance(meeting=current, marks=marks, by=user)
        return current


def _write(meeting: _Meeting, write: Callable[[], Meeting], *, failed: bool) -> Meeting | None:
    """The services' writes of a meeting, their errors on its first row (``Row.write``): on trial,
    always undone, when a row of the meeting has errors (``failed``), so that the errors only the
    services see come in the same dry run; None then, or when the services refuse."""
    row = meeting.first.row
    if failed and not row.has_errors:  # ``Row.write`` tries a row with errors of its own only
        row.write(lambda: _undone(write), columns=MEETING_COLUMNS)
        return None
    written = row.write(write, columns=MEETING_COLUMNS)
    return None if failed else written


def _undone(write: Callable[[], object]) -> None:
    with transaction.atomic():
        write()
        transaction.set_rollback(True)


def _meetings(entries: Iterable[_Entry]) -> dict[tuple[int, date, str], _Meeting]:
    """The meetings the rows are lines of, by key, in the order of their first rows."""
    meetings: dict[tuple[int, date, str], _Meeting] = {}
    for entry in entries:
        if entry.key is not None:
            meeting = meetings.setdefault(entry.key, _Meeting(entry.organization, entry.held_on, entry.kind))
            meeting.entries.append(entry)
    return meetings


def _recorded(meetings: dict[tuple[int, date, str], _Meeting]) -> dict[int, dict[int, tuple[str, str, str]]]:
    """Attach to each meeting the register's list of it (same organization, date, kind and who
    meets), and return the lines of those lists: sheet → member → (standing, status, reason). Two
    queries."""
    if not meetings:
        return {}
    organizations = {meeting.organization.pk for meeting in meetings.values()}
    days = [meeting.held_on for meeting in meetings.values()]
    found = Sheet.objects.filter(organization__in=organizations, held_on__range=(min(days), max(days)))
    matched: dict[int, Sheet] = {}
    for sheet in found.select_related("meeting").order_by("pk"):
        meeting = meetings.get((sheet.organization_id, sheet.held_on, sheet.kind))
        if meeting is None or sheet.body != meeting.body:
            continue
        meeting.recorded += 1
        meeting.sheet = sheet
        matched[sheet.pk] = sheet
    lists: dict[int, dict[int, tuple[str, str, str]]] = {pk: {} for pk in matched}
    if matched:
        lines = Attendance.objects.filter(
            sheet__organization__in=organizations, sheet__held_on__range=(min(days), max(days))
        ).values_list("sheet_id", "member_id", "standing", "status", "reason")
        for sheet_id, member_id, standing, status, reason in lines:
            if sheet_id in lists:
                lists[sheet_id][member_id] = (standing, status, reason)
    return lists


def _order(entry: _Entry, meetings: dict[tuple[int, date, str], _Meeting]) -> tuple[int, int]:
    """The rows of a meeting together, at the place of its first row."""
    meeting = meetings.get(entry.key) if entry.key is not None else None
    start = meeting.first.row.number if meeting is not None else entry.row.number
    return start, entry.row.number
