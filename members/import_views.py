"""The member register as a spreadsheet: import (bloc staff), its template, and export (everyone
who can see the list: the same scope and filters as the list)."""

from django.views.decorators.http import require_safe

from blocportal import access, clock, import_views, imports
from members import selectors

from .committee_resources import CommitteeResource
from .filters import MemberFilter
from .resources import MemberResource
from .target_resources import AdmissionTargetResource


def member_import(request):
    """Upload → dry run (every error, or what would change) → confirm: all rows or none, each step
    in the background (blocportal.import_views)."""
    return import_views.import_page(request, MemberResource)


@require_safe
def member_import_template(request):
    return imports.template_download(request, MemberResource, "mau-nhap-dang-vien")


@require_safe
def member_export(request):
    """The members of the list (the user's scope, the list's filters) as XLSX or CSV."""
    access.require(request.user, "member.view")
    queryset = selectors.member_list(request.user).order_by("organization__path", "sort_name", "pk")
    filterset = MemberFilter(request.GET, queryset=queryset, request=request)
    fmt = imports.requested_format(request.GET.get("format"))
    content = imports.export_file(MemberResource(), filterset.qs, fmt)
    return imports.download_response(content, fmt, f"dang-vien-{clock.today():%Y%m%d}")


# The admission targets and the committees: import pages and templates of their own (no export).


def target_import(request):
    return import_views.import_page(request, AdmissionTargetResource)


@require_safe
def target_import_template(request):
    return imports.template_download(request, AdmissionTargetResource, "mau-nhap-chi-tieu-ket-nap")


def committee_import(request):
    return import_views.import_page(request, CommitteeResource)


@require_safe
def committee_import_template(request):
    return imports.template_download(request, CommitteeResource, "mau-nhap-cap-uy")
