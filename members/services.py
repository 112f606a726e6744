"""Every movement of a member (biến động đảng viên): one function each, one transaction, one event.

The rules are those of DOMAIN.md §2 (Điều lệ Đảng, 294-QĐ/TW, HD 06-HD/TW 2025); their numbers
come from blocportal/rules.py. Every movement passes the same calendar checks (not in the future,
not before the admission decision, not before the member's last recorded movement) and none is
recorded for a member who has left the register. Official spells change only here, so a member
belongs to one chi bộ at a time (the partial unique constraint on ``Membership`` is the backstop).
"""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocportal import clock, rules
from blocportal.dates import PARTY_FOUNDED, check_not_future, check_plausible_date, format_day
from blocportal.text import nfc
from blocportal.workdays import add_working_days, months_between
from organizations import services as org_services
from organizations.models import Organization

from . import resolutions
from .models import Candidate, Member, MemberEvent, Membership

# Fields Member.full_clean must not see: derived in save().
_DERIVED = ["search_name", "sort_name"]


# Checks ---------------------------------------------------------------------------------------


def _lock_cell(organization: Organization, on: date, field: str, *, locked: bool = False) -> Organization:
    """Members sinh hoạt in a chi bộ — chi bộ cơ sở or chi bộ trực thuộc — that exists on the date.
    ``locked``: the caller read ``organization`` with ``select_for_update`` in this transaction (the
    member import locks every chi bộ of a file once), so it is checked as it is, not read again."""
    if not locked:
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.kind not in Organization.CELL_KINDS:
        raise ValidationError(
            {
                field: _("Members belong to a Party cell; %(name)s is a %(kind)s.")
                % {"name": organization.name, "kind": organization.get_kind_display().lower()}
            }
        )
    if not organization.is_active:
        raise ValidationError(
            {
                field: _("%(name)s was dissolved on %(date)s.")
                % {"name": organization.name, "date": format_day(organization.dissolved_on)}
            }
        )
    if organization.established_on and on < organization.established_on:
        raise ValidationError(
            {
                field: _("%(name)s was only established on %(date)s.")
                % {"name": organization.name, "date": format_day(organization.established_on)}
            }
        )
    return organization


