"""Letters (đơn thư): received, handled within the deadline of the receiving level, forwarded or filed.
A letter that needs an inspection opens a case (``cases.open_case(complaint=…)``)."""

from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocportal import rules
from blocportal.dates import check_not_future, format_day
from blocportal.text import nfc
from members.models import Member
from organizations.models import Organization

from ..models import Complaint
from .common import CELL_KINDS, check_acting_date, check_within

EDITABLE = (
    "kind",
    "received_on",
    "anonymous",
    "sender",
    "sender_address",
    "subject_member",
    "subject_organization",
    "summary",
)


def level_of(organization: Organization) -> str:
    """The level whose deadline applies (rule ``complaint.handling_days``): chi bộ, cơ sở or higher."""
    if organization.kind in CELL_KINDS:
        return "chi_bo"
    if organization.kind == Organization.Kind.BLOC:
        return "cap_tren"
    return "co_so"


def handling_deadline(organization: Organization, received_on: date) -> date:
    days = rules.get("complaint.handling_days", received_on)[level_of(organization)]
    return received_on + timedelta(days=days)


def _check(complaint: Complaint) -> None:
    organization = complaint.organization
    if organization.kind == Organization.Kind.GROUP:
        raise ValidationError({"organization": _("A Party group does not receive letters.")})
    if complaint.kind not in Complaint.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of letter.")})
    check_acting_date(organization, complaint.received_on, "received_on")
    complaint.summary = nfc(complaint.summary).strip()
    complaint.sender = nfc(complaint.sender).strip()
    complaint.sender_address = nfc(complaint.sender_address).strip()
    if not complaint.summary:
        raise ValidationError({"summary": _("Summarize what the letter says.")})
    if complaint.anonymous and complaint.sender:
        raise ValidationError({"sender": _("An anonymous letter has no sender.")})
    if not complaint.anonymous and not complaint.sender:
        raise ValidationError({"sender": _("Enter the sender, or mark the letter anonymous.")})
    if complaint.subject_member is not None and complaint.subject_organization is not None:
        raise ValidationError(_("A letter is about one member or one organization, not both."))
    if complaint.kind == Complaint.Kind.DENUNCIATION and complaint.subject is None:
        raise ValidationError(
            {"subject_member": _("A denunciation names the member or organization it accuses.")}
        )
    if complaint.subject_organization is not None:
        check_within(organization, complaint.subject_organization, "subject_organization", strictly=False)
    if complaint.subject_member is not None:
        check_within(organization, complaint.subject_member.organization, "subject_member", strictly=False)


def _save(complaint: Complaint, by: AbstractBaseUser, fields: list[str] | None = None) -> Complaint:
    complaint.full_clean(
        exclude=["organization", "subject_member", "subject_organization", "case", "recorded_by"]
    )
    complaint._history_user = by
    complaint.save(update_fields=fields)
    return complaint


@transaction.atomic
def receive_complaint(
    *,
    organization: Organization,
    kind: str,
    received_on: date,
    summary: str,
    by: AbstractBaseUser,
    anonymous: bool = False,
    sender: str = "",
    sender_address: str = "",
    subject_member: Member | None = None,
    subject_organization: Organization | None = None,
) -> Complaint:
    """Record a letter received. Its handling deadline is the receiving level's (rule
    ``complaint.handling_days``, counted in days from receipt)."""
    complaint = Complaint(
        organization=organization,
        kind=kind,
        received_on=received_on,
        summary=summary,
        anonymous=anonymous,
        sender=sender,
        sender_address=sender_address,
        subject_member=subject_member,
        subject_organization=subject_organization,
        recorded_by=by,
    )
    _check(complaint)
    complaint.due_on = handling_deadline(organization, received_on)
    return _save(complaint, by)


@transaction.atomic
def correct_complaint(*, complaint: Complaint, by: AbstractBaseUser, **changes) -> Complaint:
    """Correct what was recorded of the letter; a new receipt date moves the deadline."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(complaint, name, value)
    _check(complaint)
    if complaint.anonymous and complaint.case_id and complaint.case.kind != "dau_hieu_vi_pham":
        raise ValidationError(
            {"anonymous": _("The case this letter opened is not an inspection on signs of violation.")}
        )
    complaint.due_on = handling_deadline(complaint.organization, complaint.received_on)
    if complaint.resolved_on and complaint.resolved_on < complaint.received_on:
        raise ValidationError({"received_on": _("A letter cannot be handled before it was received.")})
    return _save(complaint, by)


def _close(complaint: Complaint, status: str, on: date, result: str, by, **extra) -> Complaint:
    check_not_future(on, "resolved_on")
    if on < complaint.received_on:
        raise ValidationError(
            {
                "resolved_on": _("The letter was received on %(date)s; it cannot be handled earlier.")
                % {"date": format_day(complaint.received_on)}
            }
        )
    complaint.status, complaint.resolved_on, complaint.result = status, on, nfc(result).strip()
    for name, value in extra.items():
        setattr(complaint, name, value)
    return _save(complaint, by)


def _lock_open(complaint: Complaint) -> Complaint:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not complaint.is_open:
        raise ValidationError(_("This letter has already been handled."))
    return complaint


@transaction.atomic
def resolve_complaint(*, complaint: Complaint, on: date, result: str, by: AbstractBaseUser) -> Complaint:
    """The letter is settled, with its result; a case it opened is concluded first."""
    complaint = _lock_open(complaint)
    if not nfc(result).strip():
        raise ValidationError({"result": _("Write the result of the handling.")})
    if complaint.case_id and complaint.case.closed_on is None:
        raise ValidationError(_("The case opened for this letter is not concluded yet."))
    return _close(complaint, Complaint.Status.RESOLVED, on, result, by)


@transaction.atomic
def forward_complaint(
    *, complaint: Complaint, on: date, forwarded_to: str, by: AbstractBaseUser, result: str = ""
) -> Complaint:
    """The letter is outside this body's competence and goes to the competent one."""
    complaint = _lock_open(complaint)
    forwarded_to = nfc(forwarded_to).strip()
    if not forwarded_to:
        raise ValidationError({"forwarded_to": _("Name the body the letter is forwarded to.")})
    if complaint.case_id:
        raise ValidationError(_("A case was opened for this letter; it is handled here."))
    return _close(
        complaint,
        Complaint.Status.FORWARDED,
        on,
        result,
        by,
        forwarded_to=forwarded_to,
        jurisdiction=Complaint.Jurisdiction.FORWARDED,
    )


@transaction.atomic
def file_complaint(*, complaint: Complaint, on: date, result: str, by: AbstractBaseUser) -> Complaint:
    """The letter is filed without handling (an anonymous letter without concrete content, a copy of one
    already handled…), with the reason."""
    complaint = _lock_open(complaint)
    if not nfc(result).strip():
        raise ValidationError({"result": _("Give the reason the letter is filed without handling.")})
    if complaint.case_id:
        raise ValidationError(_("A case was opened for this letter; conclude it and record the result."))
    return _close(complaint, Complaint.Status.FILED, on, result, by)
