"""Every change to the organization register: create, correct, rename, move, merge, dissolve.

Each lifecycle change writes an ``OrganizationEvent`` (date, decision number) in the same
transaction; field-level history is kept by django-simple-history with the acting user.
"""

import re
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blocportal import clock
from blocportal.dates import check_not_future, format_day
from blocportal.text import nfc

from .models import PATH_STEP, CommitteeSeat, Organization, OrganizationEvent, Term

# Fields a correction may change; structure (parent, kind, dates of lifecycle) goes through the
# dedicated services so that it leaves an event.
CORRECTABLE_FIELDS = ("name", "short_name", "sector", "host_unit", "established_on")


def _set_history_user(obj, by) -> None:
    obj._history_user = by


def _inherited_sector(kind: str, parent: Organization | None) -> str:
    """Sub-organizations of a grassroots organization (đảng bộ bộ phận, chi bộ trực thuộc, tổ
    đảng) belong to its sector; the bloc and the grassroots organizations have their own."""
    if parent is None or kind in Organization.GRASSROOTS_KINDS or kind == Organization.Kind.BLOC:
        return ""
    return parent.sector


def _cascade_sector(root: Organization, by) -> None:
    """Keep the sub-organizations of ``root`` in its sector (with history), after a move or a
    correction of the sector."""
    below = (
        Organization.objects.subtree(root, include_self=False)
        .exclude(kind__in=Organization.GRASSROOTS_KINDS)
        .exclude(sector=root.sector)
    )
    for organization in below:
        organization.sector = root.sector
        _set_history_user(organization, by)
        organization.save(update_fields=["sector"])


def _check_not_dissolved(organization: Organization) -> None:
    if not organization.is_active:
        raise ValidationError(
            _("%(name)s was dissolved on %(date)s and can no longer change.")
            % {"name": organization.name, "date": format_day(organization.dissolved_on)}
        )


@transaction.atomic
def create_organization(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Organization | None,
    by: AbstractBaseUser,
    sector: str = "",
    short_name: str = "",
    host_unit: str = "",
    established_on: date | None = None,
    decision_no: str = "",
) -> Organization:
    """Register a new organization under ``parent`` and record its establishment."""
    if parent is not None:
        parent = Organization.objects.select_for_update().get(pk=parent.pk)
    if established_on is not None:
        check_not_future(established_on, "established_on")
    organization = Organization(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        sector=_inherited_sector(kind, parent) or sector,
        short_name=short_name,
        host_unit=host_unit,
        established_on=established_on,
        path="",
    )
    organization.full_clean(exclude=["path", "search_name"])
    # The path holds the primary key, known only after the INSERT: the row is saved twice without
    # history, and the creation is then recorded once, with its real path, under ``by``.
    organization.skip_history_when_saving = True
    organization.path = f"~{code}"
    organization.save()
    organization.path = _child_path(parent, organization.pk)
    organization.save(update_fields=["path"])
    del organization.skip_history_when_saving
    Organization.history.bulk_history_create([organization], default_user=by)
    OrganizationEvent.objects.create(
        organization=organization,
        kind=OrganizationEvent.Kind.ESTABLISHED,
        on=established_on or clock.today(),
        decision_no=decision_no,
        new_parent=parent,
        new_name=organization.name,
        recorded_by=by,
    )
    return organization


def _child_path(parent: Organization | None, pk: int) -> str:
    return f"{parent.path if parent else ''}{pk:0{PATH_STEP - 1}d}/"


@transaction.atomic
def update_organization(*, organization: Organization, by: AbstractBaseUser, **changes) -> Organization:
    """Correct descriptive fields (a typo, the host unit, the sector). Names that change by a
    decision go through ``rename_organization`` instead."""
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not correctable here: {sorted(unknown)}")
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    _check_not_dissolved(organization)
    changed = [field for field, value in changes.items() if getattr(organization, field) != value]
    if not changed:
        return organization
    if "sector" in changed and _inherited_sector(organization.kind, organization.parent):
        raise ValidationError(
            {"sector": _("A sub-organization belongs to the sector of its grassroots organization.")}
        )
    for field in changed:
        setattr(organization, field, changes[field])
    organization.full_clean(exclude=["path", "search_name"])
    _set_history_user(organization, by)
    organization.save(update_fields=changed)
    if "sector" in changed:
        _cascade_sector(organization, by)
    return organization


