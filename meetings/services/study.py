"""The study of resolutions (học tập, quán triệt nghị quyết, chỉ thị): who of the members expected
and of the non-members invited took part (seed 002: "100% đảng viên và trên 90% quần chúng")."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocportal.dates import check_not_future
from blocportal.text import nfc
from organizations.models import Organization

from ..models import StudySession
from .meetings import check_held_by
from .months import check_can_write

FIELDS = (
    "held_on",
    "document_number",
    "document_title",
    "issuer",
    "members_expected",
    "members_present",
    "non_members_invited",
    "non_members_present",
    "note",
)


def _check(session: StudySession, by: AbstractBaseUser) -> None:
    check_not_future(session.held_on, "held_on")
    check_held_by(session.organization, session.held_on)
    check_can_write(session.organization, session.held_on, by)
    session.document_number = nfc(session.document_number).strip()
    session.document_title = nfc(session.document_title).strip()
    if session.members_expected < 1:
        raise ValidationError({"members_expected": _("At least one member is expected to study.")})
    if session.members_present > session.members_expected:
        raise ValidationError(
            {
                "members_present": _("%(present)s members present is more than the %(expected)s expected.")
                % {"present": session.members_present, "expected": session.members_expected}
            }
        )
    if session.non_members_present > session.non_members_invited:
        raise ValidationError(
            {
                "non_members_present": _(
                    "%(present)s non-members present is more than the %(invited)s invited."
                )
                % {"present": session.non_members_present, "invited": session.non_members_invited}
            }
        )
    session.full_clean()


@transaction.atomic
def record_study(
    *,
    organization: Organization,
    held_on: date,
    document_number: str,
    document_title: str,
    members_expected: int,
    members_present: int,
    by: AbstractBaseUser,
    issuer: str = "",
    non_members_invited: int = 0,
    non_members_present: int = 0,
    note: str = "",
) -> StudySession:
    session = StudySession(
        organization=organization,
        held_on=held_on,
        document_number=document_number,
        document_title=document_title,
        issuer=issuer,
        members_expected=members_expected,
        members_present=members_present,
        non_members_invited=non_members_invited,
        non_members_present=non_members_present,
        note=note,
        recorded_by=by,
    )
    _check(session, by)
    session._history_user = by
    session.save()
    return session


@transaction.atomic
def correct_study(*, session: StudySession, by: AbstractBaseUser, **changes) -> StudySession:
    session = StudySession.objects.select_for_update().get(pk=session.pk)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"correct_study() cannot change {sorted(unknown)}")
    check_can_write(session.organization, session.held_on, by)
    changed = [name for name, value in changes.items() if getattr(session, name) != value]
    if not changed:
        return session
    for name in changed:
        setattr(session, name, changes[name])
    _check(session, by)
    session._history_user = by
    session.save()
    return session


@transaction.atomic
def delete_study(*, session: StudySession, by: AbstractBaseUser) -> None:
    session = StudySession.objects.select_for_update().get(pk=session.pk)
    check_can_write(session.organization, session.held_on, by)
    session._history_user = by
    session.delete()
