"""Every change to the organization register: create, correct, rename, move, merge, dissolve.

Each lifecycle change writes an ``OrganizationEvent`` (date, decision number) in the same
transaction; field-level history is kept by django-simple-history with the acting user.
"""

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

from .models import PATH_STEP, Organization, OrganizationEvent

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


def check_not_dissolved(organization: Organization) -> None:
    """Refuse any change to a dissolved organization (the services of other apps call it too)."""
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
    check_not_dissolved(organization)
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
    check_not_dissolved(organization)
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
    check_not_dissolved(organization)
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
    check_not_dissolved(organization)
    check_not_dissolved(into)
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
    check_not_dissolved(organization)
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
