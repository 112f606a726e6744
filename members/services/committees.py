"""Terms (nhiệm kỳ) and committee seats (cấp ủy, ủy ban kiểm tra): the congress that opens a term,
its corrections, the seats members take and leave, and the seats a member leaves with the
organization (294-QĐ/TW §16.4).

The committees belong to the member register: a seat is held by a member, who must be an official
member of the organization's subtree (DOMAIN.md §1, §2).
"""

import re
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocportal.dates import check_not_future, format_day
from blocportal.text import nfc
from members.models import CommitteeSeat, Member, Spell, Term
from organizations.models import Organization
from organizations.services import check_not_dissolved

# Every Party organization elects its committee at its congress, except the tổ đảng, which has a
# leader (tổ trưởng) appointed by its chi bộ (Điều lệ Đảng Điều 24; DOMAIN.md §1).
ELECTING_KINDS = (
    Organization.Kind.BLOC,
    Organization.Kind.GRASSROOTS_COMMITTEE,
    Organization.Kind.GRASSROOTS_CELL,
    Organization.Kind.BRANCH_COMMITTEE,
    Organization.Kind.SUBORDINATE_CELL,
)
# Only a đảng ủy cơ sở or higher has an inspection commission (296-QĐ/TW Điều 7; DOMAIN.md §1).
INSPECTION_KINDS = (Organization.Kind.GRASSROOTS_COMMITTEE, Organization.Kind.BLOC)
COMMITTEE_POSITIONS = tuple(
    p for p in CommitteeSeat.Position.values if p not in CommitteeSeat.INSPECTION_POSITIONS
)
TERM_FIELDS = ("label", "congress_ordinal", "starts_on", "ends_on")
_TERM_LABEL = re.compile(r"^(\d{4})\s*[-–—]\s*(\d{4})$")


def normalize_term_label(label: str) -> str:
    """A term is written as two years joined by an en dash: "2025-2030" becomes "2025–2030"."""
    match = _TERM_LABEL.match(nfc(label or "").strip())
    if match is None or int(match[2]) <= int(match[1]):
        raise ValidationError({"label": _("Write the term as two years, for example 2025–2030.")})
    return f"{match[1]}–{match[2]}"


def _check_term(term: Term) -> None:
    """The rules a term keeps on creation and on correction."""
    organization = term.organization
    if organization.kind not in ELECTING_KINDS:
        raise ValidationError(
            _("A %(kind)s does not elect a committee; its chi bộ appoints its leader.")
            % {"kind": organization.get_kind_display().lower()}
        )
    check_not_dissolved(organization)
    term.label = normalize_term_label(term.label)
    check_not_future(term.starts_on, "starts_on")
    if organization.established_on and term.starts_on < organization.established_on:
        raise ValidationError(
            {
                "starts_on": _("%(name)s was only established on %(date)s.")
                % {"name": organization.name, "date": format_day(organization.established_on)}
            }
        )
    if term.ends_on <= term.starts_on:
        raise ValidationError({"ends_on": _("The term must end after the congress that opens it.")})
    overlapping = (
        Term.objects.filter(organization=organization, starts_on__lt=term.ends_on, ends_on__gt=term.starts_on)
        .exclude(pk=term.pk)
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "starts_on": _(
                    "The term overlaps the term %(label)s (%(start)s – %(end)s): correct the dates of "
                    "that term first."
                )
                % {
                    "label": overlapping.label,
                    "start": format_day(overlapping.starts_on),
                    "end": format_day(overlapping.ends_on),
                }
            }
        )
    term.full_clean()


