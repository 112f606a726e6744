"""The checks and writes that the member services share (register, movements, exits).

Public because several feature modules call them; nothing outside ``members.services`` should: a
view or another app goes through the feature functions, which hold the transaction.
"""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from blocportal import rules
from blocportal.dates import check_not_future, format_day
from blocportal.workdays import months_between
from members.models import Member, Movement, Spell
from organizations.models import Organization

from .committees import end_seats_on_leaving

# Fields Member.full_clean must not see: derived in save().
DERIVED = ["search_name", "sort_name"]


# Checks ---------------------------------------------------------------------------------------


def lock_cell(organization: Organization, on: date, field: str, *, locked: bool = False) -> Organization:
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


def check_age(birth_date: date, on: date, over_age_approval: str) -> None:
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


def check_unique_numbers(member: Member) -> None:
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


def check_current(member: Member) -> None:
    if not member.is_current:
        raise ValidationError(
            _("%(name)s is no longer on the register: %(exit)s on %(date)s.")
            % {
                "name": member.full_name,
                "exit": member.get_exit_reason_display().lower(),
                "date": format_day(member.exited_on),
            }
        )


def lock_member(member: Member, *, visiting_ok: bool = False) -> Member:
    """The member, locked for this transaction and still on the register. A member attached here
    temporarily from outside the bloc has their movements recorded by their own Party
    organization: here only the end of the attachment is."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    check_current(member)
    if member.activity == Member.Activity.VISITING and not visiting_ok:
        raise ValidationError(
            _(
                "%(name)s is attached here temporarily from a Party organization outside the bloc, which "
                "records their movements; here only the end of the attachment is recorded."
            )
            % {"name": member.full_name}
        )
    return member


def check_movement_date(member: Member, on: date) -> None:
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
        Spell.objects.filter(member=member, ends_on__isnull=True, starts_on__gt=on)
        .select_related("organization")
        .order_by("-starts_on")
        .first()
    )
    if began is not None:
        raise ValidationError(
            {
                "on": _("%(name)s has been in %(cell)s only since %(date)s: the date cannot precede it.")
                % {
                    "name": member.full_name,
                    "cell": began.organization.name,
                    "date": format_day(began.starts_on),
                }
            }
        )
    # Entering an existing file in the register is bookkeeping, not a movement: a movement that
    # happened before the entry (recorded late) is still accepted.
    latest = (
        member.events.exclude(kind=Movement.Kind.RECORDED)
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


def check_activity(member: Member, expected: str) -> None:
    if member.activity != expected:
        raise ValidationError(
            _("This needs %(name)s to be “%(expected)s”; the member is “%(activity)s”.")
            % {
                "name": member.full_name,
                "expected": Member.Activity(expected).label,
                "activity": member.get_activity_display(),
            }
        )


def check_status(member: Member, expected: str, message: str) -> None:
    if member.status != expected:
        raise ValidationError(message % {"name": member.full_name})


# Writes ---------------------------------------------------------------------------------------


def save_member(
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
        check_unique_numbers(member)
    member.full_clean(exclude=[*DERIVED, "organization"], validate_constraints=False)
    member._history_user = by
    member.save(update_fields=fields)


def record_event(member: Member, kind: str, on: date, by: AbstractBaseUser, **fields) -> Movement:
    fields.setdefault("organization", member.organization)
    return Movement.objects.create(member=member, kind=kind, on=on, recorded_by=by, **fields)


def open_spell(
    member: Member, organization: Organization, kind: str, on: date, by, *, first: bool = False
) -> Spell:
    """``first``: the member was created in this transaction, so no spell of theirs can be open."""
    spell = Spell(member=member, organization=organization, kind=kind, starts_on=on)
    # Member and chi bộ are the caller's, already read. The partial unique constraints (one open
    # spell of each kind) in one query, rather than Django's savepoint and query per constraint.
    spell.full_clean(exclude=["member", "organization"], validate_constraints=False)
    if not first and Spell.objects.filter(member=member, kind=kind, ends_on__isnull=True).exists():
        name = f"membership_one_open_{'official' if kind == Spell.Kind.OFFICIAL else 'temporary'}_spell"
        constraint = next(c for c in Spell._meta.constraints if c.name == name)
        raise ValidationError(constraint.violation_error_message)
    spell._history_user = by
    spell.save()
    return spell


def open_spells(member: Member, kind: str | None = None) -> list[Spell]:
    spells = Spell.objects.select_for_update().filter(member=member, ends_on__isnull=True)
    return list(spells if kind is None else spells.filter(kind=kind))


def close_spells(spells: list[Spell], on: date, by) -> None:
    for spell in spells:
        spell.ends_on = on
        spell._history_user = by
        spell.save(update_fields=["ends_on"])


# The movement that records each exit.
EXIT_EVENTS = {
    Member.Exit.TRANSFERRED_OUT: Movement.Kind.TRANSFERRED_OUT,
    Member.Exit.REMOVED: Movement.Kind.REMOVED,
    Member.Exit.REMOVED_PROBATIONARY: Movement.Kind.REMOVED_PROBATIONARY,
    Member.Exit.EXPELLED: Movement.Kind.EXPELLED,
    Member.Exit.LEFT: Movement.Kind.LEFT,
    Member.Exit.DIED: Movement.Kind.DIED,
    Member.Exit.VISIT_ENDED: Movement.Kind.TEMPORARY_ENDED,
}


def end_membership(member: Member, exit_reason: str, *, on: date, by: AbstractBaseUser, **event) -> Member:
    """The member leaves the register: every open spell closes on ``on`` and the exit is recorded.
    ``organization`` stays on the chi bộ they left (the record stays in its scope)."""
    check_movement_date(member, on)
    close_spells(open_spells(member), on, by)
    member.exit_reason, member.exited_on = exit_reason, on
    save_member(member, by, ["exit_reason", "exited_on"])
    end_seats_on_leaving(member=member, on=on, by=by)  # 294-QĐ/TW §16.4
    record_event(member, EXIT_EVENTS[exit_reason], on, by, **event)
    return member


def member_from_file(organization: Organization, official_on: date | None, **fields) -> Member:
    """A record with the dates of the member's file (a transfer from outside, a register entry):
    official when the file gives the date they became official, probationary otherwise."""
    status = Member.Status.OFFICIAL if official_on else Member.Status.PROBATIONARY
    return Member(organization=organization, official_on=official_on, status=status, **fields)
