"""The awards register (khen thưởng, DOMAIN.md §7): cờ thi đua, bằng khen, giấy khen and titles (danh hiệu)
given to an organization or a Party member, with who gave them, the year they reward and the decision.

An award to a member counts under the chi bộ the member belonged to on the decision date (their official
spell that day), kept on the award (``organization``): the figures and the scopes read it there, and a later
transfer changes nothing. A decision is not in the future and not before the year it rewards; the same
decision number twice for the same recipient is the same award recorded twice, and is refused.

Every function is one transaction and writes nothing on a refusal.
"""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocportal import clock
from blocportal.dates import format_day
from blocportal.text import nfc
from members.models import Member, Spell
from organizations.models import Organization

from ..models import Award

FIELDS = (
    "kind",
    "title",
    "giver",
    "year",
    "decision_no",
    "decided_on",
    "target_member",
    "target_organization",
    "note",
)


def cell_on(member: Member, on: date) -> Organization:
    """The chi bộ whose register held the member on ``on`` (refused when none did)."""
    spell = Spell.objects.official().on(on).filter(member=member).select_related("organization").first()
    if spell is None:
        raise ValidationError(
            {
                "target_member": _("%(name)s was not on a Party cell's register on %(date)s.")
                % {"name": member.full_name, "date": format_day(on)}
            }
        )
    return spell.organization


def _text(value: str) -> str:
    return nfc(value or "").strip()


def _checked(award: Award) -> Award:
    """Check the award as it would be saved and fill in the organization it counts under."""
    errors: dict[str, list[str]] = {}
    if award.kind not in Award.Kind.values:
        errors.setdefault("kind", []).append(_("Choose the kind of award."))
    for name, message in (
        ("title", _("Give the award's name.")),
        ("giver", _("Say who gave the award.")),
        ("decision_no", _("Give the decision number.")),
    ):
        if not getattr(award, name):
            errors.setdefault(name, []).append(message)
    today = clock.today()
    if not 1930 <= award.year <= today.year:
        errors.setdefault("year", []).append(
            _("Choose a year between 1930 and %(year)s.") % {"year": today.year}
        )
    if award.decided_on > today:
        errors.setdefault("decided_on", []).append(_("The decision date cannot be in the future."))
    elif award.decided_on.year < award.year:
        errors.setdefault("decided_on", []).append(
            _("The decision cannot come before the year it rewards (%(year)s).") % {"year": award.year}
        )
    if (award.target_member is None) == (award.target_organization is None):
        errors.setdefault("__all__", []).append(
            _("Choose exactly one recipient: an organization or a Party member.")
        )
    if errors:
        raise ValidationError(errors)
    if award.target_member is not None:
        award.organization = cell_on(award.target_member, award.decided_on)
    else:
        award.organization = award.target_organization
    # Compared in Python, case folded: the database's case-insensitive match knows no Vietnamese (Đ, đ).
    number = award.decision_no.casefold()
    duplicate = next(
        (
            other
            for other in Award.objects.filter(
                target_member=award.target_member, target_organization=award.target_organization
            ).exclude(pk=award.pk)
            if other.decision_no.casefold() == number
        ),
        None,
    )
    if duplicate is not None:
        raise ValidationError(
            {
                "decision_no": _(
                    "Decision %(number)s already gives %(recipient)s “%(title)s”: that award is recorded."
                )
                % {
                    "number": duplicate.decision_no,
                    "recipient": str(award.recipient),
                    "title": duplicate.title,
                }
            }
        )
    return award


@transaction.atomic
def record_award(
    *,
    kind: str,
    title: str,
    giver: str,
    year: int,
    decision_no: str,
    decided_on: date,
    by: AbstractBaseUser,
    target_member: Member | None = None,
    target_organization: Organization | None = None,
    note: str = "",
) -> Award:
    """Record an award given to one organization or one member."""
    award = _checked(
        Award(
            kind=kind,
            title=_text(title),
            giver=_text(giver),
            year=year,
            decision_no=_text(decision_no),
            decided_on=decided_on,
            target_member=target_member,
            target_organization=target_organization,
            note=_text(note),
            created_by=by,
        )
    )
    award._history_user = by
    award.save()
    return award


@transaction.atomic
def update_award(*, award: Award, by: AbstractBaseUser, **changes) -> Award:
    """Correct an award (any of ``FIELDS``); the organization it counts under follows the recipient and the
    decision date. Nothing changed, nothing is written."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"update_award() got unexpected fields: {', '.join(sorted(unknown))}")
    award = Award.objects.select_for_update().get(pk=award.pk)
    before = {name: getattr(award, name) for name in FIELDS}
    for name, value in changes.items():
        if name in ("title", "giver", "decision_no", "note"):
            value = _text(value)
        setattr(award, name, value)
    if all(getattr(award, name) == value for name, value in before.items()):
        return award
    _checked(award)
    award._history_user = by
    award.save()
    return award


@transaction.atomic
def delete_award(*, award: Award, by: AbstractBaseUser) -> None:
    """Remove an award recorded by mistake (the history keeps it)."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    award._history_user = by
    award.delete()
