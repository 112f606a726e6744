"""The candidate and admission-target pages as secretaries, staff and leaders use them."""

import datetime
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from blocportal.dates import format_day
from blocportal.workdays import add_months
from members.models import Candidate, Member
from members.services import candidates as candidate_services
from tests.factories import CandidateFactory, MemberFactory

from .test_candidates import advance, days_ago, make_candidate, make_sponsors, today

D = datetime.date
Stage = Candidate.Stage


@pytest.fixture
def sponsors(cell_a1, staff_user):
    return make_sponsors(cell_a1, staff_user)


@pytest.fixture
def candidate(cell_a1, staff_user):
    """Lê Thị Hồng, a candidate of chi bộ A1 (Chi bộ Phòng Ngân sách)."""
    return make_candidate(cell_a1, staff_user)


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _step(pk, step):
    return reverse("members:candidate_step", kwargs={"pk": pk, "step": step})


def _detail(pk):
    return reverse("members:candidate_detail", kwargs={"pk": pk})


# Recording a candidate ------------------------------------------------------------------------------


def test_secretary_records_a_candidate_of_their_chi_bo(client, secretary_a, cell_a1):
    client.force_login(secretary_a)
    form = _page(client.get(reverse("members:candidate_create")))
    assert "Chi bộ Phòng Ngân sách" in form and "Chi bộ Báo Gia Lai" not in form
    response = client.post(
        reverse("members:candidate_create"),
        {
            "organization": cell_a1.pk,
            "full_name": "Đoàn  Thị Lan",
            "gender": "nu",
            "birth_date": "12/09/1999",
            "cccd": "064199000777",
        },
    )
    recorded = Candidate.objects.get(cccd="064199000777")
    assert response.status_code == 302 and response["Location"] == _detail(recorded.pk)
    assert (recorded.full_name, recorded.organization, recorded.birth_date) == (
        "Đoàn Thị Lan",
        cell_a1,
        D(1999, 9, 12),
    )
    assert recorded.history.get().history_user == secretary_a


def test_secretary_cannot_record_a_candidate_in_another_organization(client, secretary_a, org_b):
    client.force_login(secretary_a)
    response = client.post(
        reverse("members:candidate_create"),
        {"organization": org_b.pk, "full_name": "Ngoài Phạm Vi", "gender": "nam", "birth_date": "01/01/2000"},
    )
    assert response.status_code == 200 and "organization" in response.context["form"].errors
    assert not Candidate.objects.exists()


def test_a_refusal_of_the_service_shows_on_the_form(client, secretary_a, cell_a1, staff_user):
    MemberFactory(organization=cell_a1, full_name="Phan Văn Giàu", cccd="064190000001", by=staff_user)
    client.force_login(secretary_a)
    response = client.post(
        reverse("members:candidate_create"),
        {
            "organization": cell_a1.pk,
            "full_name": "Phan Văn Giàu",
            "gender": "nam",
            "birth_date": "01/01/1990",
            "cccd": "064190000001",
        },
    )
    assert "Phan Văn Giàu" in " ".join(response.context["form"].errors["cccd"])
    assert not Candidate.objects.exists()


def test_leader_reads_but_cannot_record(client, leader_user, candidate):
    client.force_login(leader_user)
    assert "Lê Thị Hồng" in _page(client.get(_detail(candidate.pk)))
    assert client.get(reverse("members:candidate_create")).status_code == 403
    assert client.post(_step(candidate.pk, "training"), {"certificate_no": "X"}).status_code == 403
    assert client.get(reverse("members:candidate_update", kwargs={"pk": candidate.pk})).status_code == 403


def test_secretary_of_another_organization_gets_404(client, secretary_b, candidate):
    client.force_login(secretary_b)
    assert client.get(_detail(candidate.pk)).status_code == 404
    response = client.post(
        _step(candidate.pk, "training"), {"certificate_no": "X", "certificate_on": "01/01/2026"}
    )
    assert response.status_code == 404
    assert Candidate.objects.get(pk=candidate.pk).certificate_on is None


def test_secretary_corrects_the_profile(client, secretary_a, candidate):
    client.force_login(secretary_a)
    url = reverse("members:candidate_update", kwargs={"pk": candidate.pk})
    assert 'value="Lê Thị Hồng"' in _page(client.get(url))
    response = client.post(
        url, {"full_name": "Lê Thị Hồng", "gender": "nu", "birth_date": "10/05/1998", "job_title": "Kế toán"}
    )
    assert response.status_code == 302
    assert Candidate.objects.get(pk=candidate.pk).job_title == "Kế toán"


# The steps ----------------------------------------------------------------------------------------


def test_detail_offers_the_steps_of_the_stage_and_the_timeline(client, secretary_a, candidate):
    client.force_login(secretary_a)
    page = _page(client.get(_detail(candidate.pk)))
    for step in ("training", "sponsors", "withdraw"):
        assert _step(candidate.pk, step) in page
    for step in ("resolution", "decision", "admit"):
        assert _step(candidate.pk, step) not in page
    assert 'id="candidate-timeline"' in page


