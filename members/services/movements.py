"""Every movement of a member between chi bộ (biến động đảng viên): transfers inside the bloc, out
of and into it, temporary activity elsewhere (sinh hoạt tạm thời) and exemption (miễn sinh hoạt).

Every movement passes the same calendar checks (not in the future, not before the admission
decision, not before the member's last recorded movement) and none is recorded for a member who
has left the register. Official spells change only in ``members.services``, so a member belongs to
one chi bộ at a time (the partial unique constraint on ``Spell`` is the backstop).
"""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocportal.dates import check_not_future, format_day
from members.models import Member, Movement, Spell
from organizations.models import Organization

from .committees import end_seats_on_leaving
from .common import (
    check_activity,
    check_movement_date,
    close_spells,
    end_membership,
    lock_cell,
    lock_member,
    member_from_file,
    open_spell,
    open_spells,
    record_event,
    save_member,
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
    ``organization_locked``: see ``lock_cell``."""
    member = lock_member(member)
    to = lock_cell(to, on, "to", locked=organization_locked)
    if to.pk == member.organization_id:
        raise ValidationError(
            {"to": _("%(name)s already belongs to %(cell)s.") % {"name": member.full_name, "cell": to.name}}
        )
    if member.activity == Member.Activity.TEMPORARILY_AWAY:
        raise ValidationError(
            _("%(name)s is temporarily attached elsewhere: end the temporary attachment first.")
            % {"name": member.full_name}
        )
    check_movement_date(member, on)
    origin = member.organization
    close_spells(open_spells(member, Spell.Kind.OFFICIAL), on, by)
    open_spell(member, to, Spell.Kind.OFFICIAL, on, by)
    end_seats_on_leaving(member=member, on=on, by=by, staying_in=to)
    member.organization = to
    save_member(member, by, ["organization"])
    record_event(
        member,
        Movement.Kind.TRANSFERRED,
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
    member = lock_member(member)
    destination = destination.strip()
    if not destination:
        raise ValidationError({"destination": _("Say which Party organization the member transfers to.")})
    return end_membership(
        member,
        Member.Exit.TRANSFERRED_OUT,
        on=on,
        by=by,
        decision_no=decision_no,
        destination=destination,
        note=note,
    )


@transaction.atomic
def confirm_transfer_received(*, event: Movement, on: date, by: AbstractBaseUser) -> Movement:
    """The receiving Party organization has confirmed that the member transferred out of the bloc
    reached it (the return slip): the transfer is complete and leaves the attention list."""
    event = Movement.objects.select_for_update().select_related("member").get(pk=event.pk)
    if event.kind != Movement.Kind.TRANSFERRED_OUT:
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
    organization = lock_cell(organization, on, "organization")
    origin = origin.strip()
    if not origin:
        raise ValidationError({"origin": _("Say which Party organization the member comes from.")})
    identity = (full_name, gender, birth_date, admitted_on, ceremony_on, official_on, cccd, card_number)
    if member is not None and any(identity):
        raise TypeError("transfer_in: a returning member keeps their record; pass no identity fields.")
    if member is None:
        member = member_from_file(
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
            check_movement_date(member, on)
        save_member(member, by)
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
        check_movement_date(member, on)
        member.organization, member.exit_reason, member.exited_on = organization, "", None
        member.activity = Member.Activity.ACTIVE
        save_member(member, by, ["organization", "exit_reason", "exited_on", "activity"])
    open_spell(member, organization, Spell.Kind.OFFICIAL, on, by)
    record_event(
        member, Movement.Kind.TRANSFERRED_IN, on, by, origin=origin, decision_no=decision_no, note=note
    )
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
    member = lock_member(member)
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
    check_activity(member, Member.Activity.ACTIVE)
    if to is not None:
        to = lock_cell(to, on, "to")
        if to.pk == member.organization_id:
            raise ValidationError(
                {
                    "to": _("%(name)s already belongs to %(cell)s.")
                    % {"name": member.full_name, "cell": to.name}
                }
            )
    check_movement_date(member, on)
    if to is not None:
        open_spell(member, to, Spell.Kind.TEMPORARY, on, by)
    member.activity = Member.Activity.TEMPORARILY_AWAY
    save_member(member, by, ["activity"])
    record_event(
        member,
        Movement.Kind.TEMPORARY_STARTED,
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
    member = lock_member(member, visiting_ok=True)
    if member.activity == Member.Activity.VISITING:
        return end_membership(
            member,
            Member.Exit.VISIT_ENDED,
            on=on,
            by=by,
            from_organization=member.organization,
            decision_no=decision_no,
            note=note,
        )
    check_activity(member, Member.Activity.TEMPORARILY_AWAY)
    check_movement_date(member, on)
    spells = open_spells(member, Spell.Kind.TEMPORARY)
    close_spells(spells, on, by)
    member.activity = Member.Activity.ACTIVE
    save_member(member, by, ["activity"])
    record_event(
        member,
        Movement.Kind.TEMPORARY_ENDED,
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
    organization = lock_cell(organization, on, "organization")
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
    member = member_from_file(
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
    check_movement_date(member, on)
    save_member(member, by)
    open_spell(member, organization, Spell.Kind.TEMPORARY, on, by, first=True)
    record_event(
        member,
        Movement.Kind.TEMPORARY_ARRIVED,
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
    if ground not in Movement.ExemptionGround.values:
        raise ValidationError({"ground": _("Choose one of the grounds for an exemption.")})
    member = lock_member(member)
    check_activity(member, Member.Activity.ACTIVE)
    check_movement_date(member, on)
    member.activity = Member.Activity.EXEMPTED
    save_member(member, by, ["activity"])
    record_event(member, Movement.Kind.EXEMPTED, on, by, ground=ground, decision_no=decision_no, note=note)
    return member


@transaction.atomic
def end_exemption(
    *, member: Member, on: date, by: AbstractBaseUser, decision_no: str = "", note: str = ""
) -> Member:
    """The member takes up Party work and meetings again."""
    member = lock_member(member)
    check_activity(member, Member.Activity.EXEMPTED)
    check_movement_date(member, on)
    member.activity = Member.Activity.ACTIVE
    save_member(member, by, ["activity"])
    record_event(member, Movement.Kind.EXEMPTION_ENDED, on, by, decision_no=decision_no, note=note)
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
