"""Upward submission (issue 13): a grassroots organization submits its finalized report to the bloc,
whose staff accept it or return it with a comment; a returned report is reissued, finalized and
submitted again. The bloc's page shows, per period, who has submitted, who is late and who was
returned, with a drill-down; the attention hub lists what each one has to do about it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from blocportal import attention
from blocportal.models import RuleValue
from blocportal.periods import Period
from organizations.models import Organization
from reports import services, submissions
from reports.models import Report
from reports.selectors import report_actions
from reports.services.submission import accept_report, return_report, submit_report
from tests.factories import OrganizationFactory

TODAY = "2026-11-28T03:00:00+00:00"
# Quý III năm 2026 ends on 30/09; with ``report.submission_days`` (10) its reports are due by 10/10.
Q3 = "2026-Q3"
IN_TIME = "2026-10-05T03:00:00+00:00"
Submission = Report.Submission
D = datetime.date
ON = D(2026, 11, 28)


@pytest.fixture(autouse=True)
def _today(settings):
    settings.PORTAL_NOW = TODAY


def history_users(report):
    return [record.history_user for record in report.history.order_by("-history_date", "-history_id")]


# The services -------------------------------------------------------------------------------------


def test_a_secretary_submits_a_finalized_report_to_the_bloc(make_report, org_a, secretary_a):
    report = make_report(org_a)

    report = submit_report(report=report, by=secretary_a)

    assert report.submission == Submission.SUBMITTED
    assert report.submitted_by == secretary_a and report.submitted_at is not None
    assert history_users(report)[0] == secretary_a  # the step is in the history, with its user
    submitted_at, records = report.submitted_at, report.history.count()
    again = submit_report(report=report, by=secretary_a)  # a double click: nothing changes
    assert again.submitted_at == submitted_at and report.history.count() == records


@pytest.mark.parametrize(
    "case, message",
    [
        ("draft", "Không thể gửi bản nháp"),
        ("pdf_pending", "khi tệp PDF đã tạo xong"),
        ("bloc", "Chỉ tổ chức cơ sở đảng mới gửi báo cáo"),
        ("subordinate_cell", "Chỉ tổ chức cơ sở đảng mới gửi báo cáo"),
    ],
)
def test_only_a_grassroots_report_finalized_with_its_pdf_is_submitted(
    make_report, bloc, org_a, cell_a1, staff_user, case, message
):
    report = {
        "draft": lambda: make_report(org_a, finalize=False),
        "pdf_pending": lambda: make_report(org_a, render=False),
        "bloc": lambda: make_report(bloc, render=False),
        "subordinate_cell": lambda: make_report(cell_a1, render=False),
    }[case]()
    records = report.history.count()

    with pytest.raises(ValidationError, match=message):
        submit_report(report=report, by=staff_user)

    report.refresh_from_db()
    assert report.submission == Submission.NONE and report.submitted_at is None
    assert report.history.count() == records  # nothing written


def test_staff_accept_a_submitted_report(make_report, org_a, secretary_a, staff_user):
    report = submit_report(report=make_report(org_a), by=secretary_a)

    report = accept_report(report=report, by=staff_user)

    assert report.submission == Submission.ACCEPTED
    assert (report.reviewed_by, report.review_comment) == (staff_user, "")
    assert history_users(report)[:2] == [staff_user, secretary_a]
    assert accept_report(report=report, by=staff_user).reviewed_at == report.reviewed_at  # a no-op
    with pytest.raises(ValidationError, match="đã được xem xét"):
        return_report(report=report, by=staff_user, comment="Thiếu số liệu")


def test_nothing_is_reviewed_before_it_is_submitted(make_report, org_a, staff_user):
    report = make_report(org_a)

    with pytest.raises(ValidationError, match="chưa được gửi lên Đảng ủy Khối"):
        accept_report(report=report, by=staff_user)
    with pytest.raises(ValidationError, match="chưa được gửi lên Đảng ủy Khối"):
        return_report(report=report, by=staff_user, comment="Thiếu số liệu")
    report.refresh_from_db()
    assert report.submission == Submission.NONE and report.reviewed_at is None


def test_a_return_needs_its_comment(make_report, org_a, secretary_a, staff_user):
    report = submit_report(report=make_report(org_a), by=secretary_a)

    with pytest.raises(ValidationError) as refused:
        return_report(report=report, by=staff_user, comment="   ")
    assert "comment" in refused.value.error_dict
    report.refresh_from_db()
    assert report.submission == Submission.SUBMITTED

    report = return_report(report=report, by=staff_user, comment=" Bổ sung số liệu đảng phí. ")
    assert (report.submission, report.review_comment) == (Submission.RETURNED, "Bổ sung số liệu đảng phí.")
    assert return_report(report=report, by=staff_user, comment="Lần nữa").review_comment == (
        "Bổ sung số liệu đảng phí."
    )  # repeated: a no-op
    with pytest.raises(ValidationError, match="đã bị Đảng ủy Khối trả lại"):
        submit_report(report=report, by=secretary_a)  # the returned version is not sent again


def test_a_returned_report_is_reissued_finalized_and_submitted_again(
    make_report, org_a, secretary_a, staff_user
):
    first = submit_report(report=make_report(org_a), by=secretary_a)
    first = return_report(report=first, by=staff_user, comment="Phần II thiếu số chi bộ sinh hoạt chuyên đề.")

    draft = services.reissue_report(report=first, by=secretary_a)
    assert (draft.version, draft.state, draft.submission) == (2, Report.State.DRAFT, Submission.NONE)
    second = services.finalize_report(report=draft, by=secretary_a, enqueue=False)
    services.render_report(report_id=second.pk)
    second.refresh_from_db()
    first.refresh_from_db()

    assert first.state == Report.State.SUPERSEDED  # still readable, returned, with the comment
    assert (first.submission, first.review_comment) == (
        Submission.RETURNED,
        "Phần II thiếu số chi bộ sinh hoạt chuyên đề.",
    )
    assert second.submission == Submission.NONE  # the new version starts unsubmitted
    assert report_actions(second, secretary_a)["can_submit"]
    second = submit_report(report=second, by=secretary_a)
    accept_report(report=second, by=staff_user)

    board = submissions.submission_board(staff_user, Period.parse(second.period), ON)
    row = next(row for row in board.rows if row.organization == org_a)
    assert (row.status, row.report) == (Submission.ACCEPTED, second)
    with pytest.raises(ValidationError, match="đã được xem xét"):
        accept_report(report=first, by=staff_user)


# The pages of the steps ---------------------------------------------------------------------------


def test_the_steps_on_the_report_page(client, make_report, org_a, secretary_a, staff_user):
    report = make_report(org_a)

    client.force_login(secretary_a)
    response = client.post(reverse("reports:submit", args=[report.pk]))
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    report.refresh_from_db()
    assert report.submission == Submission.SUBMITTED

    client.force_login(staff_user)
    response = client.post(reverse("reports:return", args=[report.pk]), {"comment": ""})
    assert response.status_code == 200  # the form again, with the message beside the comment
    assert response.context["form"].errors["comment"]
    report.refresh_from_db()
    assert report.submission == Submission.SUBMITTED

    response = client.post(reverse("reports:return", args=[report.pk]), {"comment": "Sai số liệu mục I."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.submission, report.reviewed_by, report.review_comment) == (
        Submission.RETURNED,
        staff_user,
        "Sai số liệu mục I.",
    )


def test_a_refused_step_is_a_message_and_changes_nothing(client, make_report, org_a, staff_user):
    report = make_report(org_a)
    client.force_login(staff_user)

    response = client.post(reverse("reports:accept", args=[report.pk]), follow=True)

    assert response.redirect_chain[-1][0] == report.get_absolute_url()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    report.refresh_from_db()
    assert report.submission == Submission.NONE


def test_secretaries_cannot_review_and_leaders_cannot_submit(
    client, make_report, org_a, leader_user, secretary_a
):
    report = make_report(org_a)
    client.force_login(leader_user)
    assert client.post(reverse("reports:submit", args=[report.pk])).status_code == 403
    client.force_login(secretary_a)
    assert client.post(reverse("reports:accept", args=[report.pk])).status_code == 403
    report.refresh_from_db()
    assert report.submission == Submission.NONE


def _submission_html(report, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "reports/_submission.html", {"report": report, "actions": report_actions(report, user)}, request
    )


def test_the_report_page_shows_the_buttons_each_one_may_press(make_report, org_a, secretary_a, staff_user):
    report = make_report(org_a)
    html = _submission_html(report, secretary_a)
    assert 'id="report-submit"' in html and 'id="report-accept"' not in html

    report = submit_report(report=report, by=secretary_a)
    html = _submission_html(report, staff_user)
    assert 'id="report-submit"' not in html
    assert all(f'id="{name}"' in html for name in ("report-accept", "report-return-comment", "report-return"))

    report = return_report(report=report, by=staff_user, comment="Bổ sung phần nhiệm vụ.")
    html = _submission_html(report, secretary_a)
    assert "Bổ sung phần nhiệm vụ." in html and 'id="report-accept"' not in html


# The bloc's page ----------------------------------------------------------------------------------


@pytest.fixture
def q3(settings, bloc, org_a, org_b, make_report, secretary_a, secretary_b, staff_user, system_user):
    """Quý III năm 2026 on the bloc: on 05/10 (in time) A submits and is accepted, B submits and is
    returned; C, D and E then stand at draft, finalized-not-submitted and not drafted; F submits on
    28/11, late. A subordinate chi bộ (A1) and a dissolved organization owe nothing."""
    made = {
        code: OrganizationFactory(code=code, name=f"Chi bộ {code}", parent=bloc, by=system_user)
        for code in ("C", "D", "E", "F")
    }
    OrganizationFactory(
        code="A1", name="Chi bộ A1", kind=Organization.Kind.SUBORDINATE_CELL, parent=org_a, by=system_user
    )
    from organizations import services as org_services

    gone = OrganizationFactory(code="G", name="Chi bộ G", parent=bloc, by=system_user)
    org_services.dissolve_organization(organization=gone, on=Period.parse(Q3).start, by=system_user)

    settings.PORTAL_NOW = IN_TIME
    a = submit_report(report=make_report(org_a, Q3), by=secretary_a)
    accept_report(report=a, by=staff_user)
    b = submit_report(report=make_report(org_b, Q3), by=secretary_b)
    return_report(report=b, by=staff_user, comment="Thiếu phần phương hướng.")
    make_report(made["C"], Q3, finalize=False)
    make_report(made["D"], Q3, render=False)
    f = make_report(made["F"], Q3)
    settings.PORTAL_NOW = TODAY
    submit_report(report=f, by=staff_user)
    return made


def rows_of(board):
    return {row.organization.code: (row.status, row.late) for row in board.rows}


def test_the_board_shows_each_organization_with_its_status_and_lateness(q3, staff_user):
    board = submissions.submission_board(staff_user, Period.parse(Q3), ON)

    assert rows_of(board) == {
        "A": ("accepted", False),
        "B": ("returned", False),  # submitted in time, then returned: not late
        "C": ("draft", True),
        "D": ("unsent", True),
        "E": ("missing", True),
        "F": ("submitted", True),  # submitted after the due date
    }
    assert board.total == 6
    assert board.counts == {
        "missing": 1,
        "draft": 1,
        "unsent": 1,
        "submitted": 1,
        "accepted": 1,
        "returned": 1,
        "late": 4,
    }
    assert str(board.due) == "2026-10-10"


def test_an_unsent_report_is_not_late_until_its_due_date_has_passed(q3, settings, staff_user):
    settings.PORTAL_NOW = IN_TIME
    board = submissions.submission_board(staff_user, Period.parse(Q3), D(2026, 10, 10))  # the due date
    assert {code for code, (_status, late) in rows_of(board).items() if late} == {"F"}  # only F, sent after


def test_late_follows_the_rule_in_force(q3, staff_user):
    RuleValue.objects.create(
        name="report.submission_days",
        value=60,
        regulation="Quy định giả định",
        effective_on=Period(2026).start,
    )
    board = submissions.submission_board(staff_user, Period.parse(Q3), ON)

    assert str(board.due) == "2026-11-29"
    assert board.counts["late"] == 0


def test_the_page_counts_and_drills_down(client, q3, staff_user):
    client.force_login(staff_user)

    response = client.get(reverse("reports:submissions"), {"period": Q3})
    html = response.content.decode()
    assert response.status_code == 200
    for key, count in (("late", 4), ("returned", 1), ("missing", 1)):
        assert f'href="?period={Q3}&amp;status={key}" data-status="{key}"' in html
        assert [c for k, _label, c in response.context["board"].filters if k == key] == [count]

    late = client.get(reverse("reports:submissions"), {"period": Q3, "status": "late"})
    assert [row.organization.code for row in late.context["board"].rows] == ["C", "D", "E", "F"]
    returned = client.get(reverse("reports:submissions"), {"period": Q3, "status": "returned"})
    (row,) = returned.context["board"].rows
    assert row.organization.code == "B"
    assert row.report.get_absolute_url() in returned.content.decode()
    assert "Thiếu phần phương hướng." in returned.content.decode()


def test_the_page_opens_on_the_last_finished_quarter(client, staff_user, org_a):
    client.force_login(staff_user)
    response = client.get(reverse("reports:submissions"))
    assert str(response.context["period"]) == "2026-Q3"
    assert [row.organization for row in response.context["board"].rows] == [org_a]


def test_the_reports_list_leads_staff_and_leaders_to_the_page(client, staff_user, leader_user, secretary_a):
    link = f'href="{reverse("reports:submissions")}"'
    for user, shown in ((staff_user, True), (leader_user, True), (secretary_a, False)):
        client.force_login(user)
        assert (link in client.get(reverse("reports:list")).content.decode()) is shown, user


def test_a_period_that_is_not_a_report_period_is_explained(client, staff_user, org_a):
    client.force_login(staff_user)
    response = client.get(reverse("reports:submissions"), {"period": "2026-05"})
    assert response.context["form"].errors["period"]
    assert str(response.context["period"]) == "2026-Q3"


def test_a_secretary_sees_their_own_row(client, q3, secretary_b):
    client.force_login(secretary_b)
    response = client.get(reverse("reports:submissions"), {"period": Q3})
    assert rows_of(response.context["board"]) == {"B": ("returned", False)}
    assert response.context["board"].total == 1


@pytest.mark.parametrize("organizations", [2, 12])
def test_the_board_costs_two_queries_however_many_organizations(
    bloc, org_a, make_report, staff_user, system_user, django_assert_num_queries, organizations
):
    for number in range(organizations):
        OrganizationFactory(code=f"N{number}", parent=bloc, by=system_user)
    make_report(org_a, Q3, render=False)
    board = submissions.submission_board(staff_user, Period.parse(Q3), ON)

    # The organizations, and their reports of the period.
    with django_assert_num_queries(2):
        board = submissions.submission_board(staff_user, Period.parse(Q3), ON)
    assert board.total == organizations + 1


@pytest.mark.parametrize("organizations", [2, 12])
def test_the_page_costs_a_fixed_number_of_queries(
    client, bloc, org_a, make_report, staff_user, system_user, django_assert_max_num_queries, organizations
):
    for number in range(organizations):
        OrganizationFactory(code=f"N{number}", parent=bloc, by=system_user)
    make_report(org_a, Q3, render=False)
    client.force_login(staff_user)
    # The session, the user, the assignments and the board's two.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("reports:submissions"), {"period": Q3})
    assert len(response.context["board"].rows) == organizations + 1


# The attention hub --------------------------------------------------------------------------------


def sections_of(user, on=None):
    return {item.key: item for item in attention.sections(user, on or ON)}


def test_the_hub_tells_each_one_what_to_do(q3, staff_user, leader_user, secretary_a, secretary_b):
    staff = sections_of(staff_user)
    assert [report.organization.code for report in staff["reports-awaiting"].rows] == ["F"]
    assert [row.organization.code for row in staff["reports-late"].rows] == ["C", "D", "E"]
    assert [row.status_label for row in staff["reports-late"].rows] == [
        str(submissions.STATUSES[key]) for key in ("draft", "unsent", "missing")
    ]
    assert [report.organization.code for report in staff["reports-returned"].rows] == ["B"]

    leader = sections_of(leader_user)
    assert "reports-awaiting" not in leader and "reports-returned" not in leader
    assert leader["reports-late"].count == 3

    assert [report.organization.code for report in sections_of(secretary_b)["reports-returned"].rows] == ["B"]
    mine = sections_of(secretary_a)
    assert mine["reports-returned"].count == 0 and "reports-late" not in mine


def test_a_reissued_and_finalized_report_leaves_the_returned_section(q3, org_b, secretary_b):
    returned = Report.objects.get(organization=org_b, period=Q3)
    draft = services.reissue_report(report=returned, by=secretary_b)
    assert sections_of(secretary_b)["reports-returned"].count == 1  # until the new version is issued
    services.finalize_report(report=draft, by=secretary_b, enqueue=False)
    assert sections_of(secretary_b)["reports-returned"].count == 0


def test_each_section_costs_one_query(q3, staff_user, django_assert_num_queries):
    providers = [p for p in attention.providers(staff_user) if p.key.startswith("reports-")]
    assert len(providers) == 3
    for provider in providers:
        with django_assert_num_queries(1):
            section = provider.build(staff_user, ON)
        with django_assert_num_queries(1):
            assert provider.count(staff_user, ON) == section.count
        assert all(provider.describe(row) for row in section.rows)
