"""Recording a meeting: its details, the attendance list frozen from the register on its date, the
marks of the sheet and the counters the figures read (DOMAIN.md §4)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from blocportal.dates import check_not_future, format_day
from blocportal.files import document_kind
from members.models import Member
from members.selectors import roll
from organizations.models import Organization

from ..models import Attendance, Meeting, Sheet
from .months import check_can_write

Kind, Body = Meeting.Kind, Meeting.Body
# Who holds which meeting: the members of a chi bộ or a tổ đảng meet as such; the committee of a
# chi bộ (chi ủy) or of a đảng bộ (đảng ủy) meets as a committee.
MEMBER_MEETING_KINDS = (*Organization.CELL_KINDS, Organization.Kind.GROUP)
COMMITTEE_MEETING_KINDS = (
    Organization.Kind.BLOC,
    Organization.Kind.GRASSROOTS_COMMITTEE,
    Organization.Kind.BRANCH_COMMITTEE,
    *Organization.CELL_KINDS,
)
DETAIL_FIELDS = (
    "kind",
    "place",
    "online",
    "topic",
    "chair",
    "recorder",
    "upper_attendee",
    "content",
    "conclusions",
)
# What a minutes file may be, recognised by its first bytes (not by its name).


@dataclass(frozen=True)
class Mark:
    """One line of a sheet as typed or imported: the member, present or not, and why not."""

    member_id: int
    status: str
    reason: str = ""


# Checks ---------------------------------------------------------------------------------------


def check_held_by(organization: Organization, on: date, field: str = "organization") -> None:
    """The organization existed on the day of the meeting."""
    if organization.established_on and on < organization.established_on:
        raise ValidationError(
            {
                field: _("%(name)s was only established on %(date)s; it held no meeting on %(day)s.")
                % {
                    "name": organization.name,
                    "date": format_day(organization.established_on),
                    "day": format_day(on),
                }
            }
        )
    if organization.dissolved_on and on >= organization.dissolved_on:
        raise ValidationError(
            {
                field: _("%(name)s was dissolved on %(date)s; it held no meeting on %(day)s.")
                % {
                    "name": organization.name,
                    "date": format_day(organization.dissolved_on),
                    "day": format_day(on),
                }
            }
        )


def _check_who_meets(organization: Organization, kind: str, body: str) -> None:
    if body == Body.COMMITTEE:
        if organization.kind not in COMMITTEE_MEETING_KINDS:
            raise ValidationError(
                {
                    "body": _("A %(kind)s has no committee.")
                    % {"kind": organization.get_kind_display().lower()}
                }
            )
        if kind == Kind.GROUP:
            raise ValidationError({"kind": _("A Party group meeting is a meeting of the group's members.")})
        return
    if organization.kind not in MEMBER_MEETING_KINDS:
        raise ValidationError(
            {
                "body": _(
                    "The members of a %(kind)s do not meet as one Party cell: record the meeting of its "
                    "committee, or the meetings of its Party cells."
                )
                % {"kind": organization.get_kind_display().lower()}
            }
        )
    is_group = organization.kind == Organization.Kind.GROUP
    if is_group != (kind == Kind.GROUP):
        raise ValidationError(
            {
                "kind": _("A Party group holds Party group meetings.")
                if is_group
                else _("A Party group meeting is recorded on the Party group.")
            }
        )


def check_minutes_file(upload: UploadedFile | None) -> None:
    """A PDF, a Word document (DOCX) or a photo (JPEG, PNG), told by its content, and no larger than
    ``MEETING_MINUTES_MAX_BYTES``."""
    if not upload:
        return
    limit = settings.MEETING_MINUTES_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                "minutes_file": _("The file is %(size)s; the minutes may be at most %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            }
        )
    found = document_kind(upload)
    if found is None:
        raise ValidationError(
            {
                "minutes_file": _(
                    "The minutes must be a PDF, a Word document (.docx) or a photo (JPEG or PNG)."
                )
            }
        )


def _check_on_list(meeting: Meeting, member: Member | None, field: str, listed: set[int]) -> None:
    if member is not None and member.pk not in listed:
        raise ValidationError(
            {field: _("%(name)s is not on the attendance list of this meeting.") % {"name": member.full_name}}
        )


# Writes ---------------------------------------------------------------------------------------


@transaction.atomic
def record_meeting(
    *,
    organization: Organization,
    held_on: date,
    kind: str,
    by: AbstractBaseUser,
    body: str = Body.MEMBERS,
    joint_with: Iterable[Organization] = (),
    group_members: Sequence[int] | None = None,
    place: str = "",
    online: bool = False,
    topic: str = "",
    chair: Member | None = None,
    recorder: Member | None = None,
    upper_attendee: str = "",
    content: str = "",
    conclusions: str = "",
    minutes_file: UploadedFile | None = None,
    marks: Sequence[Mark] = (),
) -> Meeting:
    """Record a meeting and freeze who was expected, from the register on ``held_on``: everyone is
    marked present, and the sheet (``record_attendance``) marks who was not. A joint meeting
    (``joint_with``: other chi bộ) has one list per chi bộ and counts for each. A tổ đảng meeting
    expects the ``group_members`` of its chi bộ, as the group is not kept in the register.
    ``marks`` mark the sheet at once, as ``record_attendance`` right after would: the import and the
    demo record a meeting with its sheet in one step, without writing every row twice."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    check_not_future(held_on, "held_on")
    check_held_by(organization, held_on)
    _check_who_meets(organization, kind, body)
    check_can_write(organization, held_on, by)
    joint = [other for other in joint_with if other.pk != organization.pk]
    if joint and (body != Body.MEMBERS or organization.kind not in Organization.CELL_KINDS):
        raise ValidationError({"joint_with": _("Only Party cells hold joint meetings of their members.")})
    for other in joint:
        if other.kind not in Organization.CELL_KINDS:
            raise ValidationError({"joint_with": _("%(name)s is not a Party cell.") % {"name": other.name}})
        check_held_by(other, held_on, "joint_with")
    check_minutes_file(minutes_file)
    meeting = Meeting(
        organization=organization,
        body=body,
        held_on=held_on,
        kind=kind,
        place=place,
        online=online,
        topic=topic,
        chair=chair,
        recorder=recorder,
        upper_attendee=upper_attendee,
        content=content,
        conclusions=conclusions,
        recorded_by=by,
    )
    if minutes_file:
        meeting.minutes_file = minutes_file
    # The organization was just read, the chair and the recorder are checked against the lists
    # below, and ``by`` is the user acting: checking that they exist would cost a query each.
    meeting.full_clean(exclude=["minutes_file", "organization", "chair", "recorder", "recorded_by"])
    rolls = [(organization, _roll(organization, held_on, body, group_members))]
    rolls += [(other, roll.cell_roll_on(other, held_on)) for other in joint]
    # At a joint meeting a member in temporary activity at another chi bộ of it is on that chi bộ's
    # list, where they are expected, not also on their home list as away.
    present_elsewhere = {
        entry.member_id for _org, entries in rolls for entry in entries if entry.standing != roll.AWAY
    }
    rolls = [
        (org, [e for e in entries if e.standing != roll.AWAY or e.member_id not in present_elsewhere])
        for org, entries in rolls
    ]
    listed = {entry.member_id for _org, entries in rolls for entry in entries}
    if not listed:
        raise ValidationError(
            {
                "held_on": _("No member of %(name)s was expected on %(date)s.")
                % {"name": organization.name, "date": format_day(held_on)}
            }
        )
    _check_on_list(meeting, chair, "chair", listed)
    _check_on_list(meeting, recorder, "recorder", listed)
    lists = [
        (
            sheet_organization,
            [
                Attendance(
                    meeting=meeting,
                    member_id=entry.member_id,
                    cell_id=entry.cell_id,
                    standing=entry.standing,
                    seat=entry.seat,
                    status=Attendance.Status.PRESENT,
                )
                for entry in entries
            ],
        )
        for sheet_organization, entries in rolls
    ]
    _mark({row.member_id: row for _org, rows in lists for row in rows}, marks, organization, held_on)
    meeting._history_user = by
    meeting.save()
    for sheet_organization, rows in lists:
        sheet = Sheet(meeting=meeting, organization=sheet_organization, held_on=held_on, kind=kind, body=body)
        count_sheet(sheet, rows)
        sheet._history_user = by
        sheet.save()
        for row in rows:
            row.sheet = sheet
        bulk_create_with_history(rows, Attendance, default_user=by)
    return meeting


