"""The history of the organization register holds the real paths: on creation, and for every
organization of a subtree that moves (the path is rewritten by one UPDATE, which writes no
history by itself)."""

import datetime

from organizations import services
from organizations.models import Organization, OrganizationEvent
from tests.factories import OrganizationFactory, UserFactory

D = datetime.date


def test_creation_is_recorded_once_with_the_real_path(org_a, staff_user):
    cell = services.create_organization(
        code="A2",
        name="Chi bộ Văn phòng",
        kind=Organization.Kind.SUBORDINATE_CELL,
        parent=org_a,
        by=staff_user,
    )

    record = cell.history.get()
    assert (record.path, record.history_type, record.history_user) == (cell.path, "+", staff_user)
    assert record.path.startswith(org_a.path) and "~" not in record.path


def _subtree(org_a, system_user):
    """Under org_a: a đảng bộ bộ phận with a chi bộ and a tổ đảng of that chi bộ."""
    branch = OrganizationFactory(
        code="A-BP",
        name="Đảng bộ bộ phận Kho bạc",
        kind=Organization.Kind.BRANCH_COMMITTEE,
        parent=org_a,
        by=system_user,
    )
    cell = OrganizationFactory(
        code="A-BP-1",
        name="Chi bộ Kho bạc 1",
        kind=Organization.Kind.SUBORDINATE_CELL,
        parent=branch,
        by=system_user,
    )
    group = OrganizationFactory(
        code="A-BP-1-T1", name="Tổ đảng Kho quỹ", kind=Organization.Kind.GROUP, parent=cell, by=system_user
    )
    return branch, cell, group


def _grassroots_committee(bloc, sector: str, by) -> Organization:
    """Another đảng bộ cơ sở of the bloc, in ``sector``: where the subtree moves to."""
    return OrganizationFactory(
        code="C",
        name="Đảng bộ Công ty",
        kind=Organization.Kind.GRASSROOTS_COMMITTEE,
        sector=sector,
        parent=bloc,
        by=by,
    )


def test_a_move_records_the_new_path_of_every_descendant(bloc, org_a, staff_user, system_user):
    branch, cell, group = _subtree(org_a, system_user)
    other = _grassroots_committee(bloc, Organization.Sector.STATE_ENTERPRISE, system_user)
    mover = UserFactory(username="mover", first_name="Phạm Thị", last_name="Chuyển")

    services.move_organization(organization=branch, new_parent=other, on=D(2025, 7, 1), by=mover)

    for organization in (branch, cell, group):
        organization.refresh_from_db()
        latest = organization.history.order_by("-history_date", "-history_id").first()
        assert organization.path.startswith(other.path)
        assert (latest.path, latest.sector, latest.history_user) == (
            organization.path,
            Organization.Sector.STATE_ENTERPRISE,
            mover,
        ), organization.code
        # One row for the move, after the creation: the path and the sector in the same row.
        assert organization.history.count() == 2, organization.code


def test_the_move_event_says_what_moved_along(bloc, org_a, staff_user, system_user):
    branch, cell, group = _subtree(org_a, system_user)
    other = _grassroots_committee(bloc, Organization.Sector.STATE_ENTERPRISE, system_user)

    services.move_organization(organization=branch, new_parent=other, on=D(2025, 7, 1), by=staff_user)

    note = branch.events.get(kind=OrganizationEvent.Kind.MOVED).note
    assert (
        str(Organization.Sector.STATE.label) in note
        and str(Organization.Sector.STATE_ENTERPRISE.label) in note
    )
    assert "2" in note and cell.name in note and group.name in note


def test_a_move_without_descendants_or_sector_change_leaves_no_note(
    bloc, org_a, cell_a1, staff_user, system_user
):
    other = _grassroots_committee(bloc, Organization.Sector.STATE, system_user)

    services.move_organization(organization=cell_a1, new_parent=other, on=D(2025, 7, 1), by=staff_user)

    assert cell_a1.events.get(kind=OrganizationEvent.Kind.MOVED).note == ""
    cell_a1.refresh_from_db()
    assert cell_a1.history.order_by("-history_date", "-history_id").first().path == cell_a1.path
