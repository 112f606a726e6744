"""The issue's scenario in a real Chromium, with the real CSP: the ``inspector`` records a letter of
denunciation about a member, opens a case on the member from it, concludes it with a violation that
warrants discipline, and records the cảnh cáo of the Ban Thường vụ of đảng bộ A from the case. Then
``staff`` opens the member's profile and sees the outcome — the form and the decision's number — and
gets a 404 on the case.

Trần Văn Chính is an official member of chi bộ A1 (under đảng bộ A, Đảng bộ Sở Tài chính)."""

import re

import pytest
from django.urls import reverse

from inspections.models import Case, Complaint, DisciplineDecision
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def member(cell_a1, system_user):
    return MemberFactory(organization=cell_a1, full_name="Trần Văn Chính", official=True, by=system_user)


def _pick(page, field: str, typed: str, choice: str) -> None:
    """Choose in a picker (Tom Select) by typing: the server answers, the choice is clicked."""
    page.locator(f"#id_{field}-ts-control").press_sequentially(typed)
    option = page.locator(".ts-dropdown .option", has_text=choice).first
    option.wait_for()
    option.click()


def test_an_inspector_takes_a_letter_to_a_warning_and_staff_see_only_the_outcome(
    browser, inspector_user, staff_user, org_a, member
):
    from playwright.sync_api import expect

    page = browser.page
    browser.log_in(inspector_user)

    # The letter, received by đảng bộ A from a named sender, about the member.
    page.goto(reverse("inspections:complaint_create"))
    _pick(page, "organization", "tai chinh", "Đảng bộ Sở Tài chính")
    expect(page.locator("#id_organization")).to_have_value(str(org_a.pk))
    page.select_option("#id_kind", Complaint.Kind.DENUNCIATION)
    page.fill("#id_received_on", "10/03/2025")
    page.fill("#id_sender", "Nguyễn Thị Tố")
    _pick(page, "subject_member", "tran van chinh", "Trần Văn Chính")
    expect(page.locator("#id_subject_member")).to_have_value(str(member.pk))
    page.fill("#id_summary", "Tố cáo đồng chí Chính kê khai tài sản không trung thực.")
    page.locator("#letter-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/inspections/letters/\d+/$"))
    letter = Complaint.objects.get()
    expect(page.locator("#letter-subject")).to_contain_text("Trần Văn Chính")

    # A case opened from the letter: the target is the letter's subject, the kind its settlement.
    page.locator("[data-action=open-case]").click()
    page.wait_for_url(re.compile(r"/open-case/$"))
    expect(page.locator("#id_kind")).to_have_value(Case.Kind.DENUNCIATION)
    expect(page.locator("#id_target_member")).to_have_value(str(member.pk))
    page.fill("#id_decision_no", "05-QĐ/UBKTĐU")
    page.fill("#id_opened_on", "20/03/2025")
    page.locator("#case-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/inspections/cases/\d+/$"))
    case = Case.objects.get()
    assert (case.target_member_id, case.kind) == (member.pk, Case.Kind.DENUNCIATION)
    letter.refresh_from_db()
    assert (letter.case_id, letter.status) == (case.pk, Complaint.Status.IN_PROGRESS)

    # Concluded: a violation that warrants discipline.
    page.locator("[data-action=conclude]").first.click()
    page.wait_for_url(re.compile(r"/conclude/$"))
    page.check(f"input[name=conclusion][value={Case.Conclusion.DISCIPLINE}]")
    page.fill("#id_closed_on", "30/06/2025")
    page.fill("#id_findings", "Kê khai tài sản không trung thực, che giấu thu nhập.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/inspections/cases/\d+/$"))
    expect(page.locator("#case-state [data-conclusion]")).to_have_attribute(
        "data-conclusion", Case.Conclusion.DISCIPLINE
    )

    # The cảnh cáo, recorded from the case: the member and the case come preset.
    page.locator("[data-action=decide]").click()
    page.wait_for_url(re.compile(r"/inspections/decisions/new/\?case="))
    expect(page.locator("#id_target_member")).to_have_value(str(member.pk))
    expect(page.locator("#decision-case [data-case]")).to_have_attribute("data-case", str(case.pk))
    page.select_option("#id_body", "ban_thuong_vu")
    page.fill("#id_decision_no", "12-QĐ/ĐU")
    page.fill("#id_decided_on", "10/07/2025")
    page.fill("#id_heard_on", "01/07/2025")
    page.check(f"input[name=form][value={DisciplineDecision.Form.WARNING}]")
    page.locator("#decision-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/inspections/decisions/\d+/$"))
    decision = DisciplineDecision.objects.get()
    assert (decision.form, decision.case_id, decision.target_member_id, decision.organization_id) == (
        DisciplineDecision.Form.WARNING,
        case.pk,
        member.pk,
        org_a.pk,
    )
    expect(page.locator("#decision-details [data-form]")).to_have_attribute("data-form", "canh_cao")

    assert browser.csp_violations() == [], browser.csp_violations()
    assert browser.errors == []
    assert browser.failed_responses == []

    # The staff: the outcome on the member's profile, not the case.
    page.context.clear_cookies()
    browser.log_in(staff_user)
    page.goto(reverse("members:detail", args=[member.pk]))
    outcome = page.locator("#member-discipline")
    expect(outcome).to_contain_text(str(DisciplineDecision.Form.WARNING.label))
    expect(outcome).to_contain_text("12-QĐ/ĐU")
    expect(outcome.locator("a")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("che giấu thu nhập")
    assert page.goto(case.get_absolute_url()).status == 404
    assert page.goto(decision.get_absolute_url()).status == 404
