"""The leaders' dashboard in a real Chromium: the leader changes the period, clicks a bar of a chart
drawn by vega-embed under the strict CSP, and lands on the member list with the bar's count; a
secretary sees only the figures of their own subtree."""

import re

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_changes_the_period_and_drills_down_from_a_bar(browser, leader_user, bloc, quarter):
    from playwright.sync_api import expect

    page = browser.page
    browser.log_in(leader_user)
    page.goto(reverse("reports:dashboard"))
    expect(page.locator("h1")).to_contain_text("Bảng điều khiển")

    page.fill("input[name=period]", "2025-Q2")
    page.locator("#dashboard-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"period=2025-Q2"))
    chart = page.locator("#chart-sector")
    # vega-embed drew the chart as SVG, without eval (the CSP would have refused it).
    bars = chart.locator("svg [role=graphics-symbol]")
    expect(bars.first).to_be_visible()
    table = page.locator("#chart-sector-table")
    expect(table).to_contain_text("Cơ quan Nhà nước")
    count = table.locator("tr", has_text="Cơ quan Nhà nước").locator("td").inner_text().strip()
    assert count == "3"

    bar = chart.locator("svg [role=graphics-symbol][aria-label*='Cơ quan Nhà nước']").first
    bar.click()
    page.wait_for_url(re.compile(r"/members/\?.*on_register=2025-06-30"))
    rows = page.locator("#list-table tbody tr")
    expect(rows).to_have_count(3)
    assert browser.csp_violations() == []
    assert browser.errors == []


def test_a_secretary_sees_only_their_subtree(browser, secretary_a, org_a, quarter):
    from playwright.sync_api import expect

    page = browser.page
    browser.log_in(secretary_a)
    page.goto(f"{reverse('reports:dashboard')}?period=2025-Q2")

    expect(page.locator("main")).to_contain_text(org_a.name)
    members = page.locator("[data-figure]", has_text="Đảng viên").first
    # m1, m2 (A1) and m3 (A2) on 30/6/2025: nothing of B, D or E.
    expect(members.locator("[data-count]")).to_have_text("3")
    assert page.goto(f"{reverse('reports:dashboard')}?organization={quarter['d'].pk}").status == 404
