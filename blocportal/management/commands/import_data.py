"""``manage.py import_data FILE.xlsx|FILE.csv [--dry-run] [--user USERNAME] [--kind KIND]``.

The same importer as the import pages (blocportal.imports): the same file checks, row checks,
scope and services, one transaction. The format comes from ``--kind`` or from the header row.
A dry run lists every error, or the rows it would write (new, or the columns they change); the
rules broken by records kept as decided are listed as warnings, on stderr, and refuse nothing.

The command runs synchronously (the pages run the same code in a Celery task) and shows the rows
checked or written out of the rows of the file on stderr, through the importer's progress hook: a
bar redrawn in place on a terminal, else a line every tenth of the file (at least every
``LINE_EVERY`` rows) for a file of more than ``LINE_EVERY`` rows.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blocportal import imports

LINE_EVERY = 1_000
BAR_WIDTH = 30


class TerminalProgress:
    """The progress hook of the command (``imports.run_import(progress=...)``), on ``out``."""

    def __init__(self, out, *, dry_run: bool):
        self.out, self.dry_run = out, dry_run
        self.tty = out.isatty()
        self.printed = 0  # rows done at the last line written (not on a terminal)
        self.open_line = False  # a bar is on the terminal's last line

    def reading(self) -> None:
        if self.tty:
            self.out.write(f"\r{_('Reading the file…')}", ending="")
            self.out.flush()
            self.open_line = True

    def __call__(self, done: int, total: int) -> None:
        if self.tty:
            filled = BAR_WIDTH * done // total if total else BAR_WIDTH
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            self.out.write(f"\r[{bar}] {self._text(done, total)}\033[K", ending="")
            self.out.flush()
            self.open_line = True
            if done == total:
                self.end()
            return
        step = max(LINE_EVERY, total // 10)
        if done - self.printed >= step or (done == total and self.printed and done > self.printed):
            self.out.write(self._text(done, total))
            self.printed = done

    def end(self) -> None:
        """Close the bar's line, so what follows starts on a line of its own."""
        if self.open_line:
            self.out.write("")
            self.open_line = False

    def _text(self, done: int, total: int) -> str:
        if self.dry_run:
            return _("Checked %(done)s of %(total)s rows.") % {"done": done, "total": total}
        return _("Imported %(done)s of %(total)s rows.") % {"done": done, "total": total}


class Command(BaseCommand):
    help = "Import organizations (or another registered register) from an XLSX or CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="an .xlsx or .csv file; columns in docs/import-formats.md")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument(
            "--user",
            help="username of the acting user (scope, history); default: the first active superuser",
        )
        parser.add_argument("--kind", help="the import format (default: recognised from the header row)")

    def handle(self, *args, file, dry_run, user, kind, verbosity=1, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": file})
        if path.stat().st_size > settings.IMPORT_MAX_BYTES:
            raise CommandError(
                _("The file is larger than %(limit)s.") % {"limit": filesizeformat(settings.IMPORT_MAX_BYTES)}
            )
        acting_user = self._user(user)
        progress = TerminalProgress(self.stderr, dry_run=dry_run) if verbosity else None
        try:
            if progress is not None:
                progress.reading()
            result = imports.run_import(
                path.read_bytes(),
                filename=path.name,
                user=acting_user,
                dry_run=dry_run,
                resource_class=imports.get_resource(kind) if kind else None,
                progress=progress,
            )
        except imports.ImportRefused as refused:
            raise CommandError(str(refused)) from None
        finally:
            if progress is not None:
                progress.end()
        for error in result.sorted_errors():
            self.stderr.write(str(error))
        for warning in result.sorted_warnings():  # rules broken by records kept as decided
            self.stderr.write(_("Warning: %(warning)s") % {"warning": warning})
        if result.errors:
            count = len(result.errors)
            raise CommandError(
                ngettext(
                    "Nothing was imported: the file has %(count)s error.",
                    "Nothing was imported: the file has %(count)s errors.",
                    count,
                )
                % {"count": count}
            )
        if dry_run:
            for row in result.preview:
                self.stdout.write(str(row))
            if result.preview_more:
                self.stdout.write(
                    ngettext("And %(count)s more row.", "And %(count)s more rows.", result.preview_more)
                    % {"count": result.preview_more}
                )
            self.stdout.write(_("Dry run, nothing was written: %(summary)s") % {"summary": result.summary()})
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported: %(summary)s") % {"summary": result.summary()}))

    def _user(self, username: str | None):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            found = users.filter(username=username).first()
            if found is None:
                raise CommandError(_("No active user is named %(username)s.") % {"username": username})
            return found
        found = users.filter(is_superuser=True).order_by("pk").first()
        if found is None:
            raise CommandError(_("There is no active superuser: name the acting user with --user."))
        return found
