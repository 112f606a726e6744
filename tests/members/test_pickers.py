"""The register's organization pickers (issue 7): the movement, new-member and bulk-transfer forms
and the list filters ship only the chosen organization, still refuse one outside the user's scope,
and still filter; the lists name each chi bộ with its đảng bộ, without a query per row."""

import re

import pytest
from django.urls import reverse

from blocportal.models import Role
from members.models import Member, Movement
from organizations.models import Organization
from tests.factories import MemberFactory, OrganizationFactory, UserFactory, assign

Kind = Organization.Kind


def _selects(html: str) -> dict[str, list[str]]:
    """The options of every select of the page, by the select's name."""
    return {
        name: re.findall(r"<option\b", body)
        for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S)
    }


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select named {name}"
    return re.findall(r"<option[^>]*>[^<]*</option>", select.group(1))


@pytest.fixture
def demo_like(bloc, org_a, system_user):
    """As in the demo: 31 đảng bộ cơ sở besides A, each with a "Chi bộ Văn phòng" and nine other
    chi bộ — 341 chi bộ a member can be transferred to."""
    offices = {}
    for number in range(31):
        unit = OrganizationFactory(
            code=f"U{number:02d}",
            name=f"Đảng bộ Sở số {number}",
            kind=Kind.GRASSROOTS_COMMITTEE,
            parent=bloc,
            by=system_user,
        )
        offices[number] = OrganizationFactory(
            code=f"U{number:02d}.VP",
            name="Chi bộ Văn phòng",
            kind=Kind.SUBORDINATE_CELL,
            parent=unit,
            sector="",
            by=system_user,
        )
        for other in range(1, 10):
            OrganizationFactory(
                code=f"U{number:02d}.{other:02d}",
                name=f"Chi bộ Phòng {other}",
                kind=Kind.SUBORDINATE_CELL,
                parent=unit,
                sector="",
                by=system_user,
            )
    return offices


@pytest.fixture
def member(cell_a1, system_user):
    return MemberFactory(organization=cell_a1, full_name="Trần Văn Bình", official=True, by=system_user)


def test_the_transfer_page_ships_no_long_select(client, staff_user, member, demo_like):
    client.force_login(staff_user)

    html = client.get(reverse("members:move", args=[member.pk, "transfer"])).content.decode()

    assert Organization.objects.filter(kind__in=Organization.CELL_KINDS).count() > 300
    assert max(len(options) for options in _selects(html).values()) < 300
    assert _options(html, "to") == ['<option value="" selected>---------</option>']
    assert 'data-search-url="/organizations/search/?for=member.cells"' in html
    assert html.count("Văn phòng") == 0


