"""The leaders' dashboard, arranged from the figures of ``statistics()`` (page-only logic beside the
views): headline cards with the change against the comparable period, and the charts with the
rows behind every count. Nothing is counted here: every number is a key of the figures.

Drill-down: a card, a bar or a table cell links to the list filtered to the rows it counts, with
the member list's dated filters (on the register on a day, admitted or made official or left in
a period) so that the list shows the same number. The meetings' figures are rates and months, not
rows of a list: their cards, charts and table open the meetings of the organization in the period
(``meetings:list?within=…&period=…``) and its compliance page (``meetings:compliance``), where the
chi bộ behind are listed.
"""

import functools
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from blocportal import access, attention, rules
from blocportal.dates import format_day
from blocportal.periods import Period
from emulation.models import LEGACY_LEVELS, RANK
from emulation.selectors import figures as emulation_figures
from inspections.models import Case, Complaint, DisciplineDecision
from meetings.selectors import compliance as meeting_compliance
from members.selectors import figures as member_figures
from organizations.models import PATH_STEP, Organization

from . import charts, labels
from .statistics import (
    AGE_BANDS,
    CASE_KINDS,
    GENDERS,
    MEMBER_FORMS,
    MEMBER_LEVELS,
    MONTHLY_KEYS,
    ORGANIZATION_FORMS,
    ORGANIZATION_LEVELS,
    SECTORS,
)

# The age bands of the figures as the member list's age filter reads them: (from, to) in whole
# years, both included.
AGE_RANGES = {
    band: (lower or None, upper - 1 if upper is not None else None)
    for band, lower, upper in member_figures.AGE_BANDS
}
# Bars of the admissions chart: the grassroots organizations with the largest targets.
ADMISSION_ROWS = 15
# Bars of the compliance chart: the grassroots organizations with the most months missed.
COMPLIANCE_ROWS = 15
# Rows of the table of the organizations behind; the compliance page lists them all.
BEHIND_ROWS = 30
# Rows of the ranking shown on the dashboard; the ranking page lists them all.
RANKING_ROWS = 10
# The levels of a grassroots organization in a legacy year, best first (plain strings: keys of the figures).
ORGANIZATION_LEGACY_LEVELS = tuple(level.value for level in LEGACY_LEVELS)


@dataclass(frozen=True)
class Card:
    label: str
    value: int | float | None
    previous: int | float | None = None
    href: str = ""
    suffix: str = ""
    note: str = ""  # what a rate is made of: "13/17"
    detail_href: str = ""  # a page behind a rate (not a list of exactly ``value`` rows)
    detail_label: str = ""
    key: str = ""  # the figure's key in docs/statistics.md, where a card shows exactly one

    @property
    def delta(self) -> int | float | None:
        if self.value is None or self.previous is None:
            return None
        return round(self.value - self.previous, 1)


def member_list_url(organization: Organization, **params) -> str:
    query = {"organization": organization.pk, **{k: v for k, v in params.items() if v not in (None, "")}}
    return f"{reverse('members:list')}?{urlencode(query)}"


def organization_list_url(organization: Organization, **params) -> str:
    query = {"within": organization.pk, "status": "all", **params}
    return f"{reverse('organizations:list')}?{urlencode(query)}"


def page_url(name: str, **params) -> str:
    """A page of a module with its drill-down filters, the empty ones left out."""
    query = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{reverse(name)}?{urlencode(query)}"


def meetings_url(name: str, **params) -> str:
    """A page of the meetings module with its drill-down filters (``within``, ``organization``,
    ``period``, ``behind``)."""
    return page_url(name, **params)


def month_label(month: str) -> str:
    """ "2025-03" → "03/2025"."""
    year, number = month.split("-")
    return f"{number}/{year}"


def block_length(month: str, rule: str = meeting_compliance.THEMATIC_RULE) -> int:
    """How many months the block of the cadence ``rule`` starting in ``month`` ("2025-01") lasts:
    the rule in force on its first day."""
    return max(1, int(rules.get(rule, on=date.fromisoformat(f"{month}-01"))))


