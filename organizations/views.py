from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from blocportal import access, clock, import_views, imports
from blocportal.forms import call_service
from blocportal.lists import query_int, render_list

from . import pickers, selectors, services
from .filters import OrganizationFilter
from .forms import (
    DissolveForm,
    MergeForm,
    MoveForm,
    OrganizationCreateForm,
    OrganizationUpdateForm,
    RenameForm,
)
from .models import Organization
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
    filterset = OrganizationFilter(request.GET, queryset=selectors.organization_list(request.user))
    return render_list(
        request,
        OrganizationTable(filterset.qs),
        filterset=filterset,
        template="organizations/list.html",
        partial="organizations/_table.html",
    )


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
def organization_tree_children(request, pk: int):
    """The sub-organizations of a node of the tree, fetched by htmx when it is opened (the tree
    stops at the grassroots level: ``selectors.organization_tree``): its whole subtree, in the
    user's scope."""
    forest = selectors.organization_tree(request.user, root=_get(request, pk))
    children = forest[0].children if forest and forest[0].organization.pk == pk else []
    return render(request, "organizations/_tree_children.html", {"children": children})


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
