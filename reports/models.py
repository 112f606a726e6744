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

# Who may issue a report here: the bloc and the tổ chức cơ sở đảng (DESIGN.md "reports").
REPORTING_KINDS = (Organization.Kind.BLOC, *Organization.GRASSROOTS_KINDS)


def validate_period(value: str) -> None:
    Period.parse(value)


def report_upload_to(instance: "Report", filename: str) -> str:
    return f"reports/{instance.organization.code}/{instance.period}/{filename}"


class Report(models.Model):
    """A periodic report (báo cáo) of a Party organization, rendered to PDF by a Celery task.

    The figures are frozen when the report is requested, so the document shows the numbers of
    that moment however the register changes later. A re-render of the same organization and
    period is a new version; a finalized report is immutable.
    """

    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly")
        HALF_YEAR = "half_year", _("6 months")
        NINE_MONTHS = "nine_months", _("9 months")
        ANNUAL = "annual", _("Annual")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="reports", verbose_name=_("organization")
    )
    kind = models.CharField(pgettext_lazy("report", "kind"), max_length=16, choices=Kind.choices)
    period = models.CharField(_("period"), max_length=8, validators=[validate_period])
    version = models.PositiveIntegerField(_("version"), default=1)
    number = models.PositiveIntegerField(_("number"))
    document_number = models.CharField(_("document number"), max_length=32)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    figures = models.JSONField(_("figures"), default=dict)
    narrative = models.TextField(_("narrative"), blank=True)
    pdf = models.FileField(_("PDF file"), upload_to=report_upload_to, blank=True, max_length=255)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
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

    # The frozen figures never change after creation: one copy on the report is enough.
    history = HistoricalRecords(excluded_fields=["figures", "render_attempt"])
    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "period", "version"], name="report_unique_version"
            ),
            models.CheckConstraint(
                condition=models.Q(finalized_at__isnull=True) | models.Q(status="ready"),
                name="report_finalized_only_when_ready",
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
    def is_finalized(self) -> bool:
        return self.finalized_at is not None

    @property
    def file_name(self) -> str:
        """ASCII, so it survives every browser and mail client: "bao-cao-01-bc-duk-2026-q2-v1.pdf"."""
        stem = search_key(f"bao cao {self.document_number} {self.period} v{self.version}")
        return f"{re.sub(r'[^a-z0-9]+', '-', stem).strip('-')}.pdf"

    @staticmethod
    def symbol_for(organization: Organization, on=None) -> str:
        """The issuing body's symbol in a document number (DOMAIN.md §8: ĐUK, ĐU, CB), a rule."""
        return rules.get("document.symbols", on=on)[organization.kind]

    @staticmethod
    def document_type(on=None) -> str:
        """The type abbreviation of a report (báo cáo: BC), a rule."""
        return rules.get("document.report_type", on=on)
