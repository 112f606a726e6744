"""Bloc staff register a chi bộ trực thuộc from the browser: login form, tree, organization page,
creation form, the new page, the searchable list — in a real Chromium, with the real CSP."""

import datetime
import re

import pytest
from django.urls import reverse

from organizations.models import Organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_NAME = "Chi bộ Phòng Tin học"


def test_staff_adds_a_chi_bo_truc_thuoc_under_a_dang_bo_co_so(browser, staff_user, org_a):
    from playwright.sync_api import expect

    page = browser.page

    # Log in through the form, as a person would.
    page.goto(reverse("organizations:tree"))
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("#id_username", staff_user.username)
    page.fill("#id_password", "demo12345")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("organizations:tree")) + "$"))

    # The tree shows the bloc and, under it, the đảng bộ cơ sở.
    page.locator(f'.org-tree a[href="{org_a.get_absolute_url()}"]').click()
    expect(page.locator("main h1")).to_have_text(org_a.name)

    # "Add sub-organization" opens the form with the đảng bộ cơ sở as parent.
    page.locator(f'a[href="{reverse("organizations:create")}?parent={org_a.pk}"]').click()
    expect(page.locator("#id_parent")).to_have_value(str(org_a.pk))
    page.select_option("#id_kind", Organization.Kind.SUBORDINATE_CELL)
    page.fill("#id_code", "A-TH")
    page.fill("#id_name", NEW_NAME)
    page.fill("#id_established_on", "15/03/2024")
    page.fill("#id_decision_no", "27-QĐ/ĐU")
    page.locator("main form button[type=submit]").click()

    # Its own page, registered where and when the form said.
    expect(page.locator("main h1")).to_have_text(NEW_NAME)
    cell = Organization.objects.get(code="A-TH")
    assert page.url.endswith(cell.get_absolute_url())
    assert cell.parent_id == org_a.pk and cell.kind == Organization.Kind.SUBORDINATE_CELL
    assert cell.established_on == datetime.date(2024, 3, 15)
    assert cell.events.get().decision_no == "27-QĐ/ĐU"
    expect(page.locator("main")).to_contain_text("15/03/2024")

    # The tree stops at the đảng bộ cơ sở: opening it fetches its new chi bộ (htmx, under the CSP).
    page.goto(reverse("organizations:tree"))
    node = page.locator(f'.org-tree a[href="{org_a.get_absolute_url()}"]').locator(
        "xpath=ancestor::details[1]"
    )
    expect(node.locator(f'a[href="{cell.get_absolute_url()}"]')).to_have_count(0)
    node.locator("summary .badge").click()
    expect(node.locator(f'a[href="{cell.get_absolute_url()}"]')).to_have_text(NEW_NAME)

    # The list finds it by a tone-free search typed into the filter (htmx swaps the table).
    page.goto(reverse("organizations:list"))
    expect(page.locator("#list-table")).to_contain_text(org_a.name)
    page.locator("input[name=q]").press_sequentially("phong tin hoc")
    rows = page.locator("#list-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(NEW_NAME)
    expect(page).to_have_url(re.compile(r"[?&]q=phong"))
    rows.first.locator(f'a[href="{cell.get_absolute_url()}"]').click()
    expect(page.locator("main h1")).to_have_text(NEW_NAME)

    assert browser.csp_violations() == [], browser.csp_violations()
    assert browser.errors == []
    assert browser.failed_responses == []  # every stylesheet, script and font was served
