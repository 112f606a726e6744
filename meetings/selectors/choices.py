"""What the meetings' forms and filters offer: the organizations a user may see the meetings of or
record them for (the organization pickers' purposes, registered in ``meetings.apps``), the chi bộ a
meeting may be joint with, the members who may chair or record a meeting of an organization, and
the months closed to secretaries."""

from datetime import date

from django.db.models import QuerySet

from blocportal import access
from members.models import Member
from members.selectors import roll
from organizations.models import Organization

from ..models import ClosedMonth
from ..services.meetings import COMMITTEE_MEETING_KINDS


def _in_scope_for(user, permission: str) -> QuerySet[Organization]:
    roles = access.PERMISSIONS[permission]
    return Organization.objects.filter(access.scope_q(user, "path", roles=roles)).order_by("path")


def viewable_organizations(user) -> QuerySet[Organization]:
    """The organizations whose meetings the user may read (dissolved ones too: their past meetings
    stay), for the filters of the lists and the compliance page."""
    return _in_scope_for(user, "meeting.view")


def recordable_organizations(user) -> QuerySet[Organization]:
    """The active organizations whose meetings and study sessions the user may record; the service
    decides which of them meet as such (a chi bộ, a tổ đảng, a committee)."""
    return _in_scope_for(user, "meeting.change").active().select_related("parent")


def joinable_cells(user) -> QuerySet[Organization]:
    """The active chi bộ the user sees, which a joint meeting (sinh hoạt chung) may bring together."""
    return (
        _in_scope_for(user, "meeting.view")
        .filter(kind__in=Organization.CELL_KINDS)
        .active()
        .select_related("parent")
    )


def default_organization(user) -> Organization | None:
    """Where the compliance page opens: the highest active organization the user reads."""
    return viewable_organizations(user).active().first()


def group_candidates(group: Organization) -> QuerySet[Member]:
    """The current members of the tổ đảng's chi bộ, among whom the secretary ticks the group's."""
    parent = group.parent
    if parent is None:
        return Member.objects.none()
    return Member.objects.current().filter(organization=parent).order_by("sort_name", "pk")


def chairs_of(organization: Organization, on: date) -> QuerySet[Member]:
    """Who may chair or record a meeting of ``organization`` on ``on``: the members of its chi bộ
    (a tổ đảng's: of the chi bộ it belongs to) and the members of its committee that day. The
    service checks the choice against the list frozen with the meeting."""
    ids: set[int] = set()
    cell = organization.parent if organization.kind == Organization.Kind.GROUP else organization
    if cell is not None and cell.kind in Organization.CELL_KINDS:
        ids |= {entry.member_id for entry in roll.cell_roll_on(cell, on) if entry.standing != roll.AWAY}
    if organization.kind in COMMITTEE_MEETING_KINDS:
        ids |= set(roll.committee_seats_on(organization, on))
    return Member.objects.filter(pk__in=ids).order_by("sort_name", "pk")


def listed_members(meeting) -> QuerySet[Member]:
    """The members on a meeting's lists: who may be named its chair or recorder afterwards."""
    return Member.objects.filter(attendance__meeting=meeting).order_by("sort_name", "pk")


def members_on_register(organization: Organization, on: date) -> int:
    """The members on the register of the organization's subtree on ``on``: what a study session
    of the organization expects, offered as the form's first value. One COUNT."""
    return Member.objects.on_register(on, within=organization).count()


def closed_months() -> QuerySet[ClosedMonth]:
    """The months the bloc has closed, latest first, with who closed them."""
    return ClosedMonth.objects.select_related("closed_by").order_by("-month")