@transaction.atomic
def rename_organization(
    *, organization: Organization, name: str, on: date, by: AbstractBaseUser, decision_no: str = ""
) -> Organization:
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    _check_not_dissolved(organization)
    check_not_future(on)
    old_name = organization.name
    organization.name = name
    organization.full_clean(exclude=["path", "search_name"])
    if organization.name == old_name:
        return organization
    _set_history_user(organization, by)
    organization.save(update_fields=["name"])
    OrganizationEvent.objects.create(
        organization=organization,
        kind=OrganizationEvent.Kind.RENAMED,
        on=on,
        decision_no=decision_no,
        old_name=old_name,
        new_name=organization.name,
        recorded_by=by,
    )
    return organization


@transaction.atomic
def move_organization(
    *,
    organization: Organization,
    new_parent: Organization,
    on: date,
    by: AbstractBaseUser,
    decision_no: str = "",
) -> Organization:
    """Place the organization (with its whole subtree) under another parent."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    new_parent = Organization.objects.select_for_update().get(pk=new_parent.pk)
    _check_not_dissolved(organization)
    if organization.parent_id == new_parent.pk:
        return organization
    if new_parent.path.startswith(organization.path):
        raise ValidationError(
            {"new_parent": _("An organization cannot be moved under itself or its own sub-organization.")}
        )
    check_not_future(on)
    old_parent, old_path, old_sector = organization.parent, organization.path, organization.sector
    organization.parent = new_parent
    organization.sector = _inherited_sector(organization.kind, new_parent) or organization.sector
    organization.path = _child_path(new_parent, organization.pk)
    organization.full_clean(exclude=["path", "search_name"])
    _set_history_user(organization, by)
    organization.save(update_fields=["parent", "sector", "path"])
    moved_along = _rebase_descendants(organization, old_path, by=by)
    OrganizationEvent.objects.create(
        organization=organization,
        kind=OrganizationEvent.Kind.MOVED,
        on=on,
        decision_no=decision_no,
        old_parent=old_parent,
        new_parent=new_parent,
        note=_move_note(organization, old_sector, moved_along),
        recorded_by=by,
    )
    organization.refresh_from_db()
    return organization


def _rebase_descendants(organization: Organization, old_path: str, *, by) -> list[Organization]:
    """After ``organization`` moved from ``old_path`` to its new path: rewrite the path prefix of
    all its descendants in one UPDATE, carry its sector down to the sub-organizations that inherit
    it, and record one history row per descendant under ``by`` (a queryset UPDATE writes none)."""
    Organization.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(organization.path), Substr(F("path"), len(old_path) + 1))
    )
    descendants = list(Organization.objects.subtree(organization, include_self=False).order_by("path"))
    inheriting = [
        below
        for below in descendants
        if below.kind not in Organization.GRASSROOTS_KINDS and below.sector != organization.sector
    ]
    for below in inheriting:
        below.sector = organization.sector
    Organization.objects.bulk_update(inheriting, ["sector"])
    Organization.history.bulk_history_create(descendants, update=True, default_user=by)
    return descendants


def _move_note(organization: Organization, old_sector: str, moved_along: list[Organization]) -> str:
    """What a move changed besides the parent, for its event: the sector, and the
    sub-organizations that moved with it."""
    lines = []
    if organization.sector != old_sector:
        sectors = dict(Organization.Sector.choices)
        lines.append(
            _("Sector: %(old)s → %(new)s.")
            % {"old": sectors.get(old_sector, "—"), "new": sectors.get(organization.sector, "—")}
        )
    if moved_along:
        lines.append(
            ngettext(
                "%(count)s sub-organization moved with it: %(names)s.",
                "%(count)s sub-organizations moved with it: %(names)s.",
                len(moved_along),
            )
            % {"count": len(moved_along), "names": ", ".join(below.name for below in moved_along)}
        )
    return "\n".join(lines)


@transaction.atomic
def merge_organization(
    *,
    organization: Organization,
    into: Organization,
    on: date,
    by: AbstractBaseUser,
    decision_no: str = "",
) -> Organization:
    """Merge ``organization`` into ``into``: its sub-organizations move under ``into`` and it is
    dissolved with a pointer to the organization it merged into."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    into = Organization.objects.select_for_update().get(pk=into.pk)
    _check_not_dissolved(organization)
    _check_not_dissolved(into)
    check_not_future(on)
    if into.pk == organization.pk or into.path.startswith(organization.path):
        raise ValidationError(
            {"into": _("An organization cannot be merged into itself or its own sub-organization.")}
        )
    if into.kind != organization.kind:
        raise ValidationError(
            {
                "into": _("Only organizations of the same kind can be merged (%(kind)s).")
                % {"kind": organization.get_kind_display().lower()}
            }
        )
    for child in organization.children.filter(dissolved_on__isnull=True):
        move_organization(organization=child, new_parent=into, on=on, by=by, decision_no=decision_no)
    _dissolve(
        organization,
        on=on,
        by=by,
        decision_no=decision_no,
        kind=OrganizationEvent.Kind.MERGED,
        merged_into=into,
    )
    OrganizationEvent.objects.create(
        organization=into,
        kind=OrganizationEvent.Kind.RECEIVED,
        on=on,
        decision_no=decision_no,
        other=organization,
        recorded_by=by,
    )
    return organization


