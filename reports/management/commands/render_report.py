from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from blocportal.periods import Period
from reports import services
from reports.models import Report
from reports.services import batches

from .statistics import find_organization

SYSTEM_USERNAME = batches.SYSTEM_USERNAME


class Command(BaseCommand):
    help = (
        "Draft, finalize and render a report synchronously with the same services as the portal and "
        "its Celery task, then write the PDF to --output (a finalized report of the period is "
        "reissued as a new version)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="organization code, e.g. DUK")
        parser.add_argument("--period", required=True, help="2026-Q2, 2026-H1, 2026-9M or 2026")
        parser.add_argument("--kind", required=True, choices=Report.Kind.values)
        parser.add_argument("--output", required=True, type=Path, help="where to write the PDF")
        parser.add_argument(
            "--user", help=f"username recorded as the requester (default: {SYSTEM_USERNAME!r})"
        )

    def handle(self, *args, org, period, kind, output, user, **options):
        organization = find_organization(org)
        try:
            period = Period.parse(period)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if period.kind != kind:
            raise CommandError(
                _("--kind %(kind)s does not match the period %(period)s, which is %(period_kind)s.")
                % {"kind": kind, "period": period, "period_kind": period.kind}
            )
        by = self._user(user)
        try:
            in_force = Report.objects.of(organization, period).filter(state=Report.State.FINALIZED).first()
            if in_force is not None:  # a new version, as a reissue from the portal would make
                draft = services.reissue_report(report=in_force, by=by)
            else:
                draft = services.create_draft(organization=organization, period=period, by=by)
            report = services.finalize_report(report=draft, by=by, enqueue=False)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        services.render_report(report_id=report.pk)
        report.refresh_from_db()
        if report.status != Report.Status.READY:
            message = _("Report %(number)s failed: %(error)s")
            raise CommandError(message % {"number": report.document_number, "error": report.error})
        with report.pdf.open("rb") as pdf:
            output.write_bytes(pdf.read())
        self.stdout.write(
            f"Số {report.document_number} ({organization.code} {period}, version {report.version}) → {output}"
        )

    @staticmethod
    def _user(username: str | None):
        User = get_user_model()
        if username:
            try:
                return User.objects.get(username=username)
            except User.DoesNotExist:
                raise CommandError(_("No user is named «%(username)s».") % {"username": username}) from None
        return batches.system_user()
