"""Quality ratings (đánh giá, xếp loại chất lượng, DOMAIN.md §6) and emulation (thi đua, §7).

- ``MemberRating``: a member's rating for a year (``quarter`` 0) or a quarter, in the chi bộ the member
  belonged to at the end of it (the quota group, DOMAIN.md "Decisions" 3). Each level of the process keeps
  its own proposal: the member's self-assessment, the chi bộ's proposal and the approval of the level above,
  each with who decided it and when.
- ``OrganizationRating``: an organization's self-assessment and the approval by the standing committee
  directly above (HD 43-HD/BTCTW). Years up to ``rating.legacy_until_year`` use the old classification of
  grassroots organizations (trong sạch, vững mạnh … yếu kém).
- An approval that breaks a rule is refused, unless a superuser records an override with its reason: the
  rules broken are kept on the rating as they were read then, and stay visible.
- ``Cluster`` (cụm, khối thi đua) of organizations by year; ``ScoreSheet`` the year's criteria (groups,
  maximum points, bonus, penalty and veto items) and ``Band`` the bands of totals; ``Score`` the points of an
  organization on one criterion, self-assessed and approved. A year's sheet is its own copy of the criteria:
  next year's sheet starts as a copy, so editing it never rewrites a scored year.
- ``Award``: the awards register (cờ thi đua, bằng khen, giấy khen, danh hiệu) for organizations and members.

Every write goes through ``emulation.services``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .querysets import RatingQuerySet, ScoredQuerySet, SheetQuerySet


class Level(models.TextChoices):
    """The levels of a rating. Members and organizations use the first four (124-QĐ/TW, 366-QĐ/TW);
    grassroots organizations in the legacy years (HD 20, HD 27) used tsvm, htt, ht and yeu_kem."""

    EXCELLENT = "htxs", _("Excellently fulfilled duties")
    GOOD = "htt", _("Well fulfilled duties")
    DONE = "ht", _("Fulfilled duties")
    FAILED = "kht", _("Failed to fulfil duties")
    CLEAN_STRONG = "tsvm", _("Clean and strong")
    WEAK = "yeu_kem", _("Weak")


CURRENT_LEVELS = (Level.EXCELLENT, Level.GOOD, Level.DONE, Level.FAILED)
LEGACY_LEVELS = (Level.CLEAN_STRONG, Level.GOOD, Level.DONE, Level.WEAK)
# The order of the levels, best first (a cap compares ranks: a lower rank is a better level).
RANK = {
    Level.EXCELLENT: 0,
    Level.CLEAN_STRONG: 0,
    Level.GOOD: 1,
    Level.DONE: 2,
    Level.FAILED: 3,
    Level.WEAK: 3,
}


def level_choice(**kwargs) -> models.CharField:
    return models.CharField(max_length=8, choices=Level.choices, blank=True, **kwargs)


class Decided(models.Model):
    """The override that lets an approval through a broken rule: a superuser's reason, and the rules broken
    as they were read then."""

    override_reason = models.TextField(_("reason for the override"), blank=True)
    override_problems = models.JSONField(_("rules broken at approval"), default=list, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)
    imported = models.BooleanField(_("imported as decided"), default=False)
    # Rules a decided (imported) rating breaks, flagged in the figures (DOMAIN.md "Decisions" 4).
    flags = models.JSONField(_("rules broken"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True


class MemberRating(Decided):
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="ratings", verbose_name=_("Party member")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="member_ratings",
        verbose_name=_("Party cell"),
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    quarter = models.PositiveSmallIntegerField(_("quarter"), default=0, help_text=_("0 for the whole year."))
    self_level = level_choice(verbose_name=_("self-assessment"))
    self_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    self_at = models.DateTimeField(null=True, blank=True)
    proposed_level = level_choice(verbose_name=_("Party cell's proposal"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    level = level_choice(verbose_name=_("approved level"), db_index=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("member rating")
        verbose_name_plural = _("member ratings")
        ordering = ["-year", "-quarter", "organization__path", "member__sort_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "quarter"],
                name="member_rating_once_per_period",
                violation_error_message=_("This member already has a rating for that period."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=0, quarter__lte=4), name="member_rating_quarter_0_to_4"
            ),
            models.CheckConstraint(
                condition=~Q(self_level__in=["tsvm", "yeu_kem"])
                & ~Q(proposed_level__in=["tsvm", "yeu_kem"])
                & ~Q(level__in=["tsvm", "yeu_kem"]),
                name="member_rating_member_levels",
            ),
        ]
        indexes = [models.Index(fields=["organization", "year", "quarter"])]

    def __str__(self):
        return f"{self.member} — {self.period_label}"

    @property
    def period_label(self) -> str:
        return f"Q{self.quarter}/{self.year}" if self.quarter else str(self.year)

    @property
    def standing_level(self) -> str:
        """The level as it stands: approved, else the chi bộ's proposal, else the self-assessment."""
        return self.level or self.proposed_level or self.self_level


class OrganizationRating(Decided):
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="ratings",
        verbose_name=_("Party organization"),
    )
    # The organization whose standing committee approves (the one directly above on the rating's day).
    approver = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="approved_ratings",
        null=True,
        blank=True,
        verbose_name=_("approved by the committee of"),
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    quarter = models.PositiveSmallIntegerField(_("quarter"), default=0, help_text=_("0 for the whole year."))
    self_level = level_choice(verbose_name=_("self-assessment"))
    self_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    self_at = models.DateTimeField(null=True, blank=True)
    level = level_choice(verbose_name=_("approved level"), db_index=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization rating")
        verbose_name_plural = _("organization ratings")
        ordering = ["-year", "-quarter", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "quarter"],
                name="organization_rating_once_per_period",
                violation_error_message=_("This organization already has a rating for that period."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=0, quarter__lte=4), name="organization_rating_quarter_0_to_4"
            ),
        ]

    def __str__(self):
        return f"{self.organization} — {self.period_label}"

    @property
    def period_label(self) -> str:
        return f"Q{self.quarter}/{self.year}" if self.quarter else str(self.year)

    @property
    def standing_level(self) -> str:
        return self.level or self.self_level


