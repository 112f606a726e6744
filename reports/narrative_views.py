"""The narrative editor of a draft report (section VI) and the preview of any report's document."""

from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from blocportal.forms import add_service_error

from . import document, selectors, services
from .narrative_forms import NARRATIVE_LABELS, NarrativeForm
from .sanitize import NARRATIVE_FIELDS


@require_http_methods(["GET", "POST"])
def narrative_edit(request, pk: int):
    """Section VI of a draft, edited by whoever may request the organization's reports; a finalized
    or superseded report shows its narrative and the reason it can no longer change."""
    report = selectors.report_for(request.user, pk, "report.request")
    initial = {field: getattr(report, field) for field in NARRATIVE_FIELDS}
    form = NarrativeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_narrative(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The narrative of the report has been saved."))
            return redirect(report)
    parts = [
        {
            "name": field,
            "label": NARRATIVE_LABELS[field],
            "field": form[field],
            "html": getattr(report, field),
        }
        for field in NARRATIVE_FIELDS
    ]
    return render(
        request,
        "reports/narrative.html",
        {"report": report, "form": form, "parts": parts, "editable": report.is_draft},
    )


@require_safe
@csp_update({"style-src": ["'unsafe-inline'"]})  # the document's one <style> element, shared with the PDF
def report_preview(request, pk: int):
    """The document of any visible report as the PDF prints it, so that staff read a draft before
    finalizing it. The PDF's fonts are files of the server (file:// URLs a browser does not load):
    the preview leaves them out and the browser's serif is used."""
    report = selectors.report_for(request.user, pk)
    with translation.override("vi"):
        context = document.document_context(report) | {"font_faces": []}
        html = render_to_string("reports/pdf/report.html", context)
    return HttpResponse(html)
