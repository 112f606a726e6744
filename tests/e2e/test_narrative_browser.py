"""The narrative editor in a real Chromium, under the real CSP: the three buttons format the text as
paragraphs and lists, a pasted text loses its formatting, and what is saved is the sanitized HTML."""

import re

import pytest
from django.urls import reverse

from reports import services as report_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _write_list(page, part: str, command: str, lines: list[str]) -> None:
    """Empty the part, start a list with its button and type one item a line."""
    page.locator(f"#narrative-{part}").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.locator(f"[data-target=narrative-{part}][data-command={command}]").click()
    for index, line in enumerate(lines):
        if index:
            page.keyboard.press("Enter")
        page.keyboard.type(line)


def test_staff_write_paragraphs_and_lists_in_the_editor(browser, staff_user, org_a, system_user):
    from playwright.sync_api import expect

    draft = report_services.create_draft(organization=org_a, period="2025-Q2", by=system_user)
    page = browser.page
    browser.log_in(staff_user)
    page.goto(reverse("reports:narrative", args=[draft.pk]))

    # With JavaScript the editable areas replace the textareas.
    expect(page.locator("#narrative-strengths")).to_be_visible()
    expect(page.locator("#id_strengths")).to_be_hidden()

    strengths = page.locator("#narrative-strengths")
    strengths.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("Các chi bộ duy trì nền nếp sinh hoạt.")

    _write_list(
        page,
        "shortcomings",
        "insertOrderedList",
        ["Chi bộ Phòng Ngân sách chưa sinh hoạt tháng 01", "Còn 01 đơn thư quá hạn"],
    )
    _write_list(page, "tasks", "insertUnorderedList", ["Kiện toàn cấp ủy", "Học tập nghị quyết"])
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # twice: out of the list, a paragraph follows
    page.locator("[data-target=narrative-tasks][data-command=paragraph]").click()
    page.keyboard.type("Giữ vững đoàn kết nội bộ.")

    page.locator("#narrative-save").click()
    page.wait_for_url(re.compile(rf"/reports/{draft.pk}/$"))

    draft.refresh_from_db()
    assert "Các chi bộ duy trì nền nếp sinh hoạt." in draft.strengths
    assert draft.shortcomings == (
        "<ol><li>Chi bộ Phòng Ngân sách chưa sinh hoạt tháng 01</li><li>Còn 01 đơn thư quá hạn</li></ol>"
    )
    assert draft.tasks.startswith("<ul><li>Kiện toàn cấp ủy</li><li>Học tập nghị quyết</li></ul>")
    assert "<p>Giữ vững đoàn kết nội bộ.</p>" in draft.tasks
    assert not browser.errors and not browser.csp_violations()
