from django.conf import settings
from django.db import models
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