def test_secretary_records_the_awareness_class_from_the_page(client, secretary_a, candidate):
    client.force_login(secretary_a)
    response = client.post(
        _step(candidate.pk, "training"),
        {"certificate_no": "BD-77", "certificate_on": format_day(days_ago(10))},
    )
    assert response.status_code == 302 and response["Location"] == _detail(candidate.pk)
    candidate.refresh_from_db()
    assert (candidate.stage, candidate.certificate_no, candidate.certificate_on) == (
        Stage.TRAINED,
        "BD-77",
        days_ago(10),
    )
    assert format_day(candidate.certificate_expires_on) in _page(client.get(_detail(candidate.pk)))


def test_sponsor_choice_holds_the_official_members_of_the_unit(
    client, secretary_a, candidate, sponsors, cell_a1, org_b, staff_user
):
    MemberFactory(organization=cell_a1, full_name="Dự Bị Văn Mới", by=staff_user)
    MemberFactory(organization=org_b, full_name="Ngoài Đơn Vị", official=True, by=staff_user)
    client.force_login(secretary_a)
    form = _page(client.get(_step(candidate.pk, "sponsors")))
    assert "Lê Văn Cường" in form and "Võ Thị Dung" in form
    assert "Dự Bị Văn Mới" not in form and "Ngoài Đơn Vị" not in form
    response = client.post(
        _step(candidate.pk, "sponsors"), {"sponsor_1": sponsors[0].pk, "sponsor_2": sponsors[1].pk}
    )
    assert response.status_code == 302
    assert Candidate.objects.get(pk=candidate.pk).sponsor_2 == sponsors[1]


def test_votes_below_two_thirds_show_on_the_votes_field(client, secretary_a, candidate, sponsors, staff_user):
    advance(candidate, "vetting-complete", staff_user, sponsors=sponsors)
    client.force_login(secretary_a)
    response = client.post(
        _step(candidate.pk, "resolution"),
        {
            "resolution_no": "05-NQ/CB",
            "resolution_on": format_day(days_ago(100)),
            "official_members": "10",
            "votes_for": "6",
        },
    )
    assert response.status_code == 200 and "votes_for" in response.context["form"].errors
    assert Candidate.objects.get(pk=candidate.pk).stage == Stage.VETTING


def test_a_step_that_does_not_fit_the_stage_says_what_is_missing(client, secretary_a, candidate):
    client.force_login(secretary_a)
    assert response_has_stage_notice(client.get(_step(candidate.pk, "resolution")))
    response = client.post(
        _step(candidate.pk, "resolution"),
        {
            "resolution_no": "1",
            "resolution_on": format_day(days_ago(1)),
            "official_members": "9",
            "votes_for": "9",
        },
    )
    errors = " ".join(response.context["form"].non_field_errors())
    assert gettext("the awareness class certificate") in errors


def response_has_stage_notice(response) -> bool:
    return response.status_code == 200 and response.context["fits_stage"] is False


def test_only_staff_admit_and_the_deadline_reaches_the_form(
    client, staff_user, secretary_a, candidate, sponsors
):
    advance(candidate, "decision", staff_user, sponsors=sponsors)
    client.force_login(secretary_a)
    assert _step(candidate.pk, "admit") not in _page(client.get(_detail(candidate.pk)))
    assert (
        client.post(_step(candidate.pk, "admit"), {"ceremony_on": format_day(days_ago(80))}).status_code
        == 403
    )

    client.force_login(staff_user)
    assert _step(candidate.pk, "admit") in _page(client.get(_detail(candidate.pk)))
    late = client.post(_step(candidate.pk, "admit"), {"ceremony_on": format_day(today())})
    assert late.status_code == 200 and "ceremony_on" in late.context["form"].errors
    assert not Member.objects.filter(full_name="Lê Thị Hồng").exists()

    response = client.post(_step(candidate.pk, "admit"), {"ceremony_on": format_day(days_ago(80))})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == Stage.ADMITTED
    page = _page(client.get(_detail(candidate.pk)))
    assert reverse("members:detail", kwargs={"pk": candidate.member_id}) in page
    assert _step(candidate.pk, "withdraw") not in page


def test_unknown_step_is_404(client, staff_user, candidate):
    client.force_login(staff_user)
    assert client.get(_step(candidate.pk, "promote")).status_code == 404


# The list --------------------------------------------------------------------------------------------


def test_list_shows_open_candidates_by_default(client, leader_user, candidate, cell_a1, staff_user):
    gone = CandidateFactory(organization=cell_a1, full_name="Đã Thôi Xét", by=staff_user)
    candidate_services.withdraw(candidate=gone, on=days_ago(1), reason="Chuyển đi", by=staff_user)
    client.force_login(leader_user)
    page = _page(client.get(reverse("members:candidate_list")))
    assert "Lê Thị Hồng" in page and "Đã Thôi Xét" not in page
    everyone = _page(client.get(reverse("members:candidate_list"), {"stage": "all"}))
    assert "Đã Thôi Xét" in everyone
    withdrawn = _page(client.get(reverse("members:candidate_list"), {"stage": Stage.WITHDRAWN}))
    assert "Đã Thôi Xét" in withdrawn and "Lê Thị Hồng" not in withdrawn


