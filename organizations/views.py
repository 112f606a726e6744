from dataclasses import dataclass, field

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from blocportal import access, clock, import_views, imports
from blocportal.forms import call_service
from blocportal.lists import paginate, query_int

from . import pickers, selectors, services
from .filters import OrganizationFilter
from .forms import (
    DissolveForm,
    MergeForm,
    MoveForm,
    OrganizationCreateForm,
    OrganizationUpdateForm,
    RenameForm,
    SeatEndForm,
    SeatForm,
    TermForm,
)
from .models import CommitteeSeat, Organization, Term
from .resources import OrganizationResource
from .tables import OrganizationTable


def _get(request, pk: int, permission: str = "organization.view") -> Organization:
    return access.get_for_user(
        Organization.objects.select_related("parent"),
        request.user,
        permission=permission,
        organization_of=lambda org: org,
        pk=pk,
    )


@require_safe
def organization_list(request):
    queryset = Organization.objects.visible_to(request.user).select_related("parent")
    filterset = OrganizationFilter(request.GET, queryset=queryset)
    table = OrganizationTable(filterset.qs)
    paginate(request, table)
    template = "organizations/_table.html" if request.htmx else "organizations/list.html"
    return render(request, template, {"filter": filterset, "table": table})


@require_safe
def organization_search(request):
    """The organization pickers' search (pickers.py, static/js/pickers.js): at most pickers.LIMIT
    organizations of the picker's queryset for the user (``for``, narrowed by ``kind`` and
    ``exclude``) matching the words of ``q``, with their label and where they sit."""
    purpose = pickers.PURPOSES.get(request.GET.get("for") or "visible")
    if purpose is None:
        raise Http404
    access.require(request.user, purpose.permission)
    queryset = pickers.narrow(
        purpose.queryset(request.user),
        kinds=request.GET.getlist("kind"),
        exclude=query_int(request, "exclude"),
    )
    found, more = pickers.search(queryset, request.GET.get("q", ""), user=request.user)
    return JsonResponse(
        {"results": [pickers.as_json(organization, request.user) for organization in found], "more": more}
    )


@require_safe
def organization_tree(request):
    root_pk = query_int(request, "root")
    root = _get(request, root_pk) if root_pk is not None else None
    return render(
        request,
        "organizations/tree.html",
        {"forest": selectors.organization_tree(request.user, root=root), "root": root},
    )


@require_safe
def organization_detail(request, pk: int):
    organization = _get(request, pk)
    return render(
        request,
        "organizations/detail.html",
        {
            "organization": organization,
            "breadcrumbs": selectors.visible_ancestors(organization, request.user),
            "children": organization.children.active().order_by("kind", "name"),
            "kind_counts": selectors.kind_counts(organization),
            "events": selectors.organization_events(organization),
            "history": selectors.field_history(organization),
            "can_change": access.has_permission(request.user, "organization.change", organization),
            "committee": _committee(organization),
            "can_change_seats": access.has_permission(request.user, "seat.change", organization),
            "can_change_members": access.has_permission(request.user, "member.change", organization),
        },
    )


def organization_create(request):
    initial = {}
    if (parent_pk := query_int(request, "parent")) is not None:
        parent = _get(request, parent_pk, "organization.change")
        initial = {"parent": parent, "sector": parent.sector}
    access.require(request.user, "organization.change")
    form = OrganizationCreateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["parent"] is not None:
            access.require(request.user, "organization.change", data["parent"])
        organization = call_service(
            form, services.create_organization, by=request.user, decision_no=data.pop("decision_no"), **data
        )
        if organization is not None:
            messages.success(request, _("%(name)s has been registered.") % {"name": organization.name})
            return redirect(organization)
    return render(request, "organizations/form.html", {"form": form, "title": _("New organization")})


