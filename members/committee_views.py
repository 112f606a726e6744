"""The pages staff use to record the committees (cấp ủy): a term, its correction, a seat, the end of a
seat. Each returns to the committee panel of the organization's page (templatetags/committees.py).

A term or a seat outside the user's scope is a 404; in scope without ``seat.change``, a 403."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from blocportal import access
from blocportal.forms import call_service
from members.services import committees as services
from organizations.models import Organization

from .committee_forms import SeatEndForm, SeatForm, TermForm
from .models import CommitteeSeat, Term


def _get_organization(request, pk: int) -> Organization:
    return access.get_for_user(
        Organization.objects.select_related("parent"),
        request.user,
        permission="seat.change",
        organization_of=lambda org: org,
        pk=pk,
    )


def _get_for_seat_change(queryset, request, path_field: str, organization_of, **lookup):
    """``access.get_for_user`` for the models reached through their organization (terms, seats):
    out of the user's scope 404, in scope without ``seat.change`` 403."""
    try:
        obj = queryset.filter(access.scope_q(request.user, path_field)).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None
    access.require(request.user, "seat.change", organization_of(obj))
    return obj


def _get_term(request, pk: int) -> Term:
    return _get_for_seat_change(
        Term.objects.select_related("organization"),
        request,
        "organization__path",
        lambda term: term.organization,
        pk=pk,
    )


def _to_committee(organization: Organization):
    return redirect(f"{organization.get_absolute_url()}#committee")


def _committee_form(request, form, organization, title):
    return render(
        request, "organizations/form.html", {"form": form, "organization": organization, "title": title}
    )


def term_create(request, pk: int):
    organization = _get_organization(request, pk)
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        term = call_service(
            form, services.create_term, organization=organization, by=request.user, **form.cleaned_data
        )
        if term is not None:
            messages.success(request, _("The term %(label)s has been recorded.") % {"label": term.label})
            return _to_committee(organization)
    return _committee_form(request, form, organization, _("New term"))


def term_update(request, pk: int):
    term = _get_term(request, pk)
    form = TermForm(request.POST or None, instance=term)
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.update_term, term=term, by=request.user, **form.cleaned_data):
            messages.success(request, _("The changes have been saved."))
            return _to_committee(term.organization)
    return _committee_form(
        request, form, term.organization, _("Correct the term %(label)s") % {"label": term.label}
    )


def seat_create(request, pk: int):
    term = _get_term(request, pk)
    form = SeatForm(request.POST or None, user=request.user, term=term)
    if request.method == "POST" and form.is_valid():
        seat = call_service(form, services.appoint, term=term, by=request.user, **form.cleaned_data)
        if seat is not None:
            messages.success(
                request,
                _("%(name)s: %(position)s, term %(label)s.")
                % {
                    "name": seat.member.full_name,
                    "position": seat.get_position_display(),
                    "label": term.label,
                },
            )
            return _to_committee(term.organization)
    return _committee_form(
        request, form, term.organization, _("New seat in the term %(label)s") % {"label": term.label}
    )


def seat_end(request, pk: int):
    seat = _get_for_seat_change(
        CommitteeSeat.objects.select_related("term__organization", "member"),
        request,
        "term__organization__path",
        lambda seat: seat.term.organization,
        pk=pk,
    )
    form = SeatEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.end_seat, seat=seat, by=request.user, **form.cleaned_data):
            messages.success(request, _("Recorded."))
            return _to_committee(seat.term.organization)
    title = _("End the seat of %(name)s (%(position)s)") % {
        "name": seat.member.full_name,
        "position": seat.get_position_display().lower(),
    }
    return _committee_form(request, form, seat.term.organization, title)
