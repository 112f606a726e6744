from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from blocportal import access, attention, clock
from blocportal.forms import add_service_error
from blocportal.lists import render_list
from blocportal.periods import Period
from organizations.models import Organization

from . import pages, selectors, services
from .annex import write_annex
from .dashboard import Dashboard
from .figures import sector_table
from .filters import ReportFilter
from .forms import DashboardForm, ReportRequestForm
from .models import Report
from .narrative_forms import NARRATIVE_LABELS
from .sanitize import NARRATIVE_FIELDS
from .statistics import data_version, statistics
from .tables import ReportTable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_list(request):
    """The reports in the user's scope, and the form that drafts a new one."""
    access.require(request.user, "report.view")
    if request.method == "POST":
        access.require(request.user, "report.request")
    form = None
    if access.has_permission(request.user, "report.request"):
        form = ReportRequestForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            report = _draft(request, form)
            if report is not None:
                messages.success(request, _("The draft report has been made from the figures of today."))
                return redirect(report)
    filterset = ReportFilter(request.GET, queryset=selectors.reports_for(request.user))
    return render_list(
        request,
        ReportTable(filterset.qs),
        template="reports/list.html",
        partial="reports/_table.html",
        filterset=filterset,
        context={"form": form},
    )


def _draft(request, form: ReportRequestForm) -> Report | None:
    data = form.cleaned_data
    access.require(request.user, "report.request", data["organization"])
    try:
        return services.create_draft(by=request.user, **data)
    except ValidationError as error:
        add_service_error(form, error)
        return None


@require_safe
def report_detail(request, pk: int):
    """The report: its state, number, the sections its frozen figures hold, the narrative, every
    version of the period, its history and what the user may do; htmx polls the PDF's status."""
    report = selectors.report_for(request.user, pk)
    context = {"report": report, "actions": selectors.report_actions(report, request.user)}
    if request.htmx:
        return render(request, "reports/_status.html", context)
    section = report.figures.get("organizations")
    versions = list(selectors.versions_of(report, request.user))
    context |= {
        "state": pages.state_label(report),
        "versions": [(version, pages.state_label(version)) for version in versions],
        "in_force": next((v for v in versions if v.state == Report.State.FINALIZED), None),
        "sections": pages.sections_present(report.figures),
        "narrative": [
            (NARRATIVE_LABELS[field], getattr(report, field))
            for field in NARRATIVE_FIELDS
            if getattr(report, field)
        ],
        "as_of": date.fromisoformat(section["as_of"]) if section else None,
        "table": sector_table(
            section,
            kind_labels=dict(Organization.Kind.choices),
            sector_labels=dict(Organization.Sector.choices),
        )
        if section and section["grassroots"]["total"]
        else None,
        "history": pages.history_steps(report),
    }
    return render(request, "reports/detail.html", context)


@require_safe
def report_download(request, pk: int):
    report = selectors.report_for(request.user, pk)
    if report.status != Report.Status.READY or not report.pdf:
        raise Http404
    return FileResponse(
        report.pdf.open("rb"), as_attachment=True, filename=report.file_name, content_type="application/pdf"
    )


@require_safe
def report_annex(request, pk: int):
    """The XLSX annex of the report: the same frozen figures as its PDF (a draft's too)."""
    report = selectors.report_for(request.user, pk)
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{report.annex_name}"'
    write_annex(report.figures, response)
    return response


@require_POST
def report_finalize(request, pk: int):
    report = selectors.report_for(request.user, pk, "report.finalize")
    was_draft = report.is_draft
    try:
        report = services.finalize_report(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if was_draft:
            messages.success(
                request,
                _("The report has been finalized as No. %(number)s; its PDF is being prepared.")
                % {"number": report.document_number},
            )
    return redirect(report)


@require_POST
def report_reissue(request, pk: int):
    """A new version of the report in force, as a draft to correct; the page of that draft."""
    report = selectors.report_for(request.user, pk, "report.request")
    if report.state != Report.State.FINALIZED:
        # The service returns a draft already begun for the period, whichever version is asked.
        messages.error(request, _("Only the report in force can be reissued."))
        return redirect(report)
    try:
        draft = services.reissue_report(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    messages.success(
        request,
        _("Version %(version)s has been drafted; the report in force stays until it is finalized.")
        % {"version": draft.version},
    )
    return redirect(draft)


@require_POST
def report_retry(request, pk: int):
    """Queue the PDF of a finalized report again after its render failed."""
    report = selectors.report_for(request.user, pk, "report.finalize")
    if report.status == Report.Status.FAILED and not report.is_draft:
        services.retry_render(report=report, by=request.user)
        messages.success(request, _("The PDF has been queued again."))
    return redirect(report)


@require_safe
def dashboard(request):
    """The leaders' dashboard: the figures of an organization in the user's scope for a period,
    against the comparable period before, with charts that open the rows behind each count."""
    form, organization, period = _dashboard_choice(request)
    version = data_version()
    figures = statistics(organization, period, version=version)
    previous = statistics(organization, period.previous, version=version)
    board = Dashboard(organization, period, figures, previous, request.user)
    # The user's alerts by kind, kept a minute (attention.kept_counts): their chart is kept rendered
    # for the same counts, roles and scope.
    counts = attention.kept_counts(request.user)
    alerts_key = "|".join(
        [
            access.scope_key(request.user),
            *sorted(access.roles_of(request.user)),
            *map(str, sorted(counts.items())),
        ]
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "organization": organization,
            "period": period,
            "figures": figures,
            "as_of": date.fromisoformat(figures["period"]["as_of"]),
            "board": board,
            "version": version,
            "alerts_key": alerts_key,
            "period_choices": _period_choices(clock.today()),
            "previous_label": period.previous.label_in_sentence,
        },
    )


def _dashboard_choice(request) -> tuple[DashboardForm, Organization, Period]:
    """The organization and period of the dashboard and its annex: the GET form's, or by default the
    highest organization of the user's scope and the current quarter, shown in the pickers as chosen."""
    access.require(request.user, "dashboard.view")
    # Without a choice: the highest organization of the user's scope and the current quarter, shown
    # in the pickers as if chosen.
    data = request.GET.copy()
    if not data.get("organization"):
        default = selectors.default_dashboard_organization(request.user)
        if default is None:
            raise Http404
        data["organization"] = default.pk
    data.setdefault("period", str(Period.quarter_of(clock.today())))
    form = DashboardForm(data, user=request.user)
    if not form.is_valid() and "organization" in form.errors:
        raise Http404  # an organization outside the user's scope, as everywhere else
    organization = form.cleaned_data["organization"]
    # A period that does not parse is explained beside its field; the page shows the current quarter.
    period = form.cleaned_data.get("period") or Period.quarter_of(clock.today())
    return form, organization, period


@require_safe
def dashboard_annex(request):
    """The XLSX annex of the figures on the dashboard: the same organization, period and numbers."""
    _form, organization, period = _dashboard_choice(request)
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="so-lieu-{organization.code}-{period}.xlsx"'
    write_annex(statistics(organization, period), response)
    return response


def _period_choices(today: date) -> list[tuple[str, str]]:
    """Periods offered next to the period field: this month, this and the last quarter, this and
    the last year, and the last five whole years."""
    quarter = Period.quarter_of(today)
    last_quarter = selectors.last_finished_quarter(today)
    periods = [
        Period.month_of(today),
        quarter,
        last_quarter,
        Period(today.year),
        Period(today.year - 1),
        Period(today.year - 5, "", today.year - 1),
    ]
    return [(str(p), str(p.label)) for p in periods]
