"""Chi bộ meetings (sinh hoạt chi bộ), their attendance sheets, the months closed to secretaries, and
the study of resolutions (học tập, quán triệt nghị quyết): DOMAIN.md §4.

A meeting is held by one organization; a joint meeting (sinh hoạt chung) also has the other chi bộ
that took part. Each organization of a meeting has its ``Sheet``: the attendance list of its
members, frozen when the meeting is recorded, and the counters the figures read (expected,
present, excused, absent; committee members expected and present). The figures never scan
attendance rows. Every write goes through ``meetings.services``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from blocportal.dates import format_day
from blocportal.links import pk_url

from .querysets import MeetingQuerySet, SheetQuerySet, StudySessionQuerySet


def minutes_upload_to(meeting: "Meeting", filename: str) -> str:
    return f"meetings/{meeting.held_on:%Y/%m}/{filename}"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "thuong_ky", _("Regular meeting")
        THEMATIC = "chuyen_de", _("Thematic meeting")
        COMBINED = "thuong_ky_chuyen_de", _("Regular meeting combined with a thematic one")
        EXTRAORDINARY = "bat_thuong", _("Extraordinary meeting")
        GROUP = "to_dang", _("Party group meeting")

    class Body(models.TextChoices):
        MEMBERS = "dang_vien", _("Party members")
        COMMITTEE = "cap_uy", _("Committee")

    # One sitting of a combined meeting counts as a regular and as a thematic meeting.
    REGULAR_KINDS = (Kind.REGULAR, Kind.COMBINED)
    THEMATIC_KINDS = (Kind.THEMATIC, Kind.COMBINED)

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("organization"),
    )
    body = models.CharField(
        _("who meets"),
        max_length=16,
        choices=Body.choices,
        default=Body.MEMBERS,
        help_text=_("The Party members of the organization, or its committee (đảng ủy, chi ủy)."),
    )
    held_on = models.DateField(_("meeting date"), db_index=True)
    kind = models.CharField(_("kind of meeting"), max_length=24, choices=Kind.choices)
    place = models.CharField(_("place"), max_length=255, blank=True)
    online = models.BooleanField(_("held online"), default=False)
    topic = models.CharField(_("topic"), max_length=255, blank=True)
    chair = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_chaired",
        verbose_name=_("chair"),
    )
    recorder = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_recorded",
        verbose_name=_("recorder"),
    )
    upper_attendee = models.CharField(
        _("committee member of the level above who attended"),
        max_length=255,
        blank=True,
        help_text=_("Name and position, for example: Nguyễn Văn A, Đảng ủy viên Đảng ủy Khối."),
    )
    content = models.TextField(_("content"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    minutes_file = models.FileField(
        _("minutes file"), upload_to=minutes_upload_to, blank=True, max_length=255
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organization", "held_on"], name="meeting_org_day_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.organization} · {format_day(self.held_on)}"

    def get_absolute_url(self) -> str:
        return pk_url("meetings:detail", self.pk)

    @property
    def is_regular(self) -> bool:
        return self.kind in self.REGULAR_KINDS

    @property
    def is_thematic(self) -> bool:
        return self.kind in self.THEMATIC_KINDS


class Sheet(models.Model):
    """The attendance list of one organization at a meeting (a joint meeting has one per chi bộ, and
    counts for each), with its counters, written by the service with the rows. ``expected`` is the §4
    denominator: the members listed, less those in temporary activity elsewhere and the exempted
    members who did not attend; ``present``, ``excused`` and ``absent`` are of those counted."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="sheets", verbose_name=_("meeting")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="meeting_sheets",
        verbose_name=_("organization"),
    )
    # Copied from the meeting so that the figures group sheets without a join.
    held_on = models.DateField(_("meeting date"))
    kind = models.CharField(_("kind of meeting"), max_length=24, choices=Meeting.Kind.choices)
    body = models.CharField(_("who meets"), max_length=16, choices=Meeting.Body.choices)
    expected = models.PositiveIntegerField(_("expected"), default=0)
    present = models.PositiveIntegerField(_("present"), default=0)
    excused = models.PositiveIntegerField(_("excused"), default=0)
    absent = models.PositiveIntegerField(_("absent without reason"), default=0)
    committee_expected = models.PositiveIntegerField(_("committee members expected"), default=0)
    committee_present = models.PositiveIntegerField(_("committee members present"), default=0)

    history = HistoricalRecords()
    objects = SheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance sheet")
        verbose_name_plural = _("attendance sheets")
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organization"],
                name="sheet_once_per_organization",
                violation_error_message=_("This organization already has a list at the meeting."),
            ),
        ]
        indexes = [models.Index(fields=["held_on", "organization"], name="sheet_day_org_idx")]

    def __str__(self) -> str:
        return f"{self.organization} · {format_day(self.held_on)}"