class Cluster(models.Model):
    """A cụm / khối thi đua of one year: the organizations that compete with each other."""

    owner = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="clusters",
        verbose_name=_("organized by"),
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    name = models.CharField(_("cluster name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    objects = SheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("emulation cluster")
        verbose_name_plural = _("emulation clusters")
        ordering = ["-year", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "year", "name"],
                name="cluster_name_once_per_year",
                violation_error_message=_("A cluster of that name already exists for that year."),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"


class ClusterMember(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="places")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="cluster_places"
    )
    # Copied from the cluster, so that an organization sits in one cluster a year (constraint).
    year = models.PositiveSmallIntegerField(editable=False)

    history = HistoricalRecords()
    objects = ScoredQuerySet.as_manager()

    class Meta:
        ordering = ["cluster", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="cluster_member_once_per_year",
                violation_error_message=_("This organization is already in a cluster for that year."),
            )
        ]

    def __str__(self):
        return f"{self.organization} — {self.cluster}"


class ScoreSheet(models.Model):
    """The year's scoring table (bảng chấm điểm) of an organization (the bloc). Draft while staff edit it;
    issued, it is fixed: the scores of the year are given against these criteria."""

    class Status(models.TextChoices):
        DRAFT = "du_thao", _("Draft")
        ISSUED = "ban_hanh", _("Issued")

    owner = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="score_sheets",
        verbose_name=_("issued by"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("sheet title"), max_length=255)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    history = HistoricalRecords()
    objects = SheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "year"],
                name="score_sheet_once_per_year",
                violation_error_message=_("This organization already has a score sheet for that year."),
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED


class Band(models.Model):
    """A band of totals the bloc defines (e.g. "Xuất sắc" from 95 points): the best band whose minimum the
    total reaches, unless a veto caps it."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="bands")
    name = models.CharField(_("band name"), max_length=100)
    min_total = models.DecimalField(_("from (points)"), max_digits=6, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("0 is the best band."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["sheet", "order"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "order"], name="band_order_once_per_sheet"),
        ]

    def __str__(self):
        return self.name


class CriterionGroup(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("group code"), max_length=16)
    name = models.CharField(_("group name"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sheet", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "code"], name="criterion_group_code_once_per_sheet"),
        ]

    def __str__(self):
        return f"{self.code}. {self.name}"


class Criterion(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "thuong", _("Regular criterion")
        BONUS = "cong", _("Bonus item")
        PENALTY = "tru", _("Penalty item")
        VETO = "phu_quyet", _("Veto item")

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="criteria")
    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("criterion code"), max_length=16)
    text = models.TextField(_("criterion"))
    kind = models.CharField(_("kind of item"), max_length=12, choices=Kind.choices, default=Kind.REGULAR)
    max_points = models.DecimalField(
        _("maximum points"),
        max_digits=6,
        decimal_places=2,
        default=0,
        help_text=_("For a penalty item, the most that can be deducted; a veto item has none."),
    )
    # A veto item met caps the band of the total at this band (or lower).
    cap_band = models.ForeignKey(
        Band,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("band at most, when met"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["sheet", "group__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "code"], name="criterion_code_once_per_sheet"),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="criterion_max_points_not_negative"),
        ]

    def __str__(self):
        return f"{self.code}. {self.text[:60]}"


class Score(models.Model):
    """An organization's points on one criterion: self-assessed, then approved. For a penalty item the points
    are the deduction; for a veto item 1 means it was met."""

    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="scores"
    )
    self_points = models.DecimalField(
        _("self-assessed"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    self_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    self_at = models.DateTimeField(null=True, blank=True)
    points = models.DecimalField(_("approved"), max_digits=6, decimal_places=2, null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    evidence = models.CharField(_("evidence"), max_length=500, blank=True)
    imported = models.BooleanField(default=False)

    history = HistoricalRecords()
    objects = ScoredQuerySet.as_manager()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["organization__path", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "organization"],
                name="score_once_per_criterion",
                violation_error_message=_("This organization already has a score on that criterion."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} — {self.criterion.code}"


class Award(models.Model):
    class Kind(models.TextChoices):
        FLAG = "co_thi_dua", _("Emulation flag")
        MERIT = "bang_khen", _("Certificate of merit")
        COMMENDATION = "giay_khen", _("Commendation")
        TITLE = "danh_hieu", _("Honorary title")

    kind = models.CharField(_("kind of award"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("award"), max_length=255)
    giver = models.CharField(_("given by"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    decision_no = models.CharField(_("decision number"), max_length=64)
    decided_on = models.DateField(_("decision date"))
    target_member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("Party member"),
    )
    target_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("awarded organization"),
    )
    # The organization the award counts under: the target, or the member's chi bộ on the decision date.
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", editable=False
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = ScoredQuerySet.as_manager()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-year", "-decided_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(target_organization__isnull=False, target_member__isnull=True)
                    | Q(target_organization__isnull=True, target_member__isnull=False)
                ),
                name="award_exactly_one_target",
                violation_error_message=_("Choose exactly one recipient: an organization or a Party member."),
            ),
        ]

    def __str__(self):
        return f"{self.title} — {self.decision_no}"

    @property
    def recipient(self):
        return self.target_member or self.target_organization
