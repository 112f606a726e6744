"""The rating pages of issue 12: the chi bộ's secretary proposes its members' levels on the sheet in bulk;
staff approve them, and an approval over the excellence quota is refused with the rule, the regulation and
the people named, the levels entered kept and nothing written; a superuser's override goes through and
stays visible on the sheet and on the rating's page. The organizations' sheet, the overview, the lists
behind the figures (their drill-down filters and chips) and the public notice; each page's scope (out of
it 404, without the permission 403) and the sheet's query count, the same for any number of members.

The people are the personas of tests/conftest.py; chi bộ A1 (under đảng bộ A) has six official members,
rated for 2025 (the clock is 28/11/2026)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from emulation.models import Level, MemberRating, OrganizationRating
from emulation.services import ratings as services
from members import services as member_services
from members.models import Movement
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = 2025
NAMES = ("Bùi Văn An", "Đặng Thị Bình", "Hoàng Văn Cường", "Lê Thị Dung", "Phạm Văn Dũng", "Trần Văn Em")
QUOTA_REGULATION = "124-QĐ/TW"


@pytest.fixture
def members(cell_a1, system_user):
    """The six official members of chi bộ A1, by name."""
    return [
        MemberFactory(organization=cell_a1, full_name=name, official=True, by=system_user) for name in NAMES
    ]


def _sheet_url(cell, year=YEAR, **query) -> str:
    url = reverse("emulation:member_sheet", args=[cell.pk, year])
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


def _levels(column: str, members, levels) -> dict:
    return {f"{column}_{member.pk}": level for member, level in zip(members, levels, strict=True)}


# Two "hoàn thành xuất sắc" for four "hoàn thành tốt": over the 20% quota; one for five: within it.
OVER_QUOTA = (Level.EXCELLENT, Level.EXCELLENT, Level.GOOD, Level.GOOD, Level.GOOD, Level.GOOD)
WITHIN_QUOTA = (Level.EXCELLENT, Level.GOOD, Level.GOOD, Level.GOOD, Level.GOOD, Level.GOOD)


def _propose(cell, members, levels, by):
    services.propose_members(
        organization=cell,
        year=YEAR,
        levels={m.pk: level for m, level in zip(members, levels, strict=True)},
        by=by,
    )


def _errors(response) -> str:
    return " ".join(str(error) for error in response.context["form"].non_field_errors())


# Scope --------------------------------------------------------------------------------------------------


def test_the_sheet_is_found_in_scope_only_and_edited_with_the_permission(
    client, cell_a1, org_a, members, secretary_b, inspector_user, leader_user, secretary_a
):
    url = _sheet_url(cell_a1)
    client.force_login(secretary_b)  # chi bộ B's secretary: A1 is outside their subtree
    assert client.get(url).status_code == 404
    client.force_login(inspector_user)  # in scope, without rating.view
    assert client.get(url).status_code == 403
    client.force_login(leader_user)  # reads, proposes nothing
    response = client.get(url)
    assert response.status_code == 200
    assert "<select" not in response.content.decode()
    assert client.post(url, _levels("proposed", members, WITHIN_QUOTA)).status_code == 403
    client.force_login(secretary_a)  # proposes, does not approve
    assert client.post(url, {"action": "approve"}).status_code == 403
    # Đảng bộ A is no chi bộ: it has no members' sheet.
    assert client.get(_sheet_url(org_a)).status_code == 404
    # A year to come, or a quarter before quarterly ratings, is no sheet.
    assert client.get(_sheet_url(cell_a1, 2027)).status_code == 404
    assert client.get(_sheet_url(cell_a1, 2024, quarter=1)).status_code == 404


def test_the_rating_page_and_the_notice_follow_the_scope(
    client, cell_a1, members, secretary_a, secretary_b, inspector_user, system_user
):
    rating = services.assess_member(member=members[0], year=YEAR, level=Level.GOOD, by=system_user)
    page = reverse("emulation:member_rating", args=[rating.pk])
    notice = reverse("emulation:announcement", args=[cell_a1.pk, YEAR])
    client.force_login(secretary_b)
    assert client.get(page).status_code == 404
    assert client.get(notice).status_code == 404
    client.force_login(inspector_user)
    assert client.get(page).status_code == 403
    client.force_login(secretary_a)
    assert client.get(page).status_code == 200
    assert client.get(notice).status_code == 200


# The members' sheet ---------------------------------------------------------------------------------------


def test_the_secretary_saves_the_proposals_in_bulk(client, cell_a1, members, secretary_a):
    client.force_login(secretary_a)
    response = client.post(
        _sheet_url(cell_a1), {"action": "save", **_levels("proposed", members, WITHIN_QUOTA)}
    )
    assert response.status_code == 302
    ratings = {r.member_id: r for r in MemberRating.objects.filter(year=YEAR)}
    assert {m.pk: ratings[m.pk].proposed_level for m in members} == dict(
        zip([m.pk for m in members], WITHIN_QUOTA, strict=True)
    )
    assert {r.proposed_by for r in ratings.values()} == {secretary_a}
    assert all(r.organization_id == cell_a1.pk and r.level == "" for r in ratings.values())
    # Nothing changed: nothing written.
    response = client.post(
        _sheet_url(cell_a1), {"action": "save", **_levels("proposed", members, WITHIN_QUOTA)}
    )
    assert response.status_code == 302
    assert MemberRating.history.filter(proposed_level__gt="").count() == 6


def test_each_column_is_pre_filled_from_the_one_below(client, cell_a1, members, secretary_a, staff_user):
    services.assess_member(member=members[0], year=YEAR, level=Level.GOOD, by=secretary_a)
    client.force_login(staff_user)
    page = client.get(_sheet_url(cell_a1)).content.decode()
    # The proposal pre-filled from the self-assessment; the approval has no proposal yet.
    assert f'name="proposed_{members[0].pk}"' in page
    form = client.get(_sheet_url(cell_a1)).context["form"]
    assert form[f"proposed_{members[0].pk}"].value() == Level.GOOD
    assert form[f"level_{members[0].pk}"].value() == ""
    assert form[f"self_{members[0].pk}"].value() == Level.GOOD
    # Saving keeps the pre-filled proposal as the chi bộ's.
    client.post(_sheet_url(cell_a1), {"action": "save", **{f"proposed_{members[0].pk}": Level.GOOD}})
    assert MemberRating.objects.get(member=members[0]).proposed_level == Level.GOOD
    form = client.get(_sheet_url(cell_a1)).context["form"]
    assert form[f"level_{members[0].pk}"].value() == Level.GOOD


def test_an_approval_over_the_quota_is_refused_and_the_levels_entered_kept(
    client, cell_a1, members, secretary_a, staff_user
):
    _propose(cell_a1, members, OVER_QUOTA, secretary_a)
    client.force_login(staff_user)
    posted = {"action": "approve", **_levels("level", members, OVER_QUOTA)}
    response = client.post(_sheet_url(cell_a1), posted)
    assert response.status_code == 200
    errors = _errors(response)
    # The rule, its regulation and the members concerned are named.
    assert QUOTA_REGULATION in errors
    assert "Bùi Văn An" in errors and "Đặng Thị Bình" in errors
    assert cell_a1.name in errors
    assert 'id="sheet-errors"' in response.content.decode()
    # Nothing approved; the levels typed come back as typed.
    assert not MemberRating.objects.exclude(level="").exists()
    form = response.context["form"]
    assert [form[f"level_{m.pk}"].value() for m in members] == list(OVER_QUOTA)
    # One level fixed: approved.
    posted[f"level_{members[1].pk}"] = Level.GOOD
    response = client.post(_sheet_url(cell_a1), posted)
    assert response.status_code == 302
    approved = dict(MemberRating.objects.values_list("member_id", "level"))
    assert [approved[m.pk] for m in members] == list(WITHIN_QUOTA)
    assert set(MemberRating.objects.values_list("approved_by", flat=True)) == {staff_user.pk}
    page = client.get(_sheet_url(cell_a1)).content.decode()
    assert 'data-recorded="level"' in page


def test_a_refused_approval_writes_none_of_the_proposals_saved_with_it(client, cell_a1, members, staff_user):
    client.force_login(staff_user)
    posted = {
        "action": "approve",
        **_levels("proposed", members, OVER_QUOTA),
        **_levels("level", members, OVER_QUOTA),
    }
    assert client.post(_sheet_url(cell_a1), posted).status_code == 200
    assert not MemberRating.objects.exists()


def test_only_a_superuser_may_override_and_the_override_stays_visible(
    client, cell_a1, members, secretary_a, staff_user, superuser
):
    _propose(cell_a1, members, OVER_QUOTA, secretary_a)
    client.force_login(staff_user)
    assert "override_reason" not in client.get(_sheet_url(cell_a1)).context["form"].fields
    client.force_login(superuser)
    assert "override_reason" in client.get(_sheet_url(cell_a1)).context["form"].fields
    reason = "Hai đồng chí được Tỉnh ủy khen thưởng đột xuất trong năm."
    response = client.post(
        _sheet_url(cell_a1),
        {"action": "approve", "override_reason": reason, **_levels("level", members, OVER_QUOTA)},
    )
    assert response.status_code == 302
    rating = MemberRating.objects.get(member=members[0])
    assert (rating.level, rating.override_reason, rating.override_by) == (Level.EXCELLENT, reason, superuser)
    assert QUOTA_REGULATION in rating.override_problems[0]
    # Visible to staff on the sheet and on the rating's page.
    client.force_login(staff_user)
    sheet = client.get(_sheet_url(cell_a1)).content.decode()
    assert 'id="sheet-overrides"' in sheet and reason in sheet
    page = client.get(reverse("emulation:member_rating", args=[rating.pk])).content.decode()
    assert 'id="rating-override"' in page and reason in page and QUOTA_REGULATION in page
    assert 'id="rating-changes"' in page


def test_exempted_members_are_listed_as_not_rated(client, cell_a1, members, staff_user, system_user):
    member_services.exempt(
        member=members[5], on=D(2025, 3, 1), ground=Movement.ExemptionGround.AGE_HEALTH, by=system_user
    )
    client.force_login(staff_user)
    response = client.get(_sheet_url(cell_a1))
    assert [line.row.pk for line in response.context["lines"]] == [m.pk for m in members[:5]]
    assert [row.pk for row in response.context["sheet"].others] == [members[5].pk]
    assert f"level_{members[5].pk}" not in response.context["form"].fields
    assert 'id="not-rated"' in response.content.decode()


def test_each_member_is_shown_with_the_facts_of_the_year(client, cell_a1, members, staff_user, system_user):
    """This year's attendance at the regular meetings (the §4 denominator), last year's approved level."""
    from meetings import services as meeting_services
    from meetings.services.meetings import Mark

    member_services.exempt(
        member=members[5], on=D(2025, 4, 1), ground=Movement.ExemptionGround.AGE_HEALTH, by=system_user
    )
    # March: the first member absent without reason; April: the exempted member absent (not expected).
    for day, absent in (
        (D(2025, 3, 5), members[0]),
        (D(2025, 4, 5), members[5]),
        (D(2024, 12, 5), members[0]),
    ):
        meeting_services.record_meeting(
            organization=cell_a1,
            held_on=day,
            kind="thuong_ky",
            marks=[
                Mark(absent.pk, "vang_co_ly_do", "Ốm")
                if absent == members[5]
                else Mark(absent.pk, "vang_khong_ly_do")
            ],
            by=staff_user,
        )
    services.record_decided_member(member=members[1], year=2024, level=Level.EXCELLENT, by=system_user)
    client.force_login(staff_user)
    rows = {line.row.pk: line.row for line in client.get(_sheet_url(cell_a1)).context["lines"]}
    assert rows[members[0].pk].attendance == (1, 2)  # absent in March, present in April (2024 not counted)
    assert rows[members[2].pk].attendance == (2, 2)
    assert rows[members[1].pk].last_year == Level.EXCELLENT
    assert rows[members[0].pk].last_year == ""
    # Exempted from April, absent then: expected in March only; and not rated.
    from meetings.selectors.figures import member_attendance

    assert member_attendance([members[5].pk], D(2025, 1, 1), D(2025, 12, 31)) == {members[5].pk: (1, 1)}
    assert members[5].pk not in rows


def test_a_quarter_is_rated_on_its_own_sheet(client, cell_a1, members, secretary_a):
    client.force_login(secretary_a)
    response = client.post(
        _sheet_url(cell_a1, quarter=4), {"action": "save", f"proposed_{members[0].pk}": Level.GOOD}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?quarter=4")
    assert MemberRating.objects.get().quarter == 4


def test_the_sheet_costs_the_same_queries_whatever_the_members(
    client, cell_a1, members, secretary_a, staff_user, system_user, django_assert_num_queries
):
    _propose(cell_a1, members, WITHIN_QUOTA, secretary_a)
    client.force_login(staff_user)
    client.get(_sheet_url(cell_a1))  # warm-up (the session, the rule tables)
    with CaptureQueriesContext(connection) as five:
        client.get(_sheet_url(cell_a1))
    for index in range(6):
        more = MemberFactory(organization=cell_a1, official=True, by=system_user)
        services.assess_member(member=more, year=YEAR, level=Level.DONE, by=system_user)
        if index == 0:
            services.approve_members(
                organization=cell_a1, year=YEAR, levels={more.pk: Level.DONE}, by=staff_user
            )
    with django_assert_num_queries(len(five)):
        response = client.get(_sheet_url(cell_a1))
    assert len(response.context["lines"]) == 12
    # Pinned: the session, the user and their assignments, the chi bộ, the members rated and their
    # exemptions, the members not rated, the ratings, last year's levels, the discipline, the attendance;
    # and the rules the pending proposals would break (the members, their discipline, their exemptions).
    assert len(five) == 14


def test_a_proposal_over_the_quota_is_flagged_before_anyone_approves(client, cell_a1, members, secretary_a):
    """The secretary sees at once what the level above would refuse, and may correct the proposal."""
    _propose(cell_a1, members, OVER_QUOTA, secretary_a)
    client.force_login(secretary_a)

    page = client.get(_sheet_url(cell_a1)).content.decode()

    assert 'id="sheet-pending"' in page and QUOTA_REGULATION in page
    assert "Bùi Văn An" in page and "Đặng Thị Bình" in page
    _propose(cell_a1, members, WITHIN_QUOTA, secretary_a)
    assert 'id="sheet-pending"' not in client.get(_sheet_url(cell_a1)).content.decode()


# The organizations' sheet -------------------------------------------------------------------------------


def test_the_organizations_sheet_takes_self_assessments_and_approvals(
    client, bloc, org_a, org_b, cell_a1, members, secretary_a, staff_user
):
    _propose(cell_a1, members, WITHIN_QUOTA, secretary_a)
    services.approve_members(organization=cell_a1, year=YEAR, by=staff_user)
    client.force_login(secretary_a)
    url = reverse("emulation:organization_sheet", args=[org_a.pk, YEAR])
    response = client.get(url)
    row = response.context["lines"][0].row
    assert (row.organization, row.shares.rated, row.shares.good_percent) == (cell_a1, 6, "100%")
    assert client.post(url, {"action": "save", f"self_{cell_a1.pk}": Level.GOOD}).status_code == 302
    assert OrganizationRating.objects.get(organization=cell_a1).self_level == Level.GOOD
    # The bloc's sheet is outside the secretary's subtree.
    assert client.get(reverse("emulation:organization_sheet", args=[bloc.pk, YEAR])).status_code == 404
    client.force_login(staff_user)
    response = client.post(url, {"action": "approve", f"level_{cell_a1.pk}": Level.GOOD})
    assert response.status_code == 302
    rating = OrganizationRating.objects.get(organization=cell_a1)
    assert (rating.level, rating.approver, rating.approved_by) == (Level.GOOD, org_a, staff_user)


def test_the_bloc_sheet_refuses_organizations_over_the_quota(
    client, bloc, org_a, org_b, staff_user, system_user
):
    # Đảng bộ A and chi bộ B are the two grassroots organizations under the bloc: one htxs for no htt.
    client.force_login(staff_user)
    url = reverse("emulation:organization_sheet", args=[bloc.pk, YEAR])
    response = client.post(
        url, {"action": "approve", f"level_{org_b.pk}": Level.EXCELLENT, f"level_{org_a.pk}": Level.DONE}
    )
    assert response.status_code == 200
    assert QUOTA_REGULATION in _errors(response) and org_b.name in _errors(response)
    assert not OrganizationRating.objects.exists()


def test_a_legacy_year_offers_the_legacy_levels(client, bloc, org_a, org_b, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("emulation:organization_sheet", args=[bloc.pk, 2016]))
    assert 'id="legacy-year"' in response.content.decode()
    choices = [value for value, _label in response.context["form"].level_choices]
    assert choices == ["", Level.CLEAN_STRONG, Level.GOOD, Level.DONE, Level.WEAK]


# The overview ---------------------------------------------------------------------------------------------


def test_the_overview_shows_each_sheet_with_its_progress(
    client, bloc, org_a, cell_a1, org_b, members, secretary_a, staff_user
):
    _propose(cell_a1, members[:3], WITHIN_QUOTA[:3], secretary_a)
    client.force_login(secretary_a)
    response = client.get(reverse("emulation:ratings"), {"year": YEAR})
    cells = {row.organization: row for row in response.context["cells"]}
    assert list(cells) == [cell_a1]  # chi bộ B lies outside đảng bộ A
    assert (cells[cell_a1].to_rate, cells[cell_a1].proposed, cells[cell_a1].approved) == (6, 3, 0)
    assert [row.organization for row in response.context["committees"]] == [org_a]
    assert response.context["committees"][0].to_rate == 1
    client.force_login(staff_user)
    response = client.get(reverse("emulation:ratings"), {"year": YEAR})
    assert [row.organization for row in response.context["cells"]] == [cell_a1, org_b]
    assert [row.organization for row in response.context["committees"]] == [bloc, org_a]
    # Without a year: this year (November).
    assert client.get(reverse("emulation:ratings")).context["year"] == 2026


# The lists ----------------------------------------------------------------------------------------------


@pytest.fixture
def decided(cell_a1, org_b, members, system_user):
    """2025 as decided: A1 over the quota (two htxs, three htt); a member of B rated ht; 2024 in A1."""
    for member, level in zip(members, OVER_QUOTA, strict=True):
        services.record_decided_member(member=member, year=YEAR, level=level, by=system_user)
    member_b = MemberFactory(organization=org_b, full_name="Ngô Thị Giang", official=True, by=system_user)
    services.record_decided_member(member=member_b, year=YEAR, level=Level.DONE, by=system_user)
    services.record_decided_member(member=members[0], year=2024, level=Level.GOOD, by=system_user)
    return member_b


def _listed(response) -> list[str]:
    return [record.member.full_name for record in response.context["table"].page.object_list.data]


def test_the_member_list_filters_as_the_figures_drill_down(client, org_a, cell_a1, staff_user, decided):
    client.force_login(staff_user)
    url = reverse("emulation:member_rating_list")
    assert len(_listed(client.get(url))) == 8
    assert len(_listed(client.get(url, {"year": YEAR}))) == 7
    assert sorted(_listed(client.get(url, {"year": YEAR, "level": Level.EXCELLENT}))) == [
        "Bùi Văn An",
        "Đặng Thị Bình",
    ]
    response = client.get(url, {"year": YEAR, "within": org_a.pk})
    assert len(_listed(response)) == 6
    page = response.content.decode()
    assert 'id="filter-chips"' in page and org_a.name in page
    assert "data-import" in page  # staff import past ratings from the list
    # Over the quota: chi bộ A1's ratings of 2025, whatever the level filter.
    assert len(_listed(client.get(url, {"year": YEAR, "over_quota": 1}))) == 6
    assert len(_listed(client.get(url, {"year": YEAR, "over_quota": 1, "level": Level.GOOD}))) == 4
    assert _listed(client.get(url, {"year": 2024, "over_quota": 1})) == []
    # htmx: the table's partial only.
    partial = client.get(url, {"year": YEAR}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="rating-count"' in partial and "<html" not in partial


def test_the_member_list_keeps_to_the_scope(client, cell_a1, secretary_b, decided):
    client.force_login(secretary_b)
    response = client.get(reverse("emulation:member_rating_list"), {"year": YEAR})
    assert _listed(response) == ["Ngô Thị Giang"]
    # A subtree outside the scope lists nothing.
    assert _listed(client.get(reverse("emulation:member_rating_list"), {"within": cell_a1.pk})) == []


def test_the_organization_list_filters_grassroots_and_over_quota(
    client, bloc, org_a, org_b, cell_a1, staff_user, system_user
):
    for organization, level in ((org_a, Level.EXCELLENT), (org_b, Level.DONE), (cell_a1, Level.GOOD)):
        services.record_decided_organization(
            organization=organization, year=YEAR, level=level, by=system_user
        )
    client.force_login(staff_user)
    url = reverse("emulation:organization_rating_list")

    def names(query):
        return [r.organization.code for r in client.get(url, query).context["table"].page.object_list.data]

    assert sorted(names({"year": YEAR})) == ["A", "A1", "B"]
    assert sorted(names({"year": YEAR, "grassroots": 1})) == ["A", "B"]
    # Under the bloc: one htxs, no htt — over the quota; under đảng bộ A: one htt, within it.
    assert sorted(names({"year": YEAR, "over_quota": 1})) == ["A", "B"]
    page = client.get(url, {"year": YEAR, "grassroots": 1}).content.decode()
    assert 'id="filter-chips"' in page


def test_the_list_query_count_does_not_grow_with_the_rows(client, staff_user, decided, system_user, cell_a1):
    client.force_login(staff_user)
    url = reverse("emulation:member_rating_list")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url, {"over_quota": 1})
    for _index in range(5):
        member = MemberFactory(organization=cell_a1, official=True, by=system_user)
        services.record_decided_member(member=member, year=YEAR, level=Level.GOOD, by=system_user)
    with CaptureQueriesContext(connection) as after:
        client.get(url, {"over_quota": 1})
    assert len(after) == len(before)


# The public notice ----------------------------------------------------------------------------------------


def test_the_public_notice_lists_only_the_approved_results(client, cell_a1, members, secretary_a, staff_user):
    _propose(cell_a1, members, WITHIN_QUOTA, secretary_a)
    services.approve_members(
        organization=cell_a1,
        year=YEAR,
        levels={m.pk: level for m, level in zip(members[:4], WITHIN_QUOTA, strict=False)},
        by=staff_user,
    )
    client.force_login(secretary_a)
    response = client.get(reverse("emulation:announcement", args=[cell_a1.pk, YEAR]))
    page = response.content.decode()
    assert "THÔNG BÁO" in page and "ĐẢNG BỘ SỞ TÀI CHÍNH" in page and "CHI BỘ PHÒNG NGÂN SÁCH" in page
    assert "Tổng số đảng viên được đánh giá, xếp loại: <span data-total>4</span>" in page
    assert "Hoàn thành xuất sắc nhiệm vụ: <span data-count>1</span> đồng chí (25,0%)" in page
    assert "Trần Văn Em" not in page  # proposed only
