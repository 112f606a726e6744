"""Bloc staff transfer a member to one of several "Chi bộ Văn phòng" (issue 7): the target picker
searches the server as they type, without tone marks, and names each chi bộ with its đảng bộ; the
date is picked in the Vietnamese calendar and stays dd/mm/yyyy — in a real Chromium, with the real
CSP."""

import re

import pytest
from django.urls import reverse

from members.models import Movement
from organizations.models import Organization
from tests.factories import MemberFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Kind = Organization.Kind


def _office(parent, code, system_user):
    return OrganizationFactory(
        code=code,
        name="Chi bộ Văn phòng",
        kind=Kind.SUBORDINATE_CELL,
        parent=parent,
        sector="",
        by=system_user,
    )


@pytest.fixture
def offices(bloc, org_a, system_user):
    justice = OrganizationFactory(
        code="TP", name="Đảng bộ Sở Tư pháp", kind=Kind.GRASSROOTS_COMMITTEE, parent=bloc, by=system_user
    )
    health = OrganizationFactory(
        code="YT", name="Đảng bộ Sở Y tế", kind=Kind.GRASSROOTS_COMMITTEE, parent=bloc, by=system_user
    )
    return {
        "Đảng bộ Sở Tài chính": _office(org_a, "A-VP", system_user),
        "Đảng bộ Sở Tư pháp": _office(justice, "TP-VP", system_user),
        "Đảng bộ Sở Y tế": _office(health, "YT-VP", system_user),
    }


def test_staff_pick_the_chi_bo_van_phong_of_a_dang_bo_and_the_transfer_is_recorded(
    browser, staff_user, cell_a1, offices, system_user
):
    from playwright.sync_api import expect

    member = MemberFactory(organization=cell_a1, full_name="Trần Văn Bình", official=True, by=system_user)
    target = offices["Đảng bộ Sở Tư pháp"]
    page = browser.page

    page.goto(reverse("members:move", args=[member.pk, "transfer"]))
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("#id_username", staff_user.username)
    page.fill("#id_password", "demo12345")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).to_contain_text("Trần Văn Bình")

    # The picker, typed into without tone marks: the three Văn phòng, each with its đảng bộ.
    page.locator("#id_to-ts-control").press_sequentially("van phong")
    choices = page.locator(".ts-dropdown .option")
    expect(choices).to_have_count(3)
    for dang_bo in offices:
        expect(choices.filter(has_text=dang_bo)).to_have_count(1)
    expect(choices.first).to_contain_text("Chi bộ Văn phòng")
    choices.filter(has_text="Đảng bộ Sở Tư pháp").click()
    expect(page.locator("#id_to")).to_have_value(str(target.pk))
    expect(page.locator(".ts-wrapper .item")).to_have_text("Chi bộ Văn phòng — Đảng bộ Sở Tư pháp")

    # The date: typed, then changed in the calendar, which writes it back as dd/mm/yyyy.
    page.fill("#id_on", "15/03/2025")
    page.locator(".date-field:has(#id_on)").get_by_role("button", name="Chọn ngày").click()
    calendar = page.locator(".date-field:has(#id_on) .date-field-menu")
    expect(calendar).to_be_visible()
    expect(calendar.locator(".view-switch")).to_have_text("Tháng 3 2025")
    calendar.locator(".datepicker-cell.day:not(.prev):not(.next)", has_text=re.compile(r"^20$")).click()
    expect(page.locator("#id_on")).to_have_value("20/03/2025")
    expect(calendar).to_be_hidden()

    page.fill("#id_decision_no", "15-QĐ/ĐUK")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(re.escape(member.get_absolute_url()) + "$"))
    member.refresh_from_db()
    assert member.organization_id == target.pk
    event = member.events.get(kind=Movement.Kind.TRANSFERRED)
    assert event.to_organization_id == target.pk
    assert event.on.isoformat() == "2025-03-20" and event.decision_no == "15-QĐ/ĐUK"

    assert browser.csp_violations() == [], browser.csp_violations()
    assert browser.errors == []
    assert browser.failed_responses == []
