"""Huy hiệu Đảng: the award days, who is due on one of them, and recording the award.

The award day used throughout is 19/5/2026; the one before it is 3/2/2026. Party age counts from
the admission decision: admitted on 19/5/1996 means 30 years on 19/5/2026.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from blocportal import clock
from members import services as member_services
from members.models import BadgeAward, Member, party_age
from members.selectors import badges
from members.services import badges as badge_services
from tests.members.veterans import veteran

# The award days and milestones are rules, read from the rule table.
pytestmark = pytest.mark.django_db

D = datetime.date
AWARD_DAY, PREVIOUS_AWARD_DAY = D(2026, 5, 19), D(2026, 2, 3)


def due(award_on=AWARD_DAY, **kwargs):
    """{full name: (milestone, overdue)} of the members due on ``award_on``."""
    return {
        member.full_name: (member.badge_years, member.badge_overdue)
        for member in badges.badge_due(Member.objects.all(), award_on, **kwargs)
    }


# Award days ------------------------------------------------------------------------------------


def test_the_four_award_days_of_a_year():
    assert badges.award_dates(2026) == [D(2026, 2, 3), D(2026, 5, 19), D(2026, 9, 2), D(2026, 11, 7)]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2026, 1, 1), D(2026, 2, 3)),
        (D(2026, 2, 3), D(2026, 2, 3)),  # the award day itself
        (D(2026, 2, 4), D(2026, 5, 19)),
        (D(2026, 9, 3), D(2026, 11, 7)),
        (D(2026, 11, 7), D(2026, 11, 7)),
        (D(2026, 11, 8), D(2027, 2, 3)),  # after 7/11: 3/2 of the next year
        (D(2026, 12, 31), D(2027, 2, 3)),
    ],
)
def test_next_award_day(on, expected):
    assert badges.next_award_date(on) == expected


def test_previous_award_day_crosses_the_year_end():
    assert badges.previous_award_date(D(2027, 2, 3)) == D(2026, 11, 7)
    assert badges.previous_award_date(D(2026, 5, 19)) == D(2026, 2, 3)


def test_the_pages_offer_the_last_award_day_and_the_next_four():
    assert badges.award_day_options(D(2026, 11, 22)) == [
        D(2026, 11, 7),
        D(2027, 2, 3),
        D(2027, 5, 19),
        D(2027, 9, 2),
        D(2027, 11, 7),
    ]
    # On an award day, that day is the next one.
    assert badges.award_day_options(D(2026, 5, 19))[:2] == [D(2026, 2, 3), D(2026, 5, 19)]


# Who is due ------------------------------------------------------------------------------------


def test_admitted_thirty_years_before_the_award_day_is_due(org_b, staff_user):
    veteran(org_b, D(1996, 5, 19), by=staff_user, full_name="Đúng Ngày")
    veteran(org_b, D(1996, 5, 20), by=staff_user, full_name="Sau Một Ngày")

    assert due() == {"Đúng Ngày": (30, False)}


def test_a_milestone_reached_by_the_previous_award_day_is_overdue(org_b, staff_user):
    veteran(org_b, D(1996, 2, 3), by=staff_user, full_name="Đến Hạn Kỳ Trước")
    veteran(org_b, D(1996, 2, 4), by=staff_user, full_name="Đến Hạn Kỳ Này")
    veteran(org_b, D(1990, 7, 1), by=staff_user, full_name="Quá Hạn Lâu")

    assert due() == {
        "Đến Hạn Kỳ Trước": (30, True),
        "Đến Hạn Kỳ Này": (30, False),
        "Quá Hạn Lâu": (30, True),
    }


def test_a_member_with_the_badge_is_not_due_again(org_b, staff_user):
    member = veteran(org_b, D(1995, 1, 10), by=staff_user)
    badge_services.award_badge(member=member, years=30, awarded_on=D(2025, 2, 3), by=staff_user)

    assert due() == {}


def test_former_members_are_not_listed(org_b, staff_user):
    member = veteran(org_b, D(1995, 1, 10), by=staff_user)
    member_services.record_death(member=member, on=D(2026, 1, 5), by=staff_user)

    assert due() == {}


def test_milestone_forty_is_due_when_thirty_was_awarded(org_b, staff_user):
    member = veteran(org_b, D(1986, 5, 10), by=staff_user, full_name="Bốn Mươi Năm")
    badge_services.award_badge(member=member, years=30, awarded_on=D(2016, 11, 7), by=staff_user)

    assert due() == {"Bốn Mươi Năm": (40, False)}


def test_only_the_highest_milestone_reached_is_listed(org_b, staff_user):
    """Reached 40 years without the 30-year badge: the 40-year one is due, once."""
    veteran(org_b, D(1985, 3, 1), by=staff_user, full_name="Chưa Nhận Ba Mươi")

    assert due() == {"Chưa Nhận Ba Mươi": (40, True)}
    assert due(years=30) == {}
    assert due(years=40) == {"Chưa Nhận Ba Mươi": (40, True)}


def test_a_badge_for_a_higher_milestone_covers_the_lower_ones(org_b, staff_user):
    member = veteran(org_b, D(1985, 3, 1), by=staff_user)
    badge_services.award_badge(member=member, years=40, awarded_on=D(2025, 5, 19), by=staff_user)

    assert due() == {}


def test_party_age_counts_months_and_clamps_the_month_end(org_b, staff_user):
    """Admitted on 29/02/1996: 30 full years on 28/02/2026, as ``party_age`` counts them."""
    member = veteran(org_b, D(1996, 2, 29), by=staff_user, full_name="Ngày Nhuận")

    assert party_age(member, D(2026, 2, 28)) == 30
    assert due(D(2026, 2, 28)) == {"Ngày Nhuận": (30, False)}
    assert due(D(2026, 2, 27)) == {}


def test_badge_due_is_one_query(org_b, cell_a1, staff_user, django_assert_num_queries):
    for year in (1980, 1985, 1990, 1995):
        veteran(org_b, D(year, 3, 1), by=staff_user)
        veteran(cell_a1, D(year, 4, 1), by=staff_user)

    with django_assert_num_queries(1):
        rows = list(badges.badge_due(Member.objects.select_related("organization"), AWARD_DAY))
        names = [member.organization.name for member in rows]
    assert len(names) == 8


# Recording an award ------------------------------------------------------------------------------


@pytest.fixture
def thirty_years(org_b, staff_user):
    """30 years of party age on 19/5/2026."""
    return veteran(org_b, D(1996, 5, 19), by=staff_user, full_name="Phạm Văn Ba Mươi")


def refused(field, *fragments):
    """Expect a ValidationError on ``field`` (None: not tied to a field) mentioning each fragment, and
    no badge recorded."""

    class _Refused:
        def __enter__(self):
            self.before = BadgeAward.objects.count()
            self.raises = pytest.raises(ValidationError)
            self.info = self.raises.__enter__()
            return self.info

        def __exit__(self, *exc):
            suppressed = self.raises.__exit__(*exc)
            error = self.info.value
            messages = error.message_dict.get(field, []) if field else error.messages
            assert messages, error
            text = " ".join(messages)
            for fragment in fragments:
                assert fragment in text, f"{fragment!r} not in {text!r}"
            assert BadgeAward.objects.count() == self.before
            return suppressed

    return _Refused()


def test_award_records_the_badge_with_its_history(thirty_years, staff_user):
    badge = badge_services.award_badge(
        member=thirty_years, years=30, awarded_on=AWARD_DAY, decision_no="125-QĐ/TU", by=staff_user
    )

    assert (badge.member, badge.years, badge.awarded_on, badge.decision_no) == (
        thirty_years,
        30,
        AWARD_DAY,
        "125-QĐ/TU",
    )
    assert badge.recorded_by == staff_user
    assert badge.history.get().history_user == staff_user


def test_award_refused_on_a_day_that_is_not_an_award_day(thirty_years, staff_user):
    with refused("awarded_on", "3/2, 19/5, 2/9, 7/11", "20/05/2026"):
        badge_services.award_badge(member=thirty_years, years=30, awarded_on=D(2026, 5, 20), by=staff_user)


def test_award_refused_in_the_future(thirty_years, staff_user):
    upcoming = badges.next_award_date(clock.today() + datetime.timedelta(days=1))
    with refused("awarded_on", upcoming.strftime("%d/%m/%Y")):
        badge_services.award_badge(member=thirty_years, years=30, awarded_on=upcoming, by=staff_user)


def test_award_refused_below_the_milestone(org_b, staff_user):
    member = veteran(org_b, D(1996, 5, 20), by=staff_user, full_name="Thiếu Một Ngày")
    with refused("years", "Thiếu Một Ngày", "29", "19/05/2026"):
        badge_services.award_badge(member=member, years=30, awarded_on=AWARD_DAY, by=staff_user)


def test_award_refused_for_a_number_that_is_not_a_milestone(org_b, staff_user):
    member = veteran(org_b, D(1990, 1, 1), by=staff_user)
    with refused("years", "35", "30, 40, 45"):
        badge_services.award_badge(member=member, years=35, awarded_on=AWARD_DAY, by=staff_user)


def test_award_refused_twice_for_the_same_milestone(thirty_years, staff_user):
    badge_services.award_badge(member=thirty_years, years=30, awarded_on=AWARD_DAY, by=staff_user)
    with refused("years", "Phạm Văn Ba Mươi", "19/05/2026"):
        badge_services.award_badge(member=thirty_years, years=30, awarded_on=D(2026, 9, 2), by=staff_user)


def test_award_refused_below_a_milestone_already_awarded(org_b, staff_user):
    member = veteran(org_b, D(1985, 3, 1), by=staff_user)
    badge_services.award_badge(member=member, years=40, awarded_on=D(2025, 5, 19), by=staff_user)
    with refused("years", "40"):
        badge_services.award_badge(member=member, years=30, awarded_on=AWARD_DAY, by=staff_user)


def test_award_refused_for_a_member_who_left_before_the_award_day(thirty_years, staff_user):
    member_services.record_death(member=thirty_years, on=D(2026, 5, 1), by=staff_user)
    with refused(None, "Phạm Văn Ba Mươi", "01/05/2026"):
        badge_services.award_badge(member=thirty_years, years=30, awarded_on=AWARD_DAY, by=staff_user)


def test_a_member_who_died_after_the_award_day_keeps_the_badge(thirty_years, staff_user):
    """The family keeps the Huy hiệu (DOMAIN.md §2): recorded late, after the death, it is accepted."""
    member_services.record_death(member=thirty_years, on=D(2026, 6, 1), by=staff_user)

    badge = badge_services.award_badge(member=thirty_years, years=30, awarded_on=AWARD_DAY, by=staff_user)

    assert badge.member.exit_reason == Member.Exit.DIED


# One decision for many members: all or nothing ----------------------------------------------------


def test_award_badges_gives_each_member_their_milestone(org_b, staff_user):
    thirty = veteran(org_b, D(1996, 1, 1), by=staff_user)
    forty = veteran(org_b, D(1986, 1, 1), by=staff_user)
    badge_services.award_badge(member=forty, years=30, awarded_on=D(2016, 2, 3), by=staff_user)

    recorded = badge_services.award_badges(
        members=[thirty, forty], awarded_on=AWARD_DAY, decision_no="7-QĐ/TU", by=staff_user
    )

    assert [(badge.member, badge.years) for badge in recorded] == [(thirty, 30), (forty, 40)]
    assert set(BadgeAward.objects.filter(awarded_on=AWARD_DAY).values_list("decision_no", flat=True)) == {
        "7-QĐ/TU"
    }


def test_award_badges_records_nothing_when_one_member_is_refused(org_b, staff_user):
    due_member = veteran(org_b, D(1996, 1, 1), by=staff_user, full_name="Đủ Ba Mươi")
    too_young = veteran(org_b, D(2000, 1, 1), by=staff_user, full_name="Mới Hai Mươi Sáu")
    awarded = veteran(org_b, D(1995, 1, 1), by=staff_user, full_name="Đã Nhận")
    badge_services.award_badge(member=awarded, years=30, awarded_on=D(2025, 2, 3), by=staff_user)

    with pytest.raises(ValidationError) as excinfo:
        badge_services.award_badges(
            members=[due_member, too_young, awarded], awarded_on=AWARD_DAY, by=staff_user
        )

    messages = excinfo.value.messages
    assert len(messages) == 2
    assert "Mới Hai Mươi Sáu" in messages[0] and "Đã Nhận" in messages[1]
    assert not BadgeAward.objects.filter(member=due_member).exists()


def test_award_badges_refuses_a_wrong_day_once(thirty_years, staff_user):
    with refused("awarded_on", "3/2, 19/5, 2/9, 7/11"):
        badge_services.award_badges(members=[thirty_years], awarded_on=D(2026, 5, 18), by=staff_user)


def test_award_badges_needs_a_member(staff_user):
    with refused("members"):
        badge_services.award_badges(members=[], awarded_on=AWARD_DAY, by=staff_user)
