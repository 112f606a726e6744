"""Past case work as spreadsheets (inspectors only): one import page for the cases and the discipline
decisions, a register at a time (``?kind=cases|discipline``, the cases by default), and the template of
each. The dry run, the confirmation and their progress are the shared job pages
(blocportal.import_views)."""

from django.http import Http404
from django.views.decorators.http import require_safe

from blocportal import import_views, imports

from .resources import CaseResource, DecisionResource

# The registers of the page, in the order of its tabs, and the names of their templates.
REGISTERS = {CaseResource.kind: CaseResource, DecisionResource.kind: DecisionResource}
TEMPLATE_NAMES = {
    CaseResource.kind: "mau-nhap-kiem-tra-giam-sat",
    DecisionResource.kind: "mau-nhap-ky-luat-dang",
}


def _register(kind: str | None) -> type[imports.ImportResource]:
    try:
        return REGISTERS[kind or CaseResource.kind]
    except KeyError:
        raise Http404 from None


def case_work_import(request):
    """Upload → dry run (every error and every broken rule, or what would be written) → confirm: all
    rows or none, each step in the background."""
    resource_class = _register(request.GET.get("kind"))
    return import_views.import_page(request, resource_class, others=tuple(REGISTERS.values()))


@require_safe
def case_work_import_template(request, kind: str):
    return imports.template_download(request, _register(kind), TEMPLATE_NAMES[kind])
