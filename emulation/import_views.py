"""Past ratings and scores as spreadsheets (bloc staff): one import page for every emulation register,
a register at a time (``?kind=member_ratings|organization_ratings|scores``, the first one by default),
and the template of each. The dry run, the confirmation and their progress are the shared job pages
(blocportal.import_views).

The page lists the registers of the ``emulation`` namespace that the importer knows
(``imports.registered()``): the ratings (``emulation/resources.py``) and the scores
(``emulation/score_resources.py``), each registered where it is written, appear as tabs without this
file naming them."""

from django.http import Http404
from django.views.decorators.http import require_safe

from blocportal import import_views, imports

# The order of the page's tabs; a register not named here follows, by kind.
ORDER = ("member_ratings", "organization_ratings", "scores")
# The file names of the templates; another register's is made from its kind.
TEMPLATE_NAMES = {
    "member_ratings": "mau-nhap-xep-loai-dang-vien",
    "organization_ratings": "mau-nhap-xep-loai-to-chuc-dang",
    "scores": "mau-nhap-cham-diem-thi-dua",
}


def registers() -> dict[str, type[imports.ImportResource]]:
    """The emulation registers by kind, in the order of the tabs."""
    found = {kind: cls for kind, cls in imports.registered().items() if cls.namespace == "emulation"}
    ordered = sorted(found, key=lambda kind: (ORDER.index(kind) if kind in ORDER else len(ORDER), kind))
    return {kind: found[kind] for kind in ordered}


def _register(kind: str | None) -> type[imports.ImportResource]:
    known = registers()
    try:
        return known[kind] if kind else next(iter(known.values()))
    except (KeyError, StopIteration):
        raise Http404 from None


def emulation_import(request):
    """Upload → dry run (every error, every broken rule and every group over the quota, or what would
    be written) → confirm: all rows or none, each step in the background."""
    resource_class = _register(request.GET.get("kind"))
    return import_views.import_page(request, resource_class, others=tuple(registers().values()))


@require_safe
def emulation_import_template(request, kind: str):
    """The template of a register (XLSX, or CSV with ``?format=csv``), named after it."""
    resource_class = _register(kind)
    basename = TEMPLATE_NAMES.get(kind, f"mau-nhap-{kind.replace('_', '-')}")
    return imports.template_download(request, resource_class, basename)
