"""Views of the meetings: the list, recording a meeting and its attendance sheet, its page, its
correction and deletion, the minutes file and the printables. Each one: the user's scope (out of it
404, without the permission 403) → form → service → redirect.

A meeting is read by whoever holds meeting.view over one of its organizations (a joint meeting is
read by each of its chi bộ) and written by whoever holds meeting.change over the organization that
held it; the service refuses a closed month to a secretary, with its message on the form."""

import mimetypes
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from blocportal import access
from blocportal.forms import call_service
from blocportal.lists import query_int, render_list
from organizations import selectors as org_selectors
from organizations.models import Organization

from . import forms, pages, services
from .filters import MeetingFilter
from .models import Meeting
from .selectors import lists
from .tables import MeetingTable


def form_data(request):
    """The submitted data, so that an empty POST still shows the form's errors."""
    return request.POST if request.method == "POST" else None


def _files(request):
    return request.FILES if request.method == "POST" else None


def _get(request, pk: int) -> tuple[Meeting, list]:
    """The meeting if the user sees it (else 404) and reads it (else 403), with its lists."""
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related(
            "organization__parent", "chair", "recorder", "recorded_by"
        ),
        pk=pk,
    )
    sheets = lists.meeting_sheets(meeting)
    if not pages.can_read(request.user, sheets):
        raise PermissionDenied
    return meeting, sheets


def _get_for_change(request, pk: int) -> tuple[Meeting, list]:
    meeting, sheets = _get(request, pk)
    access.require(request.user, "meeting.change", meeting.organization)
    return meeting, sheets


@require_safe
def meeting_list(request):
    access.require(request.user, "meeting.view")
    filterset = MeetingFilter(request.GET, queryset=lists.meeting_list(request.user), request=request)
    return render_list(
        request,
        MeetingTable(filterset.qs),
        filterset=filterset,
        template="meetings/list.html",
        partial="meetings/_table.html",
    )


def preselected_organization(request):
    """The organization of ``?organization=``: 404 outside the user's scope, 403 where they may
    not record meetings."""
    pk = query_int(request, "organization")
    if pk is None:
        return None
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    access.require(request.user, "meeting.change", organization)
    return organization


def meeting_create(request):
    """Record a meeting: the details, then the sheet (every member is first marked present)."""
    access.require(request.user, "meeting.change")
    organization = preselected_organization(request)
    form = forms.MeetingForm(
        form_data(request), _files(request), user=request.user, organization=organization
    )
    if request.htmx and request.method == "GET":
        # The organization changed in the picker: its members (a tổ đảng's, the chair's choices).
        return render(request, "meetings/_organization_fields.html", {"form": form})
    if form.is_valid():
        meeting = call_service(form, services.record_meeting, by=request.user, **form.arguments())
        if meeting is not None:
            messages.success(request, _("The meeting has been recorded. Now mark who attended."))
            return redirect("meetings:sheet", pk=meeting.pk)
    return render(request, "meetings/create.html", {"form": form})


@require_safe
def meeting_detail(request, pk: int):
    meeting, sheets = _get(request, pk)
    views, totals = pages.sheet_views(sheets)
    user, closed = request.user, services.months.is_closed(meeting.held_on)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "sheets": views,
            "totals": totals,
            "joint": len(views) > 1,
            "seat_labels": pages.SEAT_LABELS,
            "history": pages.meeting_history(meeting),
            "can_change": pages.can_write(user, meeting, closed=closed),
            "closed": closed,
            "breadcrumbs": org_selectors.visible_ancestors(meeting.organization, user),
        },
    )


def meeting_edit(request, pk: int):
    meeting, _sheets = _get_for_change(request, pk)
    form = forms.MeetingEditForm(form_data(request), _files(request), meeting=meeting)
    if form.is_valid() and call_service(
        form, services.correct_meeting, meeting=meeting, by=request.user, **form.arguments()
    ):
        messages.success(request, _("The changes have been saved."))
        return redirect(meeting)
    return _page(request, "meetings/edit.html", meeting, form=form)


def meeting_sheet(request, pk: int):
    """Mark who attended: one radio group per member, the stored mark by default."""
    meeting, sheets = _get_for_change(request, pk)
    form = forms.SheetForm(form_data(request), sheets=sheets)
    if form.is_valid() and call_service(
        form, services.record_attendance, meeting=meeting, marks=form.marks(), by=request.user
    ):
        messages.success(request, _("The attendance has been saved."))
        return redirect(meeting)
    return _page(
        request,
        "meetings/sheet.html",
        meeting,
        form=form,
        joint=len(sheets) > 1,
        seat_labels=pages.SEAT_LABELS,
    )


def meeting_delete(request, pk: int):
    """A meeting recorded by mistake: deleted with its lists after a confirmation (POST)."""
    meeting, _sheets = _get_for_change(request, pk)
    if request.method == "POST":
        try:
            services.delete_meeting(meeting=meeting, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(meeting)
        messages.success(request, _("The meeting has been deleted."))
        return redirect("meetings:list")
    return _page(request, "meetings/delete.html", meeting)


def _page(request, template: str, meeting: Meeting, **context):
    """A page that changes the meeting; it says at once when the month is closed to the user."""
    breadcrumbs = org_selectors.visible_ancestors(meeting.organization, request.user)
    try:
        services.months.check_can_write(meeting.organization, meeting.held_on, request.user)
        closed = ""
    except ValidationError as error:
        closed = " ".join(error.messages)
    context = {"meeting": meeting, "breadcrumbs": breadcrumbs, "closed": closed, **context}
    return render(request, template, context)


@require_safe
def minutes_file(request, pk: int):
    """The minutes file kept with the meeting, to whoever reads the meeting."""
    meeting, _sheets = _get(request, pk)
    if not meeting.minutes_file:
        raise Http404
    name = Path(meeting.minutes_file.name).name
    return FileResponse(
        meeting.minutes_file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
    )


@require_safe
def print_sheet(request, pk: int):
    """The attendance sheet for signatures (danh sách đảng viên dự sinh hoạt), one per list."""
    meeting, sheets = _get(request, pk)
    views, totals = pages.sheet_views(sheets)
    return render(
        request,
        "meetings/print/sheet.html",
        {
            "meeting": meeting,
            "sheets": views,
            "totals": totals,
            "header": pages.header(meeting.organization, meeting.held_on),
            "kind_words": pages.KIND_WORDS[meeting.kind],
            "seat_words": pages.SEAT_WORDS,
            "standing_words": pages.STANDING_WORDS,
            "day_in_words": pages.in_words(meeting.held_on),
        },
    )


@require_safe
def print_minutes(request, pk: int):
    """The minutes (biên bản): attendance first, then the content and the conclusions; the recorder
    signs on the left, the chair on the right (DOMAIN.md §4)."""
    meeting, sheets = _get(request, pk)
    minutes = pages.minutes(meeting, sheets)
    return render(
        request,
        "meetings/print/minutes.html",
        {
            "minutes": minutes,
            "meeting": meeting,
            "header": minutes.header,
            "day_in_words": pages.in_words(meeting.held_on),
        },
    )