def _roll(organization: Organization, on: date, body: str, group_members: Sequence[int] | None):
    if body == Body.COMMITTEE:
        return roll.committee_roll_on(organization, on)
    if organization.kind != Organization.Kind.GROUP:
        return roll.cell_roll_on(organization, on)
    # A tổ đảng: the members of its chi bộ that the secretary lists as the group's.
    cell_entries = roll.cell_roll_on(organization.parent, on)
    wanted = set(group_members or ())
    if not wanted:
        raise ValidationError({"group_members": _("Choose the members of the Party group.")})
    by_member = {entry.member_id: entry for entry in cell_entries}
    strangers = wanted - set(by_member)
    if strangers:
        names = ", ".join(
            Member.objects.filter(pk__in=strangers).order_by("sort_name").values_list("full_name", flat=True)
        )
        raise ValidationError(
            {
                "group_members": _("Not members of %(cell)s on %(date)s: %(names)s.")
                % {"cell": organization.parent.name, "date": format_day(on), "names": names}
            }
        )
    return [entry for entry in cell_entries if entry.member_id in wanted]


def count_sheet(sheet: Sheet, rows: Iterable[Attendance]) -> None:
    """The sheet's counters from its rows: the §4 denominator and who of it came. Public for the
    benchmark's bulk seed (``demo.meetings``), which writes sheets without this service."""
    counted = [row for row in rows if row.counted]
    sheet.expected = len(counted)
    sheet.present = sum(row.status == Attendance.Status.PRESENT for row in counted)
    sheet.excused = sum(row.status == Attendance.Status.EXCUSED for row in counted)
    sheet.absent = sum(row.status == Attendance.Status.ABSENT for row in counted)
    on_committee = [row for row in counted if row.seat]
    sheet.committee_expected = len(on_committee)
    sheet.committee_present = sum(row.status == Attendance.Status.PRESENT for row in on_committee)


