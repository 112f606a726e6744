"""The member list in a real Chromium: on a phone it shows the name and the key columns and folds
the filters away; filtering (htmx) keeps the page size chosen."""

import re

import pytest
from django.urls import reverse

from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def members(org_b):
    for number in range(30):
        MemberFactory(organization=org_b, full_name=f"Nguyễn Văn Điện Thoại {number:02d}", official=True)


def test_on_a_phone_the_list_shows_the_name_and_folds_the_filters(browser, staff_user, members):
    from playwright.sync_api import expect

    page = browser.page
    page.set_viewport_size(PHONE)
    browser.log_in(staff_user)
    page.goto(reverse("members:list"))

    table = page.locator("#list-table table")
    expect(table.locator("thead th")).to_have_count(8)  # the desktop's columns are all there…
    visible = [th.inner_text().strip().lower() for th in table.locator("thead th:visible").all()]
    assert visible == ["họ và tên", "chi bộ", "trạng thái"], visible  # …a phone shows three
    width = page.evaluate("document.querySelector('#list-table table').getBoundingClientRect().width")
    assert width <= PHONE["width"], width  # no sideways scrolling, no column one word wide
    name = table.locator("tbody tr").first.locator("td").first
    assert name.bounding_box()["width"] > 100

    filters = page.locator("#list-filters form")
    expect(filters).to_be_hidden()
    page.locator('button[data-bs-target="#list-filters"]').click()
    expect(filters).to_be_visible()
    page.locator("input[name=q]").press_sequentially("dien thoai 07")
    expect(table.locator("tbody tr")).to_have_count(1)
    assert browser.errors == [] and browser.csp_violations() == []


def test_filtering_keeps_the_page_size(browser, staff_user, members):
    from playwright.sync_api import expect

    page = browser.page
    browser.log_in(staff_user)
    page.goto(reverse("members:list") + "?per_page=25")
    expect(page.locator("#list-table tbody tr")).to_have_count(25)
    expect(page.locator("#list-filters form")).to_be_visible()  # a wide screen shows the filters

    page.locator("input[name=q]").press_sequentially("dien thoai")  # all 30 still match
    expect(page).to_have_url(re.compile(r"[?&]q=dien"))
    assert "per_page=25" in page.url
    expect(page.locator("#list-table tbody tr")).to_have_count(25)
    expect(page.locator("#list-table .pagination")).to_contain_text("Trang sau")
    assert browser.errors == [] and browser.csp_violations() == []
