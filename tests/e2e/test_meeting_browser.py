"""A secretary records this month's meeting on a phone, keyboard only, and the dashboard shows it.

``secretary1`` (secretary of đảng bộ A) opens the form for chi bộ A1 on a phone-sized screen, keeps
today's date and the regular kind, marks one member absent without reason and one excused with the
reason, all from the keyboard, and saves. The meeting's page shows 2 of 4 present; the dashboard of
this month shows the attendance (50%) and the regular meeting held (1 of 1 month due: a month still
running counts once its meeting is recorded). ``secretary2`` (chi bộ B) gets a 404 on the meeting.
"""

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from blocportal import clock
from meetings.models import Attendance, Meeting
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Văn Dũng")


@pytest.fixture
def cell_members(cell_a1, staff_user):
    return [
        MemberFactory(organization=cell_a1, full_name=name, official=True, by=staff_user) for name in NAMES
    ]


def test_secretary_records_this_months_meeting_on_a_phone(
    browser, secretary_a, secretary_b, org_a, cell_a1, cell_members
):
    from playwright.sync_api import expect

    page = browser.page
    page.set_viewport_size(PHONE)
    browser.log_in(secretary_a)
    page.goto(f"{reverse('meetings:create')}?organization={cell_a1.pk}")
    form = page.locator("main form").first
    expect(form).to_be_visible()
    # Today's date and a regular meeting are the defaults: the secretary only saves.
    form.locator("button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/meetings/\d+/sheet/"))

    # No horizontal scrolling on the phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    def line(name):
        return page.locator("fieldset.attendance-line", has_text=name)

    # Keyboard only: focus the member's checked choice, the arrow keys move it (present → excused →
    # absent without reason), Tab reaches the reason.
    line("Phạm Văn Dũng").locator("input[type=radio]:checked").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(line("Phạm Văn Dũng").locator("input[value=vang_khong_ly_do]")).to_be_checked()
    line("Lê Văn Cường").locator("input[type=radio]:checked").focus()
    page.keyboard.press("ArrowRight")
    expect(line("Lê Văn Cường").locator("input[value=vang_co_ly_do]")).to_be_checked()
    reason = line("Lê Văn Cường").locator("input[type=text]")
    expect(reason).to_be_visible()
    reason.focus()
    page.keyboard.type("Đi công tác")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))

    meeting = Meeting.objects.get(organization=cell_a1)
    assert meeting.held_on == clock.today()
    marks = dict(meeting.attendance.values_list("member__full_name", "status"))
    assert marks == {
        "Nguyễn Văn An": Attendance.Status.PRESENT,
        "Trần Thị Bình": Attendance.Status.PRESENT,
        "Lê Văn Cường": Attendance.Status.EXCUSED,
        "Phạm Văn Dũng": Attendance.Status.ABSENT,
    }
    assert meeting.attendance.get(member__full_name="Lê Văn Cường").reason == "Đi công tác"
    expect(page.locator("main")).to_contain_text("2/4")

    month = clock.today().strftime("%Y-%m")
    page.goto(f"{reverse('reports:dashboard')}?organization={cell_a1.pk}&period={month}")
    attendance = page.locator("[data-figure]", has_text=_("Member attendance at meetings"))
    expect(attendance).to_contain_text("50")
    expect(attendance).to_contain_text("2/4")
    held = page.locator("[data-figure]", has_text=_("Regular meetings held"))
    expect(held).to_contain_text(_("%(held)s of %(due)s months due") % {"held": 1, "due": 1})
    assert browser.csp_violations() == []
    assert browser.errors == []

    page.context.clear_cookies()
    browser.log_in(secretary_b)
    assert page.goto(meeting.get_absolute_url()).status == 404
