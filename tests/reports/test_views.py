"""The report pages: the list and its draft form, the report's page through its life (draft,
finalized, superseded), the PDF and its annex, finalize, reissue and render again."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from kombu.exceptions import OperationalError as BrokerError

from blocportal import clock
from reports import selectors, services, tasks
from reports.models import Report
from reports.pages import STATE_LABELS

from .conftest import PERIOD

DETAIL_QUERIES = (
    6  # the report's page, pinned: see test_the_page_costs_the_same_however_many_versions_and_steps
)

FAILED_MESSAGE = "Rendering failed; the error has been logged. Render it again or contact the administrator."


def _page(client, report) -> str:
    return client.get(report.get_absolute_url()).content.decode()


# --- The list and its draft form ---------------------------------------------------------------


def test_the_form_makes_a_draft_without_number_or_pdf(
    client, staff_user, bloc, org_a, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("reports:list"), {"organization": bloc.pk, "period": PERIOD})

    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert (report.state, report.number, report.document_number, report.status) == ("draft", None, "", "none")
    assert report.requested_by == staff_user and callbacks == []  # nothing to render yet
    page = _page(client, report)
    assert 'id="report-finalize"' in page and 'id="report-download"' not in page
    assert "every 2s" not in page


def test_form_offers_only_organizations_the_user_may_report_for(
    client, secretary_a, bloc, org_a, cell_a1, org_b
):
    client.force_login(secretary_a)
    form = client.get(reverse("reports:list")).context["form"]

    assert list(form.fields["organization"].queryset) == [org_a, cell_a1]  # not B, not the bloc
    assert form.fields["period"].initial == str(selectors.last_finished_quarter(clock.today()))


def test_secretary_cannot_draft_for_another_organization(client, secretary_a, org_a, org_b):
    client.force_login(secretary_a)
    response = client.post(reverse("reports:list"), {"organization": org_b.pk, "period": PERIOD})

    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Report.objects.exists()


def test_an_invalid_period_is_a_form_error(client, staff_user, bloc):
    client.force_login(staff_user)
    response = client.post(reverse("reports:list"), {"organization": bloc.pk, "period": "2025-Q5"})

    assert "period" in response.context["form"].errors


def test_service_errors_show_on_the_form(client, staff_user, bloc):
    client.force_login(staff_user)
    response = client.post(reverse("reports:list"), {"organization": bloc.pk, "period": "2099-Q1"})

    assert "period" in response.context["form"].errors
    assert not Report.objects.exists()


def test_a_finalized_period_is_refused_on_the_form(client, staff_user, bloc, make_report):
    make_report(bloc, render=False)
    client.force_login(staff_user)

    response = client.post(reverse("reports:list"), {"organization": bloc.pk, "period": PERIOD})

    assert "period" in response.context["form"].errors
    assert Report.objects.count() == 1


def test_a_double_submitted_form_makes_one_draft(client, staff_user, bloc):
    client.force_login(staff_user)
    data = {"organization": bloc.pk, "period": PERIOD}

    first = client.post(reverse("reports:list"), data)
    second = client.post(reverse("reports:list"), data)

    report = Report.objects.get()
    assert first["Location"] == second["Location"] == report.get_absolute_url()


@pytest.mark.parametrize("period", ["2025-05", "2021-2025"])
def test_a_report_covers_a_quarter_a_half_nine_months_or_a_year(client, staff_user, bloc, period):
    client.force_login(staff_user)

    response = client.post(reverse("reports:list"), {"organization": bloc.pk, "period": period})

    assert response.status_code == 200 and not Report.objects.exists()
    assert "Báo cáo định kỳ là báo cáo quý, 6 tháng, 9 tháng hoặc năm." in response.content.decode()


def test_leader_reads_reports_but_cannot_draft(client, leader_user, bloc, org_a, make_report):
    make_report(org_a, render=False)
    client.force_login(leader_user)

    response = client.get(reverse("reports:list"))
    assert response.context["form"] is None
    assert "01-BC/ĐU" in response.content.decode()
    assert (
        client.post(reverse("reports:list"), {"organization": bloc.pk, "period": PERIOD}).status_code == 403
    )


def test_inspector_has_no_report_pages(client, inspector_user, org_a, make_report):
    report = make_report(org_a)
    client.force_login(inspector_user)

    assert client.get(reverse("reports:list")).status_code == 403
    for name in ("detail", "download", "annex"):
        assert client.get(reverse(f"reports:{name}", args=[report.pk])).status_code == 404


def test_list_shows_only_reports_in_scope(client, secretary_a, org_a, org_b, make_report):
    mine, other = make_report(org_a, render=False), make_report(org_b, render=False)
    client.force_login(secretary_a)

    body = client.get(reverse("reports:list")).content.decode()

    assert mine.get_absolute_url() in body
    assert other.get_absolute_url() not in body


def test_list_shows_the_life_of_each_report(client, staff_user, bloc, org_b, make_report):
    make_report(bloc, render=False)
    draft = make_report(org_b, finalize=False)
    client.force_login(staff_user)

    rows = {row.record.pk: row for row in client.get(reverse("reports:list")).context["table"].rows}

    assert str(STATE_LABELS[Report.State.DRAFT]) in rows[draft.pk].get_cell("state")  # vi: Bản nháp
    assert draft.get_absolute_url() in rows[draft.pk].get_cell("document_number")


def test_list_filters_by_state_kind_and_period(client, staff_user, bloc, org_a, org_b, make_report):
    finalized = make_report(bloc, render=False)
    annual = make_report(org_a, "2025", render=False)
    draft = make_report(org_b, finalize=False)
    client.force_login(staff_user)

    def listed(**query):
        table = client.get(reverse("reports:list"), query).context["table"]
        return {row.record.pk for row in table.rows}

    assert listed() == {finalized.pk, annual.pk, draft.pk}
    assert listed(state="draft") == {draft.pk}
    assert listed(kind="annual") == {annual.pk}
    assert listed(period="2025-q2") == {finalized.pk, draft.pk}
    assert listed(period="not a period") == {finalized.pk, annual.pk, draft.pk}


def test_list_costs_the_same_for_many_reports(
    client, staff_user, bloc, org_a, org_b, make_report, django_assert_max_num_queries
):
    for period in ["2025-Q1", "2025-Q2", "2025-Q3", "2025-H1", "2025-9M"]:
        for organization in (bloc, org_a, org_b):
            make_report(organization, period, render=False)
    client.force_login(staff_user)

    with django_assert_max_num_queries(5):  # 10 when every page saved the session
        client.get(reverse("reports:list"))


# --- The report's page -------------------------------------------------------------------------


def test_pending_status_polls_itself_with_htmx(client, staff_user, bloc, make_report):
    report = make_report(bloc, render=False)
    client.force_login(staff_user)

    page = _page(client, report)
    fragment = client.get(report.get_absolute_url(), headers={"HX-Request": "true"})

    assert 'hx-trigger="every 2s"' in page
    assert fragment.templates[0].name == "reports/_status.html"
    assert f'hx-get="{report.get_absolute_url()}"' in fragment.content.decode()


def test_a_failed_render_shows_a_generic_message_and_is_rendered_again(
    client,
    staff_user,
    bloc,
    make_report,
    monkeypatch,
    caplog,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    with monkeypatch.context() as patch:
        patch.setattr(services, "render_report_pdf", lambda report: 1 / 0)
        report = make_report(bloc)
    client.force_login(staff_user)

    body = client.get(report.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()

    with translation.override("vi"):
        assert gettext(FAILED_MESSAGE) in body
    assert "ZeroDivisionError" not in body and "hx-get" not in body
    assert 'id="report-retry"' in body
    # The detail is for the administrator: in the log and on the report (admin).
    assert report.error.startswith("ZeroDivisionError")
    assert "ZeroDivisionError" in caplog.text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:retry", args=[report.pk]))

    report.refresh_from_db()
    assert response.status_code == 302 and report.status == Report.Status.READY and not report.error


def test_detail_shows_the_frozen_figures_and_sections(client, leader_user, bloc, org_a, org_b, make_report):
    report = make_report(bloc)
    client.force_login(leader_user)

    response = client.get(report.get_absolute_url())

    table = response.context["table"]
    assert table["totals"]["total"] == 2
    assert [row["total"] for row in table["rows"]] == [1, 1]
    numbers = [number for number, _title in response.context["sections"]]
    assert numbers[0] == "I" and len(numbers) >= 2  # the organizations first, the assessment last
    assert response.context["actions"]["can_finalize"] is False


def test_the_narrative_shows_as_sanitized_html(client, secretary_a, org_a, make_report):
    report = make_report(
        org_a,
        finalize=False,
        strengths='<p onclick="x()">Sinh hoạt nền nếp.</p><ul><li>Kết nạp 02 đảng viên.</li></ul>'
        "<script>alert(1)</script>",
    )
    client.force_login(secretary_a)

    page = _page(client, report)

    assert "<ul><li>Kết nạp 02 đảng viên.</li></ul>" in page
    assert "<p>Sinh hoạt nền nếp.</p>" in page
    assert "alert(1)" not in page and "onclick" not in page


def test_the_page_costs_the_same_however_many_versions_and_steps(
    client, staff_user, org_a, make_report, django_assert_num_queries
):
    first = make_report(org_a)
    client.force_login(staff_user)
    client.get(first.get_absolute_url())  # the session and the caches of the first request
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(first.get_absolute_url())

    latest = first
    for version in (2, 3, 4):  # three more versions, each drafted, edited, finalized and rendered
        draft = services.reissue_report(report=latest, by=staff_user)
        services.update_narrative(report=draft, by=staff_user, tasks=f"Duy trì sinh hoạt, lần {version}.")
        latest = services.finalize_report(report=draft, by=staff_user, enqueue=False)
        services.render_report(report_id=latest.pk)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(latest.get_absolute_url())
    assert len(response.context["versions"]) == 4
    assert len(response.context["history"]) == 4


def test_the_history_names_every_step_and_its_user(
    client, secretary_a, staff_user, org_a, make_report, django_capture_on_commit_callbacks, eager_celery
):
    report = make_report(org_a, finalize=False, by=secretary_a)
    services.update_narrative(report=report, by=secretary_a, tasks="Duy trì sinh hoạt.")
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:finalize", args=[report.pk]))

    steps = client.get(report.get_absolute_url()).context["history"]

    # Drafted and edited by the secretary; finalized by staff, whose step queued the PDF (the worker's row).
    assert [step.user for step in steps] == [secretary_a, secretary_a, staff_user, staff_user]
    report.refresh_from_db()
    assert report.document_number in steps[2].text


def test_download_is_an_attachment_with_a_safe_name(client, secretary_a, org_a, make_report):
    report = make_report(org_a)
    client.force_login(secretary_a)

    response = client.get(reverse("reports:download", args=[report.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-01-bc-du-2025-q2-v1.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_annex_is_written_from_the_frozen_figures(client, secretary_a, bloc, org_a, make_report):
    report = make_report(org_a, render=False)
    Report.objects.filter(pk=report.pk).update(
        figures={**report.figures, "period": {**report.figures["period"], "as_of": "2025-07-01"}}
    )
    client.force_login(secretary_a)

    response = client.get(reverse("reports:annex", args=[report.pk]))

    assert (
        response["Content-Disposition"] == 'attachment; filename="bao-cao-01-bc-du-2025-q2-v1-phu-luc.xlsx"'
    )
    summary = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert "2025-07-01" in [cell for row in summary.iter_rows(values_only=True) for cell in row]


def test_secretary_of_another_organization_gets_404_for_the_pdf_and_the_annex(
    client, secretary_b, org_a, make_report
):
    report = make_report(org_a)
    client.force_login(secretary_b)

    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:annex", args=[report.pk])).status_code == 404
    assert client.get(report.get_absolute_url()).status_code == 404


def test_a_draft_has_no_pdf_to_download(client, staff_user, bloc, make_report):
    report = make_report(bloc, finalize=False)
    client.force_login(staff_user)

    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404


# --- Finalize, reissue -------------------------------------------------------------------------


def test_secretary_finalizes_the_draft_on_the_page_and_the_pdf_is_rendered(
    client, secretary_a, org_a, make_report, eager_celery, django_capture_on_commit_callbacks
):
    draft = make_report(org_a, finalize=False)
    client.force_login(secretary_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:finalize", args=[draft.pk]))

    report = Report.objects.get(pk=draft.pk)
    assert response.status_code == 302
    assert (report.state, report.document_number, report.finalized_by) == (
        "finalized",
        "01-BC/ĐU",
        secretary_a,
    )
    assert report.status == Report.Status.READY
    page = _page(client, report)
    assert 'id="report-download"' in page and 'id="report-reissue"' in page
    assert 'id="report-finalize"' not in page and 'id="report-edit-narrative"' not in page


@pytest.mark.parametrize("persona", ["leader_user", "secretary_b"])
def test_who_may_not_finalize(client, request, persona, org_a, make_report):
    draft = make_report(org_a, finalize=False)
    client.force_login(request.getfixturevalue(persona))

    status = client.post(reverse("reports:finalize", args=[draft.pk])).status_code

    assert status == (403 if persona == "leader_user" else 404)
    assert Report.objects.get(pk=draft.pk).is_draft


def test_finalizing_twice_changes_nothing(client, staff_user, bloc, make_report):
    report = make_report(bloc)
    client.force_login(staff_user)

    client.post(reverse("reports:finalize", args=[report.pk]))

    again = Report.objects.get(pk=report.pk)
    assert (again.document_number, again.finalized_at, again.pdf.name) == (
        report.document_number,
        report.finalized_at,
        report.pdf.name,
    )


def test_a_reissue_drafts_the_next_version_and_supersedes_on_finalize(
    client, secretary_a, org_a, make_report, eager_celery, django_capture_on_commit_callbacks
):
    first = make_report(org_a, tasks="Giữ nền nếp.")
    client.force_login(secretary_a)

    response = client.post(reverse("reports:reissue", args=[first.pk]))

    second = Report.objects.of(org_a, PERIOD).first()
    assert response["Location"] == second.get_absolute_url()
    assert (second.version, second.state, second.tasks) == (2, "draft", "<p>Giữ nền nếp.</p>")
    first_page = client.get(first.get_absolute_url())
    assert first_page.context["in_force"] == first  # in force until the new version is finalized
    assert [v.version for v, _state in first_page.context["versions"]] == [2, 1]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:finalize", args=[second.pk]))

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == ("superseded", "finalized")
    assert (first.document_number, second.document_number) == ("01-BC/ĐU", "02-BC/ĐU")
    page = _page(client, first)
    assert 'id="report-superseded"' in page and second.get_absolute_url() in page
    assert 'id="report-reissue"' not in page


def test_leader_cannot_reissue(client, leader_user, org_a, make_report):
    report = make_report(org_a, render=False)
    client.force_login(leader_user)

    assert client.post(reverse("reports:reissue", args=[report.pk])).status_code == 403
    assert Report.objects.count() == 1


def test_a_draft_cannot_be_reissued(client, staff_user, bloc, make_report):
    draft = make_report(bloc, finalize=False)
    client.force_login(staff_user)

    response = client.post(reverse("reports:reissue", args=[draft.pk]), follow=True)

    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Report.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_after_finalizing_does_not_break_the_request(
    client, staff_user, bloc, system_user, monkeypatch, caplog
):
    draft = services.create_draft(organization=bloc, period=PERIOD, by=system_user)

    def broker_down(report_id):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.render_report, "delay", broker_down)
    client.force_login(staff_user)

    response = client.post(reverse("reports:finalize", args=[draft.pk]))

    report = Report.objects.get()  # the transaction committed: the row is there, without its message
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.status == Report.Status.QUEUED  # resend_stale_reports sends it again
    assert f"Report {report.pk} could not be queued" in caplog.text
