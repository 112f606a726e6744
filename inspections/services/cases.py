"""Cases: inspections and supervisions from the decision to the conclusion, with their file."""

from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from blocportal.dates import check_not_future, format_day
from blocportal.files import document_kind
from blocportal.text import nfc
from members.models import Member
from organizations.models import Organization

from ..models import Case, CaseDocument, Complaint
from .common import (
    check_acting_date,
    check_body,
    check_one_target,
    check_within,
    kind_problems,
    member_standing,
    raise_problems,
)

# The fields an inspector corrects on an open or concluded case (the target and the body are the
# decision's: a wrong one is deleted and recorded again).
CORRECTABLE = ("decision_no", "opened_on", "plan_year", "due_on", "subject", "kind", "stage")


def _save(case: Case, by: AbstractBaseUser, fields: list[str] | None = None) -> Case:
    case.full_clean(exclude=["organization", "target_organization", "target_member", "recorded_by"])
    case._history_user = by
    case.save(update_fields=fields)
    return case


def _check_dates(case: Case) -> None:
    check_acting_date(case.organization, case.opened_on, "opened_on")
    if case.due_on and case.due_on < case.opened_on:
        raise ValidationError({"due_on": _("The due date cannot precede the decision date.")})
    if case.plan_year and not (case.opened_on.year - 1 <= case.plan_year <= case.opened_on.year):
        raise ValidationError(
            {
                "plan_year": _("A case decided in %(year)s belongs to that year's plan or the year before.")
                % {"year": case.opened_on.year}
            }
        )


def _place_target(case: Case) -> None:
    """The target within the acting organization's reach, and the member's chi bộ and post that day."""
    if case.target_member is not None:
        standing = member_standing(case.target_member, case.opened_on)
        check_within(case.organization, standing.cell, "target_member", strictly=False)
        case.target_cell = standing.cell
        case.target_position = standing.position
        case.target_position_organization = standing.position_organization
    else:
        check_within(case.organization, case.target_organization, "target_organization", strictly=True)
        case.target_cell = None
        case.target_position, case.target_position_organization = "", None


def case_problems(case: Case) -> list[str]:
    """The competence rules a case breaks (DOMAIN.md §5): refusals in the portal, flags on an import."""
    return kind_problems(case.kind, case.body, case.organization, case.opened_on)


@transaction.atomic
def open_case(
    *,
    organization: Organization,
    body: str,
    kind: str,
    decision_no: str,
    opened_on: date,
    by: AbstractBaseUser,
    target_organization: Organization | None = None,
    target_member: Member | None = None,
    plan_year: int | None = None,
    due_on: date | None = None,
    subject: str = "",
    complaint: Complaint | None = None,
    imported: bool = False,
    closed_on: date | None = None,
    conclusion: str = "",
    findings: str = "",
) -> Case:
    """Record the decision that opens a case. From a letter (``complaint``), the case takes its subject
    as target unless another is given, and the letter is being handled by it. An anonymous letter can
    only lead to an inspection on signs of violation (296-QĐ/TW Điều 19). ``imported``: a case from an
    earlier register, recorded as decided, with its conclusion if it has one; the competence rules
    are then flagged by the import, not refused."""
    check_body(organization, body)
    if complaint is not None:
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        _check_complaint_opens(complaint, kind, organization)
        if target_member is None and target_organization is None:
            target_member, target_organization = complaint.subject_member, complaint.subject_organization
    check_one_target(target_organization, target_member)
    case = Case(
        organization=organization,
        body=body,
        kind=kind,
        decision_no=nfc(decision_no).strip(),
        opened_on=opened_on,
        plan_year=plan_year,
        due_on=due_on,
        subject=nfc(subject).strip(),
        target_organization=target_organization,
        target_member=target_member,
        imported=imported,
        recorded_by=by,
    )
    if not case.decision_no:
        raise ValidationError({"decision_no": _("Enter the number of the decision.")})
    if kind not in Case.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of case.")})
    _check_dates(case)
    _place_target(case)
    if not imported:
        raise_problems(case_problems(case), "kind")
    if conclusion or closed_on:
        _apply_conclusion(case, conclusion, closed_on, findings)
    if Case.objects.filter(
        organization=organization,
        decision_no=case.decision_no,
        target_organization=target_organization,
        target_member=target_member,
    ).exists():
        raise ValidationError({"decision_no": _("This decision already has a case on that target.")})
    _save(case, by)
    if complaint is not None:
        complaint.case, complaint.status = case, Complaint.Status.IN_PROGRESS
        complaint._history_user = by
        complaint.save(update_fields=["case", "status"])
    return case


