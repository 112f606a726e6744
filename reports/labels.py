"""What each figure of ``statistics()`` is called, for the dashboard, the XLSX annex and the PDF.

The keys are the contract of ``docs/statistics.md``; the labels go through gettext (the UI is
Vietnamese through the catalog).
"""

from django.utils.translation import gettext_lazy as _

from emulation.models import Level
from inspections.models import Case, DisciplineDecision
from members.models import Member
from organizations.models import Organization

from .statistics import AGE_BANDS, MEMBER_LEVELS, ORGANIZATION_LEVELS, PARTY_AGE_BANDS

SECTOR_LABELS = dict(Organization.Sector.choices)
KIND_LABELS = dict(Organization.Kind.choices)
GENDER_LABELS = dict(Member.Gender.choices)
THEORY_LABELS = dict(Member.TheoryLevel.choices)

AGE_BAND_LABELS = dict(
    zip(
        AGE_BANDS,
        (_("30 and under"), _("31 to 40"), _("41 to 50"), _("51 to 60"), _("Over 60")),
        strict=True,
    )
)
PARTY_AGE_BAND_LABELS = dict(
    zip(
        PARTY_AGE_BANDS,
        (
            _("Under 10 years"),
            _("10 to 19 years"),
            _("20 to 29 years"),
            _("30 to 39 years"),
            _("40 years and more"),
        ),
        strict=True,
    )
)

MOVEMENT_LABELS = {
    "admitted": _("Admitted"),
    "made_official": _("Made official"),
    "transferred_in": _("Transferred in"),
    "transferred_in_from_outside": _("Transferred in from outside the bloc"),
    "transferred_in_within_bloc": _("Transferred in from elsewhere in the bloc"),
    "transferred_out": _("Transferred out"),
    "transferred_out_to_outside": _("Transferred out of the bloc"),
    "transferred_out_within_bloc": _("Transferred out to elsewhere in the bloc"),
    "temporary_in": _("Temporarily attached here"),
    "temporary_in_from_outside": _("Temporarily attached here from outside the bloc"),
    "temporary_in_within_bloc": _("Temporarily attached here from elsewhere in the bloc"),
    "temporary_out": _("Temporarily attached elsewhere"),
    "temporary_out_to_outside": _("Temporarily attached outside the bloc"),
    "temporary_out_within_bloc": _("Temporarily attached elsewhere in the bloc"),
    "exempted": _("Exempted from Party work and meetings"),
    "removed": _("Removed from the Party rolls"),
    "removed_probationary": _("Removed from the list of probationary members"),
    "expelled": _("Expelled"),
    "left": _("Left the Party at own request"),
    "died": _("Deceased"),
    "exits": _("Left the register"),
}

# The headline figures, in the order of the annex's first sheet and of the dashboard's cards.
HEADLINE = (
    ("organizations.grassroots.total", _("Grassroots Party organizations")),
    ("organizations.cells", _("Subordinate Party cells")),
    ("members.total", _("Party members")),
    ("members.official", _("Official members")),
    ("members.probationary", _("Probationary members")),
    ("members.women", _("Women")),
    ("members.ethnic_minority", _("Ethnic minorities")),
    ("members.religious", _("Religious believers")),
    ("movements.admitted", _("Admitted")),
    ("movements.made_official", _("Made official")),
    ("movements.transferred_in", _("Transferred in")),
    ("movements.transferred_out", _("Transferred out")),
    ("movements.removed", _("Removed from the Party rolls")),
    ("movements.expelled", _("Expelled")),
    ("movements.left", _("Left the Party at own request")),
    ("movements.died", _("Deceased")),
    ("admissions.target", _("Admission target")),
    ("admissions.over_target_percent", _("Over the target (%)")),
    ("committees.members", _("Committee members")),
    ("committees.secretaries", _("Secretaries of grassroots organizations")),
    ("committees.secretaries_heading_unit", _("Secretaries who also head their agency or enterprise")),
    ("badges.awarded", _("Party membership badges awarded")),
    ("candidates.trained", _("Candidates who finished the awareness class")),
    ("meetings.regular_held", _("Regular meetings held (organization-months)")),
    ("meetings.regular_due", _("Regular meetings due (organization-months)")),
    ("meetings.thematic_held", _("Thematic meetings held (Party cell-quarters)")),
    ("meetings.thematic_due", _("Thematic meetings due (Party cell-quarters)")),
    ("meetings.cells_meeting_every_month", _("Organizations meeting every month")),
    ("meetings.cells_total", _("Organizations due a monthly meeting")),
    ("meetings.attendance_percent", _("Member attendance at meetings, percent")),
    ("meetings.committee_attendance_percent", _("Committee member attendance at meetings, percent")),
    ("study.sessions", _("Study sessions of resolutions and directives")),
    ("study.member_percent", _("Members who studied, percent")),
    ("study.non_member_percent", _("Non-members who studied, percent")),
)


