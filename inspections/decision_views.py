"""Views of the discipline decisions and their appeals: the list, a decision's page (its effect, its
appeals and their outcome, its history), its recording — from a case or a member's page, or afresh —,
an appeal received against it and the appeal's settlement. Each one: the inspector's scope (out of it
404, without the permission 403) → form → service → redirect.

Every opening of a decision's page, and of an appeal's settlement page (which shows the appeal), is
logged (ReadLog) once the checks have passed."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from blocportal import access, clock, rules
from blocportal.forms import call_service
from blocportal.history import record_changes
from blocportal.lists import query_int, render_list
from members.models import Member

from . import decision_forms as forms
from .decision_filters import DecisionFilter
from .decision_pages import effect_of
from .decision_tables import DecisionTable, decided_by
from .models import Appeal, Case, DisciplineDecision, ReadLog
from .selectors import case_pages
from .services import discipline as services
from .views_common import form_data, get_in_scope, logged

Form = DisciplineDecision.Form


def _get(request, pk: int, *, for_change: bool = False) -> DisciplineDecision:
    queryset = DisciplineDecision.objects.select_related(
        "organization",
        "target_member__organization",
        "target_organization",
        "target_cell",
        "seat__term__organization",
        "case",
        "recorded_by",
    )
    return get_in_scope(request, queryset, pk, for_change=for_change)


@require_safe
def decision_list(request):
    access.require(request.user, "case.view")
    filterset = DecisionFilter(request.GET, queryset=case_pages.decision_list(request.user), request=request)
    return render_list(
        request,
        DecisionTable(filterset.qs),
        filterset=filterset,
        template="inspections/decisions/list.html",
        partial="inspections/decisions/_table.html",
    )


@dataclass(frozen=True)
class AppealRow:
    appeal: Appeal
    can_settle: bool


@require_safe
def decision_detail(request, pk: int):
    decision = _get(request, pk)
    logged(request, ReadLog.What.DECISION, decision)
    user = request.user
    appeals = list(decision.appeals.select_related("organization", "recorded_by").order_by("filed_on", "pk"))
    can_change = access.has_permission(user, "case.change", decision.organization)
    return render(
        request,
        "inspections/decisions/detail.html",
        {
            "decision": decision,
            "decided_by": decided_by(decision),
            "effect": effect_of(decision),
            "appeals": [
                AppealRow(
                    appeal,
                    appeal.status == Appeal.Status.ACCEPTED
                    and access.has_permission(user, "case.change", appeal.organization),
                )
                for appeal in appeals
            ],
            # A decision recorded from an earlier register keeps what it broke, flagged here.
            "problems": services.decision_problems(decision) if decision.imported else [],
            "history": record_changes(decision),
            "can_change": can_change,
            "can_appeal": can_change
            and decision.in_force
            and not any(appeal.status == Appeal.Status.ACCEPTED for appeal in appeals),
        },
    )


def _preset(request) -> tuple[Case | None, Member | None]:
    """The case of ``?case=`` or the member of ``?member=``; one outside the user's subtrees is a 404."""
    case_pk, member_pk = query_int(request, "case"), query_int(request, "member")
    case = member = None
    if case_pk is not None:
        case = get_object_or_404(
            Case.objects.visible_to(request.user).select_related("target_member"), pk=case_pk
        )
    elif member_pk is not None:
        member = get_object_or_404(case_pages.inspected_members(request.user), pk=member_pk)
    return case, member


def decision_create(request):
    """Record a discipline decision and make its effect."""
    access.require(request.user, "case.change")
    if request.htmx and request.method == "GET":
        # The member or the date changed: the posts the member holds that day, for cách chức.
        form = forms.DecisionForm(request.GET, user=request.user)
        return render(request, "inspections/decisions/_seat_field.html", {"form": form})
    case, member = _preset(request) if request.method == "GET" else (None, None)
    form = forms.DecisionForm(form_data(request), user=request.user, case=case, member=member)
    if form.is_valid():
        decision = call_service(form, services.decide, by=request.user, **form.arguments())
        if decision is not None:
            messages.success(request, _("The discipline decision has been recorded."))
            return redirect(decision)
    return render(request, "inspections/decisions/create.html", {"form": form})


def appeal_create(request, pk: int):
    """Record an appeal received against the decision: accepted within the time limit, or not accepted
    with the reason."""
    decision = _get(request, pk, for_change=True)
    if not decision.in_force:
        messages.error(request, _("This decision was annulled; there is nothing to appeal."))
        return redirect(decision)
    form = forms.AppealForm(form_data(request), user=request.user, decision=decision)
    if form.is_valid():
        appeal = call_service(
            form, services.file_appeal, decision=decision, by=request.user, **form.cleaned_data
        )
        if appeal is not None:
            if appeal.status == Appeal.Status.ACCEPTED:
                messages.success(request, _("The appeal has been accepted for settlement."))
            elif appeal.refusal_note:
                messages.warning(
                    request,
                    _("The appeal is not accepted: %(ground)s. %(reason)s")
                    % {"ground": appeal.get_refusal_ground_display(), "reason": appeal.refusal_note},
                )
            else:
                messages.warning(
                    request,
                    _("The appeal is not accepted: %(ground)s.")
                    % {"ground": appeal.get_refusal_ground_display()},
                )
            return redirect(decision)
    logged(request, ReadLog.What.DECISION, decision)  # the page shows the decision
    return render(
        request,
        "inspections/decisions/appeal_form.html",
        {
            "decision": decision,
            "decided_by": decided_by(decision),
            "form": form,
            "days": rules.get("discipline.appeal_days", clock.today()),
        },
    )


def _get_appeal(request, pk: int) -> Appeal:
    """The appeal against a decision the user sees (else 404), settled by an organization where they
    record case work (else 403)."""
    appeal = (
        Appeal.objects.select_related(
            "decision__organization",
            "decision__target_member__organization",
            "decision__target_organization",
            "organization",
        )
        .filter(decision__in=DisciplineDecision.objects.visible_to(request.user), pk=pk)
        .first()
    )
    if appeal is None:
        raise Http404
    access.require(request.user, "case.change", appeal.organization)
    return appeal


SETTLED = {
    Appeal.Outcome.UPHELD: gettext_lazy("The appeal has been settled: the decision is upheld."),
    Appeal.Outcome.CHANGED: gettext_lazy("The appeal has been settled: the form is changed."),
    Appeal.Outcome.ANNULLED: gettext_lazy("The appeal has been settled: the decision is annulled."),
}


def appeal_settle(request, pk: int):
    """Settle an accepted appeal: the decision upheld, its form changed, or annulled."""
    appeal = _get_appeal(request, pk)
    decision = appeal.decision
    if appeal.status != Appeal.Status.ACCEPTED:
        messages.error(request, _("Only an accepted appeal is settled."))
        return redirect(decision)
    if request.method == "GET":
        logged(request, ReadLog.What.APPEAL, appeal)
    form = forms.SettleForm(form_data(request), appeal=appeal, user=request.user)
    if form.is_valid() and call_service(
        form, services.settle_appeal, appeal=appeal, by=request.user, **form.arguments()
    ):
        messages.success(request, str(SETTLED[form.cleaned_data["outcome"]]))
        return redirect(decision)
    return render(
        request,
        "inspections/decisions/settle_form.html",
        {"appeal": appeal, "decision": decision, "decided_by": decided_by(decision), "form": form},
    )
