"""The party-development pipeline (phát triển đảng viên) and the yearly admission targets.

A candidate (quần chúng ưu tú) moves through the stages of HD 06-HD/TW (2025), DOMAIN.md §3: the
awareness class and its certificate, two sponsors, the application and personal history, the
background check, the chi bộ resolution, the decision of the competent committee and the
ceremony, where ``admit_candidate`` turns them into a probationary member through
``members.services.admit``. Each step is one function here; the order of the steps is enforced and a
refusal says what is missing. The numbers come from blocportal/rules.py (validation rules 1–5).
"""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocportal import clock, rules
from blocportal.dates import check_not_future, format_day
from blocportal.text import nfc
from blocportal.workdays import add_months
from members import resolutions
from members import services as member_services
from members.models import AdmissionTarget, Candidate, Member
from members.selectors.candidates import (
    FIRST_TARGET_YEAR,
    TARGET_KINDS,
    Stage,
    grassroots_of,
    in_unit_since,
    missing_before_resolution,
    official_spells,
    stage_rank,
)
from members.services import common
from organizations.models import Organization

# What a correction of the candidate's profile may change; the steps change the rest.
PROFILE_FIELDS = (
    "full_name",
    "gender",
    "birth_date",
    "ethnicity",
    "religion",
    "cccd",
    "education",
    "profession",
    "job_title",
    "note",
)
_TEXT_FIELDS = ("full_name", "ethnicity", "religion", "education", "profession", "job_title")
_DERIVED = ["search_name", "sort_name"]


# Checks ---------------------------------------------------------------------------------------


def _lock(candidate: Candidate) -> Candidate:
    """The candidate, locked for this transaction and still on the way to admission."""
    candidate = Candidate.objects.select_for_update().select_related("organization").get(pk=candidate.pk)
    if not candidate.is_open:
        raise ValidationError(
            _("%(name)s is no longer a candidate: %(stage)s.")
            % {"name": candidate.full_name, "stage": candidate.get_stage_display().lower()}
        )
    return candidate


def _check_not_past(candidate: Candidate, stage: str) -> None:
    """This step belongs before ``stage``: once the candidate reached it, the step is closed."""
    if stage_rank(candidate.stage) >= stage_rank(stage):
        raise ValidationError(
            _("%(name)s has already passed this step (stage: %(stage)s).")
            % {"name": candidate.full_name, "stage": candidate.get_stage_display()}
        )


def _check_reached(candidate: Candidate, stage: str, message: str) -> None:
    """This step needs the candidate at ``stage`` at least; ``message`` says what is missing."""
    if stage_rank(candidate.stage) < stage_rank(stage):
        raise ValidationError(message % {"name": candidate.full_name})


def _check_after(on: date, earlier: date | None, field: str, message: str) -> None:
    if earlier is not None and on < earlier:
        raise ValidationError({field: message % {"date": format_day(earlier)}})


def _required(value: str, field: str, message: str) -> str:
    value = nfc(value)
    if not value:
        raise ValidationError({field: message})
    return value


def _check_cccd(candidate: Candidate) -> None:
    """A person is recorded once: not already a member, not already an open candidate."""
    if not candidate.cccd:
        return
    member = Member.objects.filter(cccd=candidate.cccd).select_related("organization").first()
    if member is not None:
        raise ValidationError(
            {
                "cccd": _("%(name)s, a Party member of %(cell)s, already has this citizen ID number.")
                % {"name": member.full_name, "cell": member.organization.name}
            }
        )
    other = (
        Candidate.objects.open()
        .filter(cccd=candidate.cccd)
        .exclude(pk=candidate.pk)
        .select_related("organization")
        .first()
    )
    if other is not None:
        raise ValidationError(
            {
                "cccd": _("%(name)s (%(cell)s) is already a candidate with this citizen ID number.")
                % {"name": other.full_name, "cell": other.organization.name}
            }
        )


