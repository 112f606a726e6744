"""Reads of the party-development pipeline (phát triển đảng viên): the order of the stages, who may
sponsor a candidate, what a candidate still lacks, and the admissions of a year against the target the
committee set (chỉ tiêu kết nạp), phrased as the bloc's press does: "kết nạp 993 đảng viên, vượt
32,4% chỉ tiêu".
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Func, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blocportal import rules
from blocportal.workdays import add_months
from members.models import AdmissionTarget, Candidate, Member, Spell
from members.selectors.figures import dated_spells
from organizations.models import Organization

Stage = Candidate.Stage

# The stages in the order a candidate passes them; WITHDRAWN leaves the line at any point.
STAGE_ORDER = [Stage.OUTSTANDING, Stage.TRAINED, Stage.VETTING, Stage.PROPOSED, Stage.DECIDED, Stage.ADMITTED]


def stage_rank(stage: str) -> int:
    return STAGE_ORDER.index(stage)


def grassroots_of(organization: Organization) -> Organization:
    """The tổ chức cơ sở đảng (đảng bộ cơ sở or chi bộ cơ sở) an organization belongs to: the unit
    within which sponsors work alongside the applicant."""
    if organization.kind in Organization.GRASSROOTS_KINDS:
        return organization
    found = (
        Organization.objects.filter(
            path__in=organization.ancestor_paths(), kind__in=Organization.GRASSROOTS_KINDS
        )
        .order_by("-path")
        .first()
    )
    return found or organization


def official_spells(member_ids) -> dict[int, list[Spell]]:
    """Each member's official spells, the latest first."""
    spells: dict[int, list[Spell]] = {}
    rows = (
        Spell.objects.official()
        .filter(member_id__in=member_ids)
        .select_related("organization")
        .order_by("member_id", "-starts_on", "-pk")
    )
    for spell in rows:
        spells.setdefault(spell.member_id, []).append(spell)
    return spells


def in_unit_since(spells: list[Spell], unit: Organization) -> date:
    """When the member's unbroken stay in the grassroots organization began: the start of the run
    of official spells inside it that ends with the open one. A transfer between two chi bộ of the
    same đảng bộ cơ sở closes one spell and opens the next on the same day, so it does not reset
    the 12 months a sponsor needs (DOMAIN.md validation rule 3: time in the same unit)."""
    since = spells[0].starts_on
    for spell in spells[1:]:
        if not spell.organization.path.startswith(unit.path) or spell.ends_on is None:
            break
        if spell.ends_on < since:  # a gap: the member was elsewhere in between
            break
        since = spell.starts_on
    return since


def eligible_sponsors(organization: Organization, on: date) -> list[Member]:
    """The current official members of the organization's grassroots organization who have been in
    it for the months a sponsor needs on ``on`` (the checks of ``assign_sponsors``), by name."""
    unit = grassroots_of(organization)
    members = list(
        Member.objects.registered()
        .filter(status=Member.Status.OFFICIAL, organization__path__startswith=unit.path)
        .order_by("sort_name", "pk")
    )
    spells = official_spells([m.pk for m in members])
    months = rules.get("candidate.sponsor_months_together", on=on)
    eligible = []
    for member in members:
        own = spells.get(member.pk, [])
        if not own or own[0].ends_on is not None or not own[0].organization.path.startswith(unit.path):
            continue
        if add_months(in_unit_since(own, unit), months) <= on:
            eligible.append(member)
    return eligible


def missing_before_resolution(candidate: Candidate) -> list[str]:
    """What the file still lacks before the chi bộ may vote (HD 06-HD/TW 2025 §3)."""
    missing = []
    if candidate.certificate_on is None:
        missing.append(_("the awareness class certificate"))
    if candidate.sponsor_1_id is None or (
        candidate.sponsor_2_id is None and not candidate.youth_union_sponsor
    ):
        missing.append(_("two sponsors (or one Party member and the Youth Union committee)"))
    for sponsor in (candidate.sponsor_1, candidate.sponsor_2):
        if sponsor is not None and not sponsor.is_current:
            missing.append(
                _("a sponsor in place of %(name)s, who has left the register") % {"name": sponsor.full_name}
            )
    if candidate.applied_on is None:
        missing.append(_("the application and personal history"))
    if candidate.vetting_completed_on is None:
        missing.append(_("the completed background check"))
    return missing