def value(figures: dict, key: str):
    """The figure at a dotted key ("members.total"), or None where the figures lack it."""
    current = figures
    for part in key.split("."):
        if not isinstance(current, dict) or part not in current:
            return None
        current = current[part]
    return current


def case_work_rows() -> list[tuple[str, str]]:
    """(label, dotted key) of every case-work figure (docs/statistics.md), in the annex's order: the
    cases and their kinds, whom they covered, the violations found; the discipline by target and form;
    the letters."""
    forms = dict(DisciplineDecision.Form.choices)
    return [
        (_("Inspection and supervision cases"), "inspections.cases"),
        *((str(label), f"inspections.by_kind.{kind}") for kind, label in Case.Kind.choices),
        (_("Organizations inspected or supervised"), "inspections.organizations_covered"),
        (_("of them grassroots organizations"), "inspections.grassroots_covered"),
        (_("Party members inspected or supervised"), "inspections.members_covered"),
        (_("of them secretaries"), "inspections.secretaries_covered"),
        (_("Violations found"), "inspections.violations_found"),
        (_("Organizations disciplined"), "discipline.organizations"),
        *(
            (str(forms[form]), f"discipline.organizations_by_form.{form}")
            for form in DisciplineDecision.ORGANIZATION_FORMS
        ),
        (_("Party members disciplined"), "discipline.members"),
        *(
            (str(forms[form]), f"discipline.members_by_form.{form}")
            for form in DisciplineDecision.MEMBER_FORMS
        ),
        (_("Letters received"), "complaints.received"),
        (_("Letters settled"), "complaints.resolved"),
        (_("Letters being handled"), "complaints.pending"),
        (_("Letters past their deadline"), "complaints.overdue"),
    ]


LEVEL_LABELS = dict(Level.choices)


def rating_rows() -> list[tuple[str, str]]:
    """(label, dotted key) of every rating figure (docs/statistics.md), in the annex's order: the members
    rated and their levels, the grassroots organizations rated and theirs, the groups over the quota."""
    return [
        (_("Party members rated"), "ratings.members.rated"),
        *((str(LEVEL_LABELS[level]), f"ratings.members.by_level.{level}") for level in MEMBER_LEVELS),
        (_("Members who fulfilled their duties well or excellently"), "ratings.members.good_or_excellent"),
        (
            _("Members who fulfilled their duties well or excellently, percent"),
            "ratings.members.good_or_excellent_percent",
        ),
        (_("Grassroots organizations rated"), "ratings.organizations.rated"),
        *(
            (str(LEVEL_LABELS[level]), f"ratings.organizations.by_level.{level}")
            for level in ORGANIZATION_LEVELS
        ),
        (
            _("Grassroots organizations that fulfilled their duties well or better"),
            "ratings.organizations.good_or_excellent",
        ),
        (
            _("Grassroots organizations that fulfilled their duties well or better, percent"),
            "ratings.organizations.good_or_excellent_percent",
        ),
        (_("Clean and strong grassroots organizations, percent"), "ratings.organizations.tsvm_percent"),
        (_("Organizations over the excellence quota"), "ratings.over_quota"),
    ]
