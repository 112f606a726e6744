"""The pages of the upward submission (issue 13): the bloc's page of who has submitted for a period,
and the three steps a report takes on its page: submit (the organization), accept or return (the bloc's
staff). Each step is a POST that calls its service (reports.services.submission) and goes back to the
report; a refusal is shown as a message, a return without its comment as the form again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from blocportal import access, clock
from blocportal.forms import add_service_error

from . import selectors, submissions
from .models import Report
from .services import submission
from .submission_forms import ReturnForm, SubmissionPeriodForm


def _step(request, report: Report, service, done: str, **kwargs):
    try:
        service(report=report, by=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(report)


@require_POST
def report_submit(request, pk: int):
    report = selectors.report_for(request.user, pk, "report.submit")
    return _step(request, report, submission.submit_report, _("The report has been submitted to the bloc."))


@require_POST
def report_accept(request, pk: int):
    report = selectors.report_for(request.user, pk, "report.review")
    return _step(request, report, submission.accept_report, _("The report has been accepted."))


@require_POST
def report_return(request, pk: int):
    report = selectors.report_for(request.user, pk, "report.review")
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            submission.return_report(report=report, by=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The report has been returned to the organization with the comment."))
            return redirect(report)
    return render(request, "reports/return.html", {"report": report, "form": form})


@require_safe
def submission_list(request):
    """Per period, every grassroots organization in the user's scope with its report's submission
    status and whether it is late; the counts at the top open the organizations behind them."""
    if not access.has_permission(request.user, "report.view"):
        raise Http404
    today = clock.today()
    form = SubmissionPeriodForm(request.GET or None)
    period = (
        form.cleaned_data.get("period") if form.is_valid() else None
    ) or selectors.last_finished_quarter(today)
    board = submissions.submission_board(request.user, period, today, shown=request.GET.get("status", ""))
    return render(
        request,
        "reports/submissions.html",
        {"form": form, "board": board, "period": period, "today": today},
    )