def _check_age(birth_date: date, on: date, over_age_approval: str) -> None:
    """18 to 60 full years, counted in months, on the admission decision (24-QĐ/TW §1.1, kept in
    294-QĐ/TW §1.1.1). Over 60 needs the approval of the provincial Party committee (DOMAIN.md,
    validation rule 1): its document number is then required."""
    months = months_between(birth_date, on)
    if months < rules.get("member.min_age_months", on=on):
        raise ValidationError(
            {
                "birth_date": _("On %(date)s the applicant is not yet %(years)s full years old.")
                % {"date": format_day(on), "years": rules.get("member.min_age_months", on=on) // 12}
            }
        )
    if months > rules.get("member.max_age_months", on=on) and not over_age_approval.strip():
        raise ValidationError(
            {
                "birth_date": _(
                    "On %(date)s the applicant is over %(years)s; the admission needs the approval of "
                    "the provincial Party committee: give the number of its document."
                )
                % {"date": format_day(on), "years": rules.get("member.max_age_months", on=on) // 12}
            }
        )


def _check_unique_numbers(member: Member) -> None:
    """CCCD and card number are unique when present; said per field, naming the holder."""
    for field, message in (
        ("cccd", _("%(name)s already has this citizen ID number.")),
        ("card_number", _("%(name)s already holds this Party card number.")),
    ):
        value = getattr(member, field)
        if not value:
            continue
        holder = Member.objects.filter(**{field: value}).exclude(pk=member.pk).first()
        if holder is not None:
            raise ValidationError({field: message % {"name": holder.full_name}})


def _check_current(member: Member) -> None:
    if not member.is_current:
        raise ValidationError(
            _("%(name)s is no longer on the register: %(exit)s on %(date)s.")
            % {
                "name": member.full_name,
                "exit": member.get_exit_reason_display().lower(),
                "date": format_day(member.exited_on),
            }
        )


def _lock(member: Member, *, visiting_ok: bool = False) -> Member:
    """The member, locked for this transaction and still on the register. A member attached here
    temporarily from outside the bloc has their movements recorded by their own Party
    organization: here only the end of the attachment is."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_current(member)
    if member.activity == Member.Activity.VISITING and not visiting_ok:
        raise ValidationError(
            _(
                "%(name)s is attached here temporarily from a Party organization outside the bloc, which "
                "records their movements; here only the end of the attachment is recorded."
            )
            % {"name": member.full_name}
        )
    return member


def _check_movement_date(member: Member, on: date) -> None:
    check_not_future(on)
    if on < member.admitted_on:
        raise ValidationError(
            {
                "on": _("The date cannot precede the admission decision (%(date)s).")
                % {"date": format_day(member.admitted_on)}
            }
        )
    if member.pk is None:
        return
    # A movement cannot precede the spell it ends or changes (the database would refuse the spell).
    began = (
        Membership.objects.filter(member=member, ended_on__isnull=True, started_on__gt=on)
        .select_related("organization")
        .order_by("-started_on")
        .first()
    )
    if began is not None:
        raise ValidationError(
            {
                "on": _("%(name)s has been in %(cell)s only since %(date)s: the date cannot precede it.")
                % {
                    "name": member.full_name,
                    "cell": began.organization.name,
                    "date": format_day(began.started_on),
                }
            }
        )
    # Entering an existing file in the register is bookkeeping, not a movement: a movement that
    # happened before the entry (recorded late) is still accepted.
    latest = (
        member.events.exclude(kind=MemberEvent.Kind.RECORDED)
        .order_by("-on")
        .values_list("on", flat=True)
        .first()
    )
    if latest is not None and on < latest:
        raise ValidationError(
            {
                "on": _("The date cannot precede the member's last recorded movement (%(date)s).")
                % {"date": format_day(latest)}
            }
        )


def _check_activity(member: Member, expected: str) -> None:
    if member.activity != expected:
        raise ValidationError(
            _("This needs %(name)s to be “%(expected)s”; the member is “%(activity)s”.")
            % {
                "name": member.full_name,
                "expected": Member.Activity(expected).label,
                "activity": member.get_activity_display(),
            }
        )


def _check_status(member: Member, expected: str, message: str) -> None:
    if member.status != expected:
        raise ValidationError(message % {"name": member.full_name})


# Writes ---------------------------------------------------------------------------------------


def _save(
    member: Member, by: AbstractBaseUser, fields: list[str] | None = None, *, numbers_checked: bool = False
) -> None:
    """Validate through the model and save with the acting user on the history row.

    The model's constraints are not validated again by ``full_clean`` (Django spends a savepoint
    and a query on each, five per save): the unique numbers are checked here, naming the holder,
    unless the caller has checked them for a whole file (``numbers_checked``, the member import);
    the check constraints are restated by ``Member.clean``; the database enforces all of them.
    The chi bộ was read by the caller."""
    member.normalize()
    if not numbers_checked:
        _check_unique_numbers(member)
    member.full_clean(exclude=[*_DERIVED, "organization"], validate_constraints=False)
    member._history_user = by
    member.save(update_fields=fields)


def _event(member: Member, kind: str, on: date, by: AbstractBaseUser, **fields) -> MemberEvent:
    fields.setdefault("organization", member.organization)
    return MemberEvent.objects.create(member=member, kind=kind, on=on, recorded_by=by, **fields)


def _open_spell(
    member: Member, organization: Organization, kind: str, on: date, by, *, first: bool = False
) -> Membership:
    """``first``: the member was created in this transaction, so no spell of theirs can be open."""
    spell = Membership(member=member, organization=organization, kind=kind, started_on=on)
    # Member and chi bộ are the caller's, already read. The partial unique constraints (one open
    # spell of each kind) in one query, rather than Django's savepoint and query per constraint.
    spell.full_clean(exclude=["member", "organization"], validate_constraints=False)
    if not first and Membership.objects.filter(member=member, kind=kind, ended_on__isnull=True).exists():
        name = f"membership_one_open_{'official' if kind == Membership.Kind.OFFICIAL else 'temporary'}_spell"
        constraint = next(c for c in Membership._meta.constraints if c.name == name)
        raise ValidationError(constraint.violation_error_message)
    spell._history_user = by
    spell.save()
    return spell


def _open_spells(member: Member, kind: str | None = None) -> list[Membership]:
    spells = Membership.objects.select_for_update().filter(member=member, ended_on__isnull=True)
    return list(spells if kind is None else spells.filter(kind=kind))


def _close_spells(spells: list[Membership], on: date, by) -> None:
    for spell in spells:
        spell.ended_on = on
        spell._history_user = by
        spell.save(update_fields=["ended_on"])


# The movement that records each exit.
_EXIT_EVENTS = {
    Member.Exit.TRANSFERRED_OUT: MemberEvent.Kind.TRANSFERRED_OUT,
    Member.Exit.REMOVED: MemberEvent.Kind.REMOVED,
    Member.Exit.REMOVED_PROBATIONARY: MemberEvent.Kind.REMOVED_PROBATIONARY,
    Member.Exit.EXPELLED: MemberEvent.Kind.EXPELLED,
    Member.Exit.LEFT: MemberEvent.Kind.LEFT,
    Member.Exit.DIED: MemberEvent.Kind.DIED,
    Member.Exit.VISIT_ENDED: MemberEvent.Kind.TEMPORARY_ENDED,
}


def _end_membership(member: Member, exit_reason: str, *, on: date, by: AbstractBaseUser, **event) -> Member:
    """The member leaves the register: every open spell closes on ``on`` and the exit is recorded.
    ``organization`` stays on the chi bộ they left (the record stays in its scope)."""
    _check_movement_date(member, on)
    _close_spells(_open_spells(member), on, by)
    member.exit_reason, member.exited_on = exit_reason, on
    _save(member, by, ["exit_reason", "exited_on"])
    org_services.end_seats_on_leaving(member=member, on=on, by=by)  # 294-QĐ/TW §16.4
    _event(member, _EXIT_EVENTS[exit_reason], on, by, **event)
    return member


def _member_from_file(organization: Organization, official_on: date | None, **fields) -> Member:
    """A record with the dates of the member's file (a transfer from outside, a register entry):
    official when the file gives the date they became official, probationary otherwise."""
    status = Member.Status.OFFICIAL if official_on else Member.Status.PROBATIONARY
    return Member(organization=organization, official_on=official_on, status=status, **fields)


# Admission and probation ----------------------------------------------------------------------


@transaction.atomic
def admit(
    *,
    organization: Organization,
    full_name: str,
    gender: str,
    birth_date: date,
    admitted_on: date,
    ceremony_on: date,
    by: AbstractBaseUser,
    decision_no: str = "",
    cccd: str = "",
    card_number: str = "",
    ethnicity: str = "",
    religion: str = "",
    education: str = "",
    profession: str = "",
    theory_level: str = Member.TheoryLevel.NONE,
    job_title: str = "",
    over_age_approval: str = "",
    note: str = "",
    decided_outside: bool = False,
    candidate: Candidate | None = None,
) -> Member:
    """Record an admission (kết nạp) into a chi bộ: the member is probationary from the ceremony and
    the party age counts from the decision (``admitted_on``). ``over_age_approval`` is the number of
    the provincial committee's approval, needed for an applicant over 60.

    Two ways in, and no other: ``members.candidates.admit_candidate`` after every stage of the
    pipeline (``candidate``, decided), whose chi bộ resolution already judged the age and the vote;
    or an admission decided outside the portal (``decided_outside``), recorded as decided — it needs
    the decision number and a note saying where the file is, its age is judged on the decision date
    (the only date the portal has), and the ceremony deadline and the chi bộ are checked as for any
    admission."""
    organization = _lock_cell(organization, admitted_on, "organization")
    check_not_future(admitted_on, "admitted_on")
    check_not_future(ceremony_on, "ceremony_on")
    resolved = (
        candidate is not None
        and candidate.stage == Candidate.Stage.DECIDED
        and candidate.resolution_on is not None
        and candidate.decision_on == admitted_on
    )
    if not resolved and not decided_outside:
        raise ValidationError(
            _(
                "An admission goes through the candidates' pipeline, or is recorded as decided outside "
                "the portal with its decision number and a note."
            )
        )
    if decided_outside:
        if not decision_no.strip():
            raise ValidationError({"decision_no": _("Give the number of the admission decision.")})
        if not note.strip():
            raise ValidationError({"note": _("Say who decided the admission and where its file is kept.")})
    if not resolved:  # the pipeline judged the age once, at the resolution (rule 1)
        _check_age(birth_date, admitted_on, over_age_approval)
    ceremony_days = rules.get("member.ceremony_due_working_days", on=admitted_on)
    ceremony_due = add_working_days(admitted_on, ceremony_days)
    if ceremony_on > ceremony_due:
        raise ValidationError(
            {
                "ceremony_on": _(
                    "The ceremony must be held within %(days)s working days of the decision, by %(date)s."
                )
                % {"days": ceremony_days, "date": format_day(ceremony_due)}
            }
        )
    member = Member(
        organization=organization,
        full_name=full_name,
        gender=gender,
        birth_date=birth_date,
        admitted_on=admitted_on,
        ceremony_on=ceremony_on,
        status=Member.Status.PROBATIONARY,
        cccd=cccd,
        card_number=card_number,
        ethnicity=ethnicity,
        religion=religion,
        education=education,
        profession=profession,
        theory_level=theory_level,
        job_title=job_title,
    )
    _save(member, by)  # clean(): ceremony not before the decision, no card while probationary
    _open_spell(member, organization, Membership.Kind.OFFICIAL, admitted_on, by)
    _event(
        member,
        MemberEvent.Kind.ADMITTED,
        admitted_on,
        by,
        decision_no=decision_no,
        approval_no=over_age_approval.strip(),
        note=note,
        decided_outside=not resolved,
        **(
            {
                "resolution_no": candidate.resolution_no,
                "resolution_on": candidate.resolution_on,
                "votes_for": candidate.votes_for,
                "vote_denominator": candidate.official_members,
            }
            if resolved
            else {}
        ),
    )
    return member


@transaction.atomic
def make_official(
    *,
    member: Member,
    on: date,
    by: AbstractBaseUser,
    decision_no: str = "",
    card_number: str = "",
    note: str = "",
    numbers_checked: bool = False,
    resolution_no: str = "",
    resolution_on: date | None = None,
    votes_for: int | None = None,
    official_members: int | None = None,
    exempted_present: int = 0,
    from_file: bool = False,
) -> Member:
    """Convert a probationary member (Điều lệ Điều 5). ``on`` is the date of the decision; the
    member is official from the end of the 12 months even when the decision comes late.

    The chi bộ's resolution comes first (294-QĐ/TW §4.2): ``votes_for`` of the §4 denominator
    computed from the register on ``resolution_on`` and confirmed as ``official_members``, at least
    two thirds, in a chi bộ of three official members or more (``members.resolutions``). A
    conversion read from a file (``from_file``, the member import) is recorded as decided, with the
    vote if the file has it. ``numbers_checked``: see ``_save``."""
    member = _lock(member)
    if member.status == Member.Status.OFFICIAL:
        return member
    ends = member.probation_ends_on
    if on < ends:
        raise ValidationError(
            {
                "on": _(
                    "The probation of %(name)s ends on %(date)s; the member cannot be made official earlier."
                )
                % {"name": member.full_name, "date": format_day(ends)}
            }
        )
    denominator = None
    if resolution_on is not None or not from_file:
        if resolution_on is None or votes_for is None or official_members is None:
            raise ValidationError(
                {
                    "resolution_on": _(
                        "Give the Party cell resolution on the conversion: its date, the votes in favour "
                        "and the official members counted."
                    )
                }
            )
        check_not_future(resolution_on, "resolution_on")
        if resolution_on > on:
            raise ValidationError(
                {"resolution_on": _("The Party cell resolution comes before the decision it proposes.")}
            )
        if resolution_on < member.probation_ends_on:
            raise ValidationError(
                {
                    "resolution_on": _(
                        "The Party cell considers the conversion once the probation has ended, on %(date)s."
                    )
                    % {"date": format_day(member.probation_ends_on)}
                }
            )
        # The chi bộ the member belonged to on the resolution date votes.
        spell = (
            Membership.objects.official()
            .on(resolution_on)
            .filter(member=member)
            .select_related("organization")
            .first()
        )
        denominator = resolutions.check_resolution(
            organization=spell.organization if spell else member.organization,
            on=resolution_on,
            votes_for=votes_for,
            official_members=official_members,
            exempted_present=exempted_present,
        )
    _check_movement_date(member, on)
    member.status, member.official_on, member.card_number = Member.Status.OFFICIAL, ends, card_number
    _save(member, by, ["status", "official_on", "card_number"], numbers_checked=numbers_checked)
    _event(
        member,
        MemberEvent.Kind.MADE_OFFICIAL,
        on,
        by,
        decision_no=decision_no,
        note=note,
        resolution_no=resolution_no,
        resolution_on=resolution_on,
        votes_for=votes_for,
        vote_denominator=denominator,
    )
    return member


@transaction.atomic
def remove_probationary(
    *, member: Member, on: date, by: AbstractBaseUser, decision_no: str = "", note: str = ""
) -> Member:
    """Xóa tên khỏi danh sách đảng viên dự bị: a probationary member found unqualified."""
    member = _lock(member)
    _check_status(
        member,
        Member.Status.PROBATIONARY,
        _("%(name)s is an official member; only a probationary member is removed from that list."),
    )
    return _end_membership(
        member, Member.Exit.REMOVED_PROBATIONARY, on=on, by=by, decision_no=decision_no, note=note
    )


# Transfers ------------------------------------------------------------------------------------


@transaction.atomic
def transfer(
    *,
    member: Member,
    to: Organization,
    on: date,
    by: AbstractBaseUser,
    decision_no: str = "",
    note: str = "",
    organization_locked: bool = False,
) -> Member:
    """Chuyển sinh hoạt đảng chính thức between two chi bộ of the bloc: the official spell closes on
    ``on`` and the new one starts that day, so the member belongs to one chi bộ on every date.
    ``organization_locked``: see ``_lock_cell``."""
    member = _lock(member)
    to = _lock_cell(to, on, "to", locked=organization_locked)
    if to.pk == member.organization_id:
        raise ValidationError(
            {"to": _("%(name)s already belongs to %(cell)s.") % {"name": member.full_name, "cell": to.name}}
        )
    if member.activity == Member.Activity.TEMPORARILY_AWAY:
        raise ValidationError(
            _("%(name)s is temporarily attached elsewhere: end the temporary attachment first.")
            % {"name": member.full_name}
        )
    _check_movement_date(member, on)
    origin = member.organization
    _close_spells(_open_spells(member, Membership.Kind.OFFICIAL), on, by)
    _open_spell(member, to, Membership.Kind.OFFICIAL, on, by)
    org_services.end_seats_on_leaving(member=member, on=on, by=by, staying_in=to)
    member.organization = to
    _save(member, by, ["organization"])
    _event(
        member,
        MemberEvent.Kind.TRANSFERRED,
        on,
        by,
        organization=origin,
        from_organization=origin,
        to_organization=to,
        decision_no=decision_no,
        note=note,
    )
    return member


@transaction.atomic
def transfer_out(
    *,
    member: Member,
    destination: str,
    on: date,
    by: AbstractBaseUser,
    decision_no: str = "",
    note: str = "",
) -> Member:
    """Chuyển sinh hoạt đảng chính thức to a Party organization outside the bloc: membership here
    ends (exit "chuyển đi"); ``transfer_in`` re-opens it if the member comes back."""
    member = _lock(member)
    destination = destination.strip()
    if not destination:
        raise ValidationError({"destination": _("Say which Party organization the member transfers to.")})
    return _end_membership(
        member,
        Member.Exit.TRANSFERRED_OUT,
        on=on,
        by=by,
        decision_no=decision_no,
        destination=destination,
        note=note,
    )


@transaction.atomic
def confirm_transfer_received(*, event: MemberEvent, on: date, by: AbstractBaseUser) -> MemberEvent:
    """The receiving Party organization has confirmed that the member transferred out of the bloc
    reached it (the return slip): the transfer is complete and leaves the attention list."""
    event = MemberEvent.objects.select_for_update().select_related("member").get(pk=event.pk)
    if event.kind != MemberEvent.Kind.TRANSFERRED_OUT:
        raise ValidationError(_("Only a transfer out of the bloc is confirmed as received."))
    if event.received_on == on:
        return event
    check_not_future(on)
    if on < event.on:
        raise ValidationError(
            {"on": _("The receipt cannot precede the transfer (%(date)s).") % {"date": format_day(event.on)}}
        )
    event.received_on, event.received_recorded_by = on, by
    event.save(update_fields=["received_on", "received_recorded_by"])
    return event


@transaction.atomic
def transfer_in(
    *,
    organization: Organization,
    origin: str,
    on: date,
    by: AbstractBaseUser,
    decision_no: str = "",
    note: str = "",
    member: Member | None = None,
    full_name: str = "",
    gender: str = "",
    birth_date: date | None = None,
    admitted_on: date | None = None,
    ceremony_on: date | None = None,
    official_on: date | None = None,
    cccd: str = "",
    card_number: str = "",
    ethnicity: str = "",
    religion: str = "",
    education: str = "",
    profession: str = "",
    theory_level: str = Member.TheoryLevel.NONE,
    job_title: str = "",
) -> Member:
    """A member arriving from a Party organization outside the bloc (chuyển đến).

    Without ``member``, a new record with the dates of the member's file: official when
    ``official_on`` is given, probationary otherwise. With ``member``, a former member who had
    transferred out comes back: the record re-opens with its history.
    """
    organization = _lock_cell(organization, on, "organization")
    origin = origin.strip()
    if not origin:
        raise ValidationError({"origin": _("Say which Party organization the member comes from.")})
    identity = (full_name, gender, birth_date, admitted_on, ceremony_on, official_on, cccd, card_number)
    if member is not None and any(identity):
        raise TypeError("transfer_in: a returning member keeps their record; pass no identity fields.")
    if member is None:
        member = _member_from_file(
            organization,
            official_on,
            full_name=full_name,
            gender=gender,
            birth_date=birth_date,
            admitted_on=admitted_on,
            ceremony_on=ceremony_on,
            cccd=cccd,
            card_number=card_number,
            ethnicity=ethnicity,
            religion=religion,
            education=education,
            profession=profession,
            theory_level=theory_level,
            job_title=job_title,
        )
        for field in ("admitted_on", "ceremony_on", "official_on"):
            if getattr(member, field) is not None:
                check_not_future(getattr(member, field), field)
        if admitted_on is not None:
            _check_movement_date(member, on)
        _save(member, by)
    else:
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.exit_reason != Member.Exit.TRANSFERRED_OUT:
            if member.is_current:
                raise ValidationError(
                    _("%(name)s is already on the register, in %(cell)s.")
                    % {"name": member.full_name, "cell": member.organization.name}
                )
            raise ValidationError(
                _(
                    "%(name)s left the register by %(exit)s on %(date)s; only a member who transferred "
                    "out can transfer back in."
                )
                % {
                    "name": member.full_name,
                    "exit": member.get_exit_reason_display().lower(),
                    "date": format_day(member.exited_on),
                }
            )
        _check_movement_date(member, on)
        member.organization, member.exit_reason, member.exited_on = organization, "", None
        member.activity = Member.Activity.ACTIVE
        _save(member, by, ["organization", "exit_reason", "exited_on", "activity"])
    _open_spell(member, organization, Membership.Kind.OFFICIAL, on, by)
    _event(member, MemberEvent.Kind.TRANSFERRED_IN, on, by, origin=origin, decision_no=decision_no, note=note)
    return member


@transaction.atomic
def send_temporary(
    *,
    member: Member,
    on: date,
    by: AbstractBaseUser,
    to: Organization | None = None,
    destination: str = "",
    decision_no: str = "",
    note: str = "",
) -> Member:
    """Chuyển sinh hoạt đảng tạm thời: the member attends a host chi bộ — ``to`` inside the bloc, or
    ``destination`` outside it — while the official membership stays where it is (294-QĐ/TW
    §6.3.2)."""
    member = _lock(member)
    destination = destination.strip()
    if to is None and not destination:
        raise ValidationError({"to": _("Say which Party cell hosts the member.")})
    if to is not None and destination:
        raise ValidationError(
            {
                "destination": _(
                    "Give either a Party cell of the bloc or an organization outside it, not both."
                )
            }
        )
    _check_activity(member, Member.Activity.ACTIVE)
    if to is not None:
        to = _lock_cell(to, on, "to")
        if to.pk == member.organization_id:
            raise ValidationError(
                {
                    "to": _("%(name)s already belongs to %(cell)s.")
                    % {"name": member.full_name, "cell": to.name}
                }
            )
    _check_movement_date(member, on)
    if to is not None:
        _open_spell(member, to, Membership.Kind.TEMPORARY, on, by)
    member.activity = Member.Activity.TEMPORARILY_AWAY
    _save(member, by, ["activity"])
    _event(
        member,
        MemberEvent.Kind.TEMPORARY_STARTED,
        on,
        by,
        from_organization=member.organization,
        to_organization=to,
        destination=destination,
        decision_no=decision_no,
        note=note,
    )
    return member


@transaction.atomic
def end_temporary(
    *, member: Member, on: date, by: AbstractBaseUser, decision_no: str = "", note: str = ""
) -> Member:
    """The member comes back from a temporary attachment to attend their own chi bộ again; a member
    attached here from outside the bloc goes back to their own Party organization and leaves the
    host chi bộ's list."""
    member = _lock(member, visiting_ok=True)
    if member.activity == Member.Activity.VISITING:
        return _end_membership(
            member,
            Member.Exit.VISIT_ENDED,
            on=on,
            by=by,
            from_organization=member.organization,
            decision_no=decision_no,
            note=note,
        )
    _check_activity(member, Member.Activity.TEMPORARILY_AWAY)
    _check_movement_date(member, on)
    spells = _open_spells(member, Membership.Kind.TEMPORARY)
    _close_spells(spells, on, by)
    member.activity = Member.Activity.ACTIVE
    _save(member, by, ["activity"])
    _event(
        member,
        MemberEvent.Kind.TEMPORARY_ENDED,
        on,
        by,
        from_organization=spells[0].organization if spells else None,
        to_organization=member.organization,
        decision_no=decision_no,
        note=note,
    )
    return member


@transaction.atomic
def receive_temporary(
    *,
    organization: Organization,
    origin: str,
    on: date,
    by: AbstractBaseUser,
    full_name: str,
    gender: str,
    birth_date: date,
    admitted_on: date,
    ceremony_on: date | None = None,
    official_on: date | None = None,
    decision_no: str = "",
    note: str = "",
    **profile,
) -> Member:
    """Sinh hoạt tạm thời đến: a member of a Party organization outside the bloc attends one of its
    chi bộ for a while (294-QĐ/TW §6.3.2). They get a record with a temporary spell only, so the
    host chi bộ lists them and their meetings expect them, while the bloc's register of official
    members (official spells) leaves them out; ``end_temporary`` ends the attachment."""
    organization = _lock_cell(organization, on, "organization")
    origin = origin.strip()
    if not origin:
        raise ValidationError({"origin": _("Say which Party organization the member comes from.")})
    ceremony_on = ceremony_on or admitted_on
    for field, value in (
        ("admitted_on", admitted_on),
        ("ceremony_on", ceremony_on),
        ("official_on", official_on),
    ):
        if value is not None:
            check_not_future(value, field)
    member = _member_from_file(
        organization,
        official_on,
        full_name=full_name,
        gender=gender,
        birth_date=birth_date,
        admitted_on=admitted_on,
        ceremony_on=ceremony_on,
        activity=Member.Activity.VISITING,
        **profile,
    )
    _check_movement_date(member, on)
    _save(member, by)
    _open_spell(member, organization, Membership.Kind.TEMPORARY, on, by, first=True)
    _event(
        member,
        MemberEvent.Kind.TEMPORARY_ARRIVED,
        on,
        by,
        to_organization=organization,
        origin=origin,
        decision_no=decision_no,
        note=note,
    )
    return member


# Exemption ------------------------------------------------------------------------------------


@transaction.atomic
def exempt(
    *, member: Member, on: date, ground: str, by: AbstractBaseUser, decision_no: str = "", note: str = ""
) -> Member:
    """Miễn công tác và sinh hoạt đảng on one of the grounds of HD 12-HD/BTCTW 2022 IV.1.2, by a chi
    bộ resolution. The member stays in their chi bộ; meetings and ratings leave them out."""
    if ground not in MemberEvent.ExemptionGround.values:
        raise ValidationError({"ground": _("Choose one of the grounds for an exemption.")})
    member = _lock(member)
    _check_activity(member, Member.Activity.ACTIVE)
    _check_movement_date(member, on)
    member.activity = Member.Activity.EXEMPTED
    _save(member, by, ["activity"])
    _event(member, MemberEvent.Kind.EXEMPTED, on, by, ground=ground, decision_no=decision_no, note=note)
    return member


@transaction.atomic
def end_exemption(
    *, member: Member, on: date, by: AbstractBaseUser, decision_no: str = "", note: str = ""
) -> Member:
    """The member takes up Party work and meetings again."""
    member = _lock(member)
    _check_activity(member, Member.Activity.EXEMPTED)
    _check_movement_date(member, on)
    member.activity = Member.Activity.ACTIVE
    _save(member, by, ["activity"])
    _event(member, MemberEvent.Kind.EXEMPTION_ENDED, on, by, decision_no=decision_no, note=note)
    return member


# Exits ----------------------------------------------------------------------------------------


@transaction.atomic
def remove(
    *, member: Member, on: date, ground: str, by: AbstractBaseUser, decision_no: str = "", note: str = ""
) -> Member:
    """Xóa tên khỏi danh sách đảng viên, on one of the grounds of 24-QĐ/TW (kept in 294-QĐ/TW).
    A probationary member is removed from the probationary list instead (``remove_probationary``)."""
    if ground not in MemberEvent.RemovalGround.values:
        raise ValidationError({"ground": _("Choose one of the grounds for a removal.")})
    member = _lock(member)
    _check_status(
        member,
        Member.Status.OFFICIAL,
        _("%(name)s is a probationary member: record a removal from the list of probationary members."),
    )
    return _end_membership(
        member, Member.Exit.REMOVED, on=on, by=by, decision_no=decision_no, ground=ground, note=note
    )


@transaction.atomic
def expel(*, member: Member, on: date, by: AbstractBaseUser, decision_no: str = "", note: str = "") -> Member:
    """Khai trừ: the gravest discipline, for official members only (a probationary member can only
    be reprimanded or warned, 69-QĐ/TW Điều 7; 296-QĐ/TW Điều 9). Called by the discipline decision
    in the same transaction."""
    member = _lock(member)
    _check_status(
        member,
        Member.Status.OFFICIAL,
        _("%(name)s is a probationary member and cannot be expelled (only reprimanded or warned)."),
    )
    return _end_membership(member, Member.Exit.EXPELLED, on=on, by=by, decision_no=decision_no, note=note)


@transaction.atomic
def leave_party(
    *, member: Member, on: date, by: AbstractBaseUser, decision_no: str = "", note: str = ""
) -> Member:
    """Xin ra khỏi Đảng: the member asked to leave and the competent Party committee agreed."""
    member = _lock(member)
    return _end_membership(member, Member.Exit.LEFT, on=on, by=by, decision_no=decision_no, note=note)


@transaction.atomic
def record_death(*, member: Member, on: date, by: AbstractBaseUser, note: str = "") -> Member:
    """Từ trần: the membership ends on the date of death."""
    member = _lock(member)
    return _end_membership(member, Member.Exit.DIED, on=on, by=by, decision_no="", note=note)


# Profile and register -------------------------------------------------------------------------

# What a correction of the profile may change. Dates of admission and status change only through
# the movements (or a register entry), so that the events and spells stay in step with them.
PROFILE_FIELDS = (
    "full_name",
    "gender",
    "birth_date",
    "ethnicity",
    "religion",
    "cccd",
    "card_number",
    "education",
    "profession",
    "theory_level",
    "job_title",
)


@transaction.atomic
def update_profile(
    *, member: Member, by: AbstractBaseUser, numbers_checked: bool = False, **changes
) -> Member:
    """Correct the profile of a member (current or former); only the fields that differ are
    saved, so an unchanged form or file row writes no history. ``numbers_checked``: see ``_save``."""
    unknown = set(changes) - {*PROFILE_FIELDS, "personal_history_on"}
    if unknown:
        raise TypeError(f"update_profile: not profile fields: {sorted(unknown)}")
    member = Member.objects.select_for_update().get(pk=member.pk)
    before = {field: getattr(member, field) for field in changes}
    for field, value in changes.items():
        setattr(member, field, value)
    member.normalize()
    changed = [field for field in changes if getattr(member, field) != before[field]]
    if not changed:
        return member
    if "personal_history_on" in changed and member.personal_history_on is not None:
        check_not_future(member.personal_history_on, "personal_history_on")
    if "birth_date" in changed:
        check_not_future(member.birth_date, "birth_date")
        _check_age(member.birth_date, member.admitted_on, "-")  # the 18-year floor; the ceiling was approved
    _save(member, by, changed, numbers_checked=numbers_checked)
    return member


# The reason a correction gives is kept on its history rows (django-simple-history's change reason).
CORRECTION_REASON_MAX = 100


@transaction.atomic
def correct_admission_dates(
    *,
    member: Member,
    by: AbstractBaseUser,
    reason: str,
    admitted_on: date | None = None,
    ceremony_on: date | None = None,
    official_on: date | None = None,
    personal_history_on: date | None = None,
) -> Member:
    """Correct the admission dates of a member entered with a mistake (the member import sends its
    users here): the decision date moves the first official spell that began with it and the
    admission event with it; every change is in the history with the acting user and ``reason``.
    Staff only (the view checks ``member.change``). A date left None stays as it is."""
    reason = nfc(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the dates are corrected.")})
    if len(reason) > CORRECTION_REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason within %(max)s characters.") % {"max": CORRECTION_REASON_MAX}}
        )
    member = Member.objects.select_for_update().get(pk=member.pk)
    wanted = {
        "admitted_on": admitted_on or member.admitted_on,
        "ceremony_on": ceremony_on or member.ceremony_on,
        "official_on": official_on if official_on is not None else member.official_on,
        "personal_history_on": personal_history_on
        if personal_history_on is not None
        else member.personal_history_on,
    }
    changed = [field for field, value in wanted.items() if getattr(member, field) != value]
    if not changed:
        return member
    for field in changed:
        check_not_future(wanted[field], field)
        check_plausible_date(wanted[field], field, PARTY_FOUNDED)
    old_admitted = member.admitted_on
    if "admitted_on" in changed:
        _check_age(member.birth_date, wanted["admitted_on"], "-")
        later = (
            member.events.exclude(kind__in=[MemberEvent.Kind.ADMITTED, MemberEvent.Kind.RECORDED])
            .filter(on__lt=wanted["admitted_on"])
            .order_by("on")
            .first()
        )
        if later is not None:
            raise ValidationError(
                {
                    "admitted_on": _("The admission cannot come after the member's %(movement)s of %(date)s.")
                    % {"movement": later.get_kind_display().lower(), "date": format_day(later.on)}
                }
            )
    for field in changed:
        setattr(member, field, wanted[field])
    member._change_reason = reason
    _save(member, by, changed)  # clean(): the ceremony not before the decision, the official date after it
    if "admitted_on" in changed:
        first = (
            Membership.objects.select_for_update()
            .filter(member=member, kind=Membership.Kind.OFFICIAL)
            .select_related("organization")
            .order_by("started_on", "pk")
            .first()
        )
        if first is not None and first.started_on == max(
            old_admitted, first.organization.established_on or old_admitted
        ):
            first.started_on = max(
                member.admitted_on, first.organization.established_on or member.admitted_on
            )
            if first.ended_on is not None and first.ended_on < first.started_on:
                raise ValidationError(
                    {
                        "admitted_on": _("The member left %(cell)s on %(date)s, before that date.")
                        % {"cell": first.organization.name, "date": format_day(first.ended_on)}
                    }
                )
            first._history_user, first._change_reason = by, reason
            first.save(update_fields=["started_on"])
        member.events.filter(kind=MemberEvent.Kind.ADMITTED, on=old_admitted).update(on=member.admitted_on)
    return member


@transaction.atomic
def register(
    *,
    organization: Organization,
    full_name: str,
    gender: str,
    birth_date: date,
    admitted_on: date,
    by: AbstractBaseUser,
    ceremony_on: date | None = None,
    official_on: date | None = None,
    cccd: str = "",
    card_number: str = "",
    ethnicity: str = "",
    religion: str = "",
    education: str = "",
    profession: str = "",
    theory_level: str = Member.TheoryLevel.NONE,
    job_title: str = "",
    note: str = "",
    organization_locked: bool = False,
    numbers_checked: bool = False,
) -> Member:
    """Enter a member who is already in the Party into the register from an existing file (the
    paper register, CSDL đảng viên): no admission or transfer happens, so the bloc's movement
    figures do not count it. The official spell starts on the admission decision (the earliest
    date the file vouches for) or on the founding of the chi bộ if that came later; an unknown
    ceremony date is taken as the decision date.
    The event ``RECORDED`` is dated today. ``organization_locked`` and ``numbers_checked``: the
    member import has locked the file's chi bộ and checked its numbers once (``_lock_cell``, ``_save``)."""
    check_not_future(admitted_on, "admitted_on")
    # The spell in this chi bộ starts on the decision, or when the chi bộ was founded if later.
    since = max(admitted_on, organization.established_on or admitted_on)
    organization = _lock_cell(organization, since, "organization", locked=organization_locked)
    ceremony_on = ceremony_on or admitted_on
    dates = {"birth_date": birth_date, "ceremony_on": ceremony_on, "official_on": official_on}
    for field, value in dates.items():
        if value is not None:
            check_not_future(value, field)
    _check_age(birth_date, admitted_on, "-")
    member = _member_from_file(
        organization,
        official_on,
        full_name=full_name,
        gender=gender,
        birth_date=birth_date,
        admitted_on=admitted_on,
        ceremony_on=ceremony_on,
        cccd=cccd,
        card_number=card_number,
        ethnicity=ethnicity,
        religion=religion,
        education=education,
        profession=profession,
        theory_level=theory_level,
        job_title=job_title,
    )
    _save(member, by, numbers_checked=numbers_checked)
    _open_spell(member, organization, Membership.Kind.OFFICIAL, since, by, first=True)
    _event(member, MemberEvent.Kind.RECORDED, clock.today(), by, note=note)
    return member


@transaction.atomic
def transfer_members(
    *,
    members: list[Member],
    to: Organization,
    on: date,
    by: AbstractBaseUser,
    decision_no: str = "",
    note: str = "",
) -> list[Member]:
    """Transfer several members to one chi bộ, all or none: the way to empty a chi bộ before it is
    dissolved. Each transfer runs in a savepoint so that every refusal is collected; if any member
    is refused, nothing is kept and the error names each refused member with the reason."""
    moved, refusals = [], []
    for member in members:
        try:
            with transaction.atomic():
                moved.append(transfer(member=member, to=to, on=on, by=by, decision_no=decision_no, note=note))
        except ValidationError as error:
            refusals.append(
                _("%(name)s: %(errors)s") % {"name": member.full_name, "errors": " ".join(error.messages)}
            )
    if refusals:
        raise ValidationError(refusals)
    return moved