@transaction.atomic
def record_attendance(*, meeting: Meeting, marks: Sequence[Mark], by: AbstractBaseUser) -> Meeting:
    """Mark the sheet: each line names a member of the meeting's lists once, present, excused (with
    the reason) or absent without reason; the members not named keep their mark. The counters of
    the sheets are written with the rows."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("organization").get(pk=meeting.pk)
    )
    check_can_write(meeting.organization, meeting.held_on, by)
    rows = {row.member_id: row for row in Attendance.objects.filter(meeting=meeting).select_related("member")}
    changed = _mark(rows, marks, meeting.organization, meeting.held_on)
    if not changed:
        return meeting
    bulk_update_with_history(changed, Attendance, ["status", "reason"], default_user=by)
    _recount(meeting, rows.values(), by)
    return meeting


def _mark(
    rows: dict[int, Attendance], marks: Sequence[Mark], organization: Organization, on: date
) -> list[Attendance]:
    """Put the marks on the rows of a meeting's lists (by member), all or none: every error is
    given at once. Returns the rows whose mark changed."""
    seen: set[int] = set()
    errors = []
    for mark in marks:
        if mark.member_id in seen:
            name = rows[mark.member_id].member.full_name if mark.member_id in rows else mark.member_id
            errors.append(_("%(name)s is marked twice.") % {"name": name})
            continue
        seen.add(mark.member_id)
        if mark.member_id not in rows:
            member = Member.objects.filter(pk=mark.member_id).first()
            errors.append(
                _("%(name)s was not a member of %(organization)s on %(date)s.")
                % {
                    "name": member.full_name if member else mark.member_id,
                    "organization": organization.name,
                    "date": format_day(on),
                }
            )
            continue
        if mark.status not in Attendance.Status.values:
            errors.append(_("Unknown attendance: %(value)s.") % {"value": mark.status})
        elif mark.status == Attendance.Status.EXCUSED and not mark.reason.strip():
            errors.append(
                _("Give the reason %(name)s was absent.") % {"name": rows[mark.member_id].member.full_name}
            )
    if errors:
        raise ValidationError(errors)
    changed = []
    for mark in marks:
        row = rows[mark.member_id]
        reason = mark.reason.strip() if mark.status != Attendance.Status.PRESENT else ""
        if (row.status, row.reason) != (mark.status, reason):
            row.status, row.reason = mark.status, reason
            changed.append(row)
    return changed


def _recount(meeting: Meeting, rows: Iterable[Attendance], by: AbstractBaseUser) -> None:
    """The counters of the meeting's sheets from all its rows, as marked."""
    by_sheet: dict[int, list[Attendance]] = {}
    for row in rows:
        by_sheet.setdefault(row.sheet_id, []).append(row)
    fields = ["expected", "present", "excused", "absent", "committee_expected", "committee_present"]
    for sheet in Sheet.objects.filter(meeting=meeting).select_for_update():
        before = [getattr(sheet, name) for name in fields]
        count_sheet(sheet, by_sheet.get(sheet.pk, []))
        if before != [getattr(sheet, name) for name in fields]:
            sheet._history_user = by
            sheet.save(update_fields=fields)


