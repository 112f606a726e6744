"""The awards register (khen thưởng): an award to an organization or a member, counted under the member's
chi bộ on the decision date; a decision not in the future nor before the year it rewards; the same decision
twice for the same recipient refused. The lists of streaks — N years in a row "hoàn thành xuất sắc nhiệm vụ"
up to a year, from decided annual ratings, in one query — say who already holds the title. The pages: the
register with its filters, an award's page, its recording with the member picker, its correction and removal;
out of scope 404, without the permission 403.

The personas of tests/conftest.py; the members, admitted in 2015, sit in chi bộ A1 (of đảng bộ A) or chi bộ
cơ sở B; today is 28/11/2026 (PORTAL_NOW)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from emulation.models import Award, Level
from emulation.selectors import awards as selectors
from emulation.services import awards as services
from emulation.services import ratings
from members.services import movements
from tests.factories import MemberFactory, OrganizationFactory
from tests.import_page import msg

pytestmark = pytest.mark.django_db

D = datetime.date
Kind = Award.Kind


@pytest.fixture
def cell_a2(org_a, system_user):
    from organizations.models import Organization

    return OrganizationFactory(
        code="A2",
        name="Chi bộ Phòng Tổng hợp",
        kind=Organization.Kind.SUBORDINATE_CELL,
        parent=org_a,
        by=system_user,
    )


def _member(cell, name, by):
    return MemberFactory(
        organization=cell,
        full_name=name,
        official=True,
        admitted_on=D(2015, 1, 5),
        ceremony_on=D(2015, 1, 20),
        by=by,
    )


@pytest.fixture
def an(cell_a1, system_user):
    return _member(cell_a1, "Nguyễn Văn An", system_user)


@pytest.fixture
def binh(org_b, system_user):
    return _member(org_b, "Trần Thị Bình", system_user)


def _award(by, *, member=None, organization=None, **values):
    defaults = {
        "kind": Kind.MERIT,
        "title": "Bằng khen của Ban Thường vụ Tỉnh ủy",
        "giver": "Ban Thường vụ Tỉnh ủy",
        "year": 2025,
        "decision_no": "1234-QĐ/TU",
        "decided_on": D(2026, 1, 20),
    }
    return services.record_award(
        target_member=member, target_organization=organization, by=by, **{**defaults, **values}
    )


# Recording --------------------------------------------------------------------------------------------


def test_an_award_to_a_member_counts_under_their_cell_on_the_decision_date(
    an, cell_a1, cell_a2, staff_user, system_user
):
    movements.transfer(member=an, to=cell_a2, on=D(2026, 3, 1), by=system_user)

    award = _award(staff_user, member=an, decided_on=D(2026, 1, 20))

    assert award.organization == cell_a1  # where An was when it was decided, not where An is now
    assert (award.created_by, award.history.get().history_user) == (staff_user, staff_user)


def test_an_award_to_an_organization_counts_under_it(org_b, staff_user):
    award = _award(staff_user, organization=org_b, kind=Kind.FLAG, title="Cờ thi đua của UBND tỉnh")

    assert (award.organization, award.recipient) == (org_b, org_b)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"decided_on": D(2026, 12, 1)}, "decided_on"),  # tomorrow and later
        ({"year": 2026, "decided_on": D(2025, 12, 30)}, "decided_on"),  # before the year it rewards
        ({"year": 2027, "decided_on": D(2026, 11, 28)}, "year"),
        ({"title": "  "}, "title"),
        ({"kind": "huan_chuong"}, "kind"),
    ],
)
def test_an_implausible_award_is_refused_on_its_field(an, staff_user, values, field):
    with pytest.raises(ValidationError) as refused:
        _award(staff_user, member=an, **values)

    assert field in refused.value.message_dict
    assert not Award.objects.exists()


def test_an_award_has_exactly_one_recipient(an, org_b, staff_user):
    for targets in ({}, {"member": an, "organization": org_b}):
        with pytest.raises(ValidationError) as refused:
            _award(staff_user, **targets)
        assert refused.value.message_dict["__all__"] == [
            msg("Choose exactly one recipient: an organization or a Party member.")
        ]


def test_a_member_not_on_a_register_that_day_is_refused(an, staff_user):
    with pytest.raises(ValidationError) as refused:
        _award(staff_user, member=an, year=2014, decided_on=D(2014, 12, 20))

    assert refused.value.message_dict["target_member"] == [
        msg(
            "%(name)s was not on a Party cell's register on %(date)s.",
            name="Nguyễn Văn An",
            date="20/12/2014",
        )
    ]


def test_the_same_decision_twice_for_the_same_recipient_is_refused(an, binh, staff_user):
    _award(staff_user, member=an)

    with pytest.raises(ValidationError) as refused:
        _award(staff_user, member=an, decision_no="1234-qđ/tu")

    assert refused.value.message_dict["decision_no"] == [
        msg(
            "Decision %(number)s already gives %(recipient)s “%(title)s”: that award is recorded.",
            number="1234-QĐ/TU",
            recipient="Nguyễn Văn An",
            title="Bằng khen của Ban Thường vụ Tỉnh ủy",
        )
    ]
    _award(staff_user, member=binh)  # one decision rewards many people
    assert Award.objects.count() == 2


def test_correcting_an_award_follows_the_recipient(an, binh, org_b, staff_user):
    award = _award(staff_user, member=an)

    services.update_award(
        award=award, target_member=binh, title="Giấy khen", kind=Kind.COMMENDATION, by=staff_user
    )

    award.refresh_from_db()
    assert (award.target_member, award.organization, award.kind, award.title) == (
        binh,
        org_b,
        Kind.COMMENDATION,
        "Giấy khen",
    )
    history = award.history.count()
    services.update_award(award=award, title="Giấy khen", by=staff_user)
    assert award.history.count() == history  # nothing changed, nothing written


def test_a_removed_award_leaves_the_register_and_stays_in_the_history(an, staff_user):
    award = _award(staff_user, member=an)

    services.delete_award(award=award, by=staff_user)

    assert not Award.objects.exists()
    assert Award.history.filter(history_type="-").get().history_user == staff_user


# Streaks ----------------------------------------------------------------------------------------------


def _rate(member, levels: dict[int, str], by):
    for year, level in levels.items():
        ratings.record_decided_member(member=member, year=year, level=level, by=by)


def _years(first, last, level=Level.EXCELLENT, **others):
    return {year: others.get(f"y{year}", level) for year in range(first, last + 1)}


def test_members_excellent_five_years_in_a_row_are_listed_with_the_title_they_hold(
    an, binh, cell_a1, staff_user, system_user
):
    chi = _member(cell_a1, "Lê Văn Chí", system_user)
    _rate(an, _years(2021, 2025), system_user)
    _rate(binh, _years(2021, 2025), system_user)
    _rate(chi, _years(2021, 2025, y2023=Level.GOOD), system_user)  # broken in 2023
    _award(
        staff_user,
        member=binh,
        kind=Kind.TITLE,
        title="Đảng viên hoàn thành xuất sắc nhiệm vụ tiêu biểu 5 năm liền",
        decision_no="88-QĐ/ĐUK",
    )

    rows = selectors.streaks(staff_user, kind="member", years=5, until=2025)

    assert [(row.name, row.organization.code, row.title, row.decision_no) for row in rows] == [
        ("Nguyễn Văn An", "A1", "", ""),
        ("Trần Thị Bình", "B", "Đảng viên hoàn thành xuất sắc nhiệm vụ tiêu biểu 5 năm liền", "88-QĐ/ĐUK"),
    ]
    assert [row.name for row in selectors.streaks(staff_user, kind="member", years=2, until=2025)] == [
        "Nguyễn Văn An",
        "Lê Văn Chí",
        "Trần Thị Bình",
    ]


def test_a_streak_counts_decided_annual_ratings_only(an, cell_a1, system_user, staff_user):
    _rate(an, _years(2022, 2025), system_user)
    ratings.assess_member(member=an, year=2026, level=Level.EXCELLENT, by=system_user)  # not decided

    assert selectors.streaks(staff_user, kind="member", years=5, until=2026) == []
    assert len(selectors.streaks(staff_user, kind="member", years=4, until=2025)) == 1


def test_a_secretary_sees_the_streaks_of_their_scope_only(an, binh, secretary_b, system_user):
    _rate(an, _years(2024, 2025), system_user)
    _rate(binh, _years(2024, 2025), system_user)

    assert [row.name for row in selectors.streaks(secretary_b, kind="member", years=2, until=2025)] == [
        "Trần Thị Bình"
    ]


def test_organizations_count_clean_and_strong_in_the_legacy_years(org_a, org_b, staff_user, system_user):
    for organization, levels in (
        (org_a, {2016: Level.CLEAN_STRONG, 2017: Level.CLEAN_STRONG, 2018: Level.EXCELLENT}),
        (org_b, {2016: Level.CLEAN_STRONG, 2017: Level.GOOD, 2018: Level.EXCELLENT}),
    ):
        for year, level in levels.items():
            ratings.record_decided_organization(
                organization=organization, year=year, level=level, by=system_user
            )

    rows = selectors.streaks(staff_user, kind="organization", years=3, until=2018)

    assert [(row.name, row.title) for row in rows] == [("Đảng bộ Sở Tài chính", "")]


@pytest.mark.parametrize("members", [1, 8])
def test_the_streak_list_is_one_query(cell_a1, system_user, staff_user, members, django_assert_num_queries):
    for number in range(members):
        _rate(_member(cell_a1, f"Đảng viên Số {number}", system_user), _years(2023, 2025), system_user)

    selectors.streaks(staff_user, kind="member", years=3, until=2025)  # the user's assignments, read once

    with django_assert_num_queries(1):
        rows = selectors.streaks(staff_user, kind="member", years=3, until=2025)

    assert len(rows) == members


# The pages --------------------------------------------------------------------------------------------


def _posted(**values):
    return {
        "kind": Kind.MERIT,
        "title": "Bằng khen của Ban Thường vụ Tỉnh ủy",
        "giver": "Ban Thường vụ Tỉnh ủy",
        "year": 2025,
        "decision_no": "1234-QĐ/TU",
        "decided_on": "20/01/2026",
        **values,
    }


def test_staff_record_an_award_to_a_member_and_land_on_its_page(client, staff_user, an, cell_a1):
    client.force_login(staff_user)

    response = client.post(reverse("emulation:award_create"), _posted(target_member=an.pk))

    award = Award.objects.get()
    assert response.status_code == 302 and response.url == reverse("emulation:award", args=[award.pk])
    assert (award.target_member, award.organization) == (an, cell_a1)
    page = client.get(response.url).content.decode()
    assert "Nguyễn Văn An" in page and "Chi bộ Phòng Ngân sách" in page


def test_the_form_shows_the_services_refusal(client, staff_user, an):
    _award(staff_user, member=an)
    client.force_login(staff_user)

    response = client.post(reverse("emulation:award_create"), _posted(target_member=an.pk))

    assert response.status_code == 200 and Award.objects.count() == 1
    assert "decision_no" in response.context["form"].errors


def test_a_link_from_the_streaks_presets_the_title(client, staff_user, an):
    client.force_login(staff_user)

    response = client.get(
        reverse("emulation:award_create"), {"kind": "danh_hieu", "member": an.pk, "year": 2025}
    )

    form = response.context["form"]
    assert (form.initial["kind"], form.initial["target_member"], form.initial["year"]) == (
        "danh_hieu",
        an.pk,
        2025,
    )
    assert "Nguyễn Văn An" in response.content.decode()  # the picker names the chosen member


def test_staff_correct_and_remove_an_award(client, staff_user, an, binh):
    award = _award(staff_user, member=an)
    client.force_login(staff_user)

    corrected = client.post(
        reverse("emulation:award_update", args=[award.pk]), _posted(target_member=binh.pk, year=2024)
    )
    assert corrected.status_code == 302
    award.refresh_from_db()
    assert (award.target_member, award.year) == (binh, 2024)

    removed = client.post(reverse("emulation:award_delete", args=[award.pk]))
    assert removed.status_code == 302 and not Award.objects.exists()


def test_who_finds_an_award(client, staff_user, leader_user, secretary_a, secretary_b, an):
    award = _award(staff_user, member=an)
    page, edit = (
        reverse("emulation:award", args=[award.pk]),
        reverse("emulation:award_update", args=[award.pk]),
    )

    for user, read, change in (
        (leader_user, 200, 403),
        (secretary_a, 200, 403),
        (secretary_b, 404, 404),
    ):
        client.force_login(user)
        assert (client.get(page).status_code, client.get(edit).status_code) == (read, change), user


def test_the_list_filters_by_year_kind_and_subtree(client, staff_user, an, binh, org_a, org_b):
    _award(staff_user, member=an)
    _award(staff_user, member=binh, year=2024, decided_on=D(2025, 1, 10))
    _award(staff_user, organization=org_b, kind=Kind.FLAG, title="Cờ thi đua", decision_no="9-QĐ/UBND")
    client.force_login(staff_user)

    def found(**query):
        response = client.get(reverse("emulation:awards"), query)
        return sorted(str(award.recipient) for award in response.context["table"].page.object_list.data)

    assert found() == ["Chi bộ Báo Gia Lai", "Nguyễn Văn An", "Trần Thị Bình"]
    assert found(year=2025) == ["Chi bộ Báo Gia Lai", "Nguyễn Văn An"]
    assert found(kind=Kind.FLAG) == ["Chi bộ Báo Gia Lai"]
    assert found(within=org_a.pk) == ["Nguyễn Văn An"]
    assert found(q="binh") == ["Trần Thị Bình"]
    chips = client.get(reverse("emulation:awards"), {"within": org_a.pk}).content.decode()
    assert 'id="filter-chips"' in chips and "Đảng bộ Sở Tài chính" in chips


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_costs_the_same_however_many_awards(
    client, staff_user, cell_a1, system_user, count, django_assert_max_num_queries
):
    for number in range(count):
        _award(staff_user, member=_member(cell_a1, f"Đảng viên Số {number}", system_user))
    client.force_login(staff_user)
    client.get(reverse("home"))

    with django_assert_max_num_queries(5):
        response = client.get(reverse("emulation:awards"))

    assert len(response.context["table"].page.object_list) == count


def test_the_streak_page_answers_the_question_asked(client, staff_user, an, system_user):
    _rate(an, _years(2021, 2025), system_user)
    client.force_login(staff_user)

    default = client.get(reverse("emulation:streaks"))
    assert (default.context["kind"], default.context["years"], default.context["until"]) == (
        "member",
        5,
        2025,
    )
    assert [row.name for row in default.context["rows"]] == ["Nguyễn Văn An"]
    link = default.content.decode().split("data-record-title")[0].rsplit('href="', 1)[1].split('"')[0]
    preset = client.get(link.replace("&amp;", "&")).context["form"].initial
    assert (preset["kind"], preset["year"], preset["target_member"]) == ("danh_hieu", 2025, an.pk)
    assert preset["title"] == msg(
        "Exemplary Party member excellently fulfilling duties %(years)s years in a row", years=5
    )

    organizations = client.get(
        reverse("emulation:streaks"), {"kind": "organization", "years": 3, "until": 2024}
    )
    assert organizations.context["rows"] == [] and organizations.context["first"] == 2022
    odd = client.get(reverse("emulation:streaks"), {"years": "-1", "until": "abc"})
    assert (odd.status_code, odd.context["years"], odd.context["until"]) == (200, 5, 2025)


def test_the_member_picker_searches_the_members_staff_may_reward(client, staff_user, secretary_a, an):
    client.force_login(staff_user)
    found = client.get(reverse("emulation:member_search"), {"q": "nguyen van"}).json()
    assert [result["name"] for result in found["results"]] == ["Nguyễn Văn An"]

    client.force_login(secretary_a)
    assert client.get(reverse("emulation:member_search"), {"q": "an"}).status_code == 403


def test_the_member_page_shows_their_awards_and_ratings(client, staff_user, an, system_user):
    _award(staff_user, member=an)
    _rate(an, {2024: Level.GOOD, 2025: Level.EXCELLENT}, system_user)
    client.force_login(staff_user)

    page = client.get(an.get_absolute_url()).content.decode()

    assert 'id="member-awards"' in page and "1234-QĐ/TU" in page
    assert 'id="member-ratings"' in page and 'data-year="2025" data-level="htxs"' in page