def test_list_search_ignores_tone_marks_and_answers_htmx_with_the_table(client, staff_user, candidate, org_b):
    CandidateFactory(organization=org_b, full_name="Trần Văn Khác", by=staff_user)
    client.force_login(staff_user)
    partial = _page(
        client.get(reverse("members:candidate_list"), {"q": "le thi hong"}, HTTP_HX_REQUEST="true")
    )
    assert "Lê Thị Hồng" in partial and "Trần Văn Khác" not in partial and "<html" not in partial


def test_secretary_lists_only_their_subtree(client, secretary_b, candidate, org_b, staff_user):
    CandidateFactory(organization=org_b, full_name="Trần Văn Khác", by=staff_user)
    client.force_login(secretary_b)
    page = _page(client.get(reverse("members:candidate_list"), {"stage": "all"}))
    assert "Trần Văn Khác" in page and "Lê Thị Hồng" not in page


def test_list_marks_expired_and_expiring_certificates(client, staff_user, cell_a1):
    expired = CandidateFactory(organization=cell_a1, full_name="Hết Hạn", by=staff_user)
    candidate_services.record_training(
        candidate=expired,
        certificate_no="1",
        certificate_on=add_months(today(), -72),  # six years: 29/02 has no twin six years back
        by=staff_user,
    )
    soon = CandidateFactory(organization=cell_a1, full_name="Sắp Hết", by=staff_user)
    issued = add_months(today(), -60) + timedelta(days=30)
    candidate_services.record_training(
        candidate=soon, certificate_no="2", certificate_on=issued, by=staff_user
    )
    client.force_login(staff_user)
    page = _page(client.get(reverse("members:candidate_list")))
    assert page.count("text-bg-danger") == 1 and page.count("text-bg-warning") == 1


@pytest.mark.parametrize("rows", [3, 30])
def test_list_query_count_does_not_grow_with_rows(
    client, staff_user, cell_a1, sponsors, django_assert_num_queries, rows
):
    for _ in range(rows):
        row = CandidateFactory(organization=cell_a1, by=staff_user)
        candidate_services.assign_sponsors(
            candidate=row, sponsor_1=sponsors[0], sponsor_2=sponsors[1], by=staff_user
        )
    client.force_login(staff_user)
    # Session, user, assignments, the count, the page and the names of its chi bộ's đảng bộ (one
    # query for the page: members.tables.GrassrootsNames): the chi bộ picker of the filter offers
    # none (it searches), and the session is not saved again (it was 8 when every page saved it).
    with django_assert_num_queries(6):
        response = client.get(reverse("members:candidate_list"))
    page = _page(response)
    assert len(response.context["table"].page.object_list) == rows
    assert page.count("Lê Thị Quần Chúng") == rows  # every row rendered, with its sponsors
    assert page.count("Lê Văn Cường") == rows and page.count("Võ Thị Dung") == rows


def test_nav_shows_candidates_to_those_who_may_read_them(client, leader_user, inspector_user):
    client.force_login(leader_user)
    assert reverse("members:candidate_list") in _page(client.get(reverse("home")))
    client.force_login(inspector_user)
    assert reverse("members:candidate_list") not in _page(client.get(reverse("home")))


# Admission targets ------------------------------------------------------------------------------------


def test_staff_sets_a_target_and_sees_the_progress(client, staff_user, org_a, cell_a1):
    year = today().year
    MemberFactory(organization=cell_a1, admitted_on=today(), ceremony_on=today(), by=staff_user)
    client.force_login(staff_user)
    url = reverse("members:target_set")
    form = _page(client.get(url, {"organization": org_a.pk, "year": year}))
    assert "Đảng bộ Sở Tài chính" in form
    response = client.post(url, {"organization": org_a.pk, "year": year, "target": 4})
    assert (
        response.status_code == 302
        and response["Location"] == f"{reverse('members:target_list')}?year={year}"
    )
    page = _page(client.get(reverse("members:target_list"), {"year": year}))
    assert "25,0%" in page


def test_a_target_for_a_chi_bo_is_refused_on_the_form(client, staff_user, cell_a1):
    client.force_login(staff_user)
    response = client.post(
        reverse("members:target_set"), {"organization": cell_a1.pk, "year": 2026, "target": 4}
    )
    assert response.status_code == 200 and "organization" in response.context["form"].errors


def test_secretary_sees_the_progress_of_their_organization_only(client, secretary_a, org_a, org_b):
    client.force_login(secretary_a)
    response = client.get(reverse("members:target_list"))
    rows = [row.organization for row, _can_set in response.context["rows"]]
    assert rows == [org_a]
    assert reverse("members:target_set") not in _page(response)
    assert client.get(reverse("members:target_set")).status_code == 403
