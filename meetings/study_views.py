"""Views of the study of resolutions (học tập, quán triệt nghị quyết): the list, a session's page
with its history, its recording, correction and deletion (services.study). The same access as the
meetings: meeting.view reads, meeting.change writes, a closed month is the staff's."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from blocportal import access, clock
from blocportal.forms import call_service
from blocportal.history import record_changes
from blocportal.lists import render_list

from . import forms, services
from .filters import StudyFilter
from .models import StudySession
from .selectors import choices, lists
from .tables import StudyTable
from .views import form_data, preselected_organization


def _get(request, pk: int, permission: str = "meeting.view") -> StudySession:
    return access.get_for_user(
        StudySession.objects.select_related("organization", "recorded_by"),
        request.user,
        permission=permission,
        pk=pk,
    )


@require_safe
def study_list(request):
    access.require(request.user, "meeting.view")
    filterset = StudyFilter(request.GET, queryset=lists.study_list(request.user), request=request)
    return render_list(
        request,
        StudyTable(filterset.qs),
        filterset=filterset,
        template="meetings/study/list.html",
        partial="meetings/study/_table.html",
    )


def study_create(request):
    """A study session; ``?organization=`` preselects the organization and offers the members on
    the register of its subtree today as the members expected."""
    access.require(request.user, "meeting.change")
    organization = preselected_organization(request)
    initial = {"held_on": clock.today()}
    if organization is not None:
        initial |= {
            "organization": organization.pk,
            "members_expected": choices.members_on_register(organization, clock.today()),
        }
    form = forms.StudyForm(form_data(request), user=request.user, initial=initial)
    if form.is_valid():
        session = call_service(form, services.record_study, by=request.user, **form.cleaned_data)
        if session is not None:
            messages.success(request, _("The study session has been recorded."))
            return redirect(session)
    return render(request, "meetings/study/form.html", {"form": form, "title": _("Record a study session")})


@require_safe
def study_detail(request, pk: int):
    session = _get(request, pk)
    can_change = access.has_permission(request.user, "meeting.change", session.organization)
    return render(
        request,
        "meetings/study/detail.html",
        {"session": session, "history": record_changes(session), "can_change": can_change},
    )


def study_edit(request, pk: int):
    session = _get(request, pk, "meeting.change")
    form = forms.StudyForm(form_data(request), instance=session, user=request.user)
    if form.is_valid() and call_service(
        form, services.correct_study, session=session, by=request.user, **form.cleaned_data
    ):
        messages.success(request, _("The changes have been saved."))
        return redirect(session)
    return render(
        request,
        "meetings/study/form.html",
        {"form": form, "session": session, "title": _("Correct the study session")},
    )


def study_delete(request, pk: int):
    session = _get(request, pk, "meeting.change")
    if request.method == "POST":
        try:
            services.delete_study(session=session, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(session)
        messages.success(request, _("The study session has been deleted."))
        return redirect("meetings:study_list")
    return render(request, "meetings/study/delete.html", {"session": session})
