"""The batch pages (bloc staff, ``report.batch``): the batches with a form that starts one, and a
batch's progress (N of M, each failure with its error, a retry button), polled by htmx while it
runs. Batches are bloc-wide: a user without the permission over the bloc gets 404."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from blocportal import access, clock
from blocportal.forms import add_service_error
from blocportal.periods import Period
from organizations.models import Organization

from . import selectors
from .batches import batch_progress, batches_with_counts
from .models import Report, ReportBatch
from .services import batches

# The batches listed (newest first): one a quarter and kind, so years of them.
LISTED = 50


class BatchStartForm(forms.Form):
    period = forms.CharField(
        label=gettext_lazy("Period of the batch"),
        max_length=9,
        help_text=gettext_lazy("A period that has ended, for example 2026-Q2, 2026-H1, 2026-9M or 2026."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind of the reports"), choices=Report.Kind.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        quarter = selectors.last_finished_quarter(clock.today())
        self.fields["period"].initial = str(quarter)
        self.fields["kind"].initial = quarter.kind

    def clean_period(self) -> Period:
        return Period.parse(self.cleaned_data["period"])


def _require_batch(user) -> None:
    """Batches cover the whole bloc: only who holds report.batch over the bloc sees them."""
    bloc = Organization.objects.filter(kind=Organization.Kind.BLOC).active().order_by("path").first()
    if not access.has_permission(user, "report.batch", bloc):
        raise Http404


def batch_list(request):
    """The batches, newest first, and the form that starts one by hand."""
    _require_batch(request.user)
    form = BatchStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = batches.start_batch(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The batch has started; this page follows its progress."))
            return redirect(batch)
    rows = list(batches_with_counts()[:LISTED])
    for batch in rows:
        batch.failed = batch.failed_renders + len(batch.failures)
    return render(request, "reports/batches.html", {"form": form, "batches": rows})


@require_safe
def batch_detail(request, pk: int):
    """A batch's progress; htmx polls the progress fragment alone every 2 s while it runs."""
    _require_batch(request.user)
    batch = get_object_or_404(ReportBatch.objects.select_related("started_by"), pk=pk)
    context = {"batch": batch, "progress": batch_progress(batch)}
    if request.htmx:
        return render(request, "reports/_batch_progress.html", context)
    return render(request, "reports/batch.html", context)


@require_POST
def batch_retry(request, pk: int):
    _require_batch(request.user)
    batch = get_object_or_404(ReportBatch, pk=pk)
    batches.retry_batch(batch=batch, by=request.user)
    messages.success(request, _("The failed reports of the batch are being made again."))
    return redirect(batch)