@transaction.atomic
def dissolve_organization(
    *, organization: Organization, on: date, by: AbstractBaseUser, decision_no: str = ""
) -> Organization:
    """Dissolve an organization that no longer has active sub-organizations. It stays in the
    history (and in reports for earlier periods) but leaves current lists."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    _check_not_dissolved(organization)
    active_children = organization.children.filter(dissolved_on__isnull=True).count()
    if active_children:
        raise ValidationError(
            _("%(name)s still has %(count)s active sub-organizations: move, merge or dissolve them first.")
            % {"name": organization.name, "count": active_children}
        )
    return _dissolve(
        organization, on=on, by=by, decision_no=decision_no, kind=OrganizationEvent.Kind.DISSOLVED
    )


def _dissolve(organization, *, on, by, decision_no, kind, merged_into=None) -> Organization:
    check_not_future(on)
    # Members are kept by the members app (its Member.organization is related_name="members").
    current_members = organization.members.filter(exit_reason="").count()
    if current_members:
        raise ValidationError(
            _("%(name)s still has %(count)s members: transfer them to another chi bộ first.")
            % {"name": organization.name, "count": current_members}
        )
    if organization.established_on and on < organization.established_on:
        raise ValidationError(
            {
                "on": _("The dissolution date cannot precede the establishment date (%(date)s).")
                % {"date": format_day(organization.established_on)}
            }
        )
    organization.dissolved_on = on
    organization.merged_into = merged_into
    _set_history_user(organization, by)
    organization.save(update_fields=["dissolved_on", "merged_into"])
    OrganizationEvent.objects.create(
        organization=organization,
        kind=kind,
        on=on,
        decision_no=decision_no,
        other=merged_into,
        recorded_by=by,
    )
    return organization


# Committees (cấp ủy) and terms (nhiệm kỳ) -------------------------------------------------------

# Every Party organization elects its committee at its congress, except the tổ đảng, which has a
# leader (tổ trưởng) appointed by its chi bộ (Điều lệ Đảng Điều 24; DOMAIN.md §1).
ELECTING_KINDS = (
    Organization.Kind.BLOC,
    Organization.Kind.GRASSROOTS_COMMITTEE,
    Organization.Kind.GRASSROOTS_CELL,
    Organization.Kind.BRANCH_COMMITTEE,
    Organization.Kind.CELL,
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
    _check_not_dissolved(organization)
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
    _set_history_user(term, by)
    term.save()
    earlier = CommitteeSeat.objects.select_for_update().filter(
        term__organization=organization, term__starts_on__lt=starts_on, until__isnull=True
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
    outside = term.seats.exclude(since__gte=term.starts_on, since__lte=term.ends_on).count()
    if outside:
        raise ValidationError(
            _("%(count)s seats of this term began outside the corrected dates.") % {"count": outside}
        )
    _set_history_user(term, by)
    term.save(update_fields=changed)
    return term


def _member_model():
    """The member register lives in the members app, which depends on this one, not the reverse."""
    return CommitteeSeat._meta.get_field("member").related_model


def _check_electable(member, organization: Organization, since: date) -> None:
    """A current, official member of the organization's subtree, on ``since`` and now: a
    probationary member cannot stand for or be elected to a committee (DOMAIN.md §2)."""
    member_model = _member_model()
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
    if member.status != member_model.Status.OFFICIAL or member.official_on > since:
        raise ValidationError(
            {
                "member": _(
                    "%(name)s is not an official member on %(date)s; a probationary member cannot be "
                    "elected to a committee."
                )
                % {"name": member.full_name, "date": format_day(since)}
            }
        )
    in_subtree_then = member.spells.official().on(since).in_subtree(organization).exists()
    if not in_subtree_then or not member.organization.path.startswith(organization.path):
        raise ValidationError(
            {
                "member": _("%(name)s is not a member of %(organization)s on %(date)s.")
                % {"name": member.full_name, "organization": organization.name, "date": format_day(since)}
            }
        )


def _check_position(term: Term, member, position: str, heads_host_unit: bool) -> None:
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
    open_seats = term.seats.filter(until__isnull=True).select_related("member")
    if position == CommitteeSeat.Position.SECRETARY:
        secretary = open_seats.filter(position=position).first()
        if secretary is not None:
            raise ValidationError(
                {
                    "position": _(
                        "%(name)s has been the secretary of this term since %(date)s: end that seat first."
                    )
                    % {"name": secretary.member.full_name, "date": format_day(secretary.since)}
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
    member,
    position: str,
    since: date,
    by: AbstractBaseUser,
    heads_host_unit: bool = False,
    decision_no: str = "",
) -> CommitteeSeat:
    """Record a seat on the committee or the inspection commission of a term, from ``since`` (the
    congress or the later election or appointment)."""
    term = Term.objects.select_for_update().select_related("organization").get(pk=term.pk)
    member = _member_model().objects.select_for_update().select_related("organization").get(pk=member.pk)
    if position not in CommitteeSeat.Position.values:
        raise ValidationError({"position": _("Choose one of the positions.")})
    _check_not_dissolved(term.organization)
    check_not_future(since, "since")
    if not term.starts_on <= since <= term.ends_on:
        raise ValidationError(
            {
                "since": _("The date must fall within the term %(label)s (%(start)s – %(end)s).")
                % {"label": term.label, "start": format_day(term.starts_on), "end": format_day(term.ends_on)}
            }
        )
    _check_electable(member, term.organization, since)
    _check_position(term, member, position, heads_host_unit)
    seat = CommitteeSeat(
        term=term,
        member=member,
        position=position,
        since=since,
        heads_host_unit=heads_host_unit,
        decision_no=nfc(decision_no).strip(),
    )
    seat.full_clean()  # the partial unique constraints are the backstop
    _set_history_user(seat, by)
    seat.save()
    return seat


def _close_seat(seat: CommitteeSeat, until: date, note: str, by) -> CommitteeSeat:
    seat.until, seat.end_note = until, note[: CommitteeSeat._meta.get_field("end_note").max_length]
    _set_history_user(seat, by)
    seat.save(update_fields=["until", "end_note"])
    return seat


@transaction.atomic
def end_seat(*, seat: CommitteeSeat, until: date, by: AbstractBaseUser, note: str = "") -> CommitteeSeat:
    """The member leaves the seat (resignation, another assignment, a decision of the higher
    committee). A seat that has already ended is left as it is."""
    seat = CommitteeSeat.objects.select_for_update().get(pk=seat.pk)
    if seat.until is not None:
        return seat
    check_not_future(until, "until")
    if until < seat.since:
        raise ValidationError(
            {
                "until": _("The seat began on %(date)s; it cannot end earlier.")
                % {"date": format_day(seat.since)}
            }
        )
    return _close_seat(seat, until, nfc(note).strip(), by)


@transaction.atomic
def end_seats_on_leaving(
    *, member, on: date, by: AbstractBaseUser, staying_in: Organization | None = None
) -> list[CommitteeSeat]:
    """A committee member leaves the committee from the date they leave the organization
    (294-QĐ/TW §16.4). Called by the member services: ``staying_in`` is the chi bộ of an internal
    transfer, whose own and ancestors' committees keep the member; without it the member left the
    register and every seat ends. A temporary attachment elsewhere ends nothing (§6.3.2c)."""
    seats = (
        CommitteeSeat.objects.select_for_update(of=("self",))
        .filter(member=member, until__isnull=True)
        .select_related("term__organization")
    )
    ended = []
    for seat in seats:
        organization = seat.term.organization
        if staying_in is not None and staying_in.path.startswith(organization.path):
            continue
        if on < seat.since:
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
                        "date": format_day(seat.since),
                    }
                }
            )
        if staying_in is not None:
            note = _("Transferred to %(cell)s.") % {"cell": staying_in.name}
        elif getattr(member, "exit_reason", ""):
            note = _("Left the register: %(exit)s.") % {"exit": member.get_exit_reason_display().lower()}
        else:
            note = _("Left the organization.")
        ended.append(_close_seat(seat, on, note, by))
    return ended
