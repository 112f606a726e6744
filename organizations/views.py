from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from blocportal import access, imports
from blocportal.forms import add_service_error

from . import selectors, services
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


def organization_list(request):
    queryset = Organization.objects.visible_to(request.user).select_related("parent")
    filterset = OrganizationFilter(request.GET, queryset=queryset)
    table = OrganizationTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    template = "organizations/_table.html" if request.htmx else "organizations/list.html"
    return render(request, template, {"filter": filterset, "table": table})


def organization_tree(request):
    root = _get(request, int(request.GET["root"])) if request.GET.get("root", "").isdigit() else None
    return render(
        request,
        "organizations/tree.html",
        {"forest": selectors.organization_tree(request.user, root=root), "root": root},
    )


def organization_detail(request, pk: int):
    organization = _get(request, pk)
    visible = Organization.objects.visible_to(request.user)
    return render(
        request,
        "organizations/detail.html",
        {
            "organization": organization,
            "breadcrumbs": organization.ancestors().filter(pk__in=visible.values("pk")),
            "children": organization.children.active().order_by("kind", "name"),
            "kind_counts": selectors.kind_counts(organization),
            "events": selectors.organization_events(organization),
            "history": selectors.field_history(organization),
            "can_change": access.has_permission(request.user, "organization.change", organization),
        },
    )


def _run(form, action):
    """Call the service; on a ValidationError put its message on the form and return None."""
    try:
        return action()
    except ValidationError as error:
        add_service_error(form, error)
        return None


def organization_create(request):
    initial = {}
    if request.GET.get("parent", "").isdigit():
        parent = _get(request, int(request.GET["parent"]), "organization.change")
        initial = {"parent": parent, "sector": parent.sector}
    access.require(request.user, "organization.change")
    form = OrganizationCreateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["parent"] is not None:
            access.require(request.user, "organization.change", data["parent"])
        organization = _run(
            form,
            lambda: services.create_organization(
                by=request.user, decision_no=data.pop("decision_no"), **data
            ),
        )
        if organization is not None:
            messages.success(request, _("%(name)s has been registered.") % {"name": organization.name})
            return redirect(organization)
    return render(request, "organizations/form.html", {"form": form, "title": _("New organization")})


def organization_update(request, pk: int):
    organization = _get(request, pk, "organization.change")
    form = OrganizationUpdateForm(request.POST or None, instance=Organization.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        if _run(
            form,
            lambda: services.update_organization(
                organization=organization, by=request.user, **form.cleaned_data
            ),
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
        if _run(form, lambda: action(organization, form.cleaned_data)):
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
    """Upload → dry run (every error, or what would change) → confirm: all rows or none."""
    access.require(request.user, "organization.import")
    form, result, token = imports.UploadForm(), None, ""
    if request.method == "POST" and "token" in request.POST:
        try:
            result = imports.confirm_upload(request, OrganizationResource, request.POST["token"])
        except imports.ImportRefused as refused:
            messages.error(request, str(refused))
            return redirect("organizations:import")
        if result.committed:
            messages.success(request, _("Import complete: %(summary)s") % {"summary": result.summary()})
            return redirect("organizations:list")
    elif request.method == "POST":
        form = imports.UploadForm(request.POST, request.FILES)
        if form.is_valid():
            result, token = imports.stage_upload(request, OrganizationResource, form)
    return render(request, "organizations/import.html", {"form": form, "result": result, "token": token})


def organization_import_template(request):
    access.require(request.user, "organization.import")
    fmt = imports.requested_format(request.GET.get("format"))
    content = imports.template_file(OrganizationResource, fmt)
    return imports.download_response(content, fmt, "mau-nhap-to-chuc")


def organization_export(request):
    """The organizations of the list (the user's scope, the list's filters) as XLSX or CSV."""
    access.require(request.user, "organization.view")
    queryset = Organization.objects.visible_to(request.user).select_related("parent").order_by("path")
    filterset = OrganizationFilter(request.GET, queryset=queryset)
    fmt = imports.requested_format(request.GET.get("format"))
    content = imports.export_file(OrganizationResource(), filterset.qs, fmt)
    return imports.download_response(content, fmt, f"to-chuc-{timezone.localdate():%Y%m%d}")
