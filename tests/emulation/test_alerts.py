"""The rating sections of the attention hub (``emulation.alerts``): members rated "không hoàn thành
nhiệm vụ" two years in a row (a ground for xóa tên, DOMAIN.md §2), and the chi bộ whose proposals wait for
the approval of the level above; each in the user's scope, in one query whatever the rows.

Today is 28/11/2026 (``PORTAL_NOW`` of the suite). The people (the personas of tests/conftest.py):
chi bộ A1 (under đảng bộ A) has Hai Năm (rated "không hoàn thành" in 2024 and 2025), Xen Kẽ (2023
"không hoàn thành", 2024 "hoàn thành tốt", 2025 "không hoàn thành"), Năm Cũ (2021 and 2022, not rated
since), Một Năm (2025 only, 2024 not rated) and Đang Đề Xuất (2024 "không hoàn thành", 2025 only proposed
so); chi bộ B has Ở Báo (2024 and 2025).
"""

import datetime

import pytest
from django.urls import reverse

from blocportal import attention
from blocportal.models import RuleValue
from emulation import alerts
from emulation.models import Level
from emulation.selectors import alerts as selectors
from emulation.services import ratings
from members import services as member_services
from members.models import Member, Movement
from tests.factories import MemberFactory
from tests.import_page import msg

D = datetime.date
TODAY = D(2026, 11, 28)
KHT, HTT = Level.FAILED, Level.GOOD


def rated(cell, name, by, **years) -> Member:
    """A member of ``cell`` with decided annual ratings (``y2024="kht"``), as imported."""
    member = MemberFactory(
        organization=cell,
        full_name=name,
        official=True,
        admitted_on=D(2019, 3, 1),
        ceremony_on=D(2019, 3, 15),
        by=by,
    )
    for key, level in years.items():
        ratings.record_decided_member(member=member, year=int(key[1:]), level=level, by=by)
    return member


@pytest.fixture
def failures(cell_a1, org_b, staff_user, secretary_a) -> dict[str, Member]:
    people = {
        "hai_nam": rated(cell_a1, "Hai Năm", staff_user, y2024=KHT, y2025=KHT),
        "xen_ke": rated(cell_a1, "Xen Kẽ", staff_user, y2023=KHT, y2024=HTT, y2025=KHT),
        "nam_cu": rated(cell_a1, "Năm Cũ", staff_user, y2021=KHT, y2022=KHT),
        "mot_nam": rated(cell_a1, "Một Năm", staff_user, y2023=KHT, y2025=KHT),
        "de_xuat": rated(cell_a1, "Đang Đề Xuất", staff_user, y2024=KHT),
        "o_bao": rated(org_b, "Ở Báo", staff_user, y2024=KHT, y2025=KHT),
    }
    ratings.propose_members(
        organization=cell_a1, year=2025, levels={people["de_xuat"].pk: KHT}, by=secretary_a
    )
    return people


def names(section) -> list[str]:
    return [row.member.full_name for row in section.rows]


def hub(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("attention"))
    assert response.status_code == 200
    return {section.key: section for section in response.context["sections"]}, response.content.decode()


# --- Rated "không hoàn thành" years in a row --------------------------------------------------------


def test_two_years_failed_in_a_row_put_a_member_on_the_hub(failures, staff_user):
    section = selectors.failed_section(staff_user, TODAY)

    assert names(section) == ["Hai Năm", "Ở Báo"] and section.count == 2
    assert section.rows[0].years == (2024, 2025)
    assert section.context == {"years": 2}


def test_a_secretary_sees_the_members_of_their_organization_only(client, failures, secretary_a, secretary_b):
    sections, html = hub(client, secretary_a)
    assert names(sections["ratings-failed"]) == ["Hai Năm"] and "Ở Báo" not in html
    assert "Hai Năm" in html and "2024, 2025" in html

    sections, html = hub(client, secretary_b)
    assert names(sections["ratings-failed"]) == ["Ở Báo"] and "Hai Năm" not in html


def test_a_member_who_left_the_register_is_not_listed(failures, staff_user, system_user):
    """Xóa tên on the ground the section points to: the member is no longer the hub's business."""
    member_services.remove(
        member=failures["hai_nam"], on=D(2026, 3, 1), ground=Movement.RemovalGround.RATING, by=system_user
    )

    assert names(selectors.failed_section(staff_user, TODAY)) == ["Ở Báo"]


