import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from blocportal.periods import Period
from organizations.models import Organization
from reports.annex import write_annex
from reports.statistics import statistics


class Command(BaseCommand):
    help = "Print the figures of reports/statistics.py for one organization and period."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="organization code, e.g. DUK")
        parser.add_argument(
            "--period", required=True, help="2026-05, 2026-Q2, 2026-H1, 2026-9M, 2026 or 2011-2015"
        )
        parser.add_argument("--format", choices=["text", "json", "xlsx"], default="text")
        parser.add_argument(
            "--output", help="the XLSX file to write (--format xlsx); default statistics-CODE-PERIOD.xlsx"
        )

    def handle(self, *args, org, period, format, output=None, **options):
        organization = find_organization(org)
        try:
            period = Period.parse(period)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        figures = statistics(organization, period)
        if format == "xlsx":
            path = Path(output or f"statistics-{organization.code}-{period}.xlsx")
            with path.open("wb") as stream:
                write_annex(figures, stream)
            self.stdout.write(_("Annex written to %(path)s") % {"path": path})
            return
        if format == "json":
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{organization.name} ({organization.code}) · {period}")
        for key, value in _flatten(figures):
            self.stdout.write(f"{key}\t{value}")


def find_organization(code: str) -> Organization:
    try:
        return Organization.objects.get(code=code.strip().upper())
    except Organization.DoesNotExist:
        raise CommandError(_("There is no organization with the code «%(code)s».") % {"code": code}) from None


def _flatten(value, prefix=""):
    """{"a": {"b": 1}} → ("a.b", 1): one figure per line, easy to grep and diff; a list of rows
    (the organizations behind) one line per row, numbered: "meetings.behind.1.code"."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}{key}.")
    elif isinstance(value, list) and any(isinstance(item, dict) for item in value):
        for number, item in enumerate(value, start=1):
            yield from _flatten(item, f"{prefix}{number}.")
    else:
        yield prefix.rstrip("."), value
