from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from blocportal import rules
from blocportal.links import pk_url
from blocportal.text import nfc, search_key

from .querysets import OrganizationQuerySet

PATH_STEP = 9  # "%08d/" per level


class Organization(models.Model):
    """A Party organization of the bloc: the bloc committee at the root, then tổ chức cơ sở đảng
    (đảng bộ cơ sở, chi bộ cơ sở) and their đảng bộ bộ phận, chi bộ trực thuộc and tổ đảng.

    ``path`` is a materialized path ("00000001/00000007/"): a subtree is one indexed prefix filter.
    It is maintained by the services, never typed in.
    """

    class Kind(models.TextChoices):
        # One name per concept (docs/architecture.md): a "cell" is a chi bộ of either kind
        # (CELL_KINDS, ``is_cell``): the grassroots cell (chi bộ cơ sở) or the subordinate cell
        # (chi bộ trực thuộc), inside a grassroots or a branch committee.
        BLOC = "dang_bo_khoi", _("Bloc Party committee")
        GRASSROOTS_COMMITTEE = "dang_bo_co_so", _("Grassroots Party committee")
        GRASSROOTS_CELL = "chi_bo_co_so", _("Grassroots Party cell")
        BRANCH_COMMITTEE = "dang_bo_bo_phan", _("Branch Party committee")
        SUBORDINATE_CELL = "chi_bo_truc_thuoc", _("Subordinate Party cell")
        GROUP = "to_dang", _("Party group")

    class Sector(models.TextChoices):
        PARTY = "co_quan_dang", _("Party agencies")
        STATE = "co_quan_nha_nuoc", _("State agencies")
        FRONT = "mttq_doan_the", _("Fatherland Front and mass organizations")
        PUBLIC_SERVICE = "su_nghiep", _("Public service units")
        STATE_ENTERPRISE = "dn_nha_nuoc", _("State-owned enterprises")
        PRIVATE_ENTERPRISE = "dn_ngoai_nha_nuoc", _("Non-state enterprises")
        OTHER = "khac", _("Other")

    GRASSROOTS_KINDS = (Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL)
    CELL_KINDS = (Kind.GRASSROOTS_CELL, Kind.SUBORDINATE_CELL)

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                _("Use letters without diacritics, digits, dot, dash or underscore."),
            )
        ],
        help_text=_("Stable code used by imports and reports; letters, digits, dot, dash."),
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, db_index=True)
    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organization"),
    )
    host_unit = models.CharField(_("agency or enterprise"), max_length=255, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True, db_index=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    search_name = models.CharField(max_length=400, editable=False, db_index=True)

    history = HistoricalRecords(excluded_fields=["search_name"])
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dissolved_on__isnull=True)
                | models.Q(established_on__isnull=True)
                | models.Q(dissolved_on__gte=models.F("established_on")),
                name="organization_dissolved_after_established",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.normalize()
        self.search_name = search_key(f"{self.name} {self.short_name} {self.code}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return pk_url("organizations:detail", self.pk)

    @property
    def depth(self) -> int:
        return len(self.path) // PATH_STEP

    @property
    def is_cell(self) -> bool:
        """A chi bộ (cơ sở or trực thuộc): members belong to these."""
        return self.kind in self.CELL_KINDS

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None

    @property
    def is_grassroots(self) -> bool:
        return self.kind in self.GRASSROOTS_KINDS

    @property
    def inherits_sector(self) -> bool:
        """Sub-organizations of a grassroots organization belong to its sector."""
        return self.parent_id is not None and self.kind not in (*self.GRASSROOTS_KINDS, self.Kind.BLOC)

    @property
    def can_have_children(self) -> bool:
        return any(self.kind in parents for parents in rules.get("organization.allowed_parents").values())

    def ancestor_paths(self) -> list[str]:
        return [self.path[:end] for end in range(PATH_STEP, len(self.path), PATH_STEP)]

    def ancestors(self) -> models.QuerySet:
        """From the root down, without this organization: the breadcrumbs."""
        return Organization.objects.filter(path__in=self.ancestor_paths()).order_by("path")

    @staticmethod
    def allowed_parent_kinds(kind: str) -> tuple[str, ...]:
        return tuple(rules.get("organization.allowed_parents")[kind])

    def normalize(self) -> None:
        self.name = nfc(self.name)
        self.short_name = nfc(self.short_name)
        self.host_unit = nfc(self.host_unit)
        self.code = (self.code or "").strip().upper()

    def clean(self) -> None:
        self.normalize()
        allowed = self.allowed_parent_kinds(self.kind) if self.kind else ()
        if self.parent is None and allowed:
            raise ValidationError(
                {
                    "parent": _("A %(kind)s must have a parent organization.")
                    % {"kind": self.get_kind_display()}
                }
            )
        if self.parent is not None:
            if self.parent.kind not in allowed:
                raise ValidationError(
                    {
                        "parent": _("A %(kind)s cannot be placed under a %(parent_kind)s.")
                        % {
                            "kind": self.get_kind_display().lower(),
                            "parent_kind": self.parent.get_kind_display().lower(),
                        }
                    }
                )
            if not self.parent.is_active:
                raise ValidationError({"parent": _("The parent organization has been dissolved.")})
        if self.kind in self.GRASSROOTS_KINDS and not self.sector:
            raise ValidationError({"sector": _("A grassroots organization needs its sector.")})


class OrganizationEvent(models.Model):
    """A lifecycle event of an organization, with its date and decision number, so a report for a
    past period can show the structure of that period (the 2025 restructuring moved whole blocs)."""

    class Kind(models.TextChoices):
        ESTABLISHED = "established", _("Established")
        RENAMED = "renamed", _("Renamed")
        MOVED = "moved", _("Moved to another parent")
        MERGED = "merged", _("Merged into another organization")
        RECEIVED = "received", _("Received a merged organization")
        DISSOLVED = "dissolved", _("Dissolved")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="events", verbose_name=_("organization")
    )
    kind = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    on = models.DateField(_("date"))
    decision_no = models.CharField(_("decision number"), max_length=64, blank=True)
    old_name = models.CharField(_("old name"), max_length=255, blank=True)
    new_name = models.CharField(_("new name"), max_length=255, blank=True)
    old_parent = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("old parent"),
    )
    new_parent = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("new parent"),
    )
    other = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("other organization"),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organization event")
        verbose_name_plural = _("organization events")
        ordering = ["-on", "-recorded_at"]
        indexes = [models.Index(fields=["organization", "on"])]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_kind_display()} · {self.on:%d/%m/%Y}"
