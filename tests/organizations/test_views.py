"""The organization pages as staff and secretaries use them."""

import pytest
from django.urls import reverse

from organizations.models import Organization, OrganizationEvent
from tests.factories import OrganizationFactory


def test_staff_creates_a_chi_bo_under_a_dang_bo(client, staff_user, org_a):
    client.force_login(staff_user)
    response = client.post(
        reverse("organizations:create"),
        {
            "parent": org_a.pk,
            "kind": Organization.Kind.SUBORDINATE_CELL,
            "code": "A-VP",
            "name": "Chi bộ Văn phòng Sở",
            "established_on": "05/02/2026",
            "decision_no": "15-QĐ/ĐU",
        },
    )
    cell = Organization.objects.get(code="A-VP")
    assert response.status_code == 302 and response["Location"] == cell.get_absolute_url()
    assert cell.parent == org_a and cell.established_on.isoformat() == "2026-02-05"
    assert cell.events.get().decision_no == "15-QĐ/ĐU"


def test_wrong_nesting_is_refused_with_a_vietnamese_message(client, staff_user, org_b):
    client.force_login(staff_user)
    response = client.post(
        reverse("organizations:create"),
        {
            "parent": org_b.pk,
            "kind": Organization.Kind.SUBORDINATE_CELL,
            "code": "X",
            "name": "Chi bộ X",
            "established_on": "01/01/2026",
        },
    )
    assert response.status_code == 200
    assert "Không thể đặt chi bộ trực thuộc dưới chi bộ cơ sở." in response.content.decode()
    assert not Organization.objects.filter(code="X").exists()


def test_a_date_in_the_wrong_format_is_refused(client, staff_user, org_a):
    client.force_login(staff_user)
    response = client.post(
        reverse("organizations:create"),
        {
            "parent": org_a.pk,
            "kind": Organization.Kind.SUBORDINATE_CELL,
            "code": "X",
            "name": "Chi bộ X",
            "established_on": "2026-31-12",
        },
    )
    assert response.status_code == 200
    assert "Nhập một ngày hợp lệ" in response.content.decode()


def test_parent_choices_are_limited_to_the_users_scope(client, org_a, org_b, system_user):
    from blocportal.models import Role
    from tests.factories import UserFactory, assign

    unit_staff = UserFactory(username="unit-staff")
    assign(unit_staff, Role.STAFF, org_a)
    client.force_login(unit_staff)
    response = client.post(
        reverse("organizations:create"),
        {
            "parent": org_b.pk,
            "kind": Organization.Kind.GROUP,
            "code": "X",
            "name": "Tổ đảng X",
            "established_on": "01/01/2026",
        },
    )
    assert response.status_code == 200
    assert not Organization.objects.filter(code="X").exists()
    assert org_b.name not in response.content.decode()


def test_dissolve_form_needs_confirmation_and_records_the_decision(client, staff_user, cell_a1):
    client.force_login(staff_user)
    url = reverse("organizations:dissolve", args=[cell_a1.pk])
    response = client.post(url, {"on": "01/07/2025", "decision_no": "88-QĐ/ĐU"})
    assert response.status_code == 200
    cell_a1.refresh_from_db()
    assert cell_a1.is_active
    response = client.post(url, {"on": "01/07/2025", "decision_no": "88-QĐ/ĐU", "confirm": "on"})
    assert response.status_code == 302
    cell_a1.refresh_from_db()
    assert not cell_a1.is_active
    assert cell_a1.events.filter(kind=OrganizationEvent.Kind.DISSOLVED, decision_no="88-QĐ/ĐU").exists()


def test_dissolved_organizations_leave_current_lists_but_keep_their_page(client, staff_user, cell_a1):
    from organizations import services

    services.dissolve_organization(organization=cell_a1, on=cell_a1.established_on, by=staff_user)
    client.force_login(staff_user)
    listing = client.get(reverse("organizations:list")).content.decode()
    assert "Chi bộ Phòng Ngân sách" not in listing
    dissolved = client.get(reverse("organizations:list"), {"status": "dissolved"}).content.decode()
    assert "Chi bộ Phòng Ngân sách" in dissolved
    tree = client.get(reverse("organizations:tree")).content.decode()
    assert "Chi bộ Phòng Ngân sách" not in tree
    opened = client.get(reverse("organizations:tree_children", args=[cell_a1.parent_id])).content.decode()
    assert "Chi bộ Phòng Ngân sách" not in opened  # nor when its đảng bộ cơ sở is opened
    page = client.get(cell_a1.get_absolute_url()).content.decode()
    assert "Giải thể" in page


