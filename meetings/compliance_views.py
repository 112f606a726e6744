"""Views of the bloc's oversight of the meetings: compliance with the meeting rules (who is behind,
for an organization and a period, as the dashboard chooses them), and the months closed to
secretaries (staff only)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from blocportal import access, clock
from blocportal.forms import add_service_error
from blocportal.periods import Period

from . import forms, pages, services
from .selectors import choices, lists


@require_safe
def compliance(request):
    """Every chi bộ and đảng bộ cơ sở under the organization: the months with a regular meeting
    and the quarters with a thematic one, held of due, and the members' attendance; those behind
    first. By default the highest organization of the user's scope and the current quarter."""
    access.require(request.user, "meeting.view")
    today = clock.today()
    data = request.GET.copy()
    if not data.get("organization"):
        default = choices.default_organization(request.user)
        if default is None:
            raise Http404
        data["organization"] = default.pk
    data.setdefault("period", str(Period.quarter_of(today)))
    form = forms.ComplianceForm(data, user=request.user)
    if not form.is_valid() and "organization" in form.errors:
        raise Http404  # an organization outside the user's scope, as everywhere else
    organization = form.cleaned_data["organization"]
    # A period that does not parse is explained beside its field; the page shows the current quarter.
    period = form.cleaned_data.get("period") or Period.quarter_of(today)
    rows = lists.compliance_rows(request.user, period, as_of=today, root=organization)
    behind_only = bool(form.cleaned_data.get("behind"))
    return render(
        request,
        "meetings/compliance.html",
        {
            "form": form,
            "organization": organization,
            "period": period,
            "as_of": min(today, period.end),
            "lines": pages.compliance_lines(rows, behind_only=behind_only),
            "total": len(rows),
            "behind_count": sum(row.behind for row in rows),
            "behind_only": behind_only,
            "period_choices": pages.period_choices(today),
        },
    )


def months(request):
    """Close a month to secretaries, or reopen it (staff)."""
    access.require(request.user, "meeting.close")
    form = forms.MonthForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        month, closing = form.cleaned_data["month"], form.cleaned_data["action"] == "close"
        try:
            (services.close_month if closing else services.reopen_month)(month=month, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            text = _("Month %(month)s is closed.") if closing else _("Month %(month)s is open again.")
            messages.success(request, text % {"month": services.months.month_label(month)})
            return redirect("meetings:months")
    return render(
        request,
        "meetings/months.html",
        {"form": form, "lines": pages.month_lines(list(choices.closed_months()))},
    )
