"""The report pages: list and request form, detail with its polling status, download, finalize."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from kombu.exceptions import OperationalError as BrokerError

from blocportal import clock
from blocportal.periods import Period
from reports import selectors, services, tasks
from reports.models import Report

from .conftest import PERIOD

FAILED_MESSAGE = (
    "Rendering failed; the error has been logged. Request the report again or contact the administrator."
)


def test_request_in_the_browser_queues_and_renders(
    client, staff_user, bloc, org_a, eager_celery, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:list"), {"organization": bloc.pk, "period": PERIOD})

    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.status == Report.Status.READY and report.requested_by == staff_user
    page = client.get(report.get_absolute_url()).content.decode()
    assert reverse("reports:download", args=[report.pk]) in page
    assert "every 2s" not in page  # a finished report does not poll its status


def test_form_offers_only_organizations_the_user_may_report_for(
    client, secretary_a, bloc, org_a, cell_a1, org_b
):
    client.force_login(secretary_a)
    form = client.get(reverse("reports:list")).context["form"]

    assert list(form.fields["organization"].queryset) == [org_a]
    assert form.fields["period"].initial == str(selectors.last_finished_quarter(clock.today()))


def test_secretary_cannot_request_for_another_organization(client, secretary_a, org_a, org_b):
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


def test_inspector_sees_reports_but_cannot_request(client, inspector_user, bloc, org_a, make_report):
    make_report(org_a)
    client.force_login(inspector_user)

    response = client.get(reverse("reports:list"))
    assert response.context["form"] is None
    assert "01-BC/ĐU" in response.content.decode()
    assert (
        client.post(reverse("reports:list"), {"organization": bloc.pk, "period": PERIOD}).status_code == 403
    )


def test_list_shows_only_reports_in_scope(client, secretary_a, org_a, org_b, make_report):
    mine, other = make_report(org_a, render=False), make_report(org_b, render=False)
    client.force_login(secretary_a)

    body = client.get(reverse("reports:list")).content.decode()

    assert mine.get_absolute_url() in body
    assert other.get_absolute_url() not in body


def test_list_costs_the_same_for_many_reports(
    client, staff_user, bloc, org_a, org_b, make_report, django_assert_max_num_queries
):
    for period in ["2025-Q1", "2025-Q2", "2025-Q3", "2025-H1", "2025-9M"]:
        for organization in (bloc, org_a, org_b):
            make_report(organization, period, render=False)
    client.force_login(staff_user)

    with django_assert_max_num_queries(5):  # 10 when every page saved the session
        client.get(reverse("reports:list"))


def test_pending_status_polls_itself_with_htmx(client, staff_user, bloc, make_report):
    report = make_report(bloc, render=False)
    client.force_login(staff_user)

    page = client.get(report.get_absolute_url()).content.decode()
    fragment = client.get(report.get_absolute_url(), headers={"HX-Request": "true"})

    assert 'hx-trigger="every 2s"' in page
    assert fragment.templates[0].name == "reports/_status.html"
    assert f'hx-get="{report.get_absolute_url()}"' in fragment.content.decode()


def test_a_failed_report_shows_a_generic_message(client, staff_user, bloc, make_report, monkeypatch, caplog):
    monkeypatch.setattr(services, "render_report_pdf", lambda report: 1 / 0)
    report = make_report(bloc)
    client.force_login(staff_user)

    body = client.get(report.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()

    with translation.override("vi"):
        assert gettext(FAILED_MESSAGE) in body
    assert "ZeroDivisionError" not in body and "hx-get" not in body
    # The detail is for the administrator: in the log and on the report (admin).
    assert report.error.startswith("ZeroDivisionError")
    assert "ZeroDivisionError" in caplog.text


def test_detail_shows_the_frozen_figures(client, leader_user, bloc, org_a, org_b, make_report):
    report = make_report(bloc)
    client.force_login(leader_user)

    response = client.get(report.get_absolute_url())

    table = response.context["table"]
    assert table["totals"]["total"] == 2
    assert [row["total"] for row in table["rows"]] == [1, 1]
    assert response.context["can_finalize"] is False


def test_download_is_an_attachment_with_a_safe_name(client, secretary_a, org_a, make_report):
    report = make_report(org_a)
    client.force_login(secretary_a)

    response = client.get(reverse("reports:download", args=[report.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-01-bc-du-2025-q2-v1.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_secretary_of_another_organization_gets_404_for_the_download(client, secretary_b, org_a, make_report):
    report = make_report(org_a)
    client.force_login(secretary_b)

    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404
    assert client.get(report.get_absolute_url()).status_code == 404


def test_a_report_without_its_pdf_cannot_be_downloaded(client, staff_user, bloc, make_report):
    report = make_report(bloc, render=False)
    client.force_login(staff_user)

    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404


def test_staff_finalize_from_the_detail_page(client, staff_user, bloc, make_report):
    report = make_report(bloc)
    client.force_login(staff_user)
    assert client.get(report.get_absolute_url()).context["can_finalize"] is True

    response = client.post(reverse("reports:finalize", args=[report.pk]), follow=True)

    report.refresh_from_db()
    assert report.is_finalized and report.finalized_by == staff_user
    assert response.context["can_finalize"] is False


@pytest.mark.parametrize("persona", ["leader_user", "secretary_a"])
def test_only_staff_finalize(client, request, persona, org_a, make_report):
    report = make_report(org_a)
    client.force_login(request.getfixturevalue(persona))

    assert client.post(reverse("reports:finalize", args=[report.pk])).status_code == 403
    report.refresh_from_db()
    assert not report.is_finalized


def test_finalizing_a_pending_report_explains_why_not(client, staff_user, bloc, make_report):
    report = make_report(bloc, render=False)
    client.force_login(staff_user)

    response = client.post(reverse("reports:finalize", args=[report.pk]), follow=True)

    assert not Report.objects.get(pk=report.pk).is_finalized
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_render_a_new_version_from_the_detail_page(
    client, secretary_a, org_a, make_report, eager_celery, django_capture_on_commit_callbacks
):
    report = make_report(org_a, narrative="Đoạn đánh giá.")
    client.force_login(secretary_a)
    assert client.get(report.get_absolute_url()).context["can_rerender"] is True

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reports:list"),
            {"organization": org_a.pk, "period": report.period, "narrative": report.narrative},
        )

    newer = Report.objects.of(org_a, Period.parse(report.period)).first()
    assert (newer.version, newer.document_number, newer.narrative) == (
        2,
        report.document_number,
        "Đoạn đánh giá.",
    )
    assert newer.status == Report.Status.READY


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_after_the_commit_does_not_break_the_request(
    client, staff_user, bloc, monkeypatch, caplog
):
    def broker_down(report_id):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.render_report, "delay", broker_down)
    client.force_login(staff_user)

    response = client.post(reverse("reports:list"), {"organization": bloc.pk, "period": PERIOD})

    report = Report.objects.get()  # the transaction committed: the row is there, without its message
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.status == Report.Status.QUEUED  # resend_stale_reports sends it again
    assert f"Report {report.pk} could not be queued" in caplog.text


def test_a_double_submitted_form_makes_one_version(
    client, staff_user, bloc, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    data = {"organization": bloc.pk, "period": PERIOD, "narrative": "Đoạn đánh giá."}

    with django_capture_on_commit_callbacks() as callbacks:
        first = client.post(reverse("reports:list"), data)
        second = client.post(reverse("reports:list"), data)

    report = Report.objects.get()
    assert first["Location"] == second["Location"] == report.get_absolute_url()
    assert len(callbacks) == 1


@pytest.mark.parametrize("period", ["2025-05", "2021-2025"])
def test_a_report_covers_a_quarter_a_half_nine_months_or_a_year(client, staff_user, bloc, period):
    client.force_login(staff_user)

    response = client.post(reverse("reports:list"), {"organization": bloc.pk, "period": period})

    assert response.status_code == 200 and not Report.objects.exists()
    assert "Báo cáo định kỳ là báo cáo quý, 6 tháng, 9 tháng hoặc năm." in response.content.decode()
