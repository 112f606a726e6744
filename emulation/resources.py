"""The spreadsheet formats of past ratings (docs/import-formats.md, *Member ratings* and *Organization
ratings*): the committees keep years of year-end results in spreadsheets, from before the portal and
from the reviews of each December.

A row of ``--kind member_ratings`` is one member's rating for a year (``Quý`` empty) or a quarter: the
member by Party card number or CCCD, the level. A row of ``--kind organization_ratings`` is one
organization's, by its code. ``Xếp loại`` takes the codes and the Vietnamese names, current and legacy
(trong sạch, vững mạnh; yếu kém) and the wording of the member ratings before 2018 ("Đủ tư cách, hoàn
thành tốt nhiệm vụ"), whatever the case and the tone marks.

The ratings are recorded as they were decided (DOMAIN.md "Decisions" 4) through
``record_decided_member`` / ``record_decided_organization``: a rule a rating breaks on its own (a member
disciplined in the year rated above the cap, an exempted member rated) is kept on the rating as a flag
and listed as a warning of its row; a group over the excellence quota (the members rated in one chi bộ,
the organizations under one committee) is named by a warning on its rows, and by the figures
(``ratings.over_quota``), never refused. A rating the register has with the same level is left alone, so
a file imported twice changes nothing.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.fields import Field

from blocportal import access
from blocportal.imports import (
    ImportResource,
    ImportResult,
    Outcome,
    Row,
    cell_text,
    duplicates_in_file,
    organization_by_code,
    register,
    scoped_by_code,
)
from blocportal.text import search_key
from members.models import Member
from members.resources import NamedMembers, cccd_cell
from organizations.models import Organization

from . import checks
from .models import Level, MemberRating, OrganizationRating
from .services import ratings

YEAR = "Năm"
QUARTER = "Quý"
CARD = "Số thẻ đảng viên"
CCCD = "Số CCCD"
CODE = "Mã tổ chức"
LEVEL = "Xếp loại"

# The names of the levels in the Party's documents: what the template and the export write.
LEVEL_NAMES = {
    Level.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    Level.GOOD: "Hoàn thành tốt nhiệm vụ",
    Level.DONE: "Hoàn thành nhiệm vụ",
    Level.FAILED: "Không hoàn thành nhiệm vụ",
    Level.CLEAN_STRONG: "Trong sạch, vững mạnh",
    Level.WEAK: "Yếu kém",
}
# The wordings of the older registers, read as the same levels: the member ratings before HD 16-HD/BTCTW
# (2018) put "đủ tư cách" first, and the legacy organization ratings singled out the best of the
# "trong sạch, vững mạnh" as "tiêu biểu".
OLD_NAMES = {
    "Đủ tư cách, hoàn thành xuất sắc nhiệm vụ": Level.EXCELLENT,
    "Đủ tư cách, hoàn thành tốt nhiệm vụ": Level.GOOD,
    "Đủ tư cách, hoàn thành nhiệm vụ": Level.DONE,
    "Đủ tư cách, hoàn thành nhiệm vụ nhưng còn hạn chế": Level.DONE,
    "Vi phạm tư cách hoặc không hoàn thành nhiệm vụ": Level.FAILED,
    "Vi phạm tư cách": Level.FAILED,
    "Trong sạch, vững mạnh tiêu biểu": Level.CLEAN_STRONG,
}
QUARTERS = {"1": 1, "2": 2, "3": 3, "4": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4}


def _key(text: str) -> str:
    """Lower-case, without tone marks, punctuation or repeated spaces: "Trong sạch, vững mạnh" and
    "trong sach vung manh" are the same name."""
    return " ".join(re.sub(r"[^\w\s]", " ", search_key(text)).split())


_LEVELS = {
    **{_key(level.value): level.value for level in Level},
    **{_key(name): level.value for level, name in LEVEL_NAMES.items()},
    **{_key(name): level.value for name, level in OLD_NAMES.items()},
}


def level_of(text: str) -> str | None:
    """The level a cell names (a code or a name, current, legacy or old), or None."""
    return _LEVELS.get(_key(text))


@dataclass(eq=False)
class _Entry:
    """One row read into values (0 / "" where the cell is empty or wrong), and what it names."""

    row: Row
    year: int
    quarter: int
    level: str
    code: str = ""
    card_number: str = ""
    cccd: str = ""
    organization: Organization | None = None  # organization ratings
    member: Member | None = None  # member ratings
    member_column: str = CCCD

    @property
    def subject(self) -> Member | Organization | None:
        return self.member if self.member is not None else self.organization

    @property
    def key(self) -> tuple[int, int, int] | None:
        """The rating the row is: its member (or organization), year and quarter."""
        if self.subject is None or not self.year:
            return None
        return (self.subject.pk, self.year, self.quarter)

    @property
    def file_key(self) -> str:
        return "" if self.key is None else repr(self.key)


class _RatingResource(ImportResource):
    """What the two registers share: the period, the level, the write through the service of the
    decided ratings, the outcome against the register, the warnings of the rules broken."""

    permission = "rating.import"
    namespace = "emulation"
    # Years of a bloc's ratings: some 4 000 members a year.
    max_rows = 50_000
    # A file of yearly ratings may leave out the quarter (issue 12 names Năm, the subject, Xếp loại).
    optional_columns: ClassVar[tuple[str, ...]] = (QUARTER,)
    subject_column: ClassVar[str] = ""
    is_organization: ClassVar[bool] = False
    list_url_name: ClassVar[str] = ""
    model: ClassVar[type[MemberRating] | type[OrganizationRating]]
    # The rating's subject, and its quota group: the chi bộ it was given in, the committee approving it.
    subject_field: ClassVar[str] = ""
    group_field: ClassVar[str] = ""

    @classmethod
    def page_urls(cls) -> dict[str, str]:
        """The emulation registers share the import page (``emulation:import?kind=``), each with its
        template (``emulation:import_template``)."""
        return {
            "import": f"{reverse('emulation:import')}?kind={cls.kind}",
            "import_template": reverse("emulation:import_template", args=[cls.kind]),
            "list": reverse(cls.list_url_name),
        }

    def dehydrate_level_name(self, rating) -> str:
        return LEVEL_NAMES.get(rating.level, rating.level)

    def dehydrate_quarter_number(self, rating) -> str:
        return str(rating.quarter) if rating.quarter else ""

    # --- import

    def import_rows(self, rows: list[Row], *, user, result: ImportResult) -> None:
        entries = [self._read(row) for row in rows]
        self._resolve(entries, user=user)
        duplicates = duplicates_in_file(
            entries,
            {self.subject_column: "file_key"},
            repeated=lambda _key, row: (
                _("The same rating for the same period is already on row %(row)s.") % {"row": row}
            ),
        )
        recorded = self._recorded(entries)
        groups: dict[tuple[int, int, int], list[_Entry]] = defaultdict(list)
        for entry in result.track(entries):
            if entry in duplicates or entry.key is None or not entry.level:
                continue
            group_id = self._apply(entry, recorded=recorded, user=user, result=result)
            if group_id is not None:
                groups[(group_id, entry.year, entry.quarter)].append(entry)
        self._warn_over_quota(groups)

    def _read(self, row: Row) -> _Entry:
        year = self._year(row)
        quarter = self._quarter(row)
        level = ""
        text = row.text(LEVEL, required=True)
        if text:
            level = level_of(text) or ""
            if not level:
                row.error(
                    LEVEL,
                    _("«%(value)s» is not an accepted value. Accepted values: %(choices)s.")
                    % {"value": text, "choices": "; ".join(LEVEL_NAMES.values())},
                )
        if year and not row.has_error_in(QUARTER):
            row.check(checks.check_period, year, quarter, columns={"year": YEAR, "quarter": QUARTER})
        if level and year and not row.has_error_in(YEAR):
            if level not in checks.levels_for(organization=self.is_organization, year=year):
                row.error(LEVEL, checks.level_message(organization=self.is_organization, year=year))
                level = ""
        return self._entry(row, year=year, quarter=quarter, level=level)

    def _year(self, row: Row) -> int:
        value = row.values.get(YEAR)
        text = row.text(YEAR, required=True)
        if not text:
            return 0
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if not (text.isdigit() and len(text) == 4):
            row.error(YEAR, _("«%(value)s» is not a year: write it with four digits.") % {"value": text})
            return 0
        return int(text)

    def _quarter(self, row: Row) -> int:
        value = row.values.get(QUARTER)
        text = cell_text(value)
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if not text:
            return 0
        quarter = QUARTERS.get(_key(text).removeprefix("quy ").strip())
        if quarter is None:
            row.error(
                QUARTER,
                _("«%(value)s» is not a quarter: write 1 to 4, or leave the cell empty for the whole year.")
                % {"value": text},
            )
            return 0
        return quarter

    def _entry(self, row: Row, *, year: int, quarter: int, level: str) -> _Entry:
        raise NotImplementedError

    def _resolve(self, entries: list[_Entry], *, user) -> None:
        raise NotImplementedError

    def _recorded(
        self, entries: list[_Entry]
    ) -> dict[tuple[int, int, int], tuple[str, list[str], int | None]]:
        """(subject, year, quarter) → (level, flags, group) of the ratings the register has among those
        the rows name. One query."""
        subjects = {entry.subject.pk for entry in entries if entry.subject is not None}
        years = {entry.year for entry in entries if entry.year}
        if not subjects or not years:
            return {}
        found = self.model.objects.filter(
            **{f"{self.subject_field}__in": sorted(subjects), "year__in": sorted(years)}
        )
        return {
            (subject_id, year, quarter): (level, flags, group_id)
            for subject_id, year, quarter, level, flags, group_id in found.values_list(
                self.subject_field, "year", "quarter", "level", "flags", self.group_field
            )
        }

    def _apply(self, entry: _Entry, *, recorded, user, result: ImportResult) -> int | None:
        """A rating the register has at the same level is left alone; any other is written through the
        service: for real when the row has no error, on trial (always undone) otherwise. The rules it
        breaks on its own are the row's warnings. Returns the group of the rating written or left alone
        (its chi bộ, or the committee that approves it), for the quota."""
        row = entry.row
        known = recorded.get(entry.key)
        if known is not None and known[0] == entry.level:
            if row.has_errors:
                return None
            result.record(Outcome.UNCHANGED)
            for flag in known[1]:
                row.warn(LEVEL, flag)
            return known[2]
        flags: list[str] = []

        def write():
            rating, _changed = self._write(entry, user=user)
            self._check_scope(entry, rating, user=user)
            flags.extend(rating.flags)
            return rating

        rating = row.write(write, columns=self._columns(entry))
        for flag in flags:
            row.warn(LEVEL, flag)
        if rating is None:
            return None
        group_id = getattr(rating, self.group_field)
        recorded[entry.key] = (entry.level, flags, group_id)
        result.record(Outcome.CREATED if known is None else Outcome.CHANGED, row, changed=[LEVEL])
        return group_id

    def _columns(self, entry: _Entry) -> dict[str, str]:
        """Service field → the column its ValidationError belongs to."""
        return {"year": YEAR, "quarter": QUARTER, "level": LEVEL, "organization": self.subject_column}

    def _write(self, entry: _Entry, *, user):
        raise NotImplementedError

    def _check_scope(self, entry: _Entry, rating, *, user) -> None:
        """The rating lands in an organization the importer may import into (raises otherwise)."""

    def _warn_over_quota(self, groups: dict[tuple[int, int, int], list[_Entry]]) -> None:
        """Each group the rows wrote into (or left alone in) whose decided ratings, as they stand after
        the file, break the excellence quota: a warning naming the group and its excellent members (the
        rule's message) and the file's rows of the group, on those rows rated excellent (or the first).
        Two queries, and one more a group over the quota."""
        if not groups:
            return
        standing = _standing(self.model, self.group_field, self.subject_field, groups)
        owners = Organization.objects.in_bulk({group_id for group_id, _year, _quarter in groups})
        for (group_id, year, quarter), entries in groups.items():
            levels = standing.get((group_id, year, quarter), {})
            if not checks.quota_broken(levels.values(), checks.period_bounds(year, quarter)[1]):
                continue
            rows = ", ".join(str(number) for number in sorted(entry.row.number for entry in entries))
            concerned = [entry for entry in entries if entry.level == Level.EXCELLENT] or entries[:1]
            for problem in self._quota_problems(owners[group_id], year, quarter, levels):
                message = _("%(problem)s Rows of this file in the group: %(rows)s.") % {
                    "problem": problem.message,
                    "rows": rows,
                }
                for entry in concerned:
                    entry.row.warn(LEVEL, message)

    def _quota_problems(self, owner: Organization, year: int, quarter: int, levels: dict[int, str]):
        """The quota's problem of the group: the rule's check with no rating of its own checked (none in
        a legacy year)."""
        raise NotImplementedError


@register
class MemberRatingResource(_RatingResource):
    kind = "member_ratings"
    sheet_title = "Xep loai dang vien"
    title = gettext_lazy("Import member ratings")
    subject_column = CARD
    list_url_name = "emulation:member_rating_list"
    model = MemberRating
    subject_field, group_field = "member_id", "organization_id"
    # The member is named by the Party card number or the CCCD: a file may have either column.
    optional_columns = (QUARTER, CARD, CCCD)

    year_number = Field(attribute="year", column_name=YEAR)
    quarter_number = Field(attribute="quarter", column_name=QUARTER)
    card_number = Field(attribute="member__card_number", column_name=CARD)
    cccd = Field(attribute="member__cccd", column_name=CCCD)
    level_name = Field(attribute="level", column_name=LEVEL)

    class Meta:
        model = MemberRating
        fields = ("year_number", "quarter_number", "card_number", "cccd", "level_name")
        export_order = fields

    def example_rows(self) -> list[list[object]]:
        return [
            [2025, "", "79012345", "", LEVEL_NAMES[Level.GOOD]],
            [2025, "", "", "064190004321", LEVEL_NAMES[Level.EXCELLENT]],
            [2025, "", "79034567", "", LEVEL_NAMES[Level.DONE]],
            [2016, "", "79012345", "", "Đủ tư cách, hoàn thành tốt nhiệm vụ"],
        ]

    # --- import

    def _entry(self, row: Row, *, year: int, quarter: int, level: str) -> _Entry:
        entry = _Entry(
            row=row,
            year=year,
            quarter=quarter,
            level=level,
            card_number=row.text(CARD).strip(),
            cccd=cccd_cell(row.values.get(CCCD)).strip(),
        )
        if not entry.card_number and not entry.cccd:
            row.error(CCCD, _("Give the Party card number or the citizen ID number of the member."))
        return entry

    def _resolve(self, entries: list[_Entry], *, user) -> None:
        """The member each row names, among those the importer can see (one query)."""
        members = NamedMembers.read(
            (entry.card_number for entry in entries),
            (entry.cccd for entry in entries),
            Member.objects.visible_to(user),
        )
        for entry in entries:
            if entry.card_number or entry.cccd:
                entry.member, entry.member_column = members.find(entry.row, entry.card_number, entry.cccd)

    def _columns(self, entry: _Entry) -> dict[str, str]:
        return {**super()._columns(entry), "member": entry.member_column, "organization": entry.member_column}

    def _write(self, entry: _Entry, *, user):
        return ratings.record_decided_member(
            member=entry.member, year=entry.year, quarter=entry.quarter, level=entry.level, by=user
        )

    def _check_scope(self, entry: _Entry, rating, *, user) -> None:
        """A member the importer sees today may have been rated in a chi bộ outside their scope (a
        member transferred in since): that rating is not theirs to record."""
        if not access.has_permission(user, self.permission, rating.organization):
            raise ValidationError(
                {
                    "organization": _("%(name)s was rated in %(organization)s, outside your scope.")
                    % {"name": entry.member.full_name, "organization": rating.organization.name}
                }
            )

    def _quota_problems(self, owner, year, quarter, levels):
        return checks.member_problems(owner, year, quarter, levels, checked=())


@register
class OrganizationRatingResource(_RatingResource):
    kind = "organization_ratings"
    sheet_title = "Xep loai to chuc dang"
    title = gettext_lazy("Import organization ratings")
    subject_column = CODE
    is_organization = True
    list_url_name = "emulation:organization_rating_list"
    model = OrganizationRating
    subject_field, group_field = "organization_id", "approver_id"

    year_number = Field(attribute="year", column_name=YEAR)
    quarter_number = Field(attribute="quarter", column_name=QUARTER)
    organization_code = Field(attribute="organization__code", column_name=CODE)
    level_name = Field(attribute="level", column_name=LEVEL)

    class Meta:
        model = OrganizationRating
        fields = ("year_number", "quarter_number", "organization_code", "level_name")
        export_order = fields

    def example_rows(self) -> list[list[object]]:
        return [
            [2025, "", "DB-STC", LEVEL_NAMES[Level.GOOD]],
            [2025, "", "DB-STC-NS", LEVEL_NAMES[Level.EXCELLENT]],
            [2016, "", "DB-STC", LEVEL_NAMES[Level.CLEAN_STRONG]],
            [2016, "", "DB-STC-NS", LEVEL_NAMES[Level.GOOD]],
        ]

    # --- import

    def _entry(self, row: Row, *, year: int, quarter: int, level: str) -> _Entry:
        return _Entry(
            row=row, year=year, quarter=quarter, level=level, code=row.text(CODE, required=True).upper()
        )

    def _resolve(self, entries: list[_Entry], *, user) -> None:
        """The organization each row names, in the importer's scope (one query), rated by a committee
        of the bloc (a tổ đảng and the bloc itself are not) and existing in the period."""
        organizations = scoped_by_code(Organization.objects.all(), entries, "code", user=user)
        for entry in entries:
            if not entry.code:
                continue
            row = entry.row
            organization = organization_by_code(
                row, CODE, entry.code, organizations, user=user, permission=self.permission
            )
            if row.has_error_in(CODE):
                continue
            if checks.approver_of(organization, entry.year, entry.quarter) is None:
                row.error(
                    CODE,
                    _(
                        "%(name)s is not rated by a committee of the bloc: only the grassroots "
                        "organizations and the Party cells and branch committees under them are."
                    )
                    % {"name": organization.name},
                )
                continue
            if entry.year and not _existed(organization, entry.year, entry.quarter):
                row.error(
                    CODE,
                    _("%(name)s did not exist in %(year)s.")
                    % {"name": organization.name, "year": entry.year},
                )
                continue
            entry.organization = organization

    def _write(self, entry: _Entry, *, user):
        return ratings.record_decided_organization(
            organization=entry.organization,
            year=entry.year,
            quarter=entry.quarter,
            level=entry.level,
            by=user,
        )

    def _quota_problems(self, owner, year, quarter, levels):
        return checks.organization_problems(owner, year, quarter, levels, checked=())


def _standing(model, group: str, subject: str, groups) -> dict[tuple[int, int, int], dict[int, str]]:
    """(group, year, quarter) → subject → decided level, for the groups. One query (by the groups'
    owners and years, then kept to the groups themselves)."""
    standing: dict[tuple[int, int, int], dict[int, str]] = defaultdict(dict)
    found = model.objects.decided().filter(
        **{f"{group}__in": sorted({key[0] for key in groups}), "year__in": sorted({key[1] for key in groups})}
    )
    for group_id, year, quarter, subject_id, level in found.values_list(
        group, "year", "quarter", subject, "level"
    ):
        if (group_id, year, quarter) in groups:
            standing[(group_id, year, quarter)][subject_id] = level
    return standing


def _existed(organization: Organization, year: int, quarter: int) -> bool:
    start, end = checks.period_bounds(year, quarter)
    established, dissolved = organization.established_on, organization.dissolved_on
    return (established is None or established <= end) and (dissolved is None or dissolved >= start)