def organization_update(request, pk: int):
    organization = _get(request, pk, "organization.change")
    form = OrganizationUpdateForm(request.POST or None, instance=Organization.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        if call_service(
            form,
            services.update_organization,
            organization=organization,
            by=request.user,
            **form.cleaned_data,
        ):
            messages.success(request, _("The changes have been saved."))
            return redirect(organization)
    return render(
        request,
        "organizations/form.html",
        {"form": form, "organization": organization, "title": _("Correct details")},
    )


def _lifecycle_view(request, pk, form_class, title, action, *, needs_context=False):
    organization = _get(request, pk, "organization.change")
    extra = {"user": request.user, "organization": organization} if needs_context else {}
    form = form_class(request.POST or None, **extra)
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: action(organization, form.cleaned_data)):
            messages.success(request, _("Recorded."))
            return redirect(organization)
    return render(
        request, "organizations/form.html", {"form": form, "organization": organization, "title": title}
    )


def organization_rename(request, pk: int):
    return _lifecycle_view(
        request,
        pk,
        RenameForm,
        _("Rename"),
        lambda org, d: services.rename_organization(organization=org, by=request.user, **d),
    )


def organization_move(request, pk: int):
    def move(org, data):
        access.require(request.user, "organization.change", data["new_parent"])
        return services.move_organization(organization=org, by=request.user, **data)

    return _lifecycle_view(request, pk, MoveForm, _("Move to another parent"), move, needs_context=True)


def organization_merge(request, pk: int):
    def merge(org, data):
        access.require(request.user, "organization.change", data["into"])
        return services.merge_organization(organization=org, by=request.user, **data)

    return _lifecycle_view(
        request, pk, MergeForm, _("Merge into another organization"), merge, needs_context=True
    )


def organization_dissolve(request, pk: int):
    def dissolve(org, data):
        data.pop("confirm")
        return services.dissolve_organization(organization=org, by=request.user, **data)

    return _lifecycle_view(request, pk, DissolveForm, _("Dissolve"), dissolve)


def organization_import(request):
    """Upload → dry run (every error, or what would change) → confirm: all rows or none, each step
    in the background (blocportal.import_views)."""
    return import_views.import_page(request, OrganizationResource)


@require_safe
def organization_import_template(request):
    return imports.template_download(request, OrganizationResource, "mau-nhap-to-chuc")


@require_safe
def organization_export(request):
    """The organizations of the list (the user's scope, the list's filters) as XLSX or CSV."""
    access.require(request.user, "organization.view")
    queryset = Organization.objects.visible_to(request.user).select_related("parent").order_by("path")
    filterset = OrganizationFilter(request.GET, queryset=queryset)
    fmt = imports.requested_format(request.GET.get("format"))
    content = imports.export_file(OrganizationResource(), filterset.qs, fmt)
    return imports.download_response(content, fmt, f"to-chuc-{clock.today():%Y%m%d}")


# Committees (cấp ủy) and terms ---------------------------------------------------------------

_POSITION_RANK = {position: rank for rank, position in enumerate(CommitteeSeat.Position.values)}


@dataclass
class TermCommittee:
    """A term with its seats sorted for display: bí thư, phó bí thư, ủy viên BTV, cấp ủy viên,
    then the inspection commission; seats still held, and those that ended."""

    term: Term
    committee: list[CommitteeSeat] = field(default_factory=list)
    inspection: list[CommitteeSeat] = field(default_factory=list)
    ended: list[CommitteeSeat] = field(default_factory=list)

    @property
    def has_ended(self) -> bool:
        return self.term.ends_on < clock.today()


def _committee(organization: Organization) -> dict:
    """The terms of the organization, newest (current) first, with their seats: two queries."""
    seats = CommitteeSeat.objects.select_related("member__organization").order_by("since", "pk")
    terms = organization.terms.order_by("-starts_on").prefetch_related(Prefetch("seats", queryset=seats))
    result = []
    for term in terms:
        entry = TermCommittee(term)
        for seat in sorted(term.seats.all(), key=lambda seat: _POSITION_RANK[seat.position]):
            if seat.until is not None:
                entry.ended.append(seat)
            elif seat.position in CommitteeSeat.INSPECTION_POSITIONS:
                entry.inspection.append(seat)
            else:
                entry.committee.append(seat)
        result.append(entry)
    return {
        "elects": organization.kind in services.ELECTING_KINDS,
        "current": result[0] if result else None,
        "former": result[1:],
    }


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
    organization = _get(request, pk, "seat.change")
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
