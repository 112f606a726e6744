"""Views of the party-development pipeline: candidates (quần chúng ưu tú) and admission targets.

Every page starts from the user's scope: a candidate outside it is a 404, a step the user's role
may not take is a 403. Each step of the pipeline has its form and its service (STEPS below)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from blocportal import access, clock
from blocportal.forms import call_service
from blocportal.lists import query_int, render_list
from members import candidate_pages
from members.selectors import candidates as candidate_selectors
from members.services import candidates as candidate_services
from organizations.models import Organization

from . import candidate_forms as forms
from .models import Candidate


@dataclass(frozen=True)
class Step:
    title: str
    form: type[forms.StepForm]
    action: Callable
    permission: str = "candidate.change"


STEPS = {
    "training": Step(
        gettext_lazy("Party awareness class"), forms.TrainingForm, candidate_services.record_training
    ),
    "sponsors": Step(gettext_lazy("Sponsors"), forms.SponsorsForm, candidate_services.assign_sponsors),
    "application": Step(
        gettext_lazy("Application and personal history"),
        forms.ApplicationForm,
        candidate_services.record_application,
    ),
    "vetting-start": Step(
        gettext_lazy("Start the background check"), forms.VettingStartForm, candidate_services.start_vetting
    ),
    "vetting-complete": Step(
        gettext_lazy("Complete the background check"),
        forms.VettingCompleteForm,
        candidate_services.complete_vetting,
    ),
    "resolution": Step(
        gettext_lazy("Party cell resolution"), forms.ResolutionForm, candidate_services.record_resolution
    ),
    "decision": Step(
        gettext_lazy("Admission decision"), forms.DecisionForm, candidate_services.record_decision
    ),
    "admit": Step(
        gettext_lazy("Admission ceremony"),
        forms.AdmitForm,
        candidate_services.admit_candidate,
        "candidate.admit",
    ),
    "withdraw": Step(gettext_lazy("Stop the case"), forms.WithdrawForm, candidate_services.withdraw),
}


def _get(request, pk: int, permission: str = "candidate.view") -> Candidate:
    return access.get_for_user(
        Candidate.objects.select_related("organization", "sponsor_1", "sponsor_2", "member"),
        request.user,
        permission=permission,
        pk=pk,
    )


@require_safe
def candidate_list(request):
    access.require(request.user, "candidate.view")
    queryset = candidate_selectors.candidate_list(request.user)
    filterset = forms.CandidateFilter(request.GET, queryset=queryset, user=request.user)
    return render_list(
        request,
        forms.CandidateTable(filterset.qs),
        filterset=filterset,
        template="members/candidates/list.html",
        partial="members/candidates/_table.html",
    )


@require_safe
def candidate_detail(request, pk: int):
    candidate = _get(request, pk)
    user, organization = request.user, candidate.organization
    steps = [
        (slug, STEPS[slug].title)
        for slug in candidate_pages.open_steps(candidate)
        if access.has_permission(user, STEPS[slug].permission, organization)
    ]
    return render(
        request,
        "members/candidates/detail.html",
        {
            "candidate": candidate,
            "timeline": candidate_pages.timeline(candidate),
            "steps": steps,
            "history": candidate_pages.candidate_history(candidate),
            "can_change": candidate.is_open and access.has_permission(user, "candidate.change", organization),
        },
    )


def candidate_create(request):
    access.require(request.user, "candidate.change")
    form = forms.CandidateCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        access.require(request.user, "candidate.change", form.cleaned_data["organization"])
        candidate = call_service(
            form, candidate_services.create_candidate, by=request.user, **form.cleaned_data
        )
        if candidate is not None:
            messages.success(request, _("%(name)s has been recorded.") % {"name": candidate.full_name})
            return redirect("members:candidate_detail", pk=candidate.pk)
    return render(request, "members/candidates/form.html", {"form": form, "title": _("New candidate")})


def candidate_update(request, pk: int):
    candidate = _get(request, pk, "candidate.change")
    form = forms.CandidateUpdateForm(request.POST or None, instance=candidate)
    if request.method == "POST" and form.is_valid():
        if call_service(
            form,
            lambda: candidate_services.update_candidate(
                candidate=candidate, by=request.user, **form.cleaned_data
            ),
        ):
            messages.success(request, _("The changes have been saved."))
            return redirect("members:candidate_detail", pk=candidate.pk)
    context = {"form": form, "candidate": candidate, "title": _("Correct details")}
    return render(request, "members/candidates/form.html", context)


def candidate_step(request, pk: int, step: str):
    spec = STEPS.get(step)
    if spec is None:
        raise Http404
    candidate = _get(request, pk, spec.permission)
    form = spec.form(request.POST or None, candidate=candidate, user=request.user)
    if request.method == "POST" and form.is_valid():
        done = call_service(form, spec.action, candidate=candidate, by=request.user, **form.cleaned_data)
        if done is not None:
            messages.success(request, _("Recorded."))
            return redirect("members:candidate_detail", pk=candidate.pk)
    context = {
        "form": form,
        "candidate": candidate,
        "title": spec.title,
        "fits_stage": step in candidate_pages.open_steps(candidate),
    }
    return render(request, "members/candidates/form.html", context)


# Admission targets ------------------------------------------------------------------------------


def _year(request) -> int:
    """``?year=``: a year admission targets are kept for, this year otherwise."""
    today = clock.today().year
    return (
        query_int(request, "year", min_value=candidate_selectors.FIRST_TARGET_YEAR, max_value=today + 1)
        or today
    )


@require_safe
def target_list(request):
    access.require(request.user, "candidate.view")
    year, this_year = _year(request), clock.today().year
    rows = [
        (row, access.has_permission(request.user, "target.change", row.organization))
        for row in candidate_selectors.admission_progress_rows(request.user, year)
    ]
    return render(
        request,
        "members/candidates/targets.html",
        {
            "year": year,
            "rows": rows,
            "years": sorted({*range(this_year - 9, this_year + 2), year}, reverse=True),
        },
    )


def target_set(request):
    initial = {"year": _year(request)}
    if (organization_pk := query_int(request, "organization")) is not None:
        organization = access.get_for_user(
            Organization.objects.all(),
            request.user,
            permission="target.change",
            organization_of=lambda org: org,
            pk=organization_pk,
        )
        progress = candidate_selectors.admission_progress(organization, initial["year"])
        initial.update(organization=organization, target=progress.target)
    access.require(request.user, "target.change")
    form = forms.TargetForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        access.require(request.user, "target.change", data["organization"])
        if call_service(form, candidate_services.set_admission_target, by=request.user, **data):
            messages.success(request, _("The changes have been saved."))
            return redirect(f"{reverse('members:target_list')}?year={data['year']}")
    context = {
        "form": form,
        "title": _("Set an admission target"),
        "cancel_url": reverse("members:target_list"),
    }
    return render(request, "members/candidates/form.html", context)