@transaction.atomic
def correct_meeting(*, meeting: Meeting, by: AbstractBaseUser, minutes_file=None, **changes) -> Meeting:
    """Correct a meeting's details (not its organization or date: the list was frozen from them;
    delete the meeting and record it again). Secretaries correct until the month is closed."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    unknown = set(changes) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"correct_meeting() cannot change {sorted(unknown)}")
    check_can_write(meeting.organization, meeting.held_on, by)
    if "kind" in changes:
        _check_who_meets(meeting.organization, changes["kind"], meeting.body)
    check_minutes_file(minutes_file)
    listed = set(Attendance.objects.filter(meeting=meeting).values_list("member_id", flat=True))
    _check_on_list(meeting, changes.get("chair"), "chair", listed)
    _check_on_list(meeting, changes.get("recorder"), "recorder", listed)
    changed = [name for name, value in changes.items() if getattr(meeting, name) != value]
    for name in changed:
        setattr(meeting, name, changes[name])
    if minutes_file:
        meeting.minutes_file = minutes_file
        changed.append("minutes_file")
    if not changed:
        return meeting
    meeting.full_clean(exclude=["minutes_file"])
    meeting._history_user = by
    meeting.save()
    if "kind" in changed:
        for sheet in Sheet.objects.filter(meeting=meeting):
            sheet.kind = meeting.kind
            sheet._history_user = by
            sheet.save(update_fields=["kind"])
    return meeting


@transaction.atomic
def delete_meeting(*, meeting: Meeting, by: AbstractBaseUser) -> None:
    """Delete a meeting recorded by mistake, with its lists; the history keeps what it was."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_can_write(meeting.organization, meeting.held_on, by)
    for sheet in Sheet.objects.filter(meeting=meeting):
        sheet._history_user = by
        sheet.delete()
    meeting._history_user = by
    meeting.delete()
