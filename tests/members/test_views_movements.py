"""Movements, profile corrections, new members and the bulk transfer, sent from the browser."""

import datetime
import re

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse

from members import services
from members.models import Member, Movement
from organizations import services as org_services
from tests.factories import MemberFactory

from .conftest import _snapshot

D = datetime.date
Kind = Movement.Kind


def _move(client, member, action, data=None):
    return client.post(reverse("members:move", args=[member.pk, action]), data or {})


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def away(official, org_b, staff_user):
    return services.send_temporary(member=official, to=org_b, on=D(2025, 5, 1), by=staff_user)


@pytest.fixture
def exempted(official, staff_user):
    return services.exempt(member=official, on=D(2025, 5, 1), ground="tuoi_cao", by=staff_user)


@pytest.fixture
def transferred_out(official, staff_user):
    return services.transfer_out(
        member=official, destination="Đảng bộ tỉnh Đắk Lắk", on=D(2025, 5, 1), by=staff_user
    )


@pytest.fixture
def deceased(official, staff_user):
    return services.record_death(member=official, on=D(2025, 5, 1), by=staff_user)


EVERY_DAY = {"transfer_out", "leave_party", "record_death"}


@pytest.mark.parametrize(
    ("state", "offered"),
    [
        (
            "probationary",
            {"make_official", "remove_probationary", "transfer", "send_temporary", "exempt"} | EVERY_DAY,
        ),
        ("official", {"remove", "transfer", "send_temporary", "exempt"} | EVERY_DAY),
        ("exempted", {"remove", "transfer", "end_exemption"} | EVERY_DAY),
        ("away", {"remove", "end_temporary"} | EVERY_DAY),
        ("transferred_out", {"transfer_back_in"}),
        ("deceased", set()),
    ],
)
def test_the_profile_offers_the_movements_the_members_state_allows(staff_client, request, state, offered):
    member = request.getfixturevalue(state)
    page = staff_client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert set(re.findall(r'data-movement="([a-z_]+)"', page)) == offered


# A value "@name" stands for the pk of the fixture ``name``.
MOVEMENT_CASES = [
    (
        "make_official",
        "probationary",
        {
            "on": "20/03/2024",
            "decision_no": "12-QĐ/ĐU",
            "card_number": "93.000111",
            "resolution_no": "07-NQ/CB",
            "resolution_on": "18/03/2024",
            "official_members": "3",
            "votes_for": "3",
        },
        Kind.MADE_OFFICIAL,
    ),
    (
        "remove_probationary",
        "probationary",
        {"on": "20/03/2024", "decision_no": "13-QĐ/ĐU"},
        Kind.REMOVED_PROBATIONARY,
    ),
    (
        "transfer",
        "official",
        {"to": "@org_b", "on": "01/07/2025", "decision_no": "14-QĐ/ĐUK"},
        Kind.TRANSFERRED,
    ),
    (
        "transfer_out",
        "official",
        {"destination": "Đảng bộ tỉnh Đắk Lắk", "on": "01/07/2025"},
        Kind.TRANSFERRED_OUT,
    ),
    ("send_temporary", "official", {"to": "@org_b", "on": "01/07/2025"}, Kind.TEMPORARY_STARTED),
    (
        "send_temporary",
        "official",
        {"destination": "Đảng ủy phường Pleiku", "on": "01/07/2025"},
        Kind.TEMPORARY_STARTED,
    ),
    ("end_temporary", "away", {"on": "01/07/2025"}, Kind.TEMPORARY_ENDED),
    (
        "exempt",
        "official",
        {"ground": "tuoi_cao", "on": "01/07/2025", "decision_no": "3-NQ/CB"},
        Kind.EXEMPTED,
    ),
    ("end_exemption", "exempted", {"on": "01/07/2025"}, Kind.EXEMPTION_ENDED),
    ("remove", "official", {"ground": "bo_sinh_hoat", "on": "01/07/2025"}, Kind.REMOVED),
    ("leave_party", "official", {"on": "01/07/2025", "decision_no": "15-QĐ/ĐUK"}, Kind.LEFT),
    ("record_death", "official", {"on": "01/07/2025", "note": "Từ trần tại nhà riêng."}, Kind.DIED),
    (
        "transfer_back_in",
        "transferred_out",
        {"organization": "@cell_a1", "origin": "Đảng bộ tỉnh Đắk Lắk", "on": "01/07/2025"},
        Kind.TRANSFERRED_IN,
    ),
]