def block_label(month: str, rule: str = meeting_compliance.THEMATIC_RULE) -> str:
    """The block of a cadence that starts in ``month`` ("2025-01"): "Quý I/2025" for a quarter
    from January, April, July or October, "01/2025" for a month, "01–06/2025" otherwise."""
    year, first = (int(part) for part in month.split("-"))
    length = block_length(month, rule)
    if length == 1:
        return month_label(month)
    if length == 3 and first % 3 == 1:
        return _("Quarter %(quarter)s/%(year)s") % {
            "quarter": ("I", "II", "III", "IV")[first // 3],
            "year": year,
        }
    return f"{first:02d}–{min(first + length - 1, 12):02d}/{year}"


def _iso(day: date) -> str:
    return day.isoformat()


def members_by_sector(figures: dict, link=None) -> dict | None:
    """The chart of the members by the sector of their grassroots organization, shared by the
    dashboard (with ``link(sector)``, the list behind a bar) and the PDF (without)."""
    by_sector = figures["members"]["by_sector"]
    rows = [
        {
            "label": str(labels.SECTOR_LABELS[sector]),
            "value": by_sector[sector],
            **({"href": link(sector)} if link else {}),
        }
        for sector in SECTORS
        if by_sector[sector]
    ]
    if not rows:
        return None
    as_of = date.fromisoformat(figures["members"]["as_of"])
    return charts.bar(
        rows,
        title=_("Party members by sector"),
        description=_("Members on the register on %(day)s, by the sector of their grassroots organization.")
        % {"day": format_day(as_of)},
    )


def attendance_by_month(figures: dict, link=None) -> dict | None:
    """The attendance at the regular meetings by month, shared by the dashboard (with ``link(month)``,
    the meetings behind a point) and the PDF's section II (without)."""
    by_month = figures["meetings"]["by_month"]
    series = (
        ("attendance_percent", _("Party members")),
        ("committee_attendance_percent", _("Committee members")),
    )
    rows = [
        {
            "month": month,
            "series": str(label),
            "value": row[key],
            **({"href": link(month)} if link else {}),
        }
        for month, row in sorted(by_month.items())
        for key, label in series
        if row[key] is not None
    ]
    if not rows:
        return None
    return charts.line_by_month(
        rows,
        title=_("Attendance at regular meetings by month"),
        description=_(
            "Members, and the Party cells' own committee members, present of those expected at the "
            "regular meetings of the month, in percent."
        ),
        value_format=charts.PERCENT,
    )


def levels_by_year(figures: dict, whom: str, link=None) -> dict | None:
    """The rating levels of ``whom`` ("members" or "organizations"): one group of bars per year with
    ratings, one bar per level of that year's classification; shared by the dashboard (with
    ``link(year, level)``, the ratings behind a bar) and the PDF's section V (without)."""
    r = figures["ratings"]
    rows = []
    for year in r["years"]:
        row = r["by_year"][str(year)][whom]
        if not row["rated"]:
            continue
        if whom == "members":
            levels = MEMBER_LEVELS
        else:
            levels = ORGANIZATION_LEGACY_LEVELS if r["by_year"][str(year)]["legacy"] else MEMBER_LEVELS
        for level in levels:
            rows.append(
                {
                    "label": str(year),
                    "series": str(labels.LEVEL_LABELS[level]),
                    "value": row["by_level"][level],
                    **({"href": link(year, level)} if link else {}),
                }
            )
    if not rows:
        return None
    if whom == "members":
        title = _("Party members by rating level")
        description = _("Decided annual ratings of the Party members, by year and level.")
    else:
        title = _("Grassroots organizations by rating level")
        description = _(
            "Decided annual ratings of the grassroots Party organizations, by year and level (the "
            "legacy years in the former classification)."
        )
    # The levels best first (htxs and tsvm, then htt …), whichever year names them first.
    order = [str(labels.LEVEL_LABELS[level]) for level in sorted(ORGANIZATION_LEVELS, key=RANK.get)]
    return charts.grouped_bar(rows, title=title, description=description, series_order=order)


class Dashboard:
    """The cards and charts of one node and period, from its figures and the figures of the
    comparable period before."""

    def __init__(self, organization: Organization, period: Period, figures: dict, previous: dict, user):
        self.organization, self.period = organization, period
        self.figures, self.previous, self.user = figures, previous, user
        self.as_of = date.fromisoformat(figures["period"]["as_of"])
        self.start = period.start

    def _members(self, **params) -> str:
        return member_list_url(self.organization, **params)

    def _registered(self, **params) -> str:
        return self._members(on_register=_iso(self.as_of), **params)

    def _in_period(self, field: str, start: date, end: date, **params) -> str:
        return self._members(**{f"{field}_from": _iso(start), f"{field}_to": _iso(end)}, **params)

    def cards(self) -> list[Card]:
        f, p = self.figures, self.previous
        period_end = self.as_of
        if self.organization.kind == Organization.Kind.BLOC:
            structure = Card(
                _("Grassroots Party organizations"),
                f["organizations"]["grassroots"]["total"],
                p["organizations"]["grassroots"]["total"],
                organization_list_url(self.organization, level="grassroots", on=_iso(period_end)),
            )
        else:
            structure = Card(
                _("Subordinate Party cells"),
                f["organizations"]["cells"],
                p["organizations"]["cells"],
                organization_list_url(
                    self.organization, kind=Organization.Kind.SUBORDINATE_CELL, on=_iso(period_end)
                ),
            )
        cards = [
            structure,
            Card(_("Party members"), f["members"]["total"], p["members"]["total"], self._registered()),
            Card(
                _("Probationary members"),
                f["members"]["probationary"],
                p["members"]["probationary"],
                self._registered(status="du_bi"),
            ),
            Card(
                _("Admitted"),
                f["movements"]["admitted"],
                p["movements"]["admitted"],
                self._in_period("admitted", self.start, period_end),
            ),
            Card(
                _("Made official"),
                f["movements"]["made_official"],
                p["movements"]["made_official"],
                self._in_period("official", self.start, period_end),
            ),
            Card(
                _("Left the register"),
                f["movements"]["exits"],
                p["movements"]["exits"],
                self._in_period("exited", self.start, period_end, exit="out_of_party"),
            ),
        ]
        admissions = f["admissions"]
        if admissions["target"]:
            cards.append(
                Card(
                    _("Admissions against the target"),
                    admissions["percent_of_target"],
                    p["admissions"]["percent_of_target"],
                    suffix="%",
                )
            )
        return cards + self._meeting_cards()

    # Meetings ------------------------------------------------------------------------------------

    @functools.cached_property
    def meeting_links(self) -> bool:
        """Whether the meeting figures link to the meetings pages: not for a reader who may not open
        them (an inspector reads the figures only). Part of the cache key of the rendered figures."""
        return access.has_permission(self.user, "meeting.view", self.organization)

    def _meetings_of(self, organization_id: int, period: str | None = None) -> str:
        if not self.meeting_links:
            return ""
        return meetings_url("meetings:list", within=organization_id, period=period or str(self.period))

    def _compliance_of(self, organization_id: int, *, behind: bool = False) -> str:
        if not self.meeting_links:
            return ""
        return meetings_url(
            "meetings:compliance",
            organization=organization_id,
            period=str(self.period),
            behind=1 if behind else None,
        )

    def _meeting_cards(self) -> list[Card]:
        """Attendance and compliance, against the comparable period: rates, each with the page
        behind it (the meetings, the compliance page)."""
        m, p = self.figures["meetings"], self.previous["meetings"]
        if not m["cells_total"] and not m["expected"]:
            return []
        meetings = self._meetings_of(self.organization.pk)
        cards = [
            Card(
                label,
                m[f"{prefix}attendance_percent"],
                p[f"{prefix}attendance_percent"],
                suffix="%",
                note=f"{m[f'{prefix}present']}/{m[f'{prefix}expected']}",
                detail_href=meetings,
                detail_label=_("Meetings"),
            )
            for prefix, label in (
                ("", _("Member attendance at meetings")),
                ("committee_", _("Committee member attendance")),
            )
        ]
        cards.append(
            Card(
                _("Regular meetings held"),
                m["regular_held_percent"],
                p["regular_held_percent"],
                suffix="%",
                note=_("%(held)s of %(due)s months due")
                % {"held": m["regular_held"], "due": m["regular_due"]},
                detail_href=self._compliance_of(self.organization.pk),
                detail_label=_("Compliance"),
            )
        )
        return cards

    @functools.cached_property
    def _meeting_units(self) -> dict[str, int]:
        """The ids of the organizations the meetings' charts and table link to, by code (one query)."""
        m = self.figures["meetings"]
        codes = set(m["by_grassroots"]) | {row["code"] for row in m["behind"][:BEHIND_ROWS]}
        if not codes:
            return {}
        return dict(Organization.objects.filter(code__in=codes).values_list("code", "pk"))

    def meeting_charts(self) -> list[charts.Chart]:
        """The attendance trend and the compliance by grassroots organization (kept rendered with
        the other charts of the figures)."""
        found = (self._attendance_trend(), self._compliance())
        return [chart for chart in found if chart is not None]

    def _attendance_trend(self) -> charts.Chart | None:
        spec = attendance_by_month(
            self.figures, link=lambda month: self._meetings_of(self.organization.pk, month)
        )
        return None if spec is None else charts.Chart("attendance", spec, row_header=_("Month"))

    def _compliance(self) -> charts.Chart | None:
        """Months held against months due by grassroots organization (each chi bộ and đảng ủy cơ
        sở under it counts its own months), the organizations that missed the most first."""
        by_grassroots = [
            (code, row)
            for code, row in self.figures["meetings"]["by_grassroots"].items()
            if row["regular_due"]
        ]
        if not by_grassroots:
            return None
        shown = sorted(
            by_grassroots,
            key=lambda item: (
                item[1]["regular_held"] - item[1]["regular_due"],
                -item[1]["regular_due"],
                item[1]["name"],
            ),
        )[:COMPLIANCE_ROWS]
        units = self._meeting_units
        rows = []
        for code, row in shown:
            unit_id = units.get(code)
            rows.append(
                {
                    "label": row["name"],
                    "series": _("Held"),
                    "value": row["regular_held"],
                    "href": self._meetings_of(unit_id) if unit_id else "",
                }
            )
            rows.append(
                {
                    "label": row["name"],
                    "series": _("Due"),
                    "value": row["regular_due"],
                    "href": self._compliance_of(unit_id, behind=True) if unit_id else "",
                }
            )
        spec = charts.grouped_bar(
            rows,
            title=_("Regular meetings by grassroots organization"),
            description=_(
                "Months in which each Party cell and grassroots Party committee held its regular meeting, "
                "against the months due, for the %(shown)s grassroots organizations that missed the most "
                "(of %(all)s)."
            )
            % {"shown": len(shown), "all": len(by_grassroots)},
        )
        return charts.Chart("compliance", spec, row_header=_("Grassroots organization"))

    def behind(self) -> dict | None:
        """The organizations that missed a regular or thematic meeting in the period: the first
        BEHIND_ROWS, each opening its compliance and its meetings, and the link to all of them."""
        m = self.figures["meetings"]
        if not m["behind"]:
            return None
        units = self._meeting_units
        rows = []
        for row in m["behind"][:BEHIND_ROWS]:
            unit_id = units.get(row["code"])
            grassroots = m["by_grassroots"].get(row["grassroots"] or "")
            rows.append(
                {
                    "name": row["name"],
                    "grassroots": grassroots["name"]
                    if grassroots and row["grassroots"] != row["code"]
                    else "",
                    "regular_missing": ", ".join(month_label(month) for month in row["regular_missing"]),
                    "thematic_missing": ", ".join(block_label(month) for month in row["thematic_missing"]),
                    "compliance_url": self._compliance_of(unit_id, behind=True) if unit_id else "",
                    "meetings_url": self._meetings_of(unit_id) if unit_id else "",
                }
            )
        return {
            "rows": rows,
            "count": len(m["behind"]),
            "url": self._compliance_of(self.organization.pk, behind=True),
        }

    def below(self) -> list[dict]:
        """The grassroots organizations under the node with their figures, each opening its own
        dashboard for the same period: the way down the tree. One query (their ids and names)."""
        by_grassroots = self.figures["members"]["by_grassroots"]
        admitted = self.figures["admissions"]["by_grassroots"]
        own = self.figures["organization"]["code"]
        codes = [code for code in by_grassroots if code != own]
        if not codes:
            return []
        units = Organization.objects.filter(code__in=codes).only("pk", "code", "name").order_by("path")
        url = reverse("reports:dashboard")
        return [
            {
                "name": unit.name,
                "url": f"{url}?{urlencode({'organization': unit.pk, 'period': str(self.period)})}",
                "members": by_grassroots[unit.code]["total"],
                "probationary": by_grassroots[unit.code]["probationary"],
                "admitted": admitted.get(unit.code, {}).get("admitted", 0),
                "members_url": member_list_url(unit, on_register=_iso(self.as_of)),
            }
            for unit in units
        ]

    def figure_charts(self) -> list[charts.Chart]:
        """The charts of the figures: the same for every user who may see the node (the page keeps
        them, rendered, as long as the figures do)."""
        found = (self._by_sector(), self._by_status(), self._pyramid(), self._by_month(), self._admissions())
        return [chart for chart in found if chart is not None]

    def attention_chart(self) -> charts.Chart | None:
        """The user's own alerts, by kind (kept a minute: ``attention.kept_counts``)."""
        return self._attention()

    def _by_sector(self) -> charts.Chart | None:
        spec = members_by_sector(self.figures, link=lambda sector: self._registered(sector=sector))
        if spec is None:
            return None
        return charts.Chart("sector", spec, row_header=_("Sector"), value_header=_("Party members"))

    def _by_status(self) -> charts.Chart | None:
        members = self.figures["members"]
        if not members["total"]:
            return None
        rows = [
            {
                "label": _("Official members"),
                "value": members["official"],
                "href": self._registered(status="chinh_thuc"),
            },
            {
                "label": _("Probationary members"),
                "value": members["probationary"],
                "href": self._registered(status="du_bi"),
            },
        ]
        spec = charts.bar(
            rows, title=_("Party members by status"), description=_("Official and probationary members.")
        )
        return charts.Chart("status", spec, row_header=_("Status"), value_header=_("Party members"))

    def _pyramid(self) -> charts.Chart | None:
        by_age = self.figures["members"]["by_age"]
        rows = []
        for band in AGE_BANDS:
            age_from, age_to = AGE_RANGES[band]
            for gender in GENDERS:
                rows.append(
                    {
                        "band": str(labels.AGE_BAND_LABELS[band]),
                        "gender": gender,
                        "value": by_age[band][gender],
                        "href": self._registered(
                            gender=gender, age_from=age_from, age_to=age_to, age_on=_iso(self.as_of)
                        ),
                    }
                )
        if not any(row["value"] for row in rows):
            return None
        spec = charts.pyramid(
            rows, title=_("Age pyramid"), description=_("Members on the register by age and gender.")
        )
        return charts.Chart("pyramid", spec, row_header=_("Age"))

    def _by_month(self) -> charts.Chart | None:
        by_month = self.figures["movements"]["by_month"]
        links = {"admitted": "admitted", "made_official": "official", "exits": "exited"}
        rows = []
        for month, row in by_month.items():
            first = date.fromisoformat(f"{month}-01")
            last = Period.month_of(first).end
            for key in MONTHLY_KEYS:
                href = ""
                if key in links:
                    extra = {"exit": "out_of_party"} if key == "exits" else {}
                    href = self._in_period(links[key], first, last, **extra)
                rows.append(
                    {
                        "month": month,
                        "series": str(labels.MOVEMENT_LABELS[key]),
                        "value": row[key],
                        "href": href,
                    }
                )
        if not any(row["value"] for row in rows):
            return None
        spec = charts.line_by_month(
            rows,
            title=_("Movements by month"),
            description=_("Members admitted, made official, transferred and leaving, month by month."),
        )
        return charts.Chart("months", spec, row_header=_("Month"))

    def _admissions(self) -> charts.Chart | None:
        """The grassroots organizations with the largest targets (then admissions): a bloc has about
        150, more than a chart can show; the table below the charts and the XLSX annex list them all."""
        by_grassroots = self.figures["admissions"]["by_grassroots"]
        if not by_grassroots:
            return None
        largest = sorted(
            by_grassroots.items(),
            key=lambda item: (-(item[1]["target"] or 0), -item[1]["admitted"], item[1]["name"]),
        )[:ADMISSION_ROWS]
        units = Organization.objects.filter(code__in=[code for code, _row in largest]).only("pk", "code")
        codes = {unit.code: unit for unit in units}
        rows = []
        for code, row in largest:
            unit = codes.get(code)
            href = (
                member_list_url(unit, admitted_from=_iso(self.start), admitted_to=_iso(self.as_of))
                if unit
                else ""
            )
            rows.append({"label": row["name"], "series": _("Target"), "value": row["target"] or 0})
            rows.append(
                {"label": row["name"], "series": _("Admitted"), "value": row["admitted"], "href": href}
            )
        spec = charts.grouped_bar(
            rows,
            title=_("Admissions against the target"),
            description=_(
                "Admissions in the period and the targets of its years, for the %(shown)s grassroots "
                "organizations with the largest targets (of %(all)s)."
            )
            % {"shown": len(largest), "all": len(by_grassroots)},
        )
        return charts.Chart("admissions", spec, row_header=_("Grassroots organization"))

    # The case work (inspections, discipline, letters) -------------------------------------------

    @functools.cached_property
    def case_work_view(self) -> str:
        """What the user sees of the case work on this node: "links" (counts that open the cases,
        decisions and letters behind them: the inspector in scope), "counts" (leaders and staff: the
        numbers alone), or "" (nothing). Part of the key the section is kept rendered under."""
        if not access.has_permission(self.user, "case.figures", self.organization):
            return ""
        return "links" if access.has_permission(self.user, "case.view", self.organization) else "counts"

    def _case_link(self, name: str, **params) -> str:
        """The list behind a count, for the users who may open it; "" for the others."""
        if self.case_work_view != "links":
            return ""
        return page_url(name, within=self.organization.pk, **params)

    def _cases(self, **params) -> str:
        return self._case_link(
            "inspections:cases", opened_from=_iso(self.start), opened_to=_iso(self.as_of), **params
        )

    def _decisions(self, **params) -> str:
        return self._case_link(
            "inspections:decisions",
            decided_from=_iso(self.start),
            decided_to=_iso(self.as_of),
            in_force=1,
            **params,
        )

    def _letters(self, **params) -> str:
        return self._case_link("inspections:complaints", **params)

    def case_work_cards(self) -> list[Card]:
        """Counts and outcomes of the inspection commission's work, against the comparable period. A
        count of cases, decisions or letters opens the list of exactly those rows; the organizations
        and members covered are counted once however many cases they had, so they open the cases
        behind them instead."""
        i, pi = self.figures["inspections"], self.previous["inspections"]
        d, pd = self.figures["discipline"], self.previous["discipline"]
        c, pc = self.figures["complaints"], self.previous["complaints"]
        cases_label = _("Cases")
        organizations, members = self._cases(target="organization"), self._cases(target="member")
        return [
            Card(
                _("Inspection and supervision cases"),
                i["cases"],
                pi["cases"],
                self._cases(),
                key="inspections.cases",
            ),
            Card(
                _("Organizations inspected or supervised"),
                i["organizations_covered"],
                pi["organizations_covered"],
                note=_("of which %(count)s grassroots") % {"count": i["grassroots_covered"]},
                detail_href=organizations,
                detail_label=cases_label,
                key="inspections.organizations_covered",
            ),
            Card(
                _("Party members inspected or supervised"),
                i["members_covered"],
                pi["members_covered"],
                note=_("of whom %(count)s secretaries") % {"count": i["secretaries_covered"]},
                detail_href=members,
                detail_label=cases_label,
                key="inspections.members_covered",
            ),
            Card(
                _("Violations found"),
                i["violations_found"],
                pi["violations_found"],
                self._case_link(
                    "inspections:cases",
                    closed_from=_iso(self.start),
                    closed_to=_iso(self.as_of),
                    violation=1,
                ),
                key="inspections.violations_found",
            ),
            Card(
                _("Organizations disciplined"),
                d["organizations"],
                pd["organizations"],
                self._decisions(target="organization"),
                key="discipline.organizations",
            ),
            Card(
                _("Party members disciplined"),
                d["members"],
                pd["members"],
                self._decisions(target="member"),
                key="discipline.members",
            ),
            Card(
                _("Letters received"),
                c["received"],
                pc["received"],
                self._letters(received_from=_iso(self.start), received_to=_iso(self.as_of)),
                key="complaints.received",
            ),
            Card(
                _("Letters settled"),
                c["resolved"],
                pc["resolved"],
                self._letters(
                    status=Complaint.Status.RESOLVED.value,
                    resolved_from=_iso(self.start),
                    resolved_to=_iso(self.as_of),
                ),
                key="complaints.resolved",
            ),
            Card(
                _("Letters being handled"),
                c["pending"],
                pc["pending"],
                self._letters(pending_on=_iso(self.as_of)),
                note=_("on %(day)s") % {"day": format_day(self.as_of)},
                key="complaints.pending",
            ),
            Card(
                _("Letters past their deadline"),
                c["overdue"],
                pc["overdue"],
                self._letters(overdue_on=_iso(self.as_of)),
                key="complaints.overdue",
            ),
        ]

    def case_work_charts(self) -> list[charts.Chart]:
        """The cases by kind and the discipline by form (kept rendered with the cards)."""
        found = (self._cases_by_kind(), self._discipline_by_form())
        return [chart for chart in found if chart is not None]

    def _cases_by_kind(self) -> charts.Chart | None:
        inspections = self.figures["inspections"]
        if not inspections["cases"]:
            return None
        rows = [
            {
                "label": str(Case.Kind(kind).label),
                "value": inspections["by_kind"][kind],
                "href": self._cases(kind=kind),
            }
            for kind in CASE_KINDS
        ]
        spec = charts.bar(
            rows,
            title=_("Inspection and supervision cases by kind"),
            description=_("Cases decided in the period, by kind."),
        )
        return charts.Chart("case-kinds", spec, row_header=_("Kind of case"), value_header=_("Cases"))

    def _discipline_by_form(self) -> charts.Chart | None:
        discipline = self.figures["discipline"]
        if not discipline["organizations"] and not discipline["members"]:
            return None
        rows = []
        for form in DisciplineDecision.Form.values:
            label = str(DisciplineDecision.Form(form).label)
            for target, forms, key, series in (
                ("organization", ORGANIZATION_FORMS, "organizations_by_form", _("Organizations")),
                ("member", MEMBER_FORMS, "members_by_form", _("Party members")),
            ):
                if form in forms:
                    rows.append(
                        {
                            "label": label,
                            "series": series,
                            "value": discipline[key][form],
                            "href": self._decisions(target=target, form=form),
                        }
                    )
        spec = charts.grouped_bar(
            rows,
            title=_("Discipline by form"),
            description=_(
                "Discipline decisions taken in the period and not annulled on appeal, by their form now, "
                "on organizations and on Party members."
            ),
        )
        return charts.Chart("discipline-forms", spec, row_header=_("Form of discipline"))

    def _attention(self) -> charts.Chart | None:
        counts = attention.kept_counts(self.user)
        hub = reverse("attention")
        rows = [
            {"label": str(provider.title), "value": counts[provider.key], "href": f"{hub}#{provider.key}"}
            for provider in attention.providers(self.user)
            if counts.get(provider.key)
        ]
        if not rows:
            return None
        spec = charts.bar(
            rows, title=_("Needs attention"), description=_("Open alerts in your scope, by kind.")
        )
        return charts.Chart("attention", spec, row_header=_("Alert"), value_header=_("Count"))

    # Quality ratings and emulation ---------------------------------------------------------------

    @functools.cached_property
    def ratings_view(self) -> str:
        """What the user sees of the ratings on this node: the counts for everyone who reads the
        dashboard, "links" to the rating lists behind them for a user holding ``rating.view`` on the
        node, plus "ranking" when they may open the ranking (``emulation.view`` on the node: the bloc's
        sheet is read by everyone scored on it, its ranking page shows the rows of the reader's scope).
        Part of the key the section is kept rendered under."""
        parts = []
        if access.has_permission(self.user, "rating.view", self.organization):
            parts.append("links")
        if access.has_permission(self.user, "emulation.view", self.organization):
            parts.append("ranking")
        return "-".join(parts) or "counts"

    @property
    def _root_path(self) -> str:
        """The path of the bloc, the root of the node's tree (it owns the score sheets)."""
        return self.organization.path[:PATH_STEP]

    @property
    def has_ratings(self) -> bool:
        r = self.figures["ratings"]
        return bool(
            r["members"]["rated"] or r["organizations"]["rated"] or self.figures["emulation"]["ranking"]
        )

    def _rating_link(self, name: str, **params) -> str:
        """The rating list behind a count, for the users who may open it; "" for the others."""
        if "links" not in self.ratings_view.split("-"):
            return ""
        return page_url(name, **params)

    def _member_ratings(self, year: int | None, level: str = "") -> str:
        if year is None:  # a span of years: the lists filter one year
            return ""
        return self._rating_link(
            "emulation:member_rating_list", year=year, level=level, within=self.organization.pk
        )

    def _organization_ratings(self, year: int | None, level: str = "") -> str:
        if year is None:
            return ""
        return self._rating_link(
            "emulation:organization_rating_list",
            year=year,
            level=level,
            within=self.organization.pk,
            grassroots=1,
        )

    @property
    def _single_year(self) -> int | None:
        years = self.figures["ratings"]["years"]
        return years[0] if len(years) == 1 else None

    def rating_cards(self) -> list[Card]:
        """Members and grassroots organizations rated and their shares of "hoàn thành tốt nhiệm vụ trở
        lên", against the comparable period; a count opens the rating list of its year (one year only)."""
        r, p = self.figures["ratings"], self.previous["ratings"]
        year = self._single_year
        members, organizations = r["members"], r["organizations"]
        cards = [
            Card(
                _("Party members rated"),
                members["rated"],
                p["members"]["rated"],
                self._member_ratings(year),
                key="ratings.members.rated",
            ),
            Card(
                _("Members who fulfilled their duties well or excellently"),
                members["good_or_excellent_percent"],
                p["members"]["good_or_excellent_percent"],
                suffix="%",
                note=f"{members['good_or_excellent']}/{members['rated']}",
                key="ratings.members.good_or_excellent_percent",
            ),
            Card(
                _("Grassroots organizations rated"),
                organizations["rated"],
                p["organizations"]["rated"],
                self._organization_ratings(year),
                key="ratings.organizations.rated",
            ),
            Card(
                _("Grassroots organizations that fulfilled their duties well or better"),
                organizations["good_or_excellent_percent"],
                p["organizations"]["good_or_excellent_percent"],
                suffix="%",
                note=f"{organizations['good_or_excellent']}/{organizations['rated']}",
                key="ratings.organizations.good_or_excellent_percent",
            ),
        ]
        if organizations["tsvm_percent"] is not None:
            cards.append(
                Card(
                    _("Clean and strong grassroots organizations"),
                    organizations["tsvm_percent"],
                    p["organizations"].get("tsvm_percent"),
                    suffix="%",
                    key="ratings.organizations.tsvm_percent",
                )
            )
        return cards

    def rating_charts(self) -> list[charts.Chart]:
        """The levels of the members and of the grassroots organizations, year by year (kept rendered
        with the cards)."""
        found = (self._levels_by_year("members"), self._levels_by_year("organizations"))
        return [chart for chart in found if chart is not None]

    def _levels_by_year(self, whom: str) -> charts.Chart | None:
        link = self._member_ratings if whom == "members" else self._organization_ratings
        spec = levels_by_year(self.figures, whom, link=link)
        if spec is None:
            return None
        name = "rating-members" if whom == "members" else "rating-organizations"
        return charts.Chart(name, spec, row_header=_("Year"))

    def over_quota(self) -> list[dict]:
        """The groups over the excellence quota, each opening the ratings of its group and year: the
        members of a chi bộ, the organizations a committee rates. One query (their ids)."""
        groups = self.figures["ratings"]["over_quota_groups"]
        if not groups:
            return []
        ids = dict(
            Organization.objects.filter(code__in={row["code"] for row in groups}).values_list("code", "pk")
        )
        rows = []
        for row in groups:
            unit_id = ids.get(row["code"])
            name = (
                "emulation:member_rating_list"
                if row["group"] == "members"
                else "emulation:organization_rating_list"
            )
            rows.append(
                {
                    **row,
                    "whom": _("Party members") if row["group"] == "members" else _("Organizations it rates"),
                    "href": self._rating_link(name, year=row["year"], within=unit_id, over_quota=1)
                    if unit_id
                    else "",
                }
            )
        return rows

    def ranking(self) -> dict | None:
        """The first rows of the bloc's ranking (the node's own rows below the bloc) and the link to the
        whole ranking, for the users who may open it. One query (the sheet's id) when linked."""
        emulation = self.figures["emulation"]
        if not emulation["ranking"]:
            return None
        url = ""
        if "ranking" in self.ratings_view.split("-"):
            sheet_id = emulation_figures.issued_sheet_id(self._root_path, emulation["year"])
            url = reverse("emulation:ranking", args=[sheet_id]) if sheet_id else ""
        return {
            "year": emulation["year"],
            "sheet": emulation["sheet"],
            "rows": emulation["ranking"][:RANKING_ROWS],
            "count": len(emulation["ranking"]),
            "url": url,
        }
