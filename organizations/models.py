from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from blocportal import rules
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
        BLOC = "dang_bo_khoi", _("Bloc Party committee")
        GRASSROOTS_COMMITTEE = "dang_bo_co_so", _("Grassroots Party committee")
        GRASSROOTS_CELL = "chi_bo_co_so", _("Grassroots Party cell")
        BRANCH_COMMITTEE = "dang_bo_bo_phan", _("Branch Party committee")
        CELL = "chi_bo_truc_thuoc", _("Subordinate Party cell")
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
    CELL_KINDS = (Kind.GRASSROOTS_CELL, Kind.CELL)

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
        return reverse("organizations:detail", args=[self.pk])

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


class Term(models.Model):
    """Nhiệm kỳ: the term of the committee (cấp ủy) elected by a congress of the organization.
    Đảng bộ cơ sở and chi bộ cơ sở hold a congress every 5 years (2020–2025, 2025–2030); chi bộ
    trực thuộc currently twice in 5 years (DOMAIN.md §1)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="terms", verbose_name=_("organization")
    )
    label = models.CharField(_("term"), max_length=32, help_text=_("For example 2025–2030."))
    congress_ordinal = models.PositiveSmallIntegerField(
        _("congress number"), null=True, blank=True, help_text=_("Lần thứ … of the congress.")
    )
    starts_on = models.DateField(_("congress held on"))
    ends_on = models.DateField(_("term ends on"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["organization", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "starts_on"],
                name="term_one_congress_per_day",
                violation_error_message=_("This organization already has a term starting that day."),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.label}"


class CommitteeSeat(models.Model):
    """A seat on the committee (cấp ủy) or the inspection commission (UBKT) of a term, held by a
    member from ``since`` until ``until`` (open while held). A seat ends when the member leaves the
    organization (294-QĐ/TW §16.4), but not for a temporary attachment elsewhere (§6.3.2c)."""

    class Position(models.TextChoices):
        SECRETARY = "bi_thu", pgettext_lazy("committee position", "Secretary")
        DEPUTY_SECRETARY = "pho_bi_thu", _("Deputy secretary")
        STANDING_MEMBER = "uy_vien_btv", _("Member of the standing committee")
        COMMITTEE_MEMBER = "cap_uy_vien", _("Committee member")
        INSPECTION_CHAIR = "chu_nhiem_ubkt", _("Chair of the inspection commission")
        INSPECTION_DEPUTY = "pho_chu_nhiem_ubkt", _("Deputy chair of the inspection commission")
        INSPECTION_MEMBER = "uy_vien_ubkt", _("Member of the inspection commission")

    # Only a đảng ủy cơ sở or higher has an inspection commission (296-QĐ/TW Điều 7).
    INSPECTION_POSITIONS = (Position.INSPECTION_CHAIR, Position.INSPECTION_DEPUTY, Position.INSPECTION_MEMBER)

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="seats", verbose_name=_("term"))
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="committee_seats",
        verbose_name=_("Party member"),
    )
    position = models.CharField(_("position"), max_length=24, choices=Position.choices)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    heads_host_unit = models.BooleanField(
        _("also head of the host unit"),
        default=False,
        help_text=_("Bí thư đồng thời là thủ trưởng cơ quan, đơn vị."),
    )
    decision_no = models.CharField(_("decision number"), max_length=64, blank=True)
    end_note = models.CharField(_("reason the seat ended"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")
        ordering = ["term", "position", "since"]
        constraints = [
            models.UniqueConstraint(
                fields=["term"],
                condition=models.Q(position="bi_thu", until__isnull=True),
                name="seat_one_secretary_per_term",
                violation_error_message=_("The term already has a secretary in office."),
            ),
            models.UniqueConstraint(
                fields=["term", "member", "position"],
                condition=models.Q(until__isnull=True),
                name="seat_once_per_member_and_position",
                violation_error_message=_("The member already holds this seat."),
            ),
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("since")),
                name="seat_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["member", "until"])]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_position_display()} · {self.term}"