@transaction.atomic
def create_term(
    *,
    organization: Organization,
    label: str,
    starts_on: date,
    ends_on: date,
    by: AbstractBaseUser,
    congress_ordinal: int | None = None,
) -> Term:
    """Record the congress that opens a term. The newly elected committee takes charge at once
    (Điều lệ Đảng Điều 13.1), so the seats still open in earlier terms end on the congress date."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    term = Term(
        organization=organization,
        label=label,
        starts_on=starts_on,
        ends_on=ends_on,
        congress_ordinal=congress_ordinal,
    )
    _check_term(term)
    term._history_user = by
    term.save()
    earlier = CommitteeSeat.objects.select_for_update().filter(
        term__organization=organization, term__starts_on__lt=starts_on, ends_on__isnull=True
    )
    note = _("Succeeded by the committee of the term %(label)s.") % {"label": term.label}
    for seat in earlier:
        _close_seat(seat, starts_on, note, by)
    return term


@transaction.atomic
def update_term(*, term: Term, by: AbstractBaseUser, **changes) -> Term:
    """Correct a term (a typo in its label, the planned end, the congress date). The seats must stay
    within the corrected dates."""
    unknown = set(changes) - set(TERM_FIELDS)
    if unknown:
        raise TypeError(f"update_term: not term fields: {sorted(unknown)}")
    term = Term.objects.select_for_update().select_related("organization").get(pk=term.pk)
    if "label" in changes:
        changes["label"] = normalize_term_label(changes["label"])
    changed = [field for field, value in changes.items() if getattr(term, field) != value]
    if not changed:
        return term
    for field in changed:
        setattr(term, field, changes[field])
    _check_term(term)
    outside = term.seats.exclude(starts_on__gte=term.starts_on, starts_on__lte=term.ends_on).count()
    if outside:
        raise ValidationError(
            _("%(count)s seats of this term began outside the corrected dates.") % {"count": outside}
        )
    term._history_user = by
    term.save(update_fields=changed)
    return term


def _check_electable(member: Member, organization: Organization, starts_on: date) -> None:
    """A current, official member of the organization's subtree, on ``starts_on`` and now: a
    probationary member cannot stand for or be elected to a committee (DOMAIN.md §2)."""
    if not member.is_current:
        raise ValidationError(
            {
                "member": _("%(name)s is no longer on the register: %(exit)s on %(date)s.")
                % {
                    "name": member.full_name,
                    "exit": member.get_exit_reason_display().lower(),
                    "date": format_day(member.exited_on),
                }
            }
        )
    if member.status != Member.Status.OFFICIAL or member.official_on > starts_on:
        raise ValidationError(
            {
                "member": _(
                    "%(name)s is not an official member on %(date)s; a probationary member cannot be "
                    "elected to a committee."
                )
                % {"name": member.full_name, "date": format_day(starts_on)}
            }
        )
    in_subtree_then = (
        Spell.objects.filter(member=member).official().on(starts_on).in_subtree(organization).exists()
    )
    if not in_subtree_then or not member.organization.path.startswith(organization.path):
        raise ValidationError(
            {
                "member": _("%(name)s is not a member of %(organization)s on %(date)s.")
                % {"name": member.full_name, "organization": organization.name, "date": format_day(starts_on)}
            }
        )


def _check_position(term: Term, member: Member, position: str, heads_host_unit: bool) -> None:
    organization = term.organization
    if position in CommitteeSeat.INSPECTION_POSITIONS and organization.kind not in INSPECTION_KINDS:
        raise ValidationError(
            {
                "position": _(
                    "Only a grassroots Party committee or a higher one has an inspection commission; "
                    "%(name)s is a %(kind)s."
                )
                % {"name": organization.name, "kind": organization.get_kind_display().lower()}
            }
        )
    if heads_host_unit and position != CommitteeSeat.Position.SECRETARY:
        raise ValidationError(
            {"heads_host_unit": _("Only the secretary is recorded as also heading the host unit.")}
        )
    open_seats = term.seats.filter(ends_on__isnull=True).select_related("member")
    if position == CommitteeSeat.Position.SECRETARY:
        secretary = open_seats.filter(position=position).first()
        if secretary is not None:
            raise ValidationError(
                {
                    "position": _(
                        "%(name)s has been the secretary of this term since %(date)s: end that seat first."
                    )
                    % {"name": secretary.member.full_name, "date": format_day(secretary.starts_on)}
                }
            )
    # One rank on the committee and one on the inspection commission at a time (a deputy secretary
    # may chair the inspection commission, but not also be a plain committee member).
    if position in CommitteeSeat.INSPECTION_POSITIONS:
        same_body = CommitteeSeat.INSPECTION_POSITIONS
    else:
        same_body = COMMITTEE_POSITIONS
    held = open_seats.filter(member=member, position__in=same_body).first()
    if held is not None:
        raise ValidationError(
            {
                "member": _("%(name)s already holds the seat of %(position)s in this term: end it first.")
                % {"name": member.full_name, "position": held.get_position_display().lower()}
            }
        )


@transaction.atomic
def appoint(
    *,
    term: Term,
    member: Member,
    position: str,
    starts_on: date,
    by: AbstractBaseUser,
    heads_host_unit: bool = False,
    decision_no: str = "",
) -> CommitteeSeat:
    """Record a seat on the committee or the inspection commission of a term, from ``starts_on`` (the
    congress or the later election or appointment)."""
    term = Term.objects.select_for_update().select_related("organization").get(pk=term.pk)
    member = Member.objects.select_for_update().select_related("organization").get(pk=member.pk)
    if position not in CommitteeSeat.Position.values:
        raise ValidationError({"position": _("Choose one of the positions.")})
    check_not_dissolved(term.organization)
    check_not_future(starts_on, "starts_on")
    if not term.starts_on <= starts_on <= term.ends_on:
        raise ValidationError(
            {
                "starts_on": _("The date must fall within the term %(label)s (%(start)s – %(end)s).")
                % {"label": term.label, "start": format_day(term.starts_on), "end": format_day(term.ends_on)}
            }
        )
    _check_electable(member, term.organization, starts_on)
    _check_position(term, member, position, heads_host_unit)
    seat = CommitteeSeat(
        term=term,
        member=member,
        position=position,
        starts_on=starts_on,
        heads_host_unit=heads_host_unit,
        decision_no=nfc(decision_no).strip(),
    )
    seat.full_clean()  # the partial unique constraints are the backstop
    seat._history_user = by
    seat.save()
    return seat


def _close_seat(seat: CommitteeSeat, ends_on: date, note: str, by) -> CommitteeSeat:
    seat.ends_on, seat.end_note = ends_on, note[: CommitteeSeat._meta.get_field("end_note").max_length]
    seat._history_user = by
    seat.save(update_fields=["ends_on", "end_note"])
    return seat


@transaction.atomic
def end_seat(*, seat: CommitteeSeat, ends_on: date, by: AbstractBaseUser, note: str = "") -> CommitteeSeat:
    """The member leaves the seat (resignation, another assignment, a decision of the higher
    committee). A seat that has already ended is left as it is."""
    seat = CommitteeSeat.objects.select_for_update().get(pk=seat.pk)
    if seat.ends_on is not None:
        return seat
    check_not_future(ends_on, "ends_on")
    if ends_on < seat.starts_on:
        raise ValidationError(
            {
                "ends_on": _("The seat began on %(date)s; it cannot end earlier.")
                % {"date": format_day(seat.starts_on)}
            }
        )
    return _close_seat(seat, ends_on, nfc(note).strip(), by)


@transaction.atomic
def end_seats_on_leaving(
    *, member: Member, on: date, by: AbstractBaseUser, staying_in: Organization | None = None
) -> list[CommitteeSeat]:
    """A committee member leaves the committee from the date they leave the organization
    (294-QĐ/TW §16.4). Called by the member services: ``staying_in`` is the chi bộ of an internal
    transfer, whose own and ancestors' committees keep the member; without it the member left the
    register and every seat ends. A temporary attachment elsewhere ends nothing (§6.3.2c)."""
    seats = (
        CommitteeSeat.objects.select_for_update(of=("self",))
        .filter(member=member, ends_on__isnull=True)
        .select_related("term__organization")
    )
    ended = []
    for seat in seats:
        organization = seat.term.organization
        if staying_in is not None and staying_in.path.startswith(organization.path):
            continue
        if on < seat.starts_on:
            raise ValidationError(
                {
                    "on": _(
                        "%(name)s took the seat of %(position)s of %(organization)s on %(date)s, after this "
                        "date: correct that seat first."
                    )
                    % {
                        "name": member.full_name,
                        "position": seat.get_position_display().lower(),
                        "organization": organization.name,
                        "date": format_day(seat.starts_on),
                    }
                }
            )
        if staying_in is not None:
            note = _("Transferred to %(cell)s.") % {"cell": staying_in.name}
        elif member.exit_reason:
            note = _("Left the register: %(exit)s.") % {"exit": member.get_exit_reason_display().lower()}
        else:
            note = _("Left the organization.")
        ended.append(_close_seat(seat, on, note, by))
    return ended


@transaction.atomic
def restore_seat(*, seat: CommitteeSeat, by: AbstractBaseUser) -> CommitteeSeat:
    """A seat ended by a decision that an appeal annulled or changed (cách chức lifted): the seat runs
    on as if never ended, unless someone else has taken it meanwhile. A committee of a later term that
    took office meanwhile would have closed it on its congress day (``create_term``): it ends then."""
    seat = CommitteeSeat.objects.select_for_update().select_related("term").get(pk=seat.pk)
    if seat.ends_on is None:
        return seat
    if seat.member.exit_reason:
        raise ValidationError(
            _("%(name)s is no longer on the register; the seat cannot be restored.")
            % {"name": seat.member.full_name}
        )
    succeeded = (
        Term.objects.filter(organization_id=seat.term.organization_id, starts_on__gt=seat.term.starts_on)
        .order_by("starts_on")
        .first()
    )
    if succeeded is not None:
        note = _("Succeeded by the committee of the term %(label)s.") % {"label": succeeded.label}
        return _close_seat(seat, max(succeeded.starts_on, seat.starts_on), note, by)
    seat.ends_on, seat.end_note = None, ""
    seat._history_user = by
    try:
        seat.validate_constraints()
    except ValidationError:
        raise ValidationError(
            _("The seat of %(position)s has been filled since; it cannot be restored.")
            % {"position": seat.get_position_display().lower()}
        ) from None
    seat.save(update_fields=["ends_on", "end_note"])
    return seat
