"""What the import and export pages share (the pages: ``blocportal.import_views``).

The page does not import in the request: the upload becomes an ``ImportJob`` whose dry run and
confirmation run as Celery tasks (``blocportal.services``, *Import jobs*; eager without a broker),
and the page polls the job's progress. ``manage.py import_data`` calls ``run_import`` directly.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy

from .. import access
from .export import FORMATS, template_file
from .files import ImportRefused, check_file, read_upload
from .rows import ImportResource


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet file (.xlsx or .csv)"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.content = read_upload(uploaded)
            check_file(self.content, uploaded.name)
        except ImportRefused as refused:
            raise ValidationError(str(refused)) from None
        return uploaded


def template_download(request, resource_class: type[ImportResource], basename: str) -> HttpResponse:
    """The import template of a register, XLSX or (``?format=csv``) CSV, for its importers."""
    access.require(request.user, resource_class.permission)
    fmt = requested_format(request.GET.get("format"))
    return download_response(template_file(resource_class, fmt), fmt, basename)


def requested_format(value: str | None) -> str:
    """ "csv" when asked for, XLSX otherwise."""
    return "csv" if (value or "").lower() == "csv" else "xlsx"


def download_response(content: bytes, fmt: str, basename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{basename}.{fmt}"'
    return response
