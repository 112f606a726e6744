"""Inspection, supervision, complaints and discipline: the case work of the Ủy ban Kiểm tra (DOMAIN.md §5;
296-QĐ/TW, 69-QĐ/TW).

- ``Case``: one inspection (kiểm tra) or supervision (giám sát), or the handling of a denunciation or of a
  discipline appeal, conducted by a body (cấp ủy, Ban Thường vụ, UBKT, chi bộ, staff body) of an
  organization, on exactly one target: an organization or a member. The member's committee post on the
  case date is kept (a bí thư inspected stays one in the figures).
- ``Complaint`` (đơn thư): a denunciation, complaint or report received, its handling deadline and the
  case it opened.
- ``DisciplineDecision``: a discipline form given to a member or an organization. Its effects (khai trừ
  ends the membership, cách chức the committee seat, giải tán the organization) are made by the members and
  organizations services in the same transaction.
- ``Appeal``: an appeal against a decision (khiếu nại kỷ luật), accepted within the window or refused with
  the reason, and its outcome.
- ``ReadLog``: every opening of a case, complaint or decision page or file.

This is the most sensitive data of the portal: only the ``inspector`` role reads case files (querysets
``visible_to``); leaders see counts and outcomes (the statistics); staff and secretaries see a member's
discipline outcome on the profile. Every write goes through ``inspections.services``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from blocportal.dates import format_day
from blocportal.links import pk_url

from .querysets import CaseQuerySet, ComplaintQuerySet, DecisionQuerySet


class Body(models.TextChoices):
    """Who acts: the body of an organization that conducts a case or decides a discipline (chủ thể
    tiến hành, cấp quyết định)."""

    EXECUTIVE = "ban_chap_hanh", _("Executive committee")
    STANDING = "ban_thuong_vu", _("Standing committee")
    COMMISSION = "uy_ban_kiem_tra", _("Inspection commission")
    CELL = "chi_bo", _("Party cell")
    STAFF = "co_quan_tham_muu", _("Advisory body of the committee")


def _one_target(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(
            Q(target_organization__isnull=False, target_member__isnull=True)
            | Q(target_organization__isnull=True, target_member__isnull=False)
        ),
        name=f"{prefix}_exactly_one_target",
        violation_error_message=_("Choose exactly one target: an organization or a Party member."),
    )


class Case(models.Model):
    class Kind(models.TextChoices):
        SIGNS_OF_VIOLATION = "dau_hieu_vi_pham", _("Inspection on signs of violation")
        INSPECTION_DUTIES = (
            "thuc_hien_nhiem_vu_ktgs",
            _("Inspection of the performance of inspection, supervision and discipline duties"),
        )
        FINANCE = "tai_chinh_dang", _("Inspection of Party finances")
        REGULAR_SUPERVISION = "giam_sat_thuong_xuyen", _("Regular supervision")
        THEMATIC_SUPERVISION = "giam_sat_chuyen_de", _("Thematic supervision")
        DENUNCIATION = "giai_quyet_to_cao", _("Settlement of a denunciation")
        APPEAL = "giai_quyet_khieu_nai", _("Settlement of a discipline appeal")

    INSPECTION_KINDS = (
        Kind.SIGNS_OF_VIOLATION,
        Kind.INSPECTION_DUTIES,
        Kind.FINANCE,
        Kind.DENUNCIATION,
        Kind.APPEAL,
    )
    SUPERVISION_KINDS = (Kind.REGULAR_SUPERVISION, Kind.THEMATIC_SUPERVISION)

    class Stage(models.TextChoices):
        DECIDED = "quyet_dinh", _("Decision issued")
        VERIFYING = "tham_tra", _("Verification under way")
        REPORTED = "bao_cao", _("Findings reported")
        CONCLUDED = "ket_luan", _("Concluded")

    class Conclusion(models.TextChoices):
        NO_VIOLATION = "khong_vi_pham", _("No violation")
        MINOR = "vi_pham_chua_ky_luat", _("Violation not warranting discipline")
        DISCIPLINE = "vi_pham_ky_luat", _("Violation warranting discipline")

    VIOLATIONS = (Conclusion.MINOR, Conclusion.DISCIPLINE)

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("organization conducting"),
    )
    body = models.CharField(_("conducting body"), max_length=20, choices=Body.choices)
    kind = models.CharField(_("kind of case"), max_length=32, choices=Kind.choices, db_index=True)
    decision_no = models.CharField(_("decision number"), max_length=64)
    opened_on = models.DateField(_("decision date"), db_index=True)
    plan_year = models.PositiveSmallIntegerField(
        _("in the plan of year"),
        null=True,
        blank=True,
        help_text=_(
            "The year of the inspection and supervision programme that planned it; empty if unplanned."
        ),
    )
    due_on = models.DateField(_("due by"), null=True, blank=True)
    closed_on = models.DateField(_("concluded on"), null=True, blank=True, db_index=True)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.DECIDED)
    target_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_as_target",
        verbose_name=_("organization inspected"),
    )
    target_member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_as_target",
        verbose_name=_("member inspected"),
    )
    # The member's chi bộ and committee post on the case date, read from the register and the seats.
    target_cell = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Party cell of the member"),
    )
    target_position = models.CharField(_("post of the member on that date"), max_length=24, blank=True)
    target_position_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("committee of that post"),
    )
    subject = models.CharField(_("content"), max_length=500, blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=24, choices=Conclusion.choices, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    # A case recorded from the registers kept before the portal (import): recorded as decided.
    imported = models.BooleanField(_("imported from an earlier register"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection or supervision case")
        verbose_name_plural = _("inspection and supervision cases")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            _one_target("case"),
            models.UniqueConstraint(
                fields=["organization", "decision_no", "target_organization", "target_member"],
                name="case_once_per_decision_and_target",
                nulls_distinct=False,
                violation_error_message=_("This decision already has a case on that target."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="case_closed_after_opened",
                violation_error_message=_("A case cannot be concluded before its decision date."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, conclusion="")
                | Q(closed_on__isnull=False) & ~Q(conclusion=""),
                name="case_conclusion_with_date",
                violation_error_message=_("A concluded case has both its conclusion and its date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_no} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return pk_url("inspections:case", self.pk)

    @property
    def target(self):
        return self.target_member or self.target_organization

    @property
    def is_supervision(self) -> bool:
        return self.kind in self.SUPERVISION_KINDS

    @property
    def found_violation(self) -> bool:
        return self.conclusion in self.VIOLATIONS


def case_document_upload_to(document: "CaseDocument", filename: str) -> str:
    return f"inspections/{document.case_id}/{filename}"


class CaseDocument(models.Model):
    """A document of the case file (decision, plan, report, conclusion); served only through the case
    pages, which log every opening."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents", verbose_name=_("case"))
    title = models.CharField(_("document"), max_length=255)
    file = models.FileField(_("file"), upload_to=case_document_upload_to, max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["case", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Complaint(models.Model):
    class Kind(models.TextChoices):
        DENUNCIATION = "to_cao", _("Denunciation")
        COMPLAINT = "khieu_nai", _("Complaint")
        REPORT = "phan_anh", _("Report")

    class Jurisdiction(models.TextChoices):
        OURS = "thuoc_tham_quyen", _("Within our competence")
        FORWARDED = "chuyen_di", _("Forwarded to the competent body")

    class Status(models.TextChoices):
        RECEIVED = "moi_nhan", _("Received")
        IN_PROGRESS = "dang_giai_quyet", _("Being handled")
        RESOLVED = "da_giai_quyet", _("Resolved")
        FORWARDED = "da_chuyen", _("Forwarded")
        FILED = "luu", _("Filed without handling")

    OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS)

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("organization receiving"),
    )
    kind = models.CharField(_("kind of letter"), max_length=16, choices=Kind.choices)
    received_on = models.DateField(_("received on"), db_index=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    sender = models.CharField(_("sender"), max_length=255, blank=True)
    sender_address = models.CharField(_("sender's address"), max_length=255, blank=True)
    subject_member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_about",
        verbose_name=_("about the member"),
    )
    subject_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_about",
        verbose_name=_("about the organization"),
    )
    summary = models.TextField(_("content"))
    jurisdiction = models.CharField(
        _("competence"), max_length=20, choices=Jurisdiction.choices, default=Jurisdiction.OURS
    )
    forwarded_to = models.CharField(_("forwarded to"), max_length=255, blank=True)
    due_on = models.DateField(_("to be handled by"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    resolved_on = models.DateField(_("handled on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("case opened"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("letter of denunciation or complaint")
        verbose_name_plural = _("letters of denunciation and complaint")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject_member__isnull=True) | Q(subject_organization__isnull=True),
                name="complaint_at_most_one_subject",
                violation_error_message=_("A letter is about one member or one organization, not both."),
            ),
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(sender=""),
                name="complaint_anonymous_has_no_sender",
                violation_error_message=_("An anonymous letter has no sender."),
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("received_on")),
                name="complaint_handled_after_received",
                violation_error_message=_("A letter cannot be handled before it was received."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(kind)s received on %(date)s") % {
            "kind": self.get_kind_display().lower(),
            "date": format_day(self.received_on),
        }

    def get_absolute_url(self) -> str:
        return pk_url("inspections:complaint", self.pk)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def subject(self):
        return self.subject_member or self.subject_organization


class DisciplineDecision(models.Model):
    class Form(models.TextChoices):
        REPRIMAND = "khien_trach", _("Reprimand")
        WARNING = "canh_cao", _("Warning")
        DISMISSAL = "cach_chuc", _("Dismissal from post")
        EXPULSION = "khai_tru", _("Expulsion")
        DISSOLUTION = "giai_tan", _("Dissolution")

    MEMBER_FORMS = (Form.REPRIMAND, Form.WARNING, Form.DISMISSAL, Form.EXPULSION)
    ORGANIZATION_FORMS = (Form.REPRIMAND, Form.WARNING, Form.DISSOLUTION)
    # A probationary member, and any member disciplined by a chi bộ: khiển trách or cảnh cáo only.
    LIGHT_FORMS = (Form.REPRIMAND, Form.WARNING)

    class Circumstance(models.TextChoices):
        """Điều 8 of 296-QĐ/TW: no discipline while the member is in one of these."""

        PREGNANT = "mang_thai", _("Pregnant")
        NURSING = "nuoi_con_nho", _("Nursing a child under 12 months")
        ILL = "om_nang", _("Seriously ill in hospital")

    class Status(models.TextChoices):
        IN_FORCE = "hieu_luc", _("In force")
        CHANGED = "da_thay_doi", _("Changed on appeal")
        ANNULLED = "da_xoa_bo", _("Annulled on appeal")

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="discipline_decisions",
        verbose_name=_("organization deciding"),
    )
    body = models.CharField(_("deciding body"), max_length=20, choices=Body.choices)
    decision_no = models.CharField(_("decision number"), max_length=64)
    decided_on = models.DateField(_("decision date"), db_index=True)
    effective_on = models.DateField(
        _("in effect from"),
        help_text=_("For a decision of a chi bộ: the day the vote result was announced."),
    )
    target_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="discipline_received",
        verbose_name=_("organization disciplined"),
    )
    target_member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="discipline_received",
        verbose_name=_("member disciplined"),
    )
    # The member's chi bộ on the decision date (the figures count a decision where the deciding
    # organization lay; this says where the member was, for the lists and the import's checks).
    target_cell = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Party cell of the member"),
    )
    form = models.CharField(_("form of discipline"), max_length=16, choices=Form.choices)
    # The form first decided, when an appeal changed it.
    original_form = models.CharField(_("form first decided"), max_length=16, choices=Form.choices, blank=True)
    seat = models.ForeignKey(
        "members.CommitteeSeat",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("post removed from"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("case it came from"),
    )
    violation = models.TextField(_("violation"), blank=True)
    violation_on = models.DateField(
        _("violation committed on"),
        null=True,
        blank=True,
        help_text=_("The limitation period is counted from this day."),
    )
    heard_on = models.DateField(
        _("member heard on"),
        null=True,
        blank=True,
        help_text=_("The member presents their view before the decision."),
    )
    circumstance = models.CharField(
        _("circumstance of the member"), max_length=16, choices=Circumstance.choices, blank=True
    )
    override_reason = models.TextField(_("why the decision is taken despite the circumstance"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IN_FORCE, db_index=True
    )
    imported = models.BooleanField(_("imported from an earlier register"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("discipline decision")
        verbose_name_plural = _("discipline decisions")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            _one_target("discipline"),
            models.UniqueConstraint(
                fields=["organization", "decision_no", "target_organization", "target_member"],
                name="discipline_once_per_decision_and_target",
                nulls_distinct=False,
                violation_error_message=_("This decision is already recorded for that target."),
            ),
            models.CheckConstraint(
                condition=Q(effective_on__gte=models.F("decided_on")),
                name="discipline_effective_from_decision",
                violation_error_message=_("A decision cannot take effect before it is taken."),
            ),
            models.CheckConstraint(
                condition=Q(target_member__isnull=True, form__in=["khien_trach", "canh_cao", "giai_tan"])
                | Q(
                    target_member__isnull=False, form__in=["khien_trach", "canh_cao", "cach_chuc", "khai_tru"]
                ),
                name="discipline_form_fits_target",
                violation_error_message=_(
                    "A member gets khiển trách, cảnh cáo, cách chức or "
                    "khai trừ; an organization khiển trách, "
                    "cảnh cáo or giải tán."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_no} · {self.get_form_display()}"

    def get_absolute_url(self) -> str:
        return pk_url("inspections:decision", self.pk)

    @property
    def target(self):
        return self.target_member or self.target_organization

    @property
    def in_force(self) -> bool:
        return self.status != self.Status.ANNULLED


class Appeal(models.Model):
    """Khiếu nại kỷ luật (296-QĐ/TW Điều 23–25): within 30 days of receiving the decision."""

    class Status(models.TextChoices):
        ACCEPTED = "thu_ly", _("Accepted for settlement")
        REFUSED = "khong_thu_ly", _("Not accepted")
        SETTLED = "da_giai_quyet", _("Settled")

    class RefusalGround(models.TextChoices):
        LATE = "qua_han", _("Filed after the time limit")
        ON_BEHALF = "khieu_nai_ho", _("Filed on someone else's behalf")
        TOO_EARLY = "chua_co_quyet_dinh", _("Filed before the written decision")
        MOVED = "da_chuyen_dang_bo", _("Filed after moving to another Party committee")
        OTHER = "khac", _("Another ground of Điều 23")

    class Outcome(models.TextChoices):
        UPHELD = "giu_nguyen", _("Decision upheld")
        CHANGED = "thay_doi", _("Form changed")
        ANNULLED = "xoa_bo", _("Decision annulled")

    decision = models.ForeignKey(
        DisciplineDecision,
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("decision appealed"),
    )
    # The body that settles the appeal: the level above the one that decided.
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("organization settling"),
    )
    decision_received_on = models.DateField(_("decision received by the appellant on"))
    filed_on = models.DateField(_("appeal received on"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    refusal_ground = models.CharField(
        _("ground for not accepting"), max_length=24, choices=RefusalGround.choices, blank=True
    )
    refusal_note = models.TextField(_("reason"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    new_form = models.CharField(
        _("new form"), max_length=16, choices=DisciplineDecision.Form.choices, blank=True
    )
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    settlement_no = models.CharField(_("settlement decision number"), max_length=64, blank=True)
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("settlement case"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("discipline appeal")
        verbose_name_plural = _("discipline appeals")
        ordering = ["-filed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="khong_thu_ly") | ~Q(refusal_ground=""),
                name="appeal_refusal_has_ground",
                violation_error_message=_("An appeal not accepted has its ground."),
            ),
            models.CheckConstraint(
                condition=Q(outcome="", settled_on__isnull=True)
                | Q(status="da_giai_quyet", settled_on__isnull=False) & ~Q(outcome=""),
                name="appeal_outcome_when_settled",
                violation_error_message=_("A settled appeal has its outcome and date."),
            ),
        ]

    def __str__(self) -> str:
        return _("Appeal against %(decision)s") % {"decision": self.decision.decision_no}


class ReadLog(models.Model):
    """Who opened which case, letter or decision, and when (a page or a file). Written by the views;
    superusers read it in the admin."""

    class What(models.TextChoices):
        CASE = "case", _("case")
        DOCUMENT = "document", _("case document")
        COMPLAINT = "complaint", _("letter")
        DECISION = "decision", _("discipline decision")
        APPEAL = "appeal", _("appeal")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    what = models.CharField(_("what"), max_length=16, choices=What.choices)
    object_id = models.PositiveBigIntegerField(_("record"))
    label = models.CharField(_("record"), max_length=255)
    path = models.CharField(_("address"), max_length=500)

    class Meta:
        verbose_name = _("read of a case file")
        verbose_name_plural = _("reads of case files")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["what", "object_id"], name="inspections_read_object_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_what_display()} {self.label}"
