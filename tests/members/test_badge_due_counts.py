"""The attention list and the badge page decide what is due with one selector
(``badges.due_badges``), so they show the same count, overdue badges included, however far the
next award day is (DOMAIN.md validation rule 13)."""

import datetime
import re

import pytest
from django.urls import reverse

from blocportal import clock
from members.selectors import attention, badges
from tests.members.veterans import veteran

D = datetime.date
# 27/11/2026: the last award day was 7/11/2026, the next is 3/2/2027, 68 days away.
NOW = "2026-11-27T03:00:00+00:00"
LAST_DAY, NEXT_DAY = D(2026, 11, 7), D(2027, 2, 3)


@pytest.fixture
def due(settings, org_b, cell_a1, staff_user):
    settings.PORTAL_NOW = NOW
    assert (badges.previous_award_date(clock.today()), badges.default_award_day(clock.today())) == (
        LAST_DAY,
        NEXT_DAY,
    )
    return {
        "upcoming": veteran(
            org_b, D(1997, 1, 5), by=staff_user, full_name="Võ Văn Sắp Tới"
        ),  # 30 on 5/1/2027
        "overdue": veteran(org_b, D(1990, 1, 1), by=staff_user, full_name="Hà Thị Quá Hạn"),  # 30 in 2020
        "overdue_40": veteran(cell_a1, D(1985, 6, 1), by=staff_user, full_name="Lý Văn Bốn Mươi"),
    }


def _get(client, user, name: str) -> str:
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


def attention_count(client, user) -> int:
    page = _get(client, user, "attention")  # the hub (blocportal.attention)
    section = page[page.index('id="badges"') :]
    return int(re.search(r'<span class="badge text-bg-secondary">(\d+)</span>', section).group(1))


def badge_page_count(client, user) -> int:
    page = _get(client, user, "members:badge_list")
    assert f'<option value="{NEXT_DAY.isoformat()}" selected>' in page
    return int(re.search(r'<p class="text-muted small mb-1">\s*(\d+)\s', page).group(1))


def test_both_pages_count_the_same_badges_due(client, staff_user, due):
    assert attention_count(client, staff_user) == badge_page_count(client, staff_user) == 3


def test_both_pages_agree_within_a_user_scope(client, secretary_b, due):
    assert attention_count(client, secretary_b) == badge_page_count(client, secretary_b) == 2


def test_overdue_badges_are_listed_first_however_far_the_award_day(staff_user, due):
    award_on, rows = attention.badges_coming(staff_user, clock.today())

    assert award_on == NEXT_DAY
    assert [(row.member.full_name, row.years, row.overdue) for row in rows] == [
        ("Lý Văn Bốn Mươi", 40, True),
        ("Hà Thị Quá Hạn", 30, True),
        ("Võ Văn Sắp Tới", 30, False),
    ]
