"""Views of the letters (đơn thư): the list with its deadlines, a letter's page, its recording and
correction, the case opened from it, and the end of its handling (settled, forwarded, filed). Each one:
the inspector's scope (out of it 404, without the permission 403) → form → service → redirect.

Every opening of a letter's page is logged (ReadLog), once the checks have passed: it names who wrote
and whom the letter accuses."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from blocportal import access, clock
from blocportal.forms import call_service
from blocportal.history import record_changes
from blocportal.lists import render_list

from . import complaint_forms as forms
from .complaint_filters import ComplaintFilter
from .complaint_tables import ComplaintTable, is_overdue
from .models import Complaint, ReadLog
from .selectors import case_pages
from .services import cases as case_services
from .services import complaints as services
from .views_common import form_data, get_in_scope, logged


def _get(request, pk: int, *, for_change: bool = False) -> Complaint:
    queryset = Complaint.objects.select_related(
        "organization", "subject_member__organization", "subject_organization", "case", "recorded_by"
    )
    return get_in_scope(request, queryset, pk, for_change=for_change)


@require_safe
def complaint_list(request):
    access.require(request.user, "case.view")
    filterset = ComplaintFilter(request.GET, queryset=case_pages.letter_list(request.user), request=request)
    return render_list(
        request,
        ComplaintTable(filterset.qs),
        filterset=filterset,
        template="inspections/complaints/list.html",
        partial="inspections/complaints/_table.html",
    )


def complaint_create(request):
    """Record a letter received."""
    access.require(request.user, "case.change")
    form = forms.ComplaintForm(form_data(request), user=request.user)
    if form.is_valid():
        complaint = call_service(form, services.receive_complaint, by=request.user, **form.cleaned_data)
        if complaint is not None:
            messages.success(request, _("The letter has been recorded."))
            return redirect(complaint)
    return render(
        request, "inspections/complaints/form.html", {"form": form, "title": _("Record a letter received")}
    )


@require_safe
def complaint_detail(request, pk: int):
    complaint = _get(request, pk)
    logged(request, ReadLog.What.COMPLAINT, complaint)
    today = clock.today()
    can_change = access.has_permission(request.user, "case.change", complaint.organization)
    return render(
        request,
        "inspections/complaints/detail.html",
        {
            "complaint": complaint,
            "overdue": is_overdue(complaint, today),
            "days_overdue": (today - complaint.due_on).days,
            "days_left": (complaint.due_on - today).days,
            "history": record_changes(complaint),
            "can_change": can_change,
            "can_open_case": can_change
            and complaint.is_open
            and complaint.case_id is None
            and complaint.jurisdiction == Complaint.Jurisdiction.OURS,
        },
    )


def _page(request, complaint: Complaint, template: str, title: str, **context):
    """A page that shows the letter (its forms are filled with it): the read is logged like the detail's."""
    logged(request, ReadLog.What.COMPLAINT, complaint)
    return render(request, template, {"complaint": complaint, "title": title, **context})


def complaint_update(request, pk: int):
    """Correct what was recorded of the letter."""
    complaint = _get(request, pk, for_change=True)
    form = forms.ComplaintEditForm(form_data(request), complaint=complaint, user=request.user)
    if form.is_valid():
        changes = form.changes()
        if not changes or call_service(
            form, services.correct_complaint, complaint=complaint, by=request.user, **changes
        ):
            messages.success(request, _("The changes have been saved."))
            return redirect(complaint)
    return _page(request, complaint, "inspections/complaints/form.html", _("Correct the letter"), form=form)


def complaint_open_case(request, pk: int):
    """Open a case to handle the letter: the letter is then being handled by it."""
    complaint = _get(request, pk, for_change=True)
    if not complaint.is_open or complaint.case_id is not None:
        messages.error(request, _("This letter is no longer waiting to be handled."))
        return redirect(complaint)
    form = forms.OpenCaseForm(form_data(request), user=request.user, complaint=complaint)
    if form.is_valid():
        case = call_service(
            form, case_services.open_case, complaint=complaint, by=request.user, **form.arguments()
        )
        if case is not None:
            messages.success(request, _("The case has been opened; the letter is being handled by it."))
            return redirect(case)
    return _page(
        request,
        complaint,
        "inspections/complaints/open_case.html",
        _("Open a case from the letter"),
        form=form,
    )


CLOSERS = {
    forms.CloseForm.RESOLVE: (services.resolve_complaint, gettext_lazy("The letter has been settled.")),
    forms.CloseForm.FORWARD: (services.forward_complaint, gettext_lazy("The letter has been forwarded.")),
    forms.CloseForm.FILE: (
        services.file_complaint,
        gettext_lazy("The letter has been filed without handling."),
    ),
}


def complaint_close(request, pk: int):
    """End the handling of the letter: settled with its result, forwarded, or filed."""
    complaint = _get(request, pk, for_change=True)
    if not complaint.is_open:
        messages.error(request, _("This letter has already been handled."))
        return redirect(complaint)
    form = forms.CloseForm(form_data(request), complaint=complaint)
    if form.is_valid():
        service, done = CLOSERS[form.cleaned_data["action"]]
        if call_service(form, service, complaint=complaint, by=request.user, **form.arguments()):
            messages.success(request, str(done))
            return redirect(complaint)
    return _page(
        request,
        complaint,
        "inspections/complaints/close.html",
        _("End the handling of the letter"),
        form=form,
    )