@pytest.mark.parametrize(
    ("action", "state", "data", "kind"), MOVEMENT_CASES, ids=[f"{c[0]}-{c[1]}" for c in MOVEMENT_CASES]
)
def test_each_movement_from_the_browser_records_its_event(staff_client, request, action, state, data, kind):
    member = request.getfixturevalue(state)
    if action == "make_official":
        request.getfixturevalue("three_official")  # a chi bộ that can pass the resolution
    data = {
        key: request.getfixturevalue(value[1:]).pk if value.startswith("@") else value
        for key, value in data.items()
    }
    response = _move(staff_client, member, action, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:detail", args=[member.pk])
    day, month, year = map(int, data["on"].split("/"))
    event = member.events.get(kind=kind, on=D(year, month, day))
    assert event.decision_no == data.get("decision_no", "")
    assert event.recorded_by.username == "staff"


def test_making_official_before_the_probation_ends_is_refused_on_the_form(
    staff_client, probationary, three_official
):
    vote = {"resolution_on": "28/02/2024", "official_members": "3", "votes_for": "3"}
    response = _move(staff_client, probationary, "make_official", {"on": "01/03/2024", **vote})
    assert response.status_code == 200
    assert "Thời hạn dự bị của đồng chí Trần Thị Bình kết thúc ngày 15/03/2024" in response.content.decode()
    probationary.refresh_from_db()
    assert probationary.status == Member.Status.PROBATIONARY
    assert not probationary.events.filter(kind=Kind.MADE_OFFICIAL).exists()


def test_making_an_official_member_official_again_is_refused(staff_client, official):
    vote = {"resolution_on": "30/06/2025", "official_members": "3", "votes_for": "3"}
    response = _move(staff_client, official, "make_official", {"on": "01/07/2025", **vote})
    assert response.status_code == 200
    assert official.events.filter(kind=Kind.MADE_OFFICIAL).count() == 1
    assert "Lê Văn Cường" in response.content.decode().split('role="alert"')[1]


def test_a_transfer_to_the_same_cell_is_refused_on_the_form(staff_client, official, cell_a1):
    response = _move(staff_client, official, "transfer", {"to": cell_a1.pk, "on": "01/07/2025"})
    assert response.status_code == 200
    assert "Đồng chí Lê Văn Cường đang sinh hoạt tại Chi bộ Phòng Ngân sách." in response.content.decode()
    assert not official.events.filter(kind=Kind.TRANSFERRED).exists()


def test_a_movement_dated_in_the_future_is_refused(staff_client, official):
    response = _move(staff_client, official, "leave_party", {"on": "01/01/2099"})
    assert response.status_code == 200
    assert "Ngày 01/01/2099 là ngày trong tương lai." in response.content.decode()
    official.refresh_from_db()
    assert official.is_current


def test_a_temporary_attachment_needs_a_host(staff_client, official):
    response = _move(staff_client, official, "send_temporary", {"on": "01/07/2025"})
    assert response.status_code == 200
    assert "Hãy chọn chi bộ nơi đảng viên sinh hoạt tạm thời." in response.content.decode()
    assert not official.events.filter(kind=Kind.TEMPORARY_STARTED).exists()


REQUIRED = "Trường này là bắt buộc."
NEEDS = "Việc này chỉ thực hiện khi đồng chí Lê Văn Cường ở tình trạng"
# (action, state, data, field the error is on (None: the top of the form), Vietnamese message).
REFUSAL_CASES = [
    ("remove", "official", {"on": "01/07/2025"}, "ground", REQUIRED),
    (
        "remove_probationary",
        "official",
        {"on": "01/07/2025"},
        None,
        "Đồng chí Lê Văn Cường là đảng viên chính thức; chỉ đảng viên dự bị mới bị xóa tên khỏi danh "
        "sách đảng viên dự bị.",
    ),
    ("exempt", "official", {"on": "01/07/2025"}, "ground", REQUIRED),
    (
        "exempt",
        "exempted",
        {"ground": "tuoi_cao", "on": "01/07/2025"},
        None,
        f"{NEEDS} “Đang sinh hoạt”; hiện tại: “Miễn công tác và sinh hoạt đảng”.",
    ),
    (
        "end_exemption",
        "official",
        {"on": "01/07/2025"},
        None,
        f"{NEEDS} “Miễn công tác và sinh hoạt đảng”; hiện tại: “Đang sinh hoạt”.",
    ),
    (
        "end_temporary",
        "official",
        {"on": "01/07/2025"},
        None,
        f"{NEEDS} “Sinh hoạt tạm thời (đi)”; hiện tại: “Đang sinh hoạt”.",
    ),
    ("transfer_out", "official", {"destination": "  ", "on": "01/07/2025"}, "destination", REQUIRED),
    ("record_death", "official", {"on": "01/01/2099"}, "on", "Ngày 01/01/2099 là ngày trong tương lai."),
    (
        "transfer_back_in",
        "official",
        {"organization": "@org_b", "origin": "Đảng bộ tỉnh Đắk Lắk", "on": "01/07/2025"},
        None,
        "Đồng chí Lê Văn Cường đã có trong danh sách đảng viên, sinh hoạt tại Chi bộ Phòng Ngân sách.",
    ),
]


@pytest.mark.parametrize(
    ("action", "state", "data", "field", "message"),
    REFUSAL_CASES,
    ids=[f"{case[0]}-{case[1]}-{case[3] or 'form'}" for case in REFUSAL_CASES],
)
def test_a_refused_movement_shows_why_on_the_form_and_writes_nothing(
    staff_client, request, action, state, data, field, message
):
    member = request.getfixturevalue(state)
    data = {
        key: request.getfixturevalue(value[1:]).pk if value.startswith("@") else value
        for key, value in data.items()
    }
    before = _snapshot()
    response = _move(staff_client, member, action, data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field or NON_FIELD_ERRORS]
    assert message in response.content.decode()
    assert _snapshot() == before, "a refused movement wrote to the register"


def test_a_transfer_in_without_its_origin_is_refused_and_writes_nothing(staff_client, org_b):
    data = _admission(org_b, admitted_on="02/06/2015", ceremony_on="16/06/2015", origin=" ", on="01/08/2025")
    before = _snapshot()
    response = staff_client.post(reverse("members:transfer_in"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["origin"] == [REQUIRED]
    assert REQUIRED in response.content.decode()
    assert _snapshot() == before
    assert not Member.objects.filter(full_name="Hoàng Thị Mai").exists()


def test_the_target_cell_must_be_in_the_users_scope(client, official, org_b, org_a):
    from blocportal.models import Role
    from tests.factories import UserFactory, assign

    unit_staff = UserFactory(username="unit-staff")
    assign(unit_staff, Role.STAFF, org_a)
    client.force_login(unit_staff)
    response = _move(client, official, "transfer", {"to": org_b.pk, "on": "01/07/2025"})
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ." in response.content.decode()
    assert not official.events.filter(kind=Kind.TRANSFERRED).exists()


# Who may ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["leader", "inspector", "secretary_a"])
def test_roles_without_data_entry_get_403_on_a_movement(client, personas, official, role):
    client.force_login(personas[role])
    url = reverse("members:move", args=[official.pk, "leave_party"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"on": "01/07/2025"}).status_code == 403
    official.refresh_from_db()
    assert official.is_current


def test_secretary_of_another_organization_gets_404_on_a_movement(client, secretary_b, official):
    client.force_login(secretary_b)
    assert client.get(reverse("members:move", args=[official.pk, "transfer"])).status_code == 404


def test_expulsion_is_not_offered_in_the_browser(staff_client, official):
    assert staff_client.get(reverse("members:move", args=[official.pk, "expel"])).status_code == 404
    assert official.is_current


# Profile correction ----------------------------------------------------------------------------


def _profile_data(member, **changes):
    data = {
        "full_name": member.full_name,
        "gender": member.gender,
        "birth_date": member.birth_date.strftime("%d/%m/%Y"),
        "ethnicity": member.ethnicity,
        "religion": member.religion,
        "cccd": member.cccd,
        "card_number": member.card_number,
        "education": member.education,
        "profession": member.profession,
        "theory_level": member.theory_level,
        "job_title": member.job_title,
    }
    return {**data, **changes}


def test_staff_corrects_a_profile(staff_client, official):
    url = reverse("members:update", args=[official.pk])
    response = staff_client.post(url, _profile_data(official, ethnicity="Tày", cccd="064190000123"))
    assert response.status_code == 302
    official.refresh_from_db()
    assert (official.ethnicity, official.cccd) == ("Tày", "064190000123")
    assert official.history.first().history_user.username == "staff"


def test_a_citizen_id_held_by_another_member_is_refused(staff_client, official, probationary, staff_user):
    services.update_profile(member=probationary, cccd="064190000777", by=staff_user)
    url = reverse("members:update", args=[official.pk])
    response = staff_client.post(url, _profile_data(official, cccd="064190000777"))
    assert response.status_code == 200
    assert "Số CCCD này đã có ở đồng chí Trần Thị Bình." in response.content.decode()
    official.refresh_from_db()
    assert official.cccd == ""


# New members -----------------------------------------------------------------------------------


def _admission(cell, **changes):
    data = {
        "organization": cell.pk,
        "full_name": "Hoàng Thị Mai",
        "gender": Member.Gender.FEMALE,
        "birth_date": "10/10/1995",
        "ethnicity": "Kinh",
        "theory_level": Member.TheoryLevel.NONE,
        "admitted_on": "02/06/2025",
        "ceremony_on": "16/06/2025",
        "decision_no": "125-QĐ/ĐUK",
    }
    return {**data, **changes}


OUTSIDE = "Đảng ủy cơ sở quyết định; hồ sơ lưu tại Văn phòng Đảng ủy Sở Tài chính."


def test_staff_records_an_admission_decided_outside_the_portal(staff_client, cell_a1):
    page = staff_client.get(reverse("members:admit")).content.decode()
    assert "Ghi nhận việc kết nạp đã quyết định ngoài cổng thông tin" in page
    assert "giấy chứng nhận lớp bồi dưỡng" in page  # what the page does not check, said on it
    response = staff_client.post(reverse("members:admit"), _admission(cell_a1, note=OUTSIDE))
    member = Member.objects.get(full_name="Hoàng Thị Mai")
    assert response.status_code == 302 and response["Location"] == reverse("members:detail", args=[member.pk])
    assert member.organization == cell_a1 and member.status == Member.Status.PROBATIONARY
    event = member.events.get(kind=Kind.ADMITTED)
    assert (event.decision_no, event.decided_outside, event.note) == ("125-QĐ/ĐUK", True, OUTSIDE)
    assert member.history.latest().history_user.username == "staff"


def test_an_admission_decided_outside_needs_its_decision_number_and_a_note(staff_client, cell_a1):
    response = staff_client.post(reverse("members:admit"), _admission(cell_a1, decision_no=""))
    assert response.status_code == 200
    assert not Member.objects.filter(full_name="Hoàng Thị Mai").exists()
    form = response.context["form"]
    assert set(form.errors) == {"decision_no", "note"}


def test_admission_under_18_is_refused_on_the_form(staff_client, cell_a1):
    response = staff_client.post(
        reverse("members:admit"), _admission(cell_a1, birth_date="10/10/2008", note=OUTSIDE)
    )
    assert response.status_code == 200
    assert "chưa đủ 18 tuổi" in response.content.decode()
    assert not Member.objects.filter(full_name="Hoàng Thị Mai").exists()


def test_admit_form_starts_with_the_cell_of_the_link(staff_client, cell_a1):
    page = staff_client.get(reverse("members:admit"), {"organization": cell_a1.pk}).content.decode()
    assert f'<option value="{cell_a1.pk}" selected>' in page


def test_a_member_transfers_in_from_outside_the_bloc(staff_client, org_b):
    data = _admission(
        org_b,
        admitted_on="02/06/2015",
        ceremony_on="16/06/2015",
        official_on="16/06/2016",
        card_number="93.004455",
        origin="Đảng bộ tỉnh Kon Tum",
        on="01/08/2025",
    )
    response = staff_client.post(reverse("members:transfer_in"), data)
    assert response.status_code == 302
    member = Member.objects.get(full_name="Hoàng Thị Mai")
    assert member.status == Member.Status.OFFICIAL and member.organization == org_b
    event = member.events.get(kind=Kind.TRANSFERRED_IN)
    assert (event.origin, event.on) == ("Đảng bộ tỉnh Kon Tum", D(2025, 8, 1))


@pytest.mark.parametrize("name", ["members:admit", "members:transfer_in", "members:bulk_transfer"])
def test_only_staff_enter_members(client, leader_user, secretary_a, name):
    for user in (leader_user, secretary_a):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403
        assert client.post(reverse(name), {}).status_code == 403


# Bulk transfer ---------------------------------------------------------------------------------


@pytest.fixture
def three_in_a1(cell_a1, staff_user):
    return [
        MemberFactory(organization=cell_a1, full_name=name, official=True, by=staff_user)
        for name in ("Trần Văn An", "Lê Thị Bích", "Phạm Văn Cảnh")
    ]


def _bulk(client, source, members, to, on="01/07/2025"):
    url = f"{reverse('members:bulk_transfer')}?source={source.pk}"
    return client.post(
        url, {"members": [m.pk for m in members], "to": to.pk, "on": on, "decision_no": "30-QĐ/ĐUK"}
    )


def test_bulk_transfer_moves_every_ticked_member_and_empties_the_cell(
    staff_client, three_in_a1, cell_a1, org_b, staff_user
):
    response = _bulk(staff_client, cell_a1, three_in_a1, org_b)
    assert response.status_code == 302 and response["Location"] == cell_a1.get_absolute_url()
    assert set(Member.objects.filter(organization=org_b)) == set(three_in_a1)
    assert Movement.objects.filter(kind=Kind.TRANSFERRED, decision_no="30-QĐ/ĐUK").count() == 3
    # Empty now, the chi bộ can be dissolved.
    org_services.dissolve_organization(
        organization=cell_a1, on=D(2025, 7, 2), decision_no="1-QĐ", by=staff_user
    )


def test_bulk_transfer_is_all_or_nothing_and_lists_every_refusal(
    staff_client, three_in_a1, cell_a1, org_b, staff_user
):
    an, bich, canh = three_in_a1
    services.send_temporary(member=bich, to=org_b, on=D(2025, 5, 1), by=staff_user)
    services.exempt(
        member=canh, on=D(2025, 8, 1), ground="tuoi_cao", by=staff_user
    )  # after the transfer date
    response = _bulk(staff_client, cell_a1, three_in_a1, org_b)
    assert response.status_code == 200
    assert Member.objects.filter(organization=cell_a1).count() == 3
    assert not Movement.objects.filter(kind=Kind.TRANSFERRED).exists()
    page = response.content.decode()
    errors = page[page.index('id="bulk-errors"') : page.index("</div>", page.index('id="bulk-errors"'))]
    assert "Lê Thị Bích: Đồng chí Lê Thị Bích đang sinh hoạt tạm thời nơi khác" in errors
    assert "Phạm Văn Cảnh:" in errors and "01/08/2025" in errors
    assert "Trần Văn An" not in errors


def test_bulk_transfer_lists_only_current_members_of_the_source(
    staff_client, three_in_a1, cell_a1, org_b, staff_user
):
    services.record_death(member=three_in_a1[0], on=D(2025, 5, 1), by=staff_user)
    page = staff_client.get(reverse("members:bulk_transfer"), {"source": cell_a1.pk}).content.decode()
    assert "Trần Văn An" not in page and "Lê Thị Bích" in page and "Phạm Văn Cảnh" in page
    # A dead member cannot be slipped in: the choice is refused.
    response = _bulk(staff_client, cell_a1, three_in_a1, org_b)
    assert response.status_code == 200
    assert not Movement.objects.filter(kind=Kind.TRANSFERRED).exists()


def test_organization_page_links_to_the_bulk_transfer_for_staff_only(
    client, staff_user, leader_user, three_in_a1, cell_a1
):
    link = f"{reverse('members:bulk_transfer')}?source={cell_a1.pk}"
    client.force_login(staff_user)
    assert link in client.get(cell_a1.get_absolute_url()).content.decode()
    client.force_login(leader_user)
    page = client.get(cell_a1.get_absolute_url()).content.decode()
    assert link not in page
    assert f"{reverse('members:list')}?organization={cell_a1.pk}" in page
