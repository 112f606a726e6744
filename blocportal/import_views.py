"""The import pages of the registers: upload → dry run → confirm → import, each step a Celery task
on an ``ImportJob`` (blocportal.services, *Import jobs*). The job's page shows the step that runs
(rows done out of rows, polled with htmx) and keeps what the last step found for its importer:
the dry run's errors or preview and the confirm button, then the outcome.

A register's page is one call of ``import_page`` (see members/import_views.py); the job pages are
shared by every register (``import_job``, ``import_confirm``).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from . import access, imports, services
from .models import ImportJob

# The user's latest imports of a register listed under its upload form.
RECENT_JOBS = 5


def _register_context(resource_class: type[imports.ImportResource]) -> dict:
    return {
        "title": resource_class.title,
        "max_rows": resource_class.max_rows,
        "urls": resource_class.page_urls(),
    }


def import_page(
    request,
    resource_class: type[imports.ImportResource],
    *,
    others: tuple[type[imports.ImportResource], ...] = (),
) -> HttpResponse:
    """The upload form of a register (``<namespace>:import``) and the user's latest imports of it.
    A valid upload becomes a job whose dry run is queued; its page follows it. ``others``: the
    registers sharing the page (tabs, the current one among them)."""
    access.require(request.user, resource_class.permission)
    form = imports.UploadForm()
    if request.method == "POST":
        form = imports.UploadForm(request.POST, request.FILES)
        if form.is_valid():
            job = services.start_import(
                kind=resource_class.kind,
                filename=form.cleaned_data["file"].name,
                content=form.content,
                by=request.user,
            )
            return redirect(job)
    jobs = ImportJob.objects.visible_to(request.user).filter(kind=resource_class.kind)[:RECENT_JOBS]
    tabs = [
        {"title": other.title, "url": other.page_urls()["import"], "current": other is resource_class}
        for other in others
    ]
    return render(
        request,
        "imports/import.html",
        {"form": form, "jobs": jobs, "tabs": tabs, **_register_context(resource_class)},
    )


def _get_job(request, pk: int) -> tuple[ImportJob, type[imports.ImportResource]]:
    """The user's own job (another user's is a 404), and its register, whose import permission
    the user must still hold (403)."""
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    try:
        resource_class = imports.get_resource(job.kind)
    except imports.ImportRefused:
        raise Http404 from None
    access.require(request.user, resource_class.permission)
    return job, resource_class


@require_safe
def import_job(request, pk: int) -> HttpResponse:
    """A job: its progress while a step runs (htmx polls the fragment alone), then the dry run's
    report with the confirm button, then the outcome."""
    job, resource_class = _get_job(request, pk)
    context = {
        "job": job,
        "result": imports.ImportResult.from_json(job.result) if job.result else None,
        **_register_context(resource_class),
    }
    if request.htmx:
        return render(request, "imports/_job.html", context)
    return render(request, "imports/job.html", context)


@require_POST
def import_confirm(request, pk: int) -> HttpResponse:
    """Queue the import of a checked job; a second confirmation is told it was done already."""
    job, _resource_class = _get_job(request, pk)
    try:
        services.confirm_import(job=job, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(job)