class Attendance(models.Model):
    """A member expected at a meeting, as the register stood on its date: the member's chi bộ and
    committee seat of that day are kept, so a later transfer or election changes nothing."""

    class Status(models.TextChoices):
        PRESENT = "co_mat", _("Present")
        EXCUSED = "vang_co_ly_do", _("Absent with a reason")
        ABSENT = "vang_khong_ly_do", _("Absent without a reason")

    class Standing(models.TextChoices):
        MEMBER = "", _("Member")
        VISITING = "tam_thoi_den", _("In temporary activity here")
        EXEMPTED = "mien", _("Exempted from Party work and meetings")
        AWAY = "tam_thoi_di", _("In temporary activity elsewhere")

    sheet = models.ForeignKey(
        Sheet, on_delete=models.CASCADE, related_name="rows", verbose_name=_("attendance sheet")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting")
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="attendance", verbose_name=_("Party member")
    )
    cell = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Party cell on the day"),
    )
    standing = models.CharField(_("standing on the day"), max_length=16, choices=Standing.choices, blank=True)
    seat = models.CharField(_("committee seat on the day"), max_length=24, blank=True)
    status = models.CharField(_("attendance"), max_length=20, choices=Status.choices, default=Status.PRESENT)
    reason = models.CharField(_("reason for absence"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["sheet", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="attendance_once_per_member",
                violation_error_message=_("The member is already on the attendance list of this meeting."),
            ),
        ]
        indexes = [models.Index(fields=["member", "status"], name="attendance_member_status_idx")]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"

    @property
    def counted(self) -> bool:
        """In the §4 denominator: not away, and an exempted member only if they attended."""
        if self.standing == self.Standing.AWAY:
            return False
        if self.standing == self.Standing.EXEMPTED:
            return self.status == self.Status.PRESENT
        return True


class ClosedMonth(models.Model):
    """A month whose meetings the bloc has closed (khóa sổ): secretaries can no longer record or
    correct its meetings; staff still can, and the history shows who did."""

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("closed by")
    )
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("closed month")
        verbose_name_plural = _("closed months")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y}"


class StudySession(models.Model):
    """The study of a resolution or directive (học tập, quán triệt) by an organization: members
    present of the members expected, and non-members (quần chúng) present of those invited."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="study_sessions",
        verbose_name=_("organization"),
    )
    held_on = models.DateField(_("date"), db_index=True)
    document_number = models.CharField(
        _("document number"), max_length=64, help_text=_("For example 57-NQ/TW.")
    )
    document_title = models.CharField(_("title"), max_length=255)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    members_expected = models.PositiveIntegerField(_("members expected"))
    members_present = models.PositiveIntegerField(_("members present"))
    non_members_invited = models.PositiveIntegerField(_("non-members invited"), default=0)
    non_members_present = models.PositiveIntegerField(_("non-members present"), default=0)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = StudySessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(members_present__lte=models.F("members_expected")),
                name="study_members_present_within_expected",
            ),
            models.CheckConstraint(
                condition=models.Q(non_members_present__lte=models.F("non_members_invited")),
                name="study_non_members_present_within_invited",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_number} · {self.organization} · {format_day(self.held_on)}"

    def get_absolute_url(self) -> str:
        return pk_url("meetings:study_detail", self.pk)
