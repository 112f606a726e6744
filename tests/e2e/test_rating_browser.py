"""The issue's scenario in a real Chromium, with the real CSP: ``secretary1`` (the secretary of đảng bộ A)
opens the rating sheet of chi bộ A1 for 2025 from the navigation, enters the members' self-assessments,
copies them into the chi bộ's proposal with the column's button and saves — two "hoàn thành xuất sắc" for
four "hoàn thành tốt", more than the 20% quota. ``staff`` opens the sheet, finds the approval pre-filled
from the proposals, tries to approve and is stopped by the quota, whose message names the two members; one
level fixed, the approval goes through and the approved levels show on the sheet."""

import re

import pytest
from django.urls import reverse

from emulation.models import Level, MemberRating
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2025
NAMES = ("Bùi Văn An", "Đặng Thị Bình", "Hoàng Văn Cường", "Lê Thị Dung", "Phạm Văn Dũng", "Trần Văn Em")
SELF = (Level.EXCELLENT, Level.EXCELLENT, Level.GOOD, Level.GOOD, Level.GOOD, Level.GOOD)


@pytest.fixture
def members(cell_a1, system_user):
    return [
        MemberFactory(organization=cell_a1, full_name=name, official=True, by=system_user) for name in NAMES
    ]


def test_a_secretary_proposes_and_staff_approve_within_the_quota(
    browser, secretary_a, staff_user, cell_a1, members
):
    from playwright.sync_api import expect

    page = browser.page
    browser.log_in(secretary_a)

    # From the navigation to the year's overview, then to chi bộ A1's sheet.
    page.locator("[data-nav=ratings]").first.click()
    page.wait_for_url(re.compile(r"/emulation/ratings/"))
    page.locator(f"#year-form [data-year='{YEAR}']").click()
    page.wait_for_url(re.compile(rf"year={YEAR}"))
    page.locator(f"#cells tr[data-organization='{cell_a1.code}'] a").first.click()
    page.wait_for_url(re.compile(rf"/ratings/cells/{cell_a1.pk}/{YEAR}/$"))
    expect(page.locator("#rating-sheet tbody tr[data-member]")).to_have_count(len(members))
    # A secretary proposes; the approval is read-only for them.
    expect(page.locator("select[data-column=level]")).to_have_count(0)

    # The self-assessments, then the proposal copied from them by the column's button.
    for member, level in zip(members, SELF, strict=True):
        page.select_option(f"#id_self_{member.pk}", level)
    page.locator("button[data-copy-to=proposed]").click()
    for member, level in zip(members, SELF, strict=True):
        expect(page.locator(f"#id_proposed_{member.pk}")).to_have_value(level)
    page.locator("button[name=action][value=save]").click()
    page.wait_for_load_state()
    expect(page.locator("#rating-sheet [data-recorded=proposed]")).to_have_count(len(members))
    ratings = {r.member_id: r for r in MemberRating.objects.filter(year=YEAR)}
    assert [ratings[m.pk].proposed_level for m in members] == list(SELF)
    assert {r.proposed_by_id for r in ratings.values()} == {secretary_a.pk}

    assert browser.csp_violations() == [], browser.csp_violations()
    assert browser.errors == []

    # Staff: the approval pre-filled from the proposals, refused over the quota, with the members named.
    page.context.clear_cookies()
    browser.log_in(staff_user)
    page.goto(reverse("emulation:member_sheet", args=[cell_a1.pk, YEAR]))
    for member, level in zip(members, SELF, strict=True):
        expect(page.locator(f"#id_level_{member.pk}")).to_have_value(level)
    page.locator("#approve").click()
    page.wait_for_load_state()
    errors = page.locator("#sheet-errors")
    expect(errors).to_contain_text("Bùi Văn An")
    expect(errors).to_contain_text("Đặng Thị Bình")
    expect(errors).to_contain_text("124-QĐ/TW")
    assert not MemberRating.objects.exclude(level="").exists()
    # The levels as entered are kept; one fixed, the approval goes through.
    expect(page.locator(f"#id_level_{members[1].pk}")).to_have_value(Level.EXCELLENT)
    page.select_option(f"#id_level_{members[1].pk}", Level.GOOD)
    page.locator("#approve").click()
    page.wait_for_load_state()
    expect(page.locator("#sheet-errors")).to_have_count(0)
    expect(page.locator("#rating-sheet [data-recorded=level]")).to_have_count(len(members))
    approved = dict(MemberRating.objects.filter(year=YEAR).values_list("member_id", "level"))
    assert [approved[m.pk] for m in members] == [Level.EXCELLENT, *[Level.GOOD] * 5]
    expect(page.locator(f"#id_level_{members[1].pk}")).to_have_value(Level.GOOD)

    assert browser.csp_violations() == [], browser.csp_violations()
    assert browser.errors == []
    assert browser.failed_responses == []