def candidate_list(user) -> QuerySet[Candidate]:
    """The candidates the user may see, with their chi bộ and their sponsors: a page of the list is
    one query (and one for the names of its chi bộ's grassroots organizations:
    members.tables.GrassrootsNames)."""
    return Candidate.objects.visible_to(user).select_related("organization", "sponsor_1", "sponsor_2")


# Admission targets ------------------------------------------------------------------------------

TARGET_KINDS = (*Organization.GRASSROOTS_KINDS, Organization.Kind.BLOC)
FIRST_TARGET_YEAR = 2000


# Reads ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdmissionProgress:
    """The admissions of a year in an organization's subtree against its own target."""

    organization: Organization
    year: int
    admitted: int
    target: int | None

    @property
    def percent(self) -> Decimal | None:
        """Admissions as a percentage of the target, to one decimal."""
        if not self.target:
            return None
        return (Decimal(self.admitted * 100) / Decimal(self.target)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def exceeded(self) -> bool:
        return self.percent is not None and self.percent > 100

    @property
    def phrase(self) -> str:
        """As the press writes it: "kết nạp 993 đảng viên, vượt 32,4% chỉ tiêu"."""
        admitted = ngettext("admitted %(count)s member", "admitted %(count)s members", self.admitted) % {
            "count": number_format(self.admitted, use_l10n=True)
        }
        percent = self.percent
        if percent is None:
            return _("%(admitted)s (no target set)") % {"admitted": admitted}
        if self.exceeded:
            return _("%(admitted)s, exceeding the target by %(percent)s") % {
                "admitted": admitted,
                "percent": _percent(percent - 100),
            }
        return _("%(admitted)s, reaching %(percent)s of the target") % {
            "admitted": admitted,
            "percent": _percent(percent),
        }


def _percent(value: Decimal) -> str:
    return f"{number_format(value, decimal_pos=1, use_l10n=True)}%"


def _year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _admissions(year: int):
    """The members admitted in ``year`` while in the bloc, counted as the statistics count them
    (``figures.dated_spells``: the register's dates, imported members included)."""
    return dated_spells("admitted_on", *_year_range(year))


def admission_progress(organization: Organization, year: int) -> AdmissionProgress:
    """Admissions of ``year`` in the subtree (where the member was on the day of the decision)
    against the organization's own target — not the sum of its children's targets."""
    admitted = _admissions(year).filter(organization__path__startswith=organization.path).count()
    target = AdmissionTarget.objects.filter(organization=organization, year=year).values_list(
        "target", flat=True
    )
    return AdmissionProgress(organization=organization, year=year, admitted=admitted, target=target.first())


def admission_progress_rows(user, year: int) -> list[AdmissionProgress]:
    """One row per visible, active bloc or grassroots organization: its own target and the
    admissions in its subtree — one query, whatever the number of rows."""
    admitted = (
        _admissions(year)
        .filter(organization__path__startswith=OuterRef("path"))
        .order_by()
        .annotate(n=Func(Value(1), function="COUNT"))
        .values("n")
    )
    target = AdmissionTarget.objects.filter(organization=OuterRef("pk"), year=year).values("target")[:1]
    organizations = (
        Organization.objects.visible_to(user)
        .active()
        .filter(kind__in=TARGET_KINDS)
        .annotate(
            admitted_count=Coalesce(Subquery(admitted, output_field=IntegerField()), 0),
            target_value=Subquery(target, output_field=IntegerField()),
        )
        .order_by("path")
    )
    return [
        AdmissionProgress(organization=org, year=year, admitted=org.admitted_count, target=org.target_value)
        for org in organizations
    ]


def sponsor_choices(candidate: Candidate, user):
    """The members who may sponsor the candidate, as far as the user sees them: current official
    members of the candidate's grassroots organization, those of the candidate's chi bộ first."""
    unit = grassroots_of(candidate.organization)
    return (
        Member.objects.visible_to(user)
        .registered()
        .filter(status=Member.Status.OFFICIAL, organization__path__startswith=unit.path)
        .select_related("organization")
        .order_by("organization__path", "sort_name", "pk")
    )
