"""Reading the register: scope (who sees whom), current lists and search."""

import datetime

from blocportal.models import Role
from members import services
from members.models import Member
from tests.factories import MemberFactory, UserFactory, assign

D = datetime.date


def test_secretary_sees_the_members_of_their_subtree_only(
    probationary, org_b, secretary_a, secretary_b, staff_user, leader_user
):
    in_b = MemberFactory(organization=org_b, full_name="Đinh Văn Giang", by=staff_user)
    # secretary_a holds org_a (the đảng bộ cơ sở): that includes chi bộ A1 below it.
    assert set(Member.objects.visible_to(secretary_a)) == {probationary}
    assert set(Member.objects.visible_to(secretary_b)) == {in_b}
    assert set(Member.objects.visible_to(staff_user)) == {probationary, in_b}
    assert set(Member.objects.visible_to(leader_user)) == {probationary, in_b}


def test_secretary_of_the_cell_sees_its_members(probationary, cell_a1):
    secretary = UserFactory(username="secretary_a1")
    assign(secretary, Role.SECRETARY, cell_a1)
    assert list(Member.objects.visible_to(secretary)) == [probationary]


def test_a_user_without_assignment_sees_no_member(probationary, superuser):
    assert not Member.objects.visible_to(UserFactory(username="nobody")).exists()
    assert list(Member.objects.visible_to(superuser)) == [probationary]


def test_a_transfer_moves_the_member_into_the_other_scope(
    official, org_b, secretary_a, secretary_b, staff_user
):
    services.transfer(member=official, to=org_b, on=D(2025, 7, 1), by=staff_user)
    assert not Member.objects.visible_to(secretary_a).exists()
    assert list(Member.objects.visible_to(secretary_b)) == [official]


def test_a_former_member_stays_in_the_scope_they_left(official, secretary_a, staff_user):
    services.transfer_out(
        member=official, destination="Đảng bộ tỉnh Đắk Lắk", on=D(2025, 7, 1), by=staff_user
    )
    assert list(Member.objects.visible_to(secretary_a)) == [official]
    assert not Member.objects.visible_to(secretary_a).current().exists()


def test_current_members_of_a_subtree(probationary, official, org_a, org_b, bloc, staff_user):
    services.record_death(member=official, on=D(2025, 7, 1), by=staff_user)
    assert list(Member.objects.current().in_subtree(org_a)) == [probationary]
    assert list(Member.objects.current().in_subtree(org_b)) == []
    assert set(Member.objects.in_subtree(bloc)) == {probationary, official}


def test_search_ignores_tone_marks_and_finds_numbers(cell_a1, staff_user):
    member = MemberFactory(
        organization=cell_a1, full_name="Nguyễn Thị Đào", cccd="064190000777", by=staff_user
    )
    assert list(Member.objects.search("nguyen thi dao")) == [member]
    assert list(Member.objects.search("ĐÀO")) == [member]
    assert list(Member.objects.search("064190000777")) == [member]
    assert list(Member.objects.search("064190000778")) == []


def test_lists_follow_vietnamese_name_order(cell_a1, staff_user):
    for name in ("Trần Văn Bình", "Lê Thị An", "Nguyễn Văn Bình", "Phạm Đức Anh"):
        MemberFactory(organization=cell_a1, full_name=name, by=staff_user)
    # By given name first, then family and middle names.
    assert [m.full_name for m in Member.objects.all()] == [
        "Lê Thị An",
        "Phạm Đức Anh",
        "Nguyễn Văn Bình",
        "Trần Văn Bình",
    ]
