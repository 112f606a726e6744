"""``manage.py send_attention_digest [--on YYYY-MM-DD] [--force]``.

The weekly digest of the attention hub, by hand: the same service Celery beat runs every Monday
(blocportal.digest). Shows the users done out of the users on stderr ("12/40 users", redrawn on a
terminal, a line every tenth otherwise), then what it sent. A user
already written to that day is skipped unless ``--force``.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from blocportal import digest


class Command(BaseCommand):
    help = "Send the weekly digest of the attention hub to every user who receives it."

    def add_arguments(self, parser):
        parser.add_argument("--on", help="the day the alerts are counted on (YYYY-MM-DD; default: today)")
        parser.add_argument(
            "--force", action="store_true", help="write again to the users already written to that day"
        )

    def handle(self, *args, on=None, force=False, **options):
        try:
            day = date.fromisoformat(on) if on else None
        except ValueError:
            raise CommandError(_("Not a date: %(value)s (YYYY-MM-DD).") % {"value": on}) from None
        tty = self.stderr.isatty()

        def progress(done: int, total: int) -> None:
            text = _("%(done)s/%(total)s users") % {"done": done, "total": total}
            if tty:
                self.stderr.write(f"\r{text}\033[K", ending="" if done < total else "\n")
                self.stderr.flush()
            elif done == total or done % max(1, total // 10) == 0:  # a log: a line every tenth
                self.stderr.write(text)

        run = digest.send_weekly_digests(on=day, force=force, progress=progress)
        self.stdout.write(
            _(
                "Digests sent: %(sent)s of %(users)s users (nothing to do: %(empty)s; "
                "already sent that day: %(already)s; failed: %(failed)s)."
            )
            % {
                "sent": run.sent,
                "users": run.users,
                "empty": run.empty,
                "already": run.already,
                "failed": run.failed,
            }
        )
        if run.failed:
            raise CommandError(_("%(count)s digests could not be sent: see the log.") % {"count": run.failed})
