"""What a newcomer met (issue 7), checked in a real Chromium: the portal's own Vietnamese error
page with its menu, a Vietnamese pager, a searchable organization picker on the report form, and a
signed PDF — the secretary's name under the signature line."""

import datetime
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from members.models import CommitteeSeat
from members.services import committees as committee_services
from reports import services as report_services
from reports.models import Report
from tests.factories import MemberFactory
from tests.members.veterans import veteran

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date


def _log_in(page, user):
    page.goto(reverse("login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", "demo12345")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))


def test_a_secretary_out_of_scope_meets_the_portals_vietnamese_404(browser, secretary_b, cell_a1, settings):
    from playwright.sync_api import expect

    settings.DEBUG = False
    member = MemberFactory(organization=cell_a1, official=True)
    page = browser.page
    _log_in(page, secretary_b)
    response = page.goto(reverse("members:detail", args=[member.pk]))
    assert response.status == 404
    expect(page.locator("main h1")).to_contain_text("Không tìm thấy trang")
    expect(page.locator("nav").first).to_be_visible()  # the menu is there: the user can go on
    assert "Not Found" not in page.content()


def test_the_member_list_pages_in_vietnamese(browser, staff_user, org_b):
    from playwright.sync_api import expect

    for number in range(30):
        MemberFactory(organization=org_b, full_name=f"Nguyễn Văn Trang {number:02d}", official=True)
    page = browser.page
    _log_in(page, staff_user)
    page.goto(reverse("members:list") + "?per_page=25")
    pager = page.locator(".pagination")
    expect(pager).to_contain_text("Trang sau")
    assert "next" not in pager.inner_text().lower()
    pager.get_by_text("Trang sau").click()
    expect(page.locator(".pagination")).to_contain_text("Trang trước")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_staff_pick_the_organization_by_typing_and_the_pdf_names_its_signer(
    browser, staff_user, org_b, tmp_path
):
    from playwright.sync_api import expect

    term = committee_services.create_term(
        organization=org_b, label="2025–2030", starts_on=D(2025, 6, 10), ends_on=D(2030, 6, 30), by=staff_user
    )
    secretary = veteran(org_b, D(1995, 3, 1), by=staff_user, full_name="Nguyễn Thị Bí Thư")
    committee_services.appoint(
        term=term,
        member=secretary,
        position=CommitteeSeat.Position.SECRETARY,
        starts_on=D(2025, 6, 10),
        by=staff_user,
    )
    page = browser.page
    _log_in(page, staff_user)
    page.goto(reverse("reports:list"))
    # The picker searches the server as the user types, without tone marks.
    page.locator(".ts-control input").first.fill("bao gia lai")
    page.locator(".ts-dropdown .option", has_text=org_b.name).first.click()
    page.fill("#id_period", "2025-Q4")
    page.locator("#report-draft-submit").click()
    expect(page).to_have_url(re.compile(r"/reports/\d+/$"))
    # A draft has no PDF: finalizing gives it its number and queues the render.
    page.locator("#report-finalize").click()
    page.wait_for_load_state()
    report = Report.objects.get(organization=org_b)
    if report.is_pending:  # a broker is configured (CI on Redis): do what its worker would
        report_services.render_report(report_id=report.pk)
        page.reload()
    download_link = page.get_by_role("link", name="Tải PDF")
    expect(download_link).to_be_visible()
    pdf = page.request.get(download_link.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.body())
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True
    ).stdout
    assert "BÍ THƯ" in text and "Nguyễn Thị Bí Thư" in text
    assert browser.csp_violations() == [] and browser.errors == []
