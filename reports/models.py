import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from blocportal import rules
from blocportal.periods import Period
from blocportal.text import search_key
from organizations.models import Organization

from .querysets import ReportQuerySet

# Who may issue a report: every Party committee and chi bộ (DESIGN.md "reports"), not a tổ đảng.
REPORTING_KINDS = tuple(kind for kind in Organization.Kind.values if kind != Organization.Kind.GROUP)
# Whose reports the periodic batch makes, besides the bloc's, and who submits them upward.
BATCH_KINDS = (Organization.Kind.BLOC, *Organization.GRASSROOTS_KINDS)


def validate_period(value: str) -> None:
    Period.parse(value)


def report_upload_to(instance: "Report", filename: str) -> str:
    return f"reports/{instance.organization.code}/{instance.period}/{filename}"


class Report(models.Model):
    """A periodic report (báo cáo) of a Party organization.

    Its life: a **draft** freezes the figures (``statistics()`` of that moment, kept as JSON) and
    carries a narrative that staff edit; **finalizing** assigns the document number (so abandoned
    drafts leave no gap), queues the PDF for a Celery worker and makes the report immutable; a
    **reissue** drafts the next version, whose finalization marks this one **superseded**. A
    grassroots organization's finalized report is then submitted to the bloc, which accepts it or
    returns it with a comment.

    ``status`` is the PDF's: none for a draft, then queued, rendering, ready or failed.
    """

    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly")
        HALF_YEAR = "half_year", _("6 months")
        NINE_MONTHS = "nine_months", _("9 months")
        ANNUAL = "annual", _("Annual")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINALIZED = "finalized", _("Finalized")
        SUPERSEDED = "superseded", _("Superseded")

    class Status(models.TextChoices):
        NONE = "none", _("Not rendered")
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    class Submission(models.TextChoices):
        NONE = "", _("Not submitted")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="reports", verbose_name=_("organization")
    )
    kind = models.CharField(pgettext_lazy("report", "kind"), max_length=16, choices=Kind.choices)
    period = models.CharField(_("period"), max_length=8, validators=[validate_period])
    version = models.PositiveIntegerField(_("version"), default=1)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True
    )
    # Assigned at finalization, never to a draft (see services.lifecycle.finalize_report).
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=32, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NONE, db_index=True
    )
    figures = models.JSONField(_("figures"), default=dict)
    # Section VI, written by staff over a draft pre-filled from the figures (reports.narrative):
    # sanitized HTML limited to paragraphs and lists (reports.sanitize).
    strengths = models.TextField(_("strengths"), blank=True)
    shortcomings = models.TextField(_("shortcomings and their causes"), blank=True)
    tasks = models.TextField(_("tasks for the next period"), blank=True)
    pdf = models.FileField(_("PDF file"), upload_to=report_upload_to, blank=True, max_length=255)
    batch = models.ForeignKey(
        "ReportBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("batch"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("drafted by")
    )
    requested_at = models.DateTimeField(_("drafted at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    # The Celery delivery (task id) that claimed the render: the same message, redelivered after
    # its worker was lost, may take the render up again at once (reports.services._claim).
    render_attempt = models.CharField(max_length=64, blank=True, editable=False)
    finalized_at = models.DateTimeField(_("finalized at"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finalized by"),
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    submission = models.CharField(
        _("submission"), max_length=16, choices=Submission.choices, default=Submission.NONE, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    # When the secretaries were told by e-mail that the batch made this report (sent once).
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True, editable=False)

    # The frozen figures never change after creation: one copy on the report is enough.
    history = HistoricalRecords(excluded_fields=["figures", "render_attempt"])
    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "period", "version"], name="report_unique_version"
            ),
            # The status guard's backstop: one draft and one finalized report per organization and
            # period, whatever a duplicated trigger or a retried task attempts.
            models.UniqueConstraint(
                fields=["organization", "period"],
                condition=models.Q(state="draft"),
                name="report_one_draft",
            ),
            models.UniqueConstraint(
                fields=["organization", "period"],
                condition=models.Q(state="finalized"),
                name="report_one_finalized",
            ),
            models.CheckConstraint(
                condition=models.Q(state="draft", number__isnull=True, finalized_at__isnull=True)
                | (~models.Q(state="draft") & models.Q(number__isnull=False, finalized_at__isnull=False)),
                name="report_numbered_when_finalized",
            ),
        ]
        indexes = [models.Index(fields=["organization", "number"])]

    def __str__(self) -> str:
        return f"{self.document_number} · {self.organization} · {self.period} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    def clean(self) -> None:
        if self.period and self.kind and Period.parse(self.period).kind != self.kind:
            raise ValidationError({"kind": _("The kind does not match the period.")})

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_finalized(self) -> bool:
        return self.finalized_at is not None

    @property
    def is_superseded(self) -> bool:
        return self.state == self.State.SUPERSEDED

    @property
    def file_name(self) -> str:
        """ASCII, so it survives every browser and mail client: "bao-cao-01-bc-duk-2026-q2-v1.pdf"."""
        return f"{self.file_stem}.pdf"

    @property
    def annex_name(self) -> str:
        return f"{self.file_stem}-phu-luc.xlsx"

    @property
    def file_stem(self) -> str:
        number = self.document_number or f"du thao {self.organization.code}"
        stem = search_key(f"bao cao {number} {self.period} v{self.version}")
        return re.sub(r"[^a-z0-9]+", "-", stem).strip("-")

    @staticmethod
    def symbol_for(organization: Organization, on=None) -> str:
        """The issuing body's symbol in a document number (DOMAIN.md §8: ĐUK, ĐU, CB), a rule."""
        return rules.get("document.symbols", on=on)[organization.kind]

    @staticmethod
    def document_type(on=None) -> str:
        """The type abbreviation of a report (báo cáo: BC), a rule."""
        return rules.get("document.report_type", on=on)


class ReportBatch(models.Model):
    """One scheduled (Celery beat) or manual run that makes, finalizes and renders the reports of every
    active grassroots organization and of the bloc for one period (reports.batches).

    One batch per period: a duplicated trigger finds the batch already there (the constraint), and
    every step of the run is guarded by the reports' own constraints and states, so running it again
    only completes what is missing."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Schedule")
        MANUAL = "manual", _("By hand")

    kind = models.CharField(pgettext_lazy("report", "kind"), max_length=16, choices=Report.Kind.choices)
    period = models.CharField(_("period"), max_length=8, validators=[validate_period])
    trigger = models.CharField(_("trigger"), max_length=16, choices=Trigger.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    # The organizations the batch covers, counted when it starts (N of M on the batch page).
    planned = models.PositiveIntegerField(_("planned reports"), default=0)
    # The organizations whose report could not even be drafted: {organization code: error}.
    failures = models.JSONField(_("failures"), default=dict, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report batch")
        verbose_name_plural = _("report batches")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period"], name="report_batch_one_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.period} ({self.get_kind_display()})"

    def get_absolute_url(self) -> str:
        return reverse("reports:batch", args=[self.pk])

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)