def _check_complaint_opens(complaint: Complaint, kind: str, organization: Organization) -> None:
    if not complaint.is_open or complaint.case_id is not None:
        raise ValidationError(_("This letter is no longer waiting to be handled."))
    if complaint.jurisdiction != Complaint.Jurisdiction.OURS:
        raise ValidationError(_("This letter was forwarded; the body it went to handles it."))
    if complaint.anonymous and kind != Case.Kind.SIGNS_OF_VIOLATION:
        raise ValidationError(
            {
                "kind": _(
                    "An anonymous letter can only lead to an inspection on "
                    "signs of violation (296-QĐ/TW Điều 19)."
                )
            }
        )
    if not organization.path.startswith(complaint.organization.path):
        raise ValidationError(
            _("The case is opened by %(organization)s or a body under it, which received the letter.")
            % {"organization": complaint.organization.name}
        )


@transaction.atomic
def correct_case(*, case: Case, by: AbstractBaseUser, **changes) -> Case:
    """Correct the decision's particulars or move the case to its next stage. The conclusion has its
    own service."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise ValueError(f"Not correctable here: {sorted(unknown)}")
    if changes.get("stage") == Case.Stage.CONCLUDED and not case.conclusion:
        raise ValidationError({"stage": _("Record the conclusion to close the case.")})
    if case.conclusion and "stage" in changes and changes["stage"] != Case.Stage.CONCLUDED:
        raise ValidationError(
            {"stage": _("A concluded case stays concluded; correct its conclusion instead.")}
        )
    for name, value in changes.items():
        setattr(case, name, nfc(value).strip() if isinstance(value, str) and name != "stage" else value)
    _check_dates(case)
    if case.closed_on and case.closed_on < case.opened_on:
        raise ValidationError({"opened_on": _("A case cannot be concluded before its decision date.")})
    if "opened_on" in changes:
        _place_target(case)
    if not case.imported:
        raise_problems(case_problems(case), "kind")
    return _save(case, by)


def _apply_conclusion(case: Case, conclusion: str, closed_on: date | None, findings: str) -> None:
    if conclusion not in Case.Conclusion.values:
        raise ValidationError({"conclusion": _("Choose the conclusion.")})
    if closed_on is None:
        raise ValidationError({"closed_on": _("Enter the date of the conclusion.")})
    check_not_future(closed_on, "closed_on")
    if closed_on < case.opened_on:
        raise ValidationError(
            {
                "closed_on": _("The case was decided on %(date)s; it cannot be concluded earlier.")
                % {"date": format_day(case.opened_on)}
            }
        )
    findings = nfc(findings).strip()
    if conclusion in Case.VIOLATIONS and not findings and not case.imported:
        raise ValidationError({"findings": _("Describe the violation found.")})
    case.conclusion, case.closed_on, case.findings = conclusion, closed_on, findings
    case.stage = Case.Stage.CONCLUDED


@transaction.atomic
def conclude_case(
    *, case: Case, conclusion: str, closed_on: date, by: AbstractBaseUser, findings: str = ""
) -> Case:
    """Record (or correct) the conclusion. A case whose conclusion led to a discipline decision keeps a
    conclusion that warrants one."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if conclusion != Case.Conclusion.DISCIPLINE and case.decisions.exists():
        raise ValidationError(
            {
                "conclusion": _(
                    "A discipline decision came from this case; its conclusion warrants discipline."
                )
            }
        )
    _apply_conclusion(case, conclusion, closed_on, findings)
    return _save(case, by)


@transaction.atomic
def delete_case(*, case: Case, by: AbstractBaseUser) -> None:
    """Delete a case recorded by mistake. One with a discipline decision or an appeal is kept; a letter
    it was handling waits again."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.decisions.exists() or case.appeals.exists():
        raise ValidationError(
            _("A discipline decision or an appeal refers to this case; it cannot be deleted.")
        )
    for complaint in case.complaints.select_for_update():
        complaint.case, complaint.status = None, Complaint.Status.RECEIVED
        complaint._history_user = by
        complaint.save(update_fields=["case", "status"])
    for document in case.documents.all():
        document.file.delete(save=False)
    case._history_user = by
    case.documents.all().delete()
    case.delete()


def check_document(upload: UploadedFile | None, field: str = "file") -> None:
    """A PDF, a Word document (DOCX) or a photo (JPEG, PNG), told by its content, no larger than
    ``CASE_DOCUMENT_MAX_BYTES``."""
    if not upload:
        raise ValidationError({field: _("Choose the file.")})
    limit = settings.CASE_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                field: _("The file is %(size)s; a document of the case may be at most %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            }
        )
    if document_kind(upload) is None:
        raise ValidationError(
            {
                field: _(
                    "A document of the case must be a PDF, a Word document (.docx) or a photo (JPEG or PNG)."
                )
            }
        )


@transaction.atomic
def add_document(*, case: Case, title: str, file: UploadedFile, by: AbstractBaseUser) -> CaseDocument:
    title = nfc(title).strip()
    if not title:
        raise ValidationError({"title": _("Name the document (decision, plan, report, conclusion…).")})
    check_document(file)
    document = CaseDocument(case=case, title=title, file=file, uploaded_by=by)
    document._history_user = by
    document.save()
    return document


@transaction.atomic
def delete_document(*, document: CaseDocument, by: AbstractBaseUser) -> None:
    document.file.delete(save=False)
    document._history_user = by
    document.delete()
