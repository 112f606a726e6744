"""Entering the register: admission (kết nạp), probation to official (chuyển đảng chính thức), a
record from an existing file, corrections of the profile and of the admission dates.

The rules are those of DOMAIN.md §2 (Điều lệ Đảng, 294-QĐ/TW, HD 06-HD/TW 2025); their numbers
come from blocportal/rules.py. Each function is one transaction and records one event.
"""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocportal import clock, rules
from blocportal.dates import PARTY_FOUNDED, check_not_future, check_plausible_date, format_day
from blocportal.text import nfc
from blocportal.workdays import add_working_days
from members import resolutions
from members.models import Candidate, Member, Movement, Spell
from organizations.models import Organization

from .common import (
    check_age,
    check_movement_date,
    lock_cell,
    lock_member,
    member_from_file,
    open_spell,
    record_event,
    save_member,
)

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

    Two ways in, and no other: ``members.services.candidates.admit_candidate`` after every stage of the
    pipeline (``candidate``, decided), whose chi bộ resolution already judged the age and the vote;
    or an admission decided outside the portal (``decided_outside``), recorded as decided — it needs
    the decision number and a note saying where the file is, its age is judged on the decision date
    (the only date the portal has), and the ceremony deadline and the chi bộ are checked as for any
    admission."""
    organization = lock_cell(organization, admitted_on, "organization")
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
        check_age(birth_date, admitted_on, over_age_approval)
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
    save_member(member, by)  # clean(): ceremony not before the decision, no card while probationary
    open_spell(member, organization, Spell.Kind.OFFICIAL, admitted_on, by)
    record_event(
        member,
        Movement.Kind.ADMITTED,
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
    vote if the file has it. ``numbers_checked``: see ``save_member``."""
    member = lock_member(member)
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
            Spell.objects.official()
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
    check_movement_date(member, on)
    member.status, member.official_on, member.card_number = Member.Status.OFFICIAL, ends, card_number
    save_member(member, by, ["status", "official_on", "card_number"], numbers_checked=numbers_checked)
    record_event(
        member,
        Movement.Kind.MADE_OFFICIAL,
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
    saved, so an unchanged form or file row writes no history. ``numbers_checked``: see ``save_member``."""
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
        check_age(member.birth_date, member.admitted_on, "-")  # the 18-year floor; the ceiling was approved
    save_member(member, by, changed, numbers_checked=numbers_checked)
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
        check_age(member.birth_date, wanted["admitted_on"], "-")
        later = (
            member.events.exclude(kind__in=[Movement.Kind.ADMITTED, Movement.Kind.RECORDED])
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
    save_member(
        member, by, changed
    )  # clean(): the ceremony not before the decision, the official date after it
    if "admitted_on" in changed:
        first = (
            Spell.objects.select_for_update()
            .filter(member=member, kind=Spell.Kind.OFFICIAL)
            .select_related("organization")
            .order_by("starts_on", "pk")
            .first()
        )
        if first is not None and first.starts_on == max(
            old_admitted, first.organization.established_on or old_admitted
        ):
            first.starts_on = max(member.admitted_on, first.organization.established_on or member.admitted_on)
            if first.ends_on is not None and first.ends_on < first.starts_on:
                raise ValidationError(
                    {
                        "admitted_on": _("The member left %(cell)s on %(date)s, before that date.")
                        % {"cell": first.organization.name, "date": format_day(first.ends_on)}
                    }
                )
            first._history_user, first._change_reason = by, reason
            first.save(update_fields=["starts_on"])
        member.events.filter(kind=Movement.Kind.ADMITTED, on=old_admitted).update(on=member.admitted_on)
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
    member import has locked the file's chi bộ and checked its numbers once
    (``lock_cell``, ``save_member``)."""
    check_not_future(admitted_on, "admitted_on")
    # The spell in this chi bộ starts on the decision, or when the chi bộ was founded if later.
    since = max(admitted_on, organization.established_on or admitted_on)
    organization = lock_cell(organization, since, "organization", locked=organization_locked)
    ceremony_on = ceremony_on or admitted_on
    dates = {"birth_date": birth_date, "ceremony_on": ceremony_on, "official_on": official_on}
    for field, value in dates.items():
        if value is not None:
            check_not_future(value, field)
    check_age(birth_date, admitted_on, "-")
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
    save_member(member, by, numbers_checked=numbers_checked)
    open_spell(member, organization, Spell.Kind.OFFICIAL, since, by, first=True)
    record_event(member, Movement.Kind.RECORDED, clock.today(), by, note=note)
    return member
