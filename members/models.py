"""The member register: members (đảng viên), their membership spells and their movements, and the
committees (cấp ủy) they sit on: terms and seats.

Every write goes through the modules of members/services/; the models hold fields, constraints and the few
derived dates the Party's rules define (DOMAIN.md §2).
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from blocportal import rules
from blocportal.dates import format_day
from blocportal.links import pk_url
from blocportal.text import name_sort_key, nfc, search_key
from blocportal.workdays import add_months, add_working_days, months_between

from .querysets import (
    AdmissionTargetQuerySet,
    BadgeAwardQuerySet,
    CandidateQuerySet,
    MemberQuerySet,
    SpellQuerySet,
)


class Member(models.Model):
    """A Party member (đảng viên) of the bloc, current or former.

    ``organization`` is the chi bộ of the member's open official spell, kept in step with the spells
    by the services, so that the current list of a subtree is one indexed filter; after an exit it
    stays on the chi bộ the member left, so the record remains in that subtree's scope. A member of
    a Party organization outside the bloc attached temporarily to one of its chi bộ (activity
    "tạm thời đến") has only a temporary spell, there, and that chi bộ as ``organization``: they
    attend its meetings but are not on the bloc's official register, which counts official spells. Dated
    questions ("members of X on D") are answered by ``Spell``.
    """

    class Gender(models.TextChoices):
        MALE = "nam", _("Male")
        FEMALE = "nu", _("Female")

    class Status(models.TextChoices):
        PROBATIONARY = "du_bi", _("Probationary member")
        OFFICIAL = "chinh_thuc", _("Official member")

    class Activity(models.TextChoices):
        ACTIVE = "dang_sinh_hoat", _("Active in the Party cell")
        TEMPORARILY_AWAY = "tam_thoi_di", _("Temporarily attached elsewhere")
        VISITING = "tam_thoi_den", _("Temporarily attached here from outside the bloc")
        EXEMPTED = "mien_sinh_hoat", _("Exempted from Party work and meetings")
        SUSPENDED = "dinh_chi", _("Suspended from Party activities")

    class Exit(models.TextChoices):
        TRANSFERRED_OUT = "chuyen_di", _("Transferred out of the bloc")
        REMOVED = "xoa_ten", _("Removed from the Party rolls")
        REMOVED_PROBATIONARY = "xoa_ten_du_bi", _("Removed from the list of probationary members")
        EXPELLED = "khai_tru", _("Expelled")
        LEFT = "xin_ra", _("Left the Party at own request")
        DIED = "tu_tran", _("Deceased")
        VISIT_ENDED = "het_tam_thoi_den", _("Temporary attachment here ended")

    class TheoryLevel(models.TextChoices):
        """Lý luận chính trị; the list is unconfirmed (DOMAIN.md §2, U)."""

        NONE = "chua", _("Not trained")
        ELEMENTARY = "so_cap", _("Elementary")
        INTERMEDIATE = "trung_cap", _("Intermediate")
        ADVANCED = "cao_cap", _("Advanced")
        BACHELOR = "cu_nhan", _("Bachelor's degree")

    full_name = models.CharField(_("full name"), max_length=128)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("date of birth"))
    ethnicity = models.CharField(_("ethnicity"), max_length=64, blank=True)
    religion = models.CharField(_("religion"), max_length=64, blank=True)
    cccd = models.CharField(
        _("citizen ID number"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{12}$", _("A citizen ID number has 12 digits."))],
    )
    card_number = models.CharField(_("Party card number"), max_length=32, blank=True)
    education = models.CharField(_("general education"), max_length=32, blank=True)
    profession = models.CharField(_("professional qualification"), max_length=128, blank=True)
    theory_level = models.CharField(
        _("political theory level"), max_length=16, choices=TheoryLevel.choices, default=TheoryLevel.NONE
    )
    job_title = models.CharField(_("job title"), max_length=128, blank=True)
    admitted_on = models.DateField(
        _("admission decision date"), help_text=_("Party age counts from this date."), db_index=True
    )
    ceremony_on = models.DateField(_("admission ceremony date"))
    official_on = models.DateField(_("official member since"), null=True, blank=True)
    # DOMAIN.md validation rule 5: the lý lịch đảng viên is completed within 30 working days of
    # the ceremony; a later date is flagged, not refused (it happened).
    personal_history_on = models.DateField(
        _("personal history (lý lịch) completed on"), null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, db_index=True)
    activity = models.CharField(
        _("Party activity"), max_length=16, choices=Activity.choices, default=Activity.ACTIVE
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("Party cell"),
    )
    exit_reason = models.CharField(_("exit"), max_length=16, choices=Exit.choices, blank=True, db_index=True)
    exited_on = models.DateField(_("exit date"), null=True, blank=True)
    search_name = models.CharField(max_length=160, editable=False, db_index=True)
    sort_name = models.CharField(max_length=160, editable=False, db_index=True)

    history = HistoricalRecords(excluded_fields=["search_name", "sort_name"])
    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("Party member")
        verbose_name_plural = _("Party members")
        ordering = ["sort_name", "birth_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["card_number"],
                condition=~models.Q(card_number=""),
                name="member_unique_card_number",
                violation_error_message=_("Another member already holds this Party card number."),
            ),
            models.UniqueConstraint(
                fields=["cccd"],
                condition=~models.Q(cccd=""),
                name="member_unique_cccd",
                violation_error_message=_("Another member already has this citizen ID number."),
            ),
            models.CheckConstraint(
                condition=models.Q(ceremony_on__gte=models.F("admitted_on")),
                name="member_ceremony_after_admission",
            ),
            models.CheckConstraint(
                condition=models.Q(status="du_bi", official_on__isnull=True, card_number="")
                | models.Q(status="chinh_thuc", official_on__gte=models.F("ceremony_on")),
                name="member_status_matches_official_date",
            ),
            models.CheckConstraint(
                condition=models.Q(exit_reason="", exited_on__isnull=True)
                | (~models.Q(exit_reason="") & models.Q(exited_on__isnull=False)),
                name="member_exit_has_date",
            ),
        ]
        indexes = [models.Index(fields=["organization", "sort_name"])]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.normalize()
        self.search_name = search_key(self.full_name)
        self.sort_name = name_sort_key(self.full_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name", "sort_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return pk_url("members:detail", self.pk)

    def normalize(self) -> None:
        self.full_name = nfc(self.full_name)
        for field in ("ethnicity", "religion", "education", "profession", "job_title"):
            setattr(self, field, nfc(getattr(self, field)))
        self.cccd = (self.cccd or "").strip()
        self.card_number = (self.card_number or "").strip()

    def clean(self) -> None:
        self.normalize()
        errors = {}
        if self.birth_date and self.admitted_on and self.birth_date >= self.admitted_on:
            errors["birth_date"] = _("The date of birth must precede the admission decision.")
        if self.personal_history_on and self.ceremony_on and self.personal_history_on < self.ceremony_on:
            errors["personal_history_on"] = _(
                "The personal history is completed after the ceremony (%(date)s)."
            ) % {"date": format_day(self.ceremony_on)}
        if self.admitted_on and self.ceremony_on and self.ceremony_on < self.admitted_on:
            errors["ceremony_on"] = _("The ceremony cannot precede the admission decision (%(date)s).") % {
                "date": format_day(self.admitted_on)
            }
        if self.status == self.Status.PROBATIONARY:
            if self.card_number:
                errors["card_number"] = _("A probationary member has no Party card number yet.")
            if self.official_on:
                errors["official_on"] = _("A probationary member has no official date yet.")
        elif self.status == self.Status.OFFICIAL and self.ceremony_on:
            if self.official_on is None:
                errors["official_on"] = _("An official member needs the date they became official.")
            elif self.official_on < self.probation_ends_on:
                errors["official_on"] = _(
                    "The probation ends on %(date)s; the member cannot be official earlier."
                ) % {"date": format_day(self.probation_ends_on)}
        if errors:
            raise ValidationError(errors)

    @property
    def is_current(self) -> bool:
        return not self.exit_reason

    @property
    def is_probationary(self) -> bool:
        return self.status == self.Status.PROBATIONARY

    @property
    def is_active_in_cell(self) -> bool:
        return self.activity == self.Activity.ACTIVE

    @property
    def probation_ends_on(self) -> date:
        """Dự bị lasts 12 months from the ceremony (Điều lệ Điều 5); the member becomes official on
        this date even when the decision comes later."""
        return add_months(self.ceremony_on, rules.get("member.probation_months", on=self.ceremony_on))

    @property
    def conversion_due_on(self) -> date:
        """The chi bộ must decide the conversion within 30 working days after the probation
        (294-QĐ/TW §4.2); later than this it is overdue."""
        ends = self.probation_ends_on
        return add_working_days(ends, rules.get("member.conversion_due_working_days", on=ends))

    @property
    def personal_history_due_on(self) -> date:
        """The lý lịch đảng viên is completed within 30 working days of the ceremony (HD 12-HD/BTCTW
        2022; DOMAIN.md validation rule 5)."""
        return add_working_days(
            self.ceremony_on, rules.get("member.personal_history_due_working_days", on=self.ceremony_on)
        )

    def personal_history_late(self, on: date) -> bool:
        """Completed after its due date, or still not completed on ``on`` after it."""
        due = self.personal_history_due_on
        if self.personal_history_on is not None:
            return self.personal_history_on > due
        return on > due

    def conversion_overdue(self, on: date) -> bool:
        """Still probationary on ``on``, after the day the conversion was due."""
        return self.is_current and self.status == self.Status.PROBATIONARY and on > self.conversion_due_on


def party_age(member: Member, on: date) -> int:
    """Tuổi đảng in full years on ``on``: it counts from the admission decision, not the ceremony
    (DOMAIN.md §2)."""
    return max(months_between(member.admitted_on, on) // 12, 0)


class Spell(models.Model):
    """A spell of membership in a chi bộ, covering ``starts_on`` up to (not including) ``ends_on``.

    Official spells (sinh hoạt chính thức) never overlap: a member has at most one open, so on any
    date a member belongs to exactly one organization. Temporary spells (sinh hoạt tạm thời) run at
    a host chi bộ alongside the official one.
    """

    class Kind(models.TextChoices):
        OFFICIAL = "chinh_thuc", _("Official membership")
        TEMPORARY = "tam_thoi", _("Temporary membership")

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="spells", verbose_name=_("Party member")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="spells",
        verbose_name=_("Party cell"),
    )
    kind = models.CharField(
        _("kind of membership"), max_length=16, choices=Kind.choices, default=Kind.OFFICIAL
    )
    starts_on = models.DateField(_("started on"))
    ends_on = models.DateField(_("ended on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = SpellQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership spell")
        verbose_name_plural = _("membership spells")
        ordering = ["member", "starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(ends_on__isnull=True, kind="chinh_thuc"),
                name="membership_one_open_official_spell",
                violation_error_message=_("A member belongs to one Party cell at a time."),
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(ends_on__isnull=True, kind="tam_thoi"),
                name="membership_one_open_temporary_spell",
                violation_error_message=_("A member is temporarily attached to one Party cell at a time."),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["kind", "starts_on", "ends_on"], name="members_mem_kind_489648_idx")]

    def __str__(self) -> str:
        until = format_day(self.ends_on) if self.ends_on else "…"
        return f"{self.member} · {self.organization} · {format_day(self.starts_on)}–{until}"


class Movement(models.Model):
    """A movement of a member (biến động đảng viên), written by the service that makes it; period
    statistics count these.

    ``organization`` is the chi bộ whose register the movement belongs to (the one the member is in,
    leaves or joins); ``from_organization``/``to_organization`` are set for moves inside the bloc,
    ``origin``/``destination`` name a Party organization outside it.
    """

    class Kind(models.TextChoices):
        ADMITTED = "ket_nap", _("Admitted")
        MADE_OFFICIAL = "chinh_thuc", _("Made an official member")
        REMOVED_PROBATIONARY = "xoa_ten_du_bi", _("Removed from the list of probationary members")
        TRANSFERRED = "chuyen_noi_bo", _("Transferred within the bloc")
        TRANSFERRED_IN = "chuyen_den", _("Transferred in from outside the bloc")
        TRANSFERRED_OUT = "chuyen_di", _("Transferred out of the bloc")
        TEMPORARY_STARTED = "tam_thoi_di", _("Temporary attachment started")
        TEMPORARY_ENDED = "tam_thoi_ve", _("Temporary attachment ended")
        TEMPORARY_ARRIVED = "tam_thoi_den", _("Temporarily attached from outside the bloc")
        EXEMPTED = "mien", _("Exempted from Party work and meetings")
        EXEMPTION_ENDED = "het_mien", _("Exemption ended")
        REMOVED = "xoa_ten", _("Removed from the Party rolls")
        EXPELLED = "khai_tru", _("Expelled")
        LEFT = "xin_ra", _("Left the Party at own request")
        DIED = "tu_tran", _("Deceased")
        RECORDED = "ghi_nhan", _("Entered in the register from an existing file")
        REINSTATED = "phuc_hoi", _("Membership restored (expulsion annulled or changed on appeal)")

    class RemovalGround(models.TextChoices):
        """Grounds for xóa tên (24-QĐ/TW, kept in 294-QĐ/TW; exact 294 wording unconfirmed)."""

        NEGLECT = "bo_sinh_hoat", _("Missed Party meetings or Party dues without good reason")
        CARD = "tra_the", _("Returned or destroyed the Party card on own initiative")
        DECLINE = "giam_sut", _("Lost the will to strive and did not improve after education")
        RATING = "kht_lien_tiep", _("Rated as not completing duties two years in a row")
        POLITICAL = "chinh_tri", _("No longer meets the political standard")

    class ExemptionGround(models.TextChoices):
        """Grounds for miễn công tác và sinh hoạt đảng (HD 12-HD/BTCTW 2022 IV.1.2)."""

        AGE_HEALTH = "tuoi_cao", _("Advanced age or poor health")
        TREATMENT = "dieu_tri", _("Long or distant medical treatment")
        ABROAD = "nuoc_ngoai", _("Abroad on their own")
        REMOTE = "noi_xa", _("Working far away with no Party organization")
        MATERNITY = "thai_san", _("Maternity leave")

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="events", verbose_name=_("Party member")
    )
    kind = models.CharField(_("movement"), max_length=20, choices=Kind.choices, db_index=True)
    on = models.DateField(_("date"))
    decision_no = models.CharField(_("decision number"), max_length=64, blank=True)
    approval_no = models.CharField(
        _("approval of the higher committee"),
        max_length=64,
        blank=True,
        help_text=_("For an admission over the age limit: the provincial Party committee's approval."),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="movements",
        verbose_name=_("Party cell"),
    )
    from_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from Party cell"),
    )
    to_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to Party cell"),
    )
    origin = models.CharField(_("coming from (outside the bloc)"), max_length=255, blank=True)
    destination = models.CharField(_("going to (outside the bloc)"), max_length=255, blank=True)
    ground = models.CharField(
        _("ground"),
        max_length=16,
        choices=RemovalGround.choices + ExemptionGround.choices,
        blank=True,
    )
    # The chi bộ resolution behind an admission or a conversion (DOMAIN.md validation rule 4): the
    # votes in favour of the §4 denominator computed from the register on the resolution date.
    resolution_no = models.CharField(_("Party cell resolution number"), max_length=64, blank=True)
    resolution_on = models.DateField(_("Party cell resolution date"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("votes in favour"), null=True, blank=True)
    vote_denominator = models.PositiveIntegerField(
        _("official members counted for the vote"), null=True, blank=True
    )
    # An admission decided outside the portal (no candidate record here): recorded as decided.
    decided_outside = models.BooleanField(_("decided outside the portal"), default=False)
    # A transfer out of the bloc is complete when the receiving Party organization confirms it has
    # received the member (the return slip of the introduction letter); 294-QĐ/TW §6.3.1a.
    received_on = models.DateField(_("received by the new Party organization on"), null=True, blank=True)
    received_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receipt recorded by"),
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
        verbose_name = _("member movement")
        verbose_name_plural = _("member movements")
        ordering = ["-on", "-recorded_at", "-pk"]
        indexes = [
            models.Index(fields=["kind", "on"], name="members_mem_kind_6cb912_idx"),
            models.Index(fields=["member", "on"], name="members_mem_member__206e2c_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_kind_display()} · {format_day(self.on)}"


class Candidate(models.Model):
    """Quần chúng ưu tú: a person the chi bộ prepares for admission (DOMAIN.md §3).

    The stages follow HD 06-HD/TW (2025): awareness class and its certificate (valid 60 months),
    two official members as sponsors, the application and background check, the chi bộ
    resolution (≥2/3 of the official members), the decision of the competent committee and the
    ceremony, at which ``members.services.candidates.admit_candidate`` creates the member. Every step is a
    service in ``members/services/candidates.py``.
    """

    class Stage(models.TextChoices):
        OUTSTANDING = "quan_chung_uu_tu", _("Outstanding non-member")
        TRAINED = "da_hoc_lop_nhan_thuc", _("Attended the Party awareness class")
        VETTING = "tham_tra", _("Background check under way")
        PROPOSED = "chi_bo_de_nghi", _("Proposed by the Party cell")
        DECIDED = "co_quyet_dinh", _("Admission decided")
        ADMITTED = "da_ket_nap", _("Admitted")
        WITHDRAWN = "dung", _("No longer pursued")

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="candidates",
        verbose_name=_("Party cell"),
    )
    full_name = models.CharField(_("full name"), max_length=128)
    gender = models.CharField(_("gender"), max_length=8, choices=Member.Gender.choices)
    birth_date = models.DateField(_("date of birth"))
    ethnicity = models.CharField(_("ethnicity"), max_length=64, blank=True)
    religion = models.CharField(_("religion"), max_length=64, blank=True)
    cccd = models.CharField(
        _("citizen ID number"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{12}$", _("A citizen ID number has 12 digits."))],
    )
    education = models.CharField(_("general education"), max_length=32, blank=True)
    profession = models.CharField(_("professional qualification"), max_length=128, blank=True)
    job_title = models.CharField(_("job title"), max_length=128, blank=True)
    stage = models.CharField(
        _("stage"), max_length=24, choices=Stage.choices, default=Stage.OUTSTANDING, db_index=True
    )
    certificate_no = models.CharField(_("awareness class certificate number"), max_length=64, blank=True)
    certificate_on = models.DateField(_("awareness class certificate date"), null=True, blank=True)
    sponsor_1 = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first sponsor"),
    )
    sponsor_2 = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second sponsor"),
    )
    youth_union_sponsor = models.BooleanField(
        _("second sponsor is the Youth Union committee"),
        default=False,
        help_text=_("For a Youth Union member: one Party member and the grassroots Youth Union committee."),
    )
    applied_on = models.DateField(_("application and personal history submitted on"), null=True, blank=True)
    vetting_started_on = models.DateField(_("background check started on"), null=True, blank=True)
    vetting_completed_on = models.DateField(_("background check completed on"), null=True, blank=True)
    resolution_no = models.CharField(_("Party cell resolution number"), max_length=64, blank=True)
    resolution_on = models.DateField(_("Party cell resolution date"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("votes in favour"), null=True, blank=True)
    official_members = models.PositiveIntegerField(
        _("official members of the Party cell"), null=True, blank=True
    )
    decision_no = models.CharField(_("admission decision number"), max_length=64, blank=True)
    decision_on = models.DateField(_("admission decision date"), null=True, blank=True)
    over_age_approval = models.CharField(
        _("approval of the higher committee"),
        max_length=64,
        blank=True,
        help_text=_("For an admission over the age limit: the provincial Party committee's approval."),
    )
    member = models.OneToOneField(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidacy",
        verbose_name=_("Party member"),
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    search_name = models.CharField(max_length=160, editable=False, db_index=True)
    sort_name = models.CharField(max_length=160, editable=False, db_index=True)

    history = HistoricalRecords(excluded_fields=["search_name", "sort_name"])
    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("outstanding non-member")
        verbose_name_plural = _("outstanding non-members")
        ordering = ["sort_name", "birth_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(stage="da_ket_nap") | models.Q(member__isnull=False),
                name="candidate_admitted_has_member",
            ),
            models.CheckConstraint(
                condition=models.Q(sponsor_1__isnull=True)
                | models.Q(sponsor_2__isnull=True)
                | ~models.Q(sponsor_1=models.F("sponsor_2")),
                name="candidate_two_different_sponsors",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.full_name = nfc(self.full_name)
        self.search_name = search_key(self.full_name)
        self.sort_name = name_sort_key(self.full_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name", "sort_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("members:candidate_detail", args=[self.pk])

    @property
    def certificate_expires_on(self) -> date | None:
        """The awareness-class certificate is valid 60 months (HD 06-HD/TW 2025)."""
        if self.certificate_on is None:
            return None
        return add_months(
            self.certificate_on, rules.get("candidate.certificate_valid_months", on=self.certificate_on)
        )

    @property
    def is_open(self) -> bool:
        return self.stage not in (self.Stage.ADMITTED, self.Stage.WITHDRAWN)


class AdmissionTarget(models.Model):
    """Chỉ tiêu kết nạp: the number of admissions a committee sets for a year for its subtree.
    There is no central formula (DOMAIN.md §3, U); reports compare the admissions against it."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="admission_targets",
        verbose_name=_("organization"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    target = models.PositiveIntegerField(_("admission target"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords()
    objects = AdmissionTargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("admission target")
        verbose_name_plural = _("admission targets")
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="admission_target_one_per_year",
                violation_error_message=_("This organization already has a target for that year."),
            ),
            models.CheckConstraint(condition=models.Q(target__gt=0), name="admission_target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.year}: {self.target}"


class BadgeAward(models.Model):
    """Huy hiệu Đảng presented to a member for a milestone of party age (30, 40, 45 … years), on
    one of the award days (3/2, 19/5, 2/9, 7/11; HD 01-HD/TW 2021 mục 18)."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="badges", verbose_name=_("Party member")
    )
    years = models.PositiveSmallIntegerField(_("years of Party membership"))
    awarded_on = models.DateField(_("awarded on"))
    decision_no = models.CharField(_("decision number"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = BadgeAwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("Party badge")
        verbose_name_plural = _("Party badges")
        ordering = ["-awarded_on", "member__sort_name"]
        # The list of awarded badges, newest first: read from this index a page at a time.
        indexes = [models.Index(fields=["awarded_on"], name="badgeaward_awarded_on_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "years"],
                name="badge_once_per_milestone",
                violation_error_message=_("This member already received the badge for that milestone."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.years}"


# Committees (cấp ủy) and terms (nhiệm kỳ) ---------------------------------------------------------
# Moved from the organizations app (members/migrations/0008): the tables, their history tables, their
# constraint and index names stay those the organizations app created.


class Term(models.Model):
    """Nhiệm kỳ: the term of the committee (cấp ủy) elected by a congress of the organization.
    Đảng bộ cơ sở and chi bộ cơ sở hold a congress every 5 years (2020–2025, 2025–2030); chi bộ
    trực thuộc currently twice in 5 years (DOMAIN.md §1)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="terms",
        verbose_name=_("organization"),
    )
    label = models.CharField(_("term"), max_length=32, help_text=_("For example 2025–2030."))
    congress_ordinal = models.PositiveSmallIntegerField(
        _("congress number"), null=True, blank=True, help_text=_("Lần thứ … of the congress.")
    )
    starts_on = models.DateField(_("congress held on"))
    ends_on = models.DateField(_("term ends on"))

    history = HistoricalRecords(table_name="organizations_historicalterm")

    class Meta:
        db_table = "organizations_term"
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
    member from ``starts_on`` to ``ends_on`` (open while held). A seat ends when the member leaves the
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
        Member,
        on_delete=models.PROTECT,
        related_name="committee_seats",
        verbose_name=_("Party member"),
    )
    position = models.CharField(_("position"), max_length=24, choices=Position.choices)
    starts_on = models.DateField(_("since"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    heads_host_unit = models.BooleanField(
        _("also head of the host unit"),
        default=False,
        help_text=_("Bí thư đồng thời là thủ trưởng cơ quan, đơn vị."),
    )
    decision_no = models.CharField(_("decision number"), max_length=64, blank=True)
    end_note = models.CharField(_("reason the seat ended"), max_length=255, blank=True)

    history = HistoricalRecords(table_name="organizations_historicalcommitteeseat")

    class Meta:
        db_table = "organizations_committeeseat"
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")
        ordering = ["term", "position", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["term"],
                condition=models.Q(position="bi_thu", ends_on__isnull=True),
                name="seat_one_secretary_per_term",
                violation_error_message=_("The term already has a secretary in office."),
            ),
            models.UniqueConstraint(
                fields=["term", "member", "position"],
                condition=models.Q(ends_on__isnull=True),
                name="seat_once_per_member_and_position",
                violation_error_message=_("The member already holds this seat."),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="seat_ends_after_start",
            ),
        ]
        # The name the organizations app generated for its table (organizations/migrations/0003).
        indexes = [models.Index(fields=["member", "ends_on"], name="organizatio_member__7e4854_idx")]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_position_display()} · {self.term}"
