"""Roles and scoping: who may see and do what, and where.

A user holds assignments (role + organization). What they see is the union of the subtrees under
those organizations; superusers see everything. Views start from ``visible_to(user)`` querysets and
the helpers below: an object outside the user's scope is a 404, an object in scope that the user's
role may read but not change is a 403.
"""

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from .models import Assignment, Role

ALL_ROLES = frozenset(Role.values)

# Permission name -> the roles that hold it (within the subtree of the assignment).
PERMISSIONS: dict[str, frozenset[str]] = {
    "organization.view": ALL_ROLES,
    "organization.change": frozenset({Role.STAFF}),
    "organization.import": frozenset({Role.STAFF}),
    "assignment.view": frozenset({Role.STAFF}),
    "member.view": ALL_ROLES,
    "member.change": frozenset({Role.STAFF}),
    "member.import": frozenset({Role.STAFF}),
    "candidate.view": frozenset({Role.STAFF, Role.LEADER, Role.SECRETARY}),
    "candidate.change": frozenset({Role.STAFF, Role.SECRETARY}),
    "candidate.admit": frozenset({Role.STAFF}),
    "target.change": frozenset({Role.STAFF}),
    "badge.award": frozenset({Role.STAFF}),
    "seat.change": frozenset({Role.STAFF}),
    "meeting.view": frozenset({Role.STAFF, Role.LEADER, Role.SECRETARY}),
    "meeting.change": frozenset({Role.STAFF, Role.SECRETARY}),
    "meeting.close": frozenset({Role.STAFF}),
    "meeting.import": frozenset({Role.STAFF}),
    # The case work of the inspection commission (inspections): case files, letters, decisions and
    # appeals are the inspector's alone; leaders read counts and outcomes in the figures, staff and
    # secretaries a member's discipline outcome on the member's page.
    "case.view": frozenset({Role.INSPECTOR}),
    "case.change": frozenset({Role.INSPECTOR}),
    "case.import": frozenset({Role.INSPECTOR}),
    # The case work's counts and outcomes on the dashboard (never a name or a finding); the
    # drill-down to the cases, decisions and letters behind them needs case.view.
    "case.figures": frozenset({Role.STAFF, Role.LEADER, Role.SECRETARY, Role.INSPECTOR}),
    # Quality ratings (emulation): secretaries and staff enter the self-assessments and the chi bộ's
    # proposals, staff record the approval of the level above; an approval that breaks a rule passes only
    # with a superuser's explained override (no role holds rating.override).
    "rating.view": frozenset({Role.STAFF, Role.LEADER, Role.SECRETARY}),
    "rating.propose": frozenset({Role.STAFF, Role.SECRETARY}),
    "rating.approve": frozenset({Role.STAFF}),
    "rating.override": frozenset(),
    "rating.import": frozenset({Role.STAFF}),
    # Emulation: the clusters, the score sheets and their criteria, the scores and ranks, the awards.
    # Secretaries enter their organization's self-assessed scores; staff the rest.
    "emulation.view": frozenset({Role.STAFF, Role.LEADER, Role.SECRETARY}),
    "emulation.score": frozenset({Role.STAFF, Role.SECRETARY}),
    "emulation.change": frozenset({Role.STAFF}),
    "emulation.import": frozenset({Role.STAFF}),
    "dashboard.view": frozenset({Role.STAFF, Role.LEADER, Role.SECRETARY, Role.INSPECTOR}),
    # The periodic reports (issue 13): secretaries see, draft, finalize and submit their own
    # organization's; leaders read every report in scope; staff also review what is submitted to the
    # bloc and run the batches. The inspection committee has no report pages (404).
    "report.view": frozenset({Role.STAFF, Role.LEADER, Role.SECRETARY}),
    "report.request": frozenset({Role.STAFF, Role.SECRETARY}),
    "report.finalize": frozenset({Role.STAFF, Role.SECRETARY}),
    "report.submit": frozenset({Role.STAFF, Role.SECRETARY}),
    "report.review": frozenset({Role.STAFF}),
    "report.batch": frozenset({Role.STAFF}),
    # Who follows the grassroots organizations' submissions across their scope: the late ones on the
    # attention hub (a secretary sees their own organization's status on the submissions page).
    "report.follow": frozenset({Role.STAFF, Role.LEADER}),
}

M = TypeVar("M", bound=models.Model)


def assignments_of(user) -> list[tuple[str, str]]:
    """(role, organization path) pairs of the user, cached on the user object for the request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_portal_assignments", None)
    if cached is None:
        cached = list(
            Assignment.objects.filter(user=user, organization__dissolved_on__isnull=True)
            .values_list("role", "organization__path")
            .order_by("organization__path")
        )
        user._portal_assignments = cached
    return cached


def scope_q(user, path_field: str = "path", roles: Iterable[str] | None = None) -> Q:
    """A filter on ``path_field`` (an organization path) that keeps the user's subtrees.

    Superusers get an empty Q (everything); a user with no assignment gets a Q that matches nothing.
    """
    if user.is_authenticated and user.is_superuser:
        return Q()
    wanted = set(roles) if roles is not None else None
    prefixes = _outermost(path for role, path in assignments_of(user) if wanted is None or role in wanted)
    if not prefixes:
        return Q(pk__in=[])
    condition = Q()
    for prefix in prefixes:
        condition |= Q(**{f"{path_field}__startswith": prefix})
    return condition


def scope_key(user) -> str:
    """A short name of the user's whole scope (the outermost subtrees of all their assignments;
    "*" for superusers), for caching a read scoped to it: users with the same subtrees share it."""
    if user.is_authenticated and user.is_superuser:
        return "*"
    paths = _outermost(path for _role, path in assignments_of(user))
    return hashlib.sha256("|".join(paths).encode()).hexdigest()[:32]


def _outermost(paths: Iterable[str]) -> list[str]:
    """Drop paths that lie inside another one, so the filter has one term per subtree."""
    result: list[str] = []
    for path in sorted(set(paths)):
        if not result or not path.startswith(result[-1]):
            result.append(path)
    return result


def roles_of(user) -> set[str]:
    """Every role the user holds anywhere (superusers hold all)."""
    if user.is_authenticated and user.is_superuser:
        return set(ALL_ROLES)
    return {role for role, _path in assignments_of(user)}


def has_permission(user, permission: str, organization=None) -> bool:
    """Whether the user holds ``permission`` over ``organization`` (or anywhere, when None)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    allowed = PERMISSIONS[permission]
    for role, path in assignments_of(user):
        if role in allowed and (organization is None or organization.path.startswith(path)):
            return True
    return False


def require(user, permission: str, organization=None) -> None:
    """Raise PermissionDenied (403) unless the user holds the permission there."""
    if not has_permission(user, permission, organization):
        raise PermissionDenied


def get_for_user(
    queryset: models.QuerySet[M],
    user,
    *,
    permission: str,
    organization_of: Callable[[M], object] = lambda obj: obj.organization,
    **lookup,
) -> M:
    """The object, if the user may see it (else 404) and holds ``permission`` on its organization
    (else 403). ``queryset`` must provide ``visible_to(user)``."""
    try:
        obj = queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None
    require(user, permission, organization_of(obj))
    return obj
