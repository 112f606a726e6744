"""The organization register's lifecycle, through its services."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from blocportal import clock
from organizations import services
from organizations.models import Organization, OrganizationEvent
from tests.factories import OrganizationFactory

D = datetime.date


def test_creating_an_organization_records_its_establishment(org_a, staff_user):
    cell = services.create_organization(
        code="a2",
        name="Chi bộ  Văn phòng",
        kind=Organization.Kind.SUBORDINATE_CELL,
        parent=org_a,
        established_on=D(2020, 3, 1),
        decision_no="12-QĐ/ĐU",
        by=staff_user,
    )
    assert cell.code == "A2"
    assert cell.name == "Chi bộ Văn phòng"
    assert cell.path.startswith(org_a.path) and cell.depth == 3
    assert cell.sector == org_a.sector  # a chi bộ trực thuộc takes its đảng bộ's sector
    event = cell.events.get()
    assert (event.kind, event.on, event.decision_no, event.recorded_by) == (
        OrganizationEvent.Kind.ESTABLISHED,
        D(2020, 3, 1),
        "12-QĐ/ĐU",
        staff_user,
    )
    assert cell.history.first().history_user == staff_user


@pytest.mark.parametrize(
    ("kind", "parent_fixture"),
    [
        (Organization.Kind.GRASSROOTS_CELL, "org_a"),  # chi bộ cơ sở sits under the bloc only
        (Organization.Kind.SUBORDINATE_CELL, "bloc"),  # chi bộ trực thuộc needs a đảng bộ cơ sở
        (Organization.Kind.GROUP, "org_a"),  # tổ đảng sits in a chi bộ
        (Organization.Kind.BRANCH_COMMITTEE, "org_b"),
    ],
)
def test_a_kind_cannot_sit_under_a_wrong_parent(request, kind, parent_fixture, staff_user):
    parent = request.getfixturevalue(parent_fixture)
    with pytest.raises(ValidationError) as excinfo:
        services.create_organization(
            code="X1", name="Chi bộ thử", kind=kind, parent=parent, sector="khac", by=staff_user
        )
    assert "parent" in excinfo.value.message_dict
    assert not Organization.objects.filter(code="X1").exists()


def test_codes_are_unique_ignoring_case(org_a, staff_user):
    with pytest.raises(ValidationError) as excinfo:
        services.create_organization(
            code="a",
            name="Trùng mã",
            kind=Organization.Kind.GRASSROOTS_CELL,
            parent=org_a.parent,
            sector="khac",
            by=staff_user,
        )
    assert "code" in excinfo.value.message_dict


def test_grassroots_organization_needs_a_sector(bloc, staff_user):
    with pytest.raises(ValidationError) as excinfo:
        services.create_organization(
            code="NS",
            name="Chi bộ không lĩnh vực",
            kind=Organization.Kind.GRASSROOTS_CELL,
            parent=bloc,
            by=staff_user,
        )
    assert "sector" in excinfo.value.message_dict


def test_rename_keeps_the_old_name_in_an_event(org_b, staff_user):
    services.rename_organization(
        organization=org_b,
        name="Chi bộ Báo và Phát thanh, Truyền hình Gia Lai",
        on=D(2025, 7, 1),
        decision_no="45-QĐ/ĐUK",
        by=staff_user,
    )
    org_b.refresh_from_db()
    assert org_b.name == "Chi bộ Báo và Phát thanh, Truyền hình Gia Lai"
    event = org_b.events.get(kind=OrganizationEvent.Kind.RENAMED)
    assert (event.old_name, event.decision_no) == ("Chi bộ Báo Gia Lai", "45-QĐ/ĐUK")


def test_moving_a_subtree_rewrites_every_descendant_path(bloc, org_a, cell_a1, staff_user, system_user):
    other = OrganizationFactory(
        code="C",
        name="Đảng bộ Sở Y tế",
        kind=Organization.Kind.GRASSROOTS_COMMITTEE,
        parent=bloc,
        by=system_user,
    )
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
    services.move_organization(
        organization=branch, new_parent=other, on=D(2025, 7, 1), decision_no="1", by=staff_user
    )
    cell.refresh_from_db()
    assert cell.path.startswith(other.path)
    assert set(Organization.objects.subtree(other)) == {other, branch, cell}
    assert set(Organization.objects.subtree(org_a)) == {org_a, cell_a1}
    event = branch.events.get(kind=OrganizationEvent.Kind.MOVED)
    assert (event.old_parent, event.new_parent) == (org_a, other)


def test_an_organization_cannot_move_into_its_own_subtree(org_a, cell_a1, staff_user, system_user):
    branch = OrganizationFactory(
        code="BP",
        name="Đảng bộ bộ phận",
        kind=Organization.Kind.BRANCH_COMMITTEE,
        parent=org_a,
        by=system_user,
    )
    with pytest.raises(ValidationError):
        services.move_organization(organization=org_a, new_parent=branch, on=D(2025, 1, 1), by=staff_user)


def test_dissolving_needs_the_sub_organizations_gone_first(org_a, cell_a1, staff_user):
    with pytest.raises(ValidationError, match="1"):
        services.dissolve_organization(organization=org_a, on=D(2025, 7, 1), by=staff_user)
    services.dissolve_organization(organization=cell_a1, on=D(2025, 7, 1), decision_no="9", by=staff_user)
    services.dissolve_organization(organization=org_a, on=D(2025, 7, 2), decision_no="10", by=staff_user)
    assert not Organization.objects.active().filter(pk__in=[org_a.pk, cell_a1.pk]).exists()
    # Still there for reports of earlier periods.
    assert set(Organization.objects.active(on=D(2025, 6, 30)).filter(code__in=["A", "A1"])) == {
        org_a,
        cell_a1,
    }


def test_a_dissolved_organization_no_longer_changes(org_b, staff_user):
    services.dissolve_organization(organization=org_b, on=D(2025, 7, 1), by=staff_user)
    with pytest.raises(ValidationError):
        services.rename_organization(organization=org_b, name="Tên mới", on=D(2025, 8, 1), by=staff_user)


def test_dissolution_cannot_precede_establishment(org_b, staff_user):
    with pytest.raises(ValidationError) as excinfo:
        services.dissolve_organization(organization=org_b, on=D(2000, 1, 1), by=staff_user)
    assert "on" in excinfo.value.message_dict


def test_merge_moves_the_children_and_dissolves_the_source(bloc, org_a, cell_a1, staff_user, system_user):
    target = OrganizationFactory(
        code="T",
        name="Đảng bộ Sở Tài chính - Kế hoạch",
        kind=Organization.Kind.GRASSROOTS_COMMITTEE,
        parent=bloc,
        by=system_user,
    )
    services.merge_organization(
        organization=org_a, into=target, on=D(2025, 3, 1), decision_no="7", by=staff_user
    )
    org_a.refresh_from_db()
    cell_a1.refresh_from_db()
    assert org_a.merged_into == target and org_a.dissolved_on == D(2025, 3, 1)
    assert cell_a1.parent == target and cell_a1.path.startswith(target.path)
    assert target.events.filter(kind=OrganizationEvent.Kind.RECEIVED, other=org_a).exists()


def test_only_organizations_of_the_same_kind_merge(org_a, org_b, staff_user):
    with pytest.raises(ValidationError):
        services.merge_organization(organization=org_b, into=org_a, on=D(2025, 3, 1), by=staff_user)


def test_correction_without_change_writes_no_history(org_b, staff_user):
    before = org_b.history.count()
    services.update_organization(organization=org_b, host_unit=org_b.host_unit, by=staff_user)
    assert org_b.history.count() == before
    services.update_organization(organization=org_b, host_unit="Báo Gia Lai", by=staff_user)
    assert org_b.history.count() == before + 1


def test_search_ignores_tone_marks(org_a, cell_a1, org_b):
    assert list(Organization.objects.search("chi bo phong ngan sach")) == [cell_a1]
    assert list(Organization.objects.search("ĐẢNG BỘ SỞ TÀI CHÍNH")) == [org_a]
    assert list(Organization.objects.search("bao gia lai")) == [org_b]


def test_a_chi_bo_takes_the_sector_of_its_dang_bo_when_moved(bloc, org_a, cell_a1, staff_user, system_user):
    enterprise = OrganizationFactory(
        code="CT",
        name="Đảng bộ Công ty Cao su",
        kind=Organization.Kind.GRASSROOTS_COMMITTEE,
        sector=Organization.Sector.STATE_ENTERPRISE,
        parent=bloc,
        by=system_user,
    )
    group = OrganizationFactory(
        code="A1-T1", name="Tổ đảng 1", kind=Organization.Kind.GROUP, parent=cell_a1, by=system_user
    )
    services.move_organization(organization=cell_a1, new_parent=enterprise, on=D(2025, 7, 1), by=staff_user)
    cell_a1.refresh_from_db()
    group.refresh_from_db()
    assert cell_a1.sector == group.sector == Organization.Sector.STATE_ENTERPRISE


def test_correcting_a_dang_bo_sector_carries_to_its_chi_bo(org_a, cell_a1, staff_user):
    services.update_organization(organization=org_a, sector=Organization.Sector.PARTY, by=staff_user)
    cell_a1.refresh_from_db()
    assert cell_a1.sector == Organization.Sector.PARTY
    assert cell_a1.history.first().history_user == staff_user


def test_a_chi_bo_truc_thuoc_cannot_have_its_own_sector(cell_a1, staff_user):
    with pytest.raises(ValidationError) as excinfo:
        services.update_organization(organization=cell_a1, sector=Organization.Sector.OTHER, by=staff_user)
    assert "sector" in excinfo.value.message_dict


def test_lifecycle_dates_cannot_be_in_the_future(org_b, cell_a1, staff_user):

    tomorrow = clock.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.dissolve_organization(organization=cell_a1, on=tomorrow, by=staff_user)
    with pytest.raises(ValidationError):
        services.rename_organization(organization=org_b, name="Tên mới", on=tomorrow, by=staff_user)
    cell_a1.refresh_from_db()
    assert cell_a1.is_active


def test_a_chi_bo_with_members_is_not_dissolved_or_merged(bloc, org_b, staff_user, system_user):
    from tests.factories import MemberFactory

    MemberFactory(organization=org_b)
    twin = OrganizationFactory(code="B2", name="Chi bộ Báo Gia Lai 2", parent=bloc, by=system_user)
    with pytest.raises(ValidationError, match="1"):
        services.dissolve_organization(organization=org_b, on=D(2025, 7, 1), by=staff_user)
    with pytest.raises(ValidationError):
        services.merge_organization(organization=org_b, into=twin, on=D(2025, 7, 1), by=staff_user)
    org_b.refresh_from_db()
    assert org_b.is_active
