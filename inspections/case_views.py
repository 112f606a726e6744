"""Views of the cases: the list, the decision that opens a case, its page, its corrections, stage and
conclusion, its deletion, and its file (documents added, downloaded, deleted). Each one: the inspector's
scope (out of it 404, without the permission 403) → form → service → redirect.

Every opening of a case's page and every download of one of its documents is logged (ReadLog), once the
checks have passed. The documents are served here only, to whoever reads the case: MEDIA_ROOT is never
published (docs/operations.md)."""

import mimetypes
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from blocportal import access
from blocportal.forms import call_service
from blocportal.lists import query_int, render_list

from . import case_forms as forms
from .case_filters import CaseFilter
from .case_tables import CaseTable, conducted_by
from .models import Body, Case, ReadLog
from .selectors import case_pages
from .services import cases as services
from .views_common import (
    form_data,
    form_files,
    get_case,
    get_document,
    logged,
    members_as_json,
)


@require_safe
def case_list(request):
    access.require(request.user, "case.view")
    filterset = CaseFilter(request.GET, queryset=case_pages.case_list(request.user), request=request)
    return render_list(
        request,
        CaseTable(filterset.qs),
        filterset=filterset,
        template="inspections/cases/list.html",
        partial="inspections/cases/_table.html",
    )


def _preselected(request):
    """The body and organization of ``?body=`` and ``?organization=`` (the page asks for the picker
    again when the body changes): an organization outside the user's subtrees is a 404, one where they
    may not record cases a 403."""
    body = request.GET.get("body", "")
    body = body if body in Body.values else ""
    pk = query_int(request, "organization")
    if pk is None:
        return body, None
    organization = get_object_or_404(case_pages.conducting_organizations(request.user), pk=pk)
    access.require(request.user, "case.change", organization)
    return body, organization


def case_create(request):
    """Record the decision that opens a case."""
    access.require(request.user, "case.change")
    body, organization = _preselected(request) if request.method == "GET" else ("", None)
    form = forms.CaseForm(form_data(request), user=request.user, body=body, organization=organization)
    if request.htmx and request.method == "GET":
        # The body changed: the organization picker searches the organizations that have it.
        return render(request, "inspections/cases/_organization_field.html", {"form": form})
    if form.is_valid():
        case = call_service(form, services.open_case, by=request.user, **form.arguments())
        if case is not None:
            messages.success(request, _("The case has been recorded."))
            return redirect(case)
    return render(request, "inspections/cases/create.html", {"form": form})


@require_safe
@never_cache  # a case file is not kept by the browser or a proxy
def case_detail(request, pk: int):
    case = get_case(request, pk)
    logged(request, ReadLog.What.CASE, case)
    return render(
        request,
        "inspections/cases/detail.html",
        {
            "case": case,
            "conducted_by": conducted_by(case),
            "position": case_pages.position_label(case),
            "file": case_pages.case_file(case),
            "history": case_pages.case_history(case),
            "can_change": access.has_permission(request.user, "case.change", case.organization),
            # A case from an earlier register is recorded as decided: the rules it breaks are shown.
            "problems": services.case_problems(case) if case.imported else [],
        },
    )


def _page(request, case: Case, template: str, title: str, **context):
    """A page that shows the case (its forms are filled with it): the read is logged like the detail's."""
    logged(request, ReadLog.What.CASE, case)
    return render(request, template, {"case": case, "title": title, **context})


def case_update(request, pk: int):
    """Correct the decision's particulars."""
    case = get_case(request, pk, for_change=True)
    form = forms.CaseEditForm(form_data(request), case=case)
    if form.is_valid():
        changes = form.changes()
        if not changes or call_service(form, services.correct_case, case=case, by=request.user, **changes):
            messages.success(request, _("The changes have been saved."))
            return redirect(case)
    return _page(request, case, "inspections/cases/form.html", _("Correct the decision"), form=form)


def case_stage(request, pk: int):
    """Record the stage an open case has reached."""
    case = get_case(request, pk, for_change=True)
    if case.conclusion:
        messages.error(request, _("This case is concluded; correct its conclusion instead."))
        return redirect(case)
    form = forms.StageForm(form_data(request), case=case)
    if form.is_valid() and call_service(
        form, services.correct_case, case=case, by=request.user, stage=form.cleaned_data["stage"]
    ):
        messages.success(request, _("The stage has been recorded."))
        return redirect(case)
    return _page(request, case, "inspections/cases/form.html", _("Record the stage"), form=form)


def case_conclude(request, pk: int):
    """Record or correct the conclusion."""
    case = get_case(request, pk, for_change=True)
    form = forms.ConcludeForm(form_data(request), case=case)
    if form.is_valid() and call_service(
        form, services.conclude_case, case=case, by=request.user, **form.cleaned_data
    ):
        messages.success(request, _("The conclusion has been recorded."))
        return redirect(case)
    title = _("Correct the conclusion") if case.conclusion else _("Conclude the case")
    return _page(request, case, "inspections/cases/form.html", title, form=form)


def case_delete(request, pk: int):
    """A case recorded by mistake: deleted with its file after a confirmation (POST)."""
    case = get_case(request, pk, for_change=True)
    if request.method == "POST":
        try:
            services.delete_case(case=case, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(case)
        messages.success(request, _("The case has been deleted."))
        return redirect("inspections:cases")
    return _page(request, case, "inspections/cases/delete.html", _("Delete the case"))


def document_add(request, pk: int):
    case = get_case(request, pk, for_change=True)
    form = forms.DocumentForm(form_data(request), form_files(request))
    if form.is_valid() and call_service(
        form, services.add_document, case=case, by=request.user, **form.cleaned_data
    ):
        messages.success(request, _("The document has been added to the case file."))
        return redirect(case)
    return _page(request, case, "inspections/cases/form.html", _("Add a document"), form=form, upload=True)


@require_safe
@never_cache
def document_download(request, pk: int):
    """A document of the case file, to whoever reads the case; each download is logged."""
    document = get_document(request, pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    logged(request, ReadLog.What.DOCUMENT, document)
    name = Path(document.file.name).name
    return FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
    )


def document_delete(request, pk: int):
    document = get_document(request, pk, for_change=True)
    case = document.case
    if request.method == "POST":
        services.delete_document(document=document, by=request.user)
        messages.success(request, _("The document has been deleted from the case file."))
        return redirect(case)
    return _page(
        request,
        case,
        "inspections/cases/document_delete.html",
        _("Delete the document"),
        document=document,
    )


@require_safe
def member_search(request):
    """The member pickers' search (views_common.MemberPicker): at most MEMBER_LIMIT members of the
    user's inspection subtrees matching ``q``, with where they sit."""
    access.require(request.user, "case.change")
    found, more = case_pages.search_members(request.user, request.GET.get("q", ""))
    return JsonResponse({"results": members_as_json(found, request.user), "more": more})