def test_a_longer_run_in_the_rules_table_changes_the_section(failures, staff_user, cell_a1):
    RuleValue.objects.create(
        name="rating.failed_years_for_removal",
        value=3,
        regulation="Quy định giả định",
        effective_on=D(2026, 1, 1),
    )
    three = rated(cell_a1, "Ba Năm", staff_user, y2023=KHT, y2024=KHT, y2025=KHT)

    section = selectors.failed_section(staff_user, TODAY)
    assert [row.member for row in section.rows] == [three] and section.rows[0].years == (2023, 2024, 2025)
    assert selectors.failed_count(staff_user, TODAY) == 1


def test_the_digest_names_the_member_the_cell_and_the_years(failures, staff_user, cell_a1):
    row = selectors.failed_section(staff_user, TODAY).rows[0]
    provider = next(p for p in attention.providers(staff_user) if p.key == "ratings-failed")

    assert provider.describe(row) == msg(
        "%(name)s (%(organization)s): rated “failed to fulfil duties” in %(years)s",
        name="Hai Năm",
        organization=cell_a1.name,
        years="2024, 2025",
    )


# --- Proposals awaiting approval ---------------------------------------------------------------------


@pytest.fixture
def proposed(cell_a1, org_b, secretary_a, secretary_b, system_user) -> dict[str, list[Member]]:
    """This year's proposals: chi bộ A1 proposes three members, chi bộ B one."""
    a1 = [MemberFactory(organization=cell_a1, official=True, by=system_user) for _ in range(3)]
    b = [MemberFactory(organization=org_b, official=True, by=system_user)]
    ratings.propose_members(organization=cell_a1, year=2026, levels={m.pk: HTT for m in a1}, by=secretary_a)
    ratings.propose_members(organization=org_b, year=2026, levels={b[0].pk: HTT}, by=secretary_b)
    return {"a1": a1, "b": b}


def test_the_cells_with_proposals_to_approve_are_listed_for_staff(
    client, proposed, staff_user, cell_a1, org_b
):
    sections, html = hub(client, staff_user)

    section = sections["ratings-awaiting"]
    assert [(row.organization, row.year, row.quarter, row.waiting) for row in section.rows] == [
        (cell_a1, 2026, 0, 3),
        (org_b, 2026, 0, 1),
    ]
    assert reverse("emulation:member_sheet", args=[cell_a1.pk, 2026]) in html


def test_an_approved_proposal_leaves_the_section(proposed, staff_user, cell_a1, org_b):
    ratings.approve_members(
        organization=cell_a1, year=2026, levels={proposed["a1"][0].pk: HTT}, by=staff_user
    )
    assert [
        (row.organization, row.waiting) for row in selectors.awaiting_section(staff_user, TODAY).rows
    ] == [
        (cell_a1, 2),
        (org_b, 1),
    ]

    ratings.approve_members(organization=cell_a1, year=2026, by=staff_user)
    assert [row.organization for row in selectors.awaiting_section(staff_user, TODAY).rows] == [org_b]
    assert selectors.awaiting_count(staff_user, TODAY) == 1


def test_only_those_who_approve_see_the_proposals(client, proposed, secretary_a, leader_user):
    for user in (secretary_a, leader_user):
        sections, _html = hub(client, user)
        assert "ratings-awaiting" not in sections


def test_the_digest_says_how_many_wait(proposed, staff_user, cell_a1):
    row = selectors.awaiting_section(staff_user, TODAY).rows[0]
    assert alerts.PROVIDERS[1].describe(row) == msg(
        "%(organization)s: %(count)s members' ratings for %(period)s await approval",
        organization=cell_a1.name,
        count=3,
        period="2026",
    )


# --- What it costs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("more", [0, 6])
def test_each_section_is_one_query(
    failures, proposed, staff_user, cell_a1, secretary_a, django_assert_num_queries, more
):
    for n in range(more):
        rated(cell_a1, f"Thêm Người {n}", staff_user, y2024=KHT, y2025=KHT)
    extra = [MemberFactory(organization=cell_a1, official=True, by=staff_user) for _ in range(more)]
    if extra:
        ratings.propose_members(
            organization=cell_a1, year=2026, levels={m.pk: HTT for m in extra}, by=secretary_a
        )
    selectors.failed_count(staff_user, TODAY)  # the assignments, read once per request

    with django_assert_num_queries(1):
        failed = selectors.failed_section(staff_user, TODAY)
    with django_assert_num_queries(1):
        awaiting = selectors.awaiting_section(staff_user, TODAY)
    with django_assert_num_queries(2):
        counts = (selectors.failed_count(staff_user, TODAY), selectors.awaiting_count(staff_user, TODAY))

    assert failed.count == 2 + more and awaiting.rows[0].waiting == 3 + more
    assert counts == (failed.count, awaiting.count)
