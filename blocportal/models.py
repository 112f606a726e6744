import json
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    """The portal roles of DESIGN.md "Who uses it"."""

    STAFF = "staff", _("Bloc staff")
    INSPECTOR = "inspector", _("Inspection committee")
    LEADER = "leader", _("Leader")
    SECRETARY = "secretary", _("Secretary")


class Assignment(models.Model):
    """A role held over an organization's subtree. A user sees only the subtrees of their assignments."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("organization"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["user__username", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organization"], name="unique_assignment"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"


class RuleValue(models.Model):
    """One value of a regulation parameter (blocportal/rules.py), in force from ``effective_on``
    until the next row of the same name. Superusers edit these rows in the admin; a change dated in
    the future leaves today's checks as they were and applies from that day."""

    name = models.CharField(_("parameter"), max_length=64, db_index=True)
    value = models.JSONField(_("value"))
    regulation = models.CharField(_("regulation"), max_length=255)
    confirmed = models.BooleanField(
        _("confirmed"), default=False, help_text=_("Confirmed in the regulation cited (DOMAIN.md: C or U).")
    )
    effective_on = models.DateField(_("in force from"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rule parameter")
        verbose_name_plural = _("rule parameters")
        ordering = ["name", "effective_on"]
        constraints = [
            models.UniqueConstraint(fields=["name", "effective_on"], name="rulevalue_one_per_name_and_day")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_on:%d/%m/%Y})"

    def clean(self) -> None:
        """A parameter the portal knows, with a value shaped like its default: a typo or a value of
        the wrong shape would otherwise be ignored, or break every check that reads it."""
        from . import rules

        if self.name not in rules.DEFAULTS:
            raise ValidationError({"name": _("The portal has no parameter of this name.")})
        if not rules.shaped_like_default(self.name, self.value):
            raise ValidationError(
                {
                    "value": _("The value must have the shape of the default: %(default)s.")
                    % {"default": json.dumps(_jsonable(rules.DEFAULTS[self.name].value), ensure_ascii=False)}
                }
            )


class DayOff(models.Model):
    """A day the calendar of working days (blocportal/workdays.py) treats apart from the rule that
    Monday to Friday are working days and the fixed solar holidays are not: Tết, Giỗ Tổ Hùng Vương,
    the day beside 2/9 and substitute days off, which change every year, and the Saturdays worked in
    exchange for a bridge day off (ngày làm bù)."""

    class Kind(models.TextChoices):
        OFF = "nghi", _("day off")
        WORKED = "lam_bu", _("working day in exchange")

    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.OFF)
    name = models.CharField(_("name"), max_length=128)
    source = models.CharField(_("announced in"), max_length=255, blank=True)
    confirmed = models.BooleanField(_("confirmed"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("day off")
        verbose_name_plural = _("days off")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"


def import_upload_to(job: "ImportJob", filename: str) -> str:
    """A name of our own under ``MEDIA_ROOT/imports/``: the user's file name is kept on the job only."""
    return f"imports/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ImportJobQuerySet":
        """A user's own imports: a file and its dry run are its importer's, whoever else may import."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class ImportJob(models.Model):
    """A spreadsheet uploaded on an import page (blocportal.imports): its dry run, then, once its
    importer confirms it, its import, each run by a Celery task (blocportal.services, *Import
    jobs*). The job keeps the file until the import is over, the progress of the step that runs
    (rows done out of rows) and what the last step found (``result``: counts, errors, preview)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=32)  # the resource's kind: "members", "organizations"
    file = models.FileField(_("file"), upload_to=import_upload_to, max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)  # ImportResult.as_json()
    refusal = models.TextField(_("refusal"), blank=True)  # why the file was refused, for the user
    error = models.TextField(_("error"), blank=True)  # an unexpected failure, for the administrator
    # The Celery delivery (task id) that runs the current step: a redelivery of the same message
    # after its worker was lost may take the step up again (blocportal.services._claim_job).
    attempt = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.filename} · {self.user} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("import_job", args=[self.pk])

    @property
    def is_running(self) -> bool:
        """A step is queued or running: the page polls."""
        return self.status in (self.Status.QUEUED, self.Status.CHECKING, self.Status.IMPORTING) or (
            self.status == self.Status.CHECKED and self.confirmed_at is not None
        )

    @property
    def can_confirm(self) -> bool:
        """Checked without an error, with something to write, not confirmed yet, file still kept."""
        counts = self.result
        return (
            self.status == self.Status.CHECKED
            and self.confirmed_at is None
            and bool(self.file)
            and not counts.get("error_count")
            and bool(counts.get("created") or counts.get("changed"))
        )

    @property
    def percent(self) -> int:
        return min(100, self.rows_done * 100 // self.rows_total) if self.rows_total else 0


class UserPreference(models.Model):
    """What a user chose for themselves on their profile page: the weekly digest of the attention
    hub for now (blocportal.digest). A user without a row has the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preference",
        verbose_name=_("user"),
    )
    weekly_digest = models.BooleanField(_("weekly digest"), default=True)
    # The day the last digest went out: a digest run again that day (a redelivered task, the
    # command by hand) skips the users it already wrote to.
    digest_sent_on = models.DateField(_("last digest sent on"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["digest_sent_on"])

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return str(self.user)


def _jsonable(value):
    return json.loads(json.dumps(value))