def test_a_transfer_posted_to_an_office_is_recorded_and_shown_with_its_dang_bo(
    client, staff_user, member, demo_like
):
    client.force_login(staff_user)
    target = demo_like[7]

    response = client.post(
        reverse("members:move", args=[member.pk, "transfer"]),
        {"to": target.pk, "on": "20/03/2025", "decision_no": "12-QĐ/ĐUK"},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.organization == target
    assert member.events.filter(kind=Movement.Kind.TRANSFERRED, to_organization=target).exists()
    listed = client.get(reverse("members:list"), {"q": "tran van binh"}).content.decode()
    assert 'Chi bộ Văn phòng <span class="text-muted small">— Đảng bộ Sở số 7</span>' in listed


def test_a_refused_transfer_shows_the_chosen_cell_again_named_with_its_dang_bo(
    client, staff_user, member, demo_like
):
    client.force_login(staff_user)
    target = demo_like[3]

    response = client.post(reverse("members:move", args=[member.pk, "transfer"]), {"to": target.pk})

    assert response.status_code == 200 and "on" in response.context["form"].errors
    assert _options(response.content.decode(), "to") == [
        '<option value="">---------</option>',
        f'<option value="{target.pk}" selected>Chi bộ Văn phòng — Đảng bộ Sở số 3</option>',
    ]


@pytest.fixture
def unit_staff(org_a):
    """Staff of the Đảng bộ Sở Tài chính only: their movements stay inside it."""
    user = UserFactory(username="unit-staff")
    assign(user, Role.STAFF, org_a)
    return user


def test_a_target_outside_the_scope_is_refused(client, unit_staff, member, org_b):
    client.force_login(unit_staff)

    response = client.post(
        reverse("members:move", args=[member.pk, "transfer"]),
        {"to": org_b.pk, "on": "20/03/2025", "decision_no": "1"},
    )

    assert response.status_code == 200
    assert "to" in response.context["form"].errors
    member.refresh_from_db()
    assert member.organization.code == "A1"
    assert f'value="{org_b.pk}"' not in response.content.decode()


@pytest.mark.parametrize("view", ["members:admit", "members:transfer_in", "members:receive_temporary"])
def test_a_new_member_outside_the_scope_is_refused(client, unit_staff, org_b, view):
    client.force_login(unit_staff)

    response = client.post(reverse(view), {"organization": org_b.pk, "full_name": "Hoàng Thị Mai"})

    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Member.objects.filter(full_name="Hoàng Thị Mai").exists()


def test_the_new_member_forms_search_the_cells_of_the_change_scope(client, staff_user, demo_like):
    client.force_login(staff_user)
    for view in ("members:admit", "members:transfer_in", "members:receive_temporary"):
        html = client.get(reverse(view)).content.decode()
        assert _options(html, "organization") == ['<option value="" selected>---------</option>'], view
        assert "for=member.cells" in html


def test_the_bulk_transfer_pickers(client, staff_user, member, cell_a1, org_b, demo_like):
    client.force_login(staff_user)

    html = client.get(reverse("members:bulk_transfer"), {"source": cell_a1.pk}).content.decode()

    assert _options(html, "source") == [
        '<option value="">---------</option>',
        f'<option value="{cell_a1.pk}" selected>Chi bộ Phòng Ngân sách — Đảng bộ Sở Tài chính</option>',
    ]
    assert "for=member.sources" in html
    assert _options(html, "to") == ['<option value="" selected>---------</option>']
    assert f"for=member.cells&amp;exclude={cell_a1.pk}" in html
    response = client.post(
        f"{reverse('members:bulk_transfer')}?source={cell_a1.pk}",
        {"members": [member.pk], "to": cell_a1.pk, "on": "20/03/2025"},
    )
    assert "to" in response.context["form"].errors  # not into the chi bộ it leaves
    response = client.post(
        f"{reverse('members:bulk_transfer')}?source={cell_a1.pk}",
        {"members": [member.pk], "to": demo_like[0].pk, "on": "20/03/2025"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.organization == demo_like[0]


# The list filters --------------------------------------------------------------------------------


@pytest.fixture
def members_a_and_b(cell_a1, org_b, system_user):
    return (
        MemberFactory(organization=cell_a1, full_name="Nguyễn Văn Ánh", official=True, by=system_user),
        MemberFactory(organization=org_b, full_name="Lê Thị Bông", official=True, by=system_user),
    )


@pytest.mark.parametrize(
    ("view", "search"),
    [
        ("members:list", "for=visible"),
        ("members:candidate_list", "for=visible&amp;kind=chi_bo_co_so&amp;kind=chi_bo_truc_thuoc"),
        ("members:badge_list", "for=visible"),
        ("members:badge_awarded", "for=visible"),
    ],
)
def test_the_list_filters_ship_only_the_chosen_organization(
    client, staff_user, cell_a1, demo_like, view, search
):
    """The badge lists are filtered by organization in test_badges_views.py."""
    client.force_login(staff_user)

    unfiltered = client.get(reverse(view)).content.decode()
    filtered = client.get(reverse(view), {"organization": cell_a1.pk}).content.decode()

    assert _options(unfiltered, "organization") == ['<option value="" selected>Tất cả</option>']
    assert _options(filtered, "organization") == [
        '<option value="">Tất cả</option>',
        f'<option value="{cell_a1.pk}" selected>Chi bộ Phòng Ngân sách — Đảng bộ Sở Tài chính</option>',
    ]
    assert f'data-search-url="/organizations/search/?{search}"' in filtered


def test_the_member_list_still_filters_by_organization(client, staff_user, org_a, org_b, members_a_and_b):
    client.force_login(staff_user)

    in_a = client.get(reverse("members:list"), {"organization": org_a.pk}).context["table"]
    in_b = client.get(reverse("members:list"), {"organization": org_b.pk}).context["table"]

    assert [row.record.full_name for row in in_a.page.object_list] == ["Nguyễn Văn Ánh"]
    assert [row.record.full_name for row in in_b.page.object_list] == ["Lê Thị Bông"]


def test_an_organization_outside_the_scope_filters_nothing_in(client, secretary_a, org_b, members_a_and_b):
    client.force_login(secretary_a)

    table = client.get(reverse("members:list"), {"organization": org_b.pk}).context["table"]

    assert [row.record.full_name for row in table.page.object_list] == ["Nguyễn Văn Ánh"]


def test_the_candidate_list_still_filters_by_chi_bo(client, staff_user, cell_a1, org_b, system_user):
    from tests.factories import CandidateFactory

    CandidateFactory(organization=cell_a1, full_name="Phạm Thị Cúc", by=system_user)
    CandidateFactory(organization=org_b, full_name="Đỗ Văn Dũng", by=system_user)
    client.force_login(staff_user)

    response = client.get(reverse("members:candidate_list"), {"organization": cell_a1.pk})

    names = [row.record.full_name for row in response.context["table"].page.object_list]
    assert names == ["Phạm Thị Cúc"]
    assert "Phòng Ngân sách <span" in response.content.decode()  # with its đảng bộ beside it


# The member table ---------------------------------------------------------------------------------


def test_the_member_table_names_the_dang_bo_of_each_chi_bo_in_one_query(
    client, staff_user, demo_like, system_user, django_assert_num_queries
):
    client.force_login(staff_user)
    client.get(reverse("members:list"))
    for number in range(3):  # after the first page: both pages below count the members again
        MemberFactory(organization=demo_like[number], by=system_user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as three:
        html = client.get(reverse("members:list")).content.decode()
    for number in range(3, 12):
        MemberFactory(organization=demo_like[number], by=system_user)
    with django_assert_num_queries(len(three.captured_queries)):
        more = client.get(reverse("members:list")).content.decode()

    assert html.count('Chi bộ Văn phòng <span class="text-muted small">— Đảng bộ Sở số') == 3
    assert more.count('Chi bộ Văn phòng <span class="text-muted small">— Đảng bộ Sở số') == 12
    assert "— Đảng bộ Sở số 11</span>" in more


def test_a_grassroots_chi_bo_is_shown_alone(client, staff_user, org_b, system_user):
    MemberFactory(organization=org_b, by=system_user)
    client.force_login(staff_user)

    html = client.get(reverse("members:list")).content.decode()

    assert "Chi bộ Báo Gia Lai</td>" in html


def test_the_date_fields_carry_the_calendar_and_keep_dd_mm_yyyy(client, staff_user, member):
    client.force_login(staff_user)

    html = client.get(reverse("members:move", args=[member.pk, "transfer"])).content.decode()

    field = re.search(r'<input type="text" name="on"[^>]*>', html).group(0)
    assert 'placeholder="dd/mm/yyyy"' in field and "data-datepicker" in field
    assert "vendor/vanillajs-datepicker/js/locales/vi.js" in html
    assert "vendor/tom-select/js/tom-select.complete.min.js" in html


def test_the_badge_lists_name_the_dang_bo_of_each_chi_bo(client, staff_user, cell_a1, org_b):
    from blocportal import clock
    from members.selectors import badges
    from members.services import badges as badge_services
    from tests.members.veterans import veteran

    next_day = badges.next_award_date(clock.today())
    forty_one_years_before = next_day.replace(year=next_day.year - 41, day=1)  # 40 reached, not 45
    in_a1 = veteran(cell_a1, forty_one_years_before, by=staff_user, full_name="Lý Văn Bốn Mươi")
    veteran(org_b, forty_one_years_before, by=staff_user, full_name="Hà Thị Quá Hạn")
    client.force_login(staff_user)

    due = client.get(reverse("members:badge_list"), {"on": next_day.isoformat()}).content.decode()
    badge_services.award_badge(
        member=in_a1, years=40, awarded_on=badges.previous_award_date(next_day), by=staff_user
    )
    awarded = client.get(reverse("members:badge_awarded")).content.decode()

    for html in (due, awarded):
        assert 'Chi bộ Phòng Ngân sách <span class="text-muted small">— Đảng bộ Sở Tài chính</span>' in html
    assert "Chi bộ Báo Gia Lai</td>" in due  # a chi bộ cơ sở is its own grassroots organization