def _check_sponsor(member: Member, unit: Organization, on: date, field: str) -> None:
    """A sponsor is an official member working alongside the applicant for at least 12 months
    (Điều lệ Điều 4; 294-QĐ/TW §3.2.1; DOMAIN.md validation rule 3): a current official member of
    the candidate's grassroots organization — normally the same chi bộ — whose open official spell
    there started 12 months before ``on``."""
    if not member.is_current:
        raise ValidationError(
            {
                field: _("%(name)s is no longer on the register: %(exit)s on %(date)s.")
                % {
                    "name": member.full_name,
                    "exit": member.get_exit_reason_display().lower(),
                    "date": format_day(member.exited_on),
                }
            }
        )
    if member.status != Member.Status.OFFICIAL:
        raise ValidationError(
            {
                field: _("%(name)s is a probationary member; a sponsor must be an official member.")
                % {"name": member.full_name}
            }
        )
    spells = official_spells([member.pk]).get(member.pk, [])
    if not spells or spells[0].ends_on is not None or not spells[0].organization.path.startswith(unit.path):
        raise ValidationError(
            {
                field: _(
                    "%(name)s belongs to %(cell)s, outside %(unit)s: a sponsor works or lives alongside "
                    "the applicant."
                )
                % {"name": member.full_name, "cell": member.organization.name, "unit": unit.name}
            }
        )
    since = in_unit_since(spells, unit)
    months = rules.get("candidate.sponsor_months_together", on=on)
    reached = add_months(since, months)
    if reached > on:
        raise ValidationError(
            {
                field: _(
                    "%(name)s has been in %(cell)s only since %(since)s; a sponsor needs %(months)s months "
                    "together with the applicant, reached on %(reached)s."
                )
                % {
                    "name": member.full_name,
                    "cell": unit.name,
                    "since": format_day(since),
                    "months": months,
                    "reached": format_day(reached),
                }
            }
        )


# Writes ---------------------------------------------------------------------------------------


def _save(candidate: Candidate, by: AbstractBaseUser, fields: list[str] | None = None) -> None:
    """Validate through the model and save with the acting user on the history row."""
    for field in _TEXT_FIELDS:
        setattr(candidate, field, nfc(getattr(candidate, field)))
    candidate.cccd = (candidate.cccd or "").strip()
    candidate.full_clean(exclude=_DERIVED)
    candidate._history_user = by
    candidate.save(update_fields=fields)


def _apply(candidate: Candidate, by: AbstractBaseUser, **values) -> Candidate:
    """Set the values that differ and save them; nothing changed writes nothing."""
    changed = [field for field, value in values.items() if getattr(candidate, field) != value]
    if not changed:
        return candidate
    for field in changed:
        setattr(candidate, field, values[field])
    _save(candidate, by, changed)
    return candidate


def _advance(stage: str, to: str) -> str:
    """The later of two stages: correcting an earlier step never moves a candidate back."""
    return to if stage_rank(to) > stage_rank(stage) else stage


@transaction.atomic
def create_candidate(
    *,
    organization: Organization,
    full_name: str,
    gender: str,
    birth_date: date,
    by: AbstractBaseUser,
    ethnicity: str = "",
    religion: str = "",
    cccd: str = "",
    education: str = "",
    profession: str = "",
    job_title: str = "",
    note: str = "",
) -> Candidate:
    """Record a quần chúng ưu tú that a chi bộ prepares for admission."""
    organization = common.lock_cell(organization, clock.today(), "organization")
    check_not_future(birth_date, "birth_date")
    candidate = Candidate(
        organization=organization,
        full_name=full_name,
        gender=gender,
        birth_date=birth_date,
        ethnicity=ethnicity,
        religion=religion,
        cccd=(cccd or "").strip(),
        education=education,
        profession=profession,
        job_title=job_title,
        note=note,
    )
    _check_cccd(candidate)
    _save(candidate, by)
    return candidate


