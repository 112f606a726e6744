import time

from celery.signals import task_postrun
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports.batches import batch_progress
from reports.models import Report, ReportBatch
from reports.services import batches


class Command(BaseCommand):
    help = (
        "Start the periodic batch of a period by hand (the same batch as the schedule's): the reports "
        "of the bloc and of every active grassroots organization, drafted, finalized, rendered and "
        "announced to their secretaries. Prints the batch's page; --wait prints its progress until it "
        "finishes, then its failures, and exits non-zero if any report failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="2026-Q2, 2026-H1, 2026-9M or 2026")
        parser.add_argument("--kind", required=True, choices=Report.Kind.values)
        parser.add_argument("--wait", action="store_true", help="print the progress until the batch ends")
        parser.add_argument(
            "--interval", type=float, default=2.0, help="seconds between two progress lines (--wait)"
        )
        parser.add_argument(
            "--user",
            help=f"username recorded as the one who started it (default: {batches.SYSTEM_USERNAME!r})",
        )

    def handle(self, *args, period, kind, wait, interval, user, **options):
        by = self._user(user)
        self._last_line = ""
        # Without a broker (eager mode) the whole batch runs inside start_batch: its progress is
        # printed after each organization's task.
        listener = self._on_task_done if wait else None
        if listener:
            task_postrun.connect(listener, weak=False)
        try:
            batch = batches.start_batch(period=period, kind=kind, trigger=ReportBatch.Trigger.MANUAL, by=by)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        finally:
            if listener:
                task_postrun.disconnect(listener)
        self.stdout.write(f"{settings.PORTAL_URL}{batch.get_absolute_url()}")
        if not wait:
            return
        while True:
            batch.refresh_from_db()
            progress = batch_progress(batch)
            self._progress(progress)
            if progress["finished"]:
                break
            time.sleep(interval)
        for failure in progress["failures"]:
            self.stdout.write(f"{failure['code']} {failure['organization']}: {failure['error']}")
        if progress["failed"]:
            raise CommandError(
                _("%(failed)s of %(planned)s reports of the batch failed.")
                % {"failed": progress["failed"], "planned": progress["planned"]}
            )

    def _on_task_done(self, sender=None, args=None, **kwargs):
        if getattr(sender, "name", "") != "reports.tasks.batch_report" or not args:
            return
        batch = ReportBatch.objects.filter(pk=args[0]).first()
        if batch is not None:
            self._progress(batch_progress(batch))

    def _progress(self, progress: dict) -> None:
        line = _("%(done)s/%(planned)s done, %(failed)s failed") % progress
        if line != self._last_line:  # a line when something changed, not one per tick
            self.stdout.write(line)
            self._last_line = line

    @staticmethod
    def _user(username: str | None):
        if not username:
            return batches.system_user()
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(_("No user is named «%(username)s».") % {"username": username}) from None
