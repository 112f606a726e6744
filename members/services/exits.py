"""Leaving the register: removal of a probationary member (xóa tên dự bị), removal (xóa tên),
expulsion (khai trừ, after a discipline decision), leaving the Party and death. Every open spell
closes on the date; the record stays in the scope of the chi bộ the member left.
"""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Member, Movement, Spell

from .common import (
    check_status,
    end_membership,
    lock_member,
    record_event,
    save_member,
)


@transaction.atomic
def remove_probationary(
    *, member: Member, on: date, by: AbstractBaseUser, decision_no: str = "", note: str = ""
) -> Member:
    """Xóa tên khỏi danh sách đảng viên dự bị: a probationary member found unqualified."""
    member = lock_member(member)
    check_status(
        member,
        Member.Status.PROBATIONARY,
        _("%(name)s is an official member; only a probationary member is removed from that list."),
    )
    return end_membership(
        member, Member.Exit.REMOVED_PROBATIONARY, on=on, by=by, decision_no=decision_no, note=note
    )


# Exits ----------------------------------------------------------------------------------------


@transaction.atomic
def remove(
    *, member: Member, on: date, ground: str, by: AbstractBaseUser, decision_no: str = "", note: str = ""
) -> Member:
    """Xóa tên khỏi danh sách đảng viên, on one of the grounds of 24-QĐ/TW (kept in 294-QĐ/TW).
    A probationary member is removed from the probationary list instead (``remove_probationary``)."""
    if ground not in Movement.RemovalGround.values:
        raise ValidationError({"ground": _("Choose one of the grounds for a removal.")})
    member = lock_member(member)
    check_status(
        member,
        Member.Status.OFFICIAL,
        _("%(name)s is a probationary member: record a removal from the list of probationary members."),
    )
    return end_membership(
        member, Member.Exit.REMOVED, on=on, by=by, decision_no=decision_no, ground=ground, note=note
    )


@transaction.atomic
def expel(*, member: Member, on: date, by: AbstractBaseUser, decision_no: str = "", note: str = "") -> Member:
    """Khai trừ: the gravest discipline, for official members only (a probationary member can only
    be reprimanded or warned, 69-QĐ/TW Điều 7; 296-QĐ/TW Điều 9). Called by the discipline decision
    in the same transaction."""
    member = lock_member(member)
    check_status(
        member,
        Member.Status.OFFICIAL,
        _("%(name)s is a probationary member and cannot be expelled (only reprimanded or warned)."),
    )
    return end_membership(member, Member.Exit.EXPELLED, on=on, by=by, decision_no=decision_no, note=note)


@transaction.atomic
def leave_party(
    *, member: Member, on: date, by: AbstractBaseUser, decision_no: str = "", note: str = ""
) -> Member:
    """Xin ra khỏi Đảng: the member asked to leave and the competent Party committee agreed."""
    member = lock_member(member)
    return end_membership(member, Member.Exit.LEFT, on=on, by=by, decision_no=decision_no, note=note)


@transaction.atomic
def record_death(*, member: Member, on: date, by: AbstractBaseUser, note: str = "") -> Member:
    """Từ trần: the membership ends on the date of death."""
    member = lock_member(member)
    return end_membership(member, Member.Exit.DIED, on=on, by=by, decision_no="", note=note)


@transaction.atomic
def reinstate(
    *, member: Member, on: date, by: AbstractBaseUser, decision_no: str = "", note: str = ""
) -> Member:
    """An expulsion annulled or changed to a lighter form on appeal (296-QĐ/TW Điều 26): the member is
    back on the register as if never expelled. The spells that ended with the expulsion run on, the
    exit is cleared, and a movement records the restoration on ``on`` (the settlement's date). The
    committee seats the expulsion ended stay ended: the committee decides on them again."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.exit_reason != Member.Exit.EXPELLED:
        raise ValidationError(
            _("%(name)s is not expelled; there is no membership to restore.") % {"name": member.full_name}
        )
    expelled_on = member.exited_on
    if on < expelled_on:
        raise ValidationError({"on": _("The restoration cannot precede the expulsion.")})
    spells = list(
        Spell.objects.select_for_update()
        .filter(member=member, ends_on=expelled_on)
        .order_by("kind", "-starts_on")
    )
    reopened_kinds = set()
    for spell in spells:
        if spell.kind in reopened_kinds:
            continue
        reopened_kinds.add(spell.kind)
        spell.ends_on = None
        spell._history_user = by
        spell.save(update_fields=["ends_on"])
    if Spell.Kind.OFFICIAL not in reopened_kinds:
        raise ValidationError(
            _("The membership of %(name)s that the expulsion ended cannot be found in the register.")
            % {"name": member.full_name}
        )
    member.exit_reason, member.exited_on = "", None
    save_member(member, by, ["exit_reason", "exited_on"])
    record_event(member, Movement.Kind.REINSTATED, on, by, decision_no=decision_no, note=note)
    return member