@transaction.atomic
def update_candidate(*, candidate: Candidate, by: AbstractBaseUser, **changes) -> Candidate:
    """Correct the profile of an open candidate; only the fields that differ are saved. After the
    admission the member's profile is the record to correct."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"update_candidate: not profile fields: {sorted(unknown)}")
    candidate = _lock(candidate)
    for field in _TEXT_FIELDS:
        if field in changes:
            changes[field] = nfc(changes[field])
    if "cccd" in changes:
        changes["cccd"] = (changes["cccd"] or "").strip()
    if "birth_date" in changes:
        check_not_future(changes["birth_date"], "birth_date")
    changed = {field: value for field, value in changes.items() if getattr(candidate, field) != value}
    if not changed:
        return candidate
    for field, value in changed.items():
        setattr(candidate, field, value)
    if "cccd" in changed:
        _check_cccd(candidate)
    _save(candidate, by, list(changed))
    return candidate


@transaction.atomic
def record_training(
    *, candidate: Candidate, certificate_no: str, certificate_on: date, by: AbstractBaseUser
) -> Candidate:
    """The lớp bồi dưỡng nhận thức về Đảng and its certificate, valid 60 months (validation rule 2).
    A candidate whose certificate ran out attends again and the new certificate replaces it, up to
    the chi bộ resolution."""
    candidate = _lock(candidate)
    _check_not_past(candidate, Stage.PROPOSED)
    certificate_no = _required(certificate_no, "certificate_no", _("Give the number of the certificate."))
    check_not_future(certificate_on, "certificate_on")
    _check_after(
        certificate_on,
        candidate.birth_date,
        "certificate_on",
        _("The certificate cannot precede the date of birth (%(date)s)."),
    )
    return _apply(
        candidate,
        by,
        certificate_no=certificate_no,
        certificate_on=certificate_on,
        stage=_advance(candidate.stage, Stage.TRAINED),
    )


@transaction.atomic
def assign_sponsors(
    *,
    candidate: Candidate,
    sponsor_1: Member,
    by: AbstractBaseUser,
    sponsor_2: Member | None = None,
    youth_union_sponsor: bool = False,
) -> Candidate:
    """Phân công đảng viên giúp đỡ: two official members, or one official member and the
    grassroots Youth Union committee for a Youth Union member (Điều lệ Điều 4; DOMAIN.md §2).
    Each must have worked alongside the applicant for 12 months, counted to today."""
    candidate = _lock(candidate)
    _check_not_past(candidate, Stage.PROPOSED)
    if sponsor_2 is not None and youth_union_sponsor:
        raise ValidationError(
            {
                "sponsor_2": _(
                    "The second sponsor is either a Party member or the Youth Union committee, not both."
                )
            }
        )
    if sponsor_2 is None and not youth_union_sponsor:
        raise ValidationError(
            {
                "sponsor_2": _(
                    "Choose a second sponsor, or tick the Youth Union committee for a Youth Union member."
                )
            }
        )
    if sponsor_2 is not None and sponsor_2.pk == sponsor_1.pk:
        raise ValidationError({"sponsor_2": _("The two sponsors must be two different members.")})
    unit = grassroots_of(candidate.organization)
    today = clock.today()
    _check_sponsor(Member.objects.get(pk=sponsor_1.pk), unit, today, "sponsor_1")
    if sponsor_2 is not None:
        _check_sponsor(Member.objects.get(pk=sponsor_2.pk), unit, today, "sponsor_2")
    return _apply(
        candidate,
        by,
        sponsor_1=sponsor_1,
        sponsor_2=sponsor_2,
        youth_union_sponsor=youth_union_sponsor,
    )


@transaction.atomic
def record_application(*, candidate: Candidate, applied_on: date, by: AbstractBaseUser) -> Candidate:
    """The đơn xin vào Đảng and the lý lịch, handed in after the class, with the sponsors named."""
    candidate = _lock(candidate)
    _check_reached(candidate, Stage.TRAINED, _("Record the awareness class certificate of %(name)s first."))
    _check_not_past(candidate, Stage.VETTING)
    if candidate.sponsor_1_id is None:
        raise ValidationError(_("Assign the sponsors of %(name)s first.") % {"name": candidate.full_name})
    check_not_future(applied_on, "applied_on")
    return _apply(candidate, by, applied_on=applied_on)


@transaction.atomic
def start_vetting(*, candidate: Candidate, on: date, by: AbstractBaseUser) -> Candidate:
    """Thẩm tra lý lịch starts: it covers the applicant, their parents and parents-in-law (or those
    who raised them), spouse and adult children (HD 06-HD/TW 2025 §3.4)."""
    candidate = _lock(candidate)
    if candidate.applied_on is None:
        raise ValidationError(
            _("Record the application and personal history of %(name)s first.")
            % {"name": candidate.full_name}
        )
    _check_not_past(candidate, Stage.PROPOSED)
    if candidate.vetting_completed_on is not None and on != candidate.vetting_started_on:
        raise ValidationError(
            {
                "on": _("The background check was completed on %(date)s.")
                % {"date": format_day(candidate.vetting_completed_on)}
            }
        )
    check_not_future(on)
    _check_after(
        on, candidate.applied_on, "on", _("The check cannot start before the application (%(date)s).")
    )
    return _apply(candidate, by, vetting_started_on=on, stage=_advance(candidate.stage, Stage.VETTING))


@transaction.atomic
def complete_vetting(*, candidate: Candidate, on: date, by: AbstractBaseUser) -> Candidate:
    """Thẩm tra lý lịch is completed: the chi bộ may consider the case."""
    candidate = _lock(candidate)
    _check_reached(candidate, Stage.VETTING, _("The background check of %(name)s has not started yet."))
    _check_not_past(candidate, Stage.PROPOSED)
    check_not_future(on)
    _check_after(
        on,
        candidate.vetting_started_on,
        "on",
        _("The check cannot be completed before it started (%(date)s)."),
    )
    return _apply(candidate, by, vetting_completed_on=on)


@transaction.atomic
def record_resolution(
    *,
    candidate: Candidate,
    resolution_no: str,
    resolution_on: date,
    votes_for: int,
    official_members: int,
    by: AbstractBaseUser,
    over_age_approval: str = "",
    exempted_present: int = 0,
) -> Candidate:
    """The chi bộ resolution proposing the admission (HD 06-HD/TW 2025 §3.6b).

    On its date the certificate is at most 60 months old, the applicant is 18 to 60 full years old
    counted in months (over 60 with the provincial committee's approval) — judged here, once — and
    at least two thirds of the §4 denominator, computed from the register on that date and
    confirmed as ``official_members`` (validation rule 4), voted for it. A chi bộ with fewer than 3
    official members cannot pass it (Điều lệ Điều 24.1). ``exempted_present``: exempted members
    who attended and voted, who then count.
    """
    candidate = _lock(candidate)
    _check_not_past(candidate, Stage.DECIDED)
    missing = missing_before_resolution(candidate)
    if missing:
        raise ValidationError(
            _("Still missing before the Party cell resolution: %(missing)s.")
            % {"missing": "; ".join(missing)}
        )
    resolution_no = _required(
        resolution_no, "resolution_no", _("Give the number of the Party cell resolution.")
    )
    check_not_future(resolution_on, "resolution_on")
    _check_after(
        resolution_on,
        candidate.vetting_completed_on,
        "resolution_on",
        _("The resolution cannot precede the end of the background check (%(date)s)."),
    )
    expires = candidate.certificate_expires_on
    if resolution_on > expires:
        raise ValidationError(
            {
                "resolution_on": _(
                    "The awareness class certificate of %(name)s (%(issued)s) expired on %(date)s: it is "
                    "valid %(months)s months. The applicant must attend the class again."
                )
                % {
                    "name": candidate.full_name,
                    "issued": format_day(candidate.certificate_on),
                    "date": format_day(expires),
                    "months": rules.get("candidate.certificate_valid_months"),
                }
            }
        )
    over_age_approval = nfc(over_age_approval or candidate.over_age_approval)
    common.check_age(candidate.birth_date, resolution_on, over_age_approval)
    resolutions.check_resolution(
        organization=candidate.organization,
        on=resolution_on,
        votes_for=votes_for,
        official_members=official_members,
        exempted_present=exempted_present,
    )
    return _apply(
        candidate,
        by,
        resolution_no=resolution_no,
        resolution_on=resolution_on,
        votes_for=votes_for,
        official_members=official_members,
        over_age_approval=over_age_approval,
        stage=Stage.PROPOSED,
    )


@transaction.atomic
def record_decision(
    *,
    candidate: Candidate,
    decision_no: str,
    decision_on: date,
    by: AbstractBaseUser,
    over_age_approval: str = "",
) -> Candidate:
    """The quyết định kết nạp of the competent committee; the party age will count from its date."""
    candidate = _lock(candidate)
    _check_reached(
        candidate,
        Stage.PROPOSED,
        _("There is no Party cell resolution proposing %(name)s yet: record it first."),
    )
    decision_no = _required(decision_no, "decision_no", _("Give the number of the admission decision."))
    check_not_future(decision_on, "decision_on")
    _check_after(
        decision_on,
        candidate.resolution_on,
        "decision_on",
        _("The decision cannot precede the Party cell resolution (%(date)s)."),
    )
    # The age was judged once, at the resolution (rule 1): a decision weeks later does not undo it.
    over_age_approval = nfc(over_age_approval or candidate.over_age_approval)
    return _apply(
        candidate,
        by,
        decision_no=decision_no,
        decision_on=decision_on,
        over_age_approval=over_age_approval,
        stage=Stage.DECIDED,
    )


@transaction.atomic
def admit_candidate(
    *, candidate: Candidate, ceremony_on: date, by: AbstractBaseUser, note: str = ""
) -> Member:
    """The lễ kết nạp: the candidate becomes a probationary member of their chi bộ, admitted on the
    decision date (party age counts from it) with the ceremony's 30 working days checked by
    ``members.services.admit`` — one transaction, so a refusal leaves the candidate as it was."""
    candidate = _lock(candidate)
    _check_reached(
        candidate, Stage.DECIDED, _("There is no admission decision for %(name)s yet: record it first.")
    )
    member = member_services.admit(
        organization=candidate.organization,
        full_name=candidate.full_name,
        gender=candidate.gender,
        birth_date=candidate.birth_date,
        admitted_on=candidate.decision_on,
        ceremony_on=ceremony_on,
        decision_no=candidate.decision_no,
        cccd=candidate.cccd,
        ethnicity=candidate.ethnicity,
        religion=candidate.religion,
        education=candidate.education,
        profession=candidate.profession,
        job_title=candidate.job_title,
        over_age_approval=candidate.over_age_approval,
        note=nfc(note),
        candidate=candidate,  # its resolution judged the age and the vote
        by=by,
    )
    _apply(candidate, by, member=member, stage=Stage.ADMITTED)
    return member


@transaction.atomic
def withdraw(*, candidate: Candidate, on: date, reason: str, by: AbstractBaseUser) -> Candidate:
    """The chi bộ stops the case (the applicant withdrew, moved away, no longer qualifies)."""
    candidate = _lock(candidate)
    reason = _required(reason, "reason", _("Say why the case is no longer pursued."))
    check_not_future(on)
    return _apply(candidate, by, stage=Stage.WITHDRAWN, withdrawn_on=on, withdrawal_reason=reason)


@transaction.atomic
def set_admission_target(
    *, organization: Organization, year: int, target: int, by: AbstractBaseUser, note: str = ""
) -> AdmissionTarget:
    """Chỉ tiêu kết nạp of a year for the bloc or a grassroots organization (there is no central
    formula, DOMAIN.md §3): created, or corrected when it exists."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.kind not in TARGET_KINDS:
        raise ValidationError(
            {
                "organization": _(
                    "Admission targets are set for the bloc and for grassroots Party organizations; "
                    "%(name)s is a %(kind)s."
                )
                % {"name": organization.name, "kind": organization.get_kind_display().lower()}
            }
        )
    if not organization.is_active:
        raise ValidationError(
            {
                "organization": _("%(name)s was dissolved on %(date)s.")
                % {"name": organization.name, "date": format_day(organization.dissolved_on)}
            }
        )
    last_year = clock.today().year + 1
    if not FIRST_TARGET_YEAR <= year <= last_year:
        raise ValidationError(
            {
                "year": _("Give a year from %(first)s to %(last)s.")
                % {"first": FIRST_TARGET_YEAR, "last": last_year}
            }
        )
    if target is None or target <= 0:
        raise ValidationError({"target": _("The target is a number of admissions greater than zero.")})
    note = nfc(note)
    existing = (
        AdmissionTarget.objects.select_for_update().filter(organization=organization, year=year).first()
    )
    if existing is not None and (existing.target, existing.note) == (target, note):
        return existing
    row = existing or AdmissionTarget(organization=organization, year=year)
    row.target, row.note = target, note
    row.full_clean()
    row._history_user = by
    row.save()
    return row
