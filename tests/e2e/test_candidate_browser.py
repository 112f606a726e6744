"""A chi bộ secretary records a quần chúng ưu tú in the browser; after the chi bộ's steps, bloc staff
hold the ceremony in the browser and the new member appears with the end of the probation."""

import datetime
import re

import pytest
from django.urls import reverse

from blocportal import clock
from blocportal.dates import format_day
from members.models import Candidate, Member, Movement
from members.services import candidates as candidate_services
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, user):
    page.context.clear_cookies()
    page.goto(reverse("login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", "demo12345")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))


def _through_the_chi_bo(candidate, sponsors, by):
    """The steps between the record and the ceremony, as the chi bộ and the committee take them."""
    today = clock.today()
    candidate_services.record_training(
        candidate=candidate,
        certificate_no="125/GCN",
        certificate_on=today - datetime.timedelta(days=200),
        by=by,
    )
    candidate_services.assign_sponsors(
        candidate=candidate, sponsor_1=sponsors[0], sponsor_2=sponsors[1], by=by
    )
    candidate_services.record_application(
        candidate=candidate, applied_on=today - datetime.timedelta(days=120), by=by
    )
    candidate_services.start_vetting(candidate=candidate, on=today - datetime.timedelta(days=110), by=by)
    candidate_services.complete_vetting(candidate=candidate, on=today - datetime.timedelta(days=60), by=by)
    candidate_services.record_resolution(
        candidate=candidate,
        resolution_no="05-NQ/CB",
        resolution_on=today - datetime.timedelta(days=40),
        votes_for=4,
        official_members=4,
        by=by,
    )
    candidate_services.record_decision(
        candidate=candidate, decision_no="318-QĐ/ĐU", decision_on=today - datetime.timedelta(days=7), by=by
    )


def test_secretary_records_a_candidate_and_staff_admit_them(
    browser, secretary_a, staff_user, cell_a1, org_b, system_user
):
    from playwright.sync_api import expect

    page = browser.page
    sponsors = [MemberFactory(organization=cell_a1, official=True, by=system_user) for _ in range(4)]

    # The secretary of the đảng bộ records the candidate of one of its chi bộ.
    _log_in(page, secretary_a)
    page.goto(reverse("members:candidate_list"))
    page.locator(f'a[href="{reverse("members:candidate_create")}"]').first.click()
    page.select_option("#id_organization", str(cell_a1.pk))
    page.fill("#id_full_name", "Rơ Châm H'Linh")
    page.select_option("#id_gender", Member.Gender.FEMALE)
    page.fill("#id_birth_date", "12/08/1998")
    page.fill("#id_ethnicity", "Gia Rai")
    page.fill("#id_cccd", "064198012345")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).to_have_text("Rơ Châm H'Linh")
    candidate = Candidate.objects.get(cccd="064198012345")
    assert candidate.organization == cell_a1 and candidate.stage == Candidate.Stage.OUTSTANDING
    # A secretary cannot admit: the ceremony step is the bloc staff's.
    expect(
        page.locator(f'a[href="{reverse("members:candidate_step", args=[candidate.pk, "admit"])}"]')
    ).to_have_count(0)

    _through_the_chi_bo(candidate, sponsors, system_user)

    # Bloc staff open the candidate and record the ceremony.
    _log_in(page, staff_user)
    page.goto(reverse("members:candidate_detail", args=[candidate.pk]))
    page.locator(f'a[href="{reverse("members:candidate_step", args=[candidate.pk, "admit"])}"]').click()
    ceremony = clock.today()
    page.fill("#id_ceremony_on", ceremony.strftime("%d/%m/%Y"))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(
        re.compile(re.escape(reverse("members:candidate_detail", args=[candidate.pk])) + "$")
    )

    # The new member: probationary, in the chi bộ, admitted by the staff member's session, with the
    # end of the probation on the profile.
    member = Member.objects.get(cccd="064198012345")
    assert member.status == Member.Status.PROBATIONARY and member.organization == cell_a1
    event = member.events.get()
    assert (event.kind, event.recorded_by) == (Movement.Kind.ADMITTED, staff_user)
    page.goto(reverse("members:detail", args=[member.pk]))
    expect(page.locator("main h1")).to_contain_text("Rơ Châm H'Linh")
    expect(page.locator("main")).to_contain_text(format_day(member.probation_ends_on))
    assert member.probation_ends_on.year == ceremony.year + 1
    assert browser.csp_violations() == [] and browser.errors == []
