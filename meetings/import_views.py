"""Past meetings as a spreadsheet (bloc staff): the import page and its template. The dry run, the
confirmation and their progress are the shared job pages (blocportal.import_views)."""

from django.views.decorators.http import require_safe

from blocportal import import_views, imports

from .resources import MeetingResource


def meeting_import(request):
    """Upload → dry run (every error, or what would change) → confirm: all rows or none, each step
    in the background."""
    return import_views.import_page(request, MeetingResource)


@require_safe
def meeting_import_template(request):
    return imports.template_download(request, MeetingResource, "mau-nhap-sinh-hoat-chi-bo")