def test_move_and_rename_from_the_browser(client, staff_user, bloc, org_a, cell_a1, system_user):
    target = OrganizationFactory(
        code="YT",
        name="Đảng bộ Sở Y tế",
        kind=Organization.Kind.GRASSROOTS_COMMITTEE,
        parent=bloc,
        by=system_user,
    )
    client.force_login(staff_user)
    response = client.post(
        reverse("organizations:move", args=[cell_a1.pk]),
        {"new_parent": target.pk, "on": "01/07/2025", "decision_no": "3-QĐ/ĐUK"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("organizations:rename", args=[cell_a1.pk]),
        {"name": "Chi bộ Phòng Dược", "on": "02/07/2025", "decision_no": "4-QĐ/ĐUK"},
    )
    assert response.status_code == 302
    cell_a1.refresh_from_db()
    assert (cell_a1.parent, cell_a1.name) == (target, "Chi bộ Phòng Dược")
    page = client.get(cell_a1.get_absolute_url()).content.decode()
    assert "3-QĐ/ĐUK" in page and "Chi bộ Phòng Ngân sách → Chi bộ Phòng Dược" in page


def test_list_search_ignores_tone_marks(client, staff_user, org_a, cell_a1, org_b):
    client.force_login(staff_user)
    page = client.get(reverse("organizations:list"), {"q": "chi bo phong ngan sach"}).content.decode()
    assert "Chi bộ Phòng Ngân sách" in page and "Chi bộ Báo Gia Lai" not in page


def test_list_answers_htmx_with_the_table_only(client, staff_user, org_a):
    client.force_login(staff_user)
    response = client.get(reverse("organizations:list"), {"q": "tai chinh"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Đảng bộ Sở Tài chính" in body and "<nav" not in body


def test_secretary_sees_only_their_subtree(client, secretary_a, org_a, cell_a1, org_b):
    client.force_login(secretary_a)
    listing = client.get(reverse("organizations:list")).content.decode()
    assert "Chi bộ Phòng Ngân sách" in listing and "Chi bộ Báo Gia Lai" not in listing
    tree = client.get(reverse("organizations:tree")).content.decode()
    assert "Đảng bộ Sở Tài chính" in tree and "Chi bộ Báo Gia Lai" not in tree


def test_tree_counts_sub_organizations_by_kind(client, leader_user, bloc, org_a, cell_a1, org_b):
    client.force_login(leader_user)
    response = client.get(reverse("organizations:tree"))
    nodes = response.context["forest"]
    assert [node.organization for node in nodes] == [bloc]
    counts = dict(nodes[0].count_items)
    assert counts == {"Đảng bộ cơ sở": 1, "Chi bộ cơ sở": 1, "Chi bộ trực thuộc": 1}
    # The đảng bộ cơ sở counts its own, though its chi bộ are loaded when it is opened.
    under_a = next(node for node in nodes[0].children if node.organization == org_a)
    assert under_a.lazy and dict(under_a.count_items) == {"Chi bộ trực thuộc": 1}


def test_tree_stops_at_the_grassroots_level_and_loads_the_rest_when_opened(
    client, staff_user, bloc, org_a, cell_a1, org_b
):
    client.force_login(staff_user)
    page = client.get(reverse("organizations:tree")).content.decode()
    children_url = reverse("organizations:tree_children", args=[org_a.pk])
    assert org_a.name in page and org_b.name in page and cell_a1.name not in page
    assert f'hx-get="{children_url}" hx-trigger="toggle once"' in page
    children = client.get(children_url)
    assert children.status_code == 200 and cell_a1.name in children.content.decode()
    assert "<html" not in children.content.decode()  # the node's list only, swapped in by htmx


def test_a_grassroots_root_shows_its_whole_subtree(client, secretary_a, staff_user, org_a, cell_a1):
    client.force_login(secretary_a)  # their scope is the đảng bộ cơ sở: the root of their tree
    assert cell_a1.name in client.get(reverse("organizations:tree")).content.decode()
    client.force_login(staff_user)
    assert cell_a1.name in client.get(reverse("organizations:tree"), {"root": org_a.pk}).content.decode()


@pytest.mark.parametrize("grassroots", [5, 60])
def test_tree_query_count_does_not_grow_with_organizations(
    client, staff_user, bloc, system_user, django_assert_num_queries, grassroots
):
    committees = [
        OrganizationFactory(
            code=f"DB{n}",
            name=f"Đảng bộ {n}",
            kind=Organization.Kind.GRASSROOTS_COMMITTEE,
            parent=bloc,
            by=system_user,
        )
        for n in range(grassroots)
    ]
    for n, committee in enumerate(committees[:5]):
        OrganizationFactory(
            code=f"CB{n}",
            name=f"Chi bộ {n}",
            kind=Organization.Kind.SUBORDINATE_CELL,
            parent=committee,
            by=system_user,
        )
    client.force_login(staff_user)
    # The session, the user, the user's assignments; the paths and kinds of the forest, the
    # organizations shown.
    with django_assert_num_queries(5):
        response = client.get(reverse("organizations:tree"))
    assert len(response.context["forest"][0].children) == grassroots
    # Opening a node: the same, and the node itself.
    with django_assert_num_queries(6):
        client.get(reverse("organizations:tree_children", args=[committees[0].pk]))


def test_detail_page_shows_field_history(client, staff_user, org_b):
    client.force_login(staff_user)
    client.post(
        reverse("organizations:update", args=[org_b.pk]),
        {
            "name": org_b.name,
            "short_name": "",
            "sector": org_b.sector,
            "host_unit": "Báo Gia Lai",
            "established_on": "01/05/2010",
        },
    )
    page = client.get(org_b.get_absolute_url()).content.decode()
    history = page[page.rindex('<table class="table table-sm">') :]
    assert "Báo Gia Lai" in history and "Nguyễn Văn An" in history  # staff_user, by full name


@pytest.mark.parametrize("rows", [5, 40])
def test_list_page_query_count_does_not_grow_with_rows(
    client, staff_user, bloc, system_user, django_assert_max_num_queries, rows
):
    for n in range(rows):
        OrganizationFactory(code=f"Q{n}", name=f"Chi bộ {n}", parent=bloc, by=system_user)
    client.force_login(staff_user)
    with django_assert_max_num_queries(5):  # 12 when every page saved the session
        client.get(reverse("organizations:list"))


def _continue_ids_from(model, start: int) -> None:
    """Make the next primary key large, as on a database that has lived for years."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [model._meta.db_table, start]
            )
        else:
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [start, model._meta.db_table]
            )


def test_links_carry_ids_without_thousand_separators(client, staff_user, bloc, system_user):
    _continue_ids_from(Organization, 12344)
    big = OrganizationFactory(
        code="BIG",
        name="Đảng bộ Công ty Cà phê",
        kind=Organization.Kind.GRASSROOTS_COMMITTEE,
        parent=bloc,
        by=system_user,
    )
    assert big.pk == 12345
    client.force_login(staff_user)
    assert "?parent=12345" in client.get(big.get_absolute_url()).content.decode()
    assert "?parent=12345" in client.get(reverse("organizations:tree"), {"root": big.pk}).content.decode()


@pytest.fixture
def unit_staff_and_bloc_leader(bloc, org_a):
    """Staff of A who also sits in the bloc's leadership: may read everything, change only A."""
    from blocportal.models import Role
    from tests.factories import UserFactory, assign

    user = UserFactory(username="mixed")
    assign(user, Role.STAFF, org_a)
    assign(user, Role.LEADER, bloc)
    return user


def test_move_offers_and_accepts_only_parents_the_user_may_change(
    client, unit_staff_and_bloc_leader, bloc, org_a, cell_a1, system_user
):
    other = OrganizationFactory(
        code="YT",
        name="Đảng bộ Sở Y tế",
        kind=Organization.Kind.GRASSROOTS_COMMITTEE,
        parent=bloc,
        by=system_user,
    )
    client.force_login(unit_staff_and_bloc_leader)
    url = reverse("organizations:move", args=[cell_a1.pk])
    assert other.name not in client.get(url).content.decode()
    response = client.post(url, {"new_parent": other.pk, "on": "01/07/2025", "decision_no": "1"})
    assert response.status_code == 200
    cell_a1.refresh_from_db()
    assert cell_a1.parent == org_a


def test_correction_form_has_no_sector_for_a_chi_bo_truc_thuoc(client, staff_user, cell_a1):
    client.force_login(staff_user)
    form = client.get(reverse("organizations:update", args=[cell_a1.pk])).context["form"]
    assert "sector" not in form.fields
