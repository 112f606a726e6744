"""The spreadsheet formats of past case work (docs/import-formats.md, *Cases* and *Discipline
decisions*): the inspection commission keeps years of registers of cases and decisions in
spreadsheets.

A row of ``--kind cases`` is one case: its decision (number, date, kind), the body of the organization
that conducted it (an empty code: the bloc), exactly one target (an organization by code, or a member
by Party card number or CCCD) and, once concluded, its end date and conclusion. A row of ``--kind
discipline`` is one decision: its number and date, the deciding body, the target, the form, and the
case it came from (optional, by the case's decision number on the same target).

Every record goes through the services of the forms, as decided before the portal (``imported``):
``cases.open_case(imported=True, closed_on=…, conclusion=…)`` and ``discipline.decide(imported=True)``,
which makes the decision's effect on its date (a khai trừ ends the membership, a cách chức the seat held
that day, a giải tán dissolves the organization). The rules those records break (``cases.case_problems``,
``discipline.decision_problems``: DOMAIN.md §5) are not refused but listed as warnings on their rows
(DOMAIN.md "Decisions" 4). The decisions are written in the order of their dates, so that an earlier
decision's effect is there for a later one.

A record the register has (the same organization, decision number and target) is left alone, and its
effect is not made again: a file imported twice writes its records once.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.fields import Field
from import_export.widgets import DateWidget

from blocportal.dates import PARTY_FOUNDED
from blocportal.imports import (
    ImportResource,
    ImportResult,
    Outcome,
    Row,
    check_dates,
    check_fields,
    duplicates_in_file,
    in_scope,
    organization_by_code,
    register,
    scoped_by_code,
)
from members.models import Member
from members.resources import NamedMembers, cccd_cell
from organizations.models import Organization

from .models import Body, Case, DisciplineDecision
from .services import cases, discipline

NUMBER = "Số quyết định"
DAY = "Ngày quyết định"
TARGET_CODE = "Mã tổ chức đối tượng"
TARGET_CARD = "Số thẻ đảng viên đối tượng"
TARGET_CCCD = "Số CCCD đối tượng"
# Cases
KIND = "Loại"
ACTING = "Mã tổ chức tiến hành"
BODY = "Chủ thể tiến hành"
CLOSED = "Ngày kết thúc"
CONCLUSION = "Kết luận"
# Discipline decisions
DECIDING = "Mã tổ chức quyết định"
LEVEL = "Cấp quyết định"
FORM = "Hình thức"
CASE_NUMBER = "Số quyết định kiểm tra"

BODY_LABELS = {
    Body.EXECUTIVE: "Ban Chấp hành",
    Body.STANDING: "Ban Thường vụ",
    Body.COMMISSION: "Ủy ban Kiểm tra",
    Body.CELL: "Chi bộ",
    Body.STAFF: "Cơ quan tham mưu",
}
Kind = Case.Kind
KIND_LABELS = {
    Kind.SIGNS_OF_VIOLATION: "Kiểm tra khi có dấu hiệu vi phạm",
    Kind.INSPECTION_DUTIES: "Kiểm tra việc thực hiện nhiệm vụ kiểm tra, giám sát, thi hành kỷ luật",
    Kind.FINANCE: "Kiểm tra tài chính đảng",
    Kind.REGULAR_SUPERVISION: "Giám sát thường xuyên",
    Kind.THEMATIC_SUPERVISION: "Giám sát chuyên đề",
    Kind.DENUNCIATION: "Giải quyết tố cáo",
    Kind.APPEAL: "Giải quyết khiếu nại kỷ luật",
}
Conclusion = Case.Conclusion
CONCLUSION_LABELS = {
    Conclusion.NO_VIOLATION: "Không vi phạm",
    Conclusion.MINOR: "Có vi phạm nhưng chưa đến mức xử lý kỷ luật",
    Conclusion.DISCIPLINE: "Vi phạm đến mức phải xử lý kỷ luật",
}
Form = DisciplineDecision.Form
FORM_LABELS = {
    Form.REPRIMAND: "Khiển trách",
    Form.WARNING: "Cảnh cáo",
    Form.DISMISSAL: "Cách chức",
    Form.EXPULSION: "Khai trừ",
    Form.DISSOLUTION: "Giải tán",
}
# Service field → the column its ValidationError belongs to; ``target_member`` is the column that
# named the member (``_Entry.member_column``); an error without a field is the whole row's.
CASE_COLUMNS = {
    "organization": ACTING,
    "body": BODY,
    "kind": KIND,
    "decision_no": NUMBER,
    "opened_on": DAY,
    "plan_year": DAY,
    "due_on": DAY,
    "target_organization": TARGET_CODE,
    "closed_on": CLOSED,
    "conclusion": CONCLUSION,
    "findings": CONCLUSION,
    "stage": CONCLUSION,
}
DECISION_COLUMNS = {
    "organization": DECIDING,
    "body": LEVEL,
    "decision_no": NUMBER,
    "decided_on": DAY,
    "effective_on": DAY,
    "form": FORM,
    "seat": FORM,
    "target_organization": TARGET_CODE,
    "case": CASE_NUMBER,
    # The effects' services: the date of the movement or of the seat's end is the decision's.
    "on": DAY,
    "ends_on": DAY,
}


@dataclass(eq=False)
class _Entry:
    """One row read into values ("" / None where the cell is empty or wrong), and what it names."""

    row: Row
    decision_no: str
    day: date | None
    code: str  # of the acting (deciding) organization; "" for the bloc
    body: str
    target_code: str
    card_number: str
    cccd: str
    # cases
    kind: str = ""
    closed_on: date | None = None
    conclusion: str = ""
    # decisions
    form: str = ""
    case_number: str = ""
    case: Case | None = None
    # resolved
    organization: Organization | None = None
    target_organization: Organization | None = None
    target_member: Member | None = None
    member_column: str = TARGET_CCCD

    @property
    def target_key(self) -> tuple[int | None, int | None] | None:
        if self.target_organization is not None:
            return (self.target_organization.pk, None)
        if self.target_member is not None:
            return (None, self.target_member.pk)
        return None

    @property
    def key(self) -> tuple | None:
        """What makes a record the same one: organization, decision number, target."""
        if self.organization is None or not self.decision_no or self.target_key is None:
            return None
        return (self.organization.pk, self.decision_no, *self.target_key)

    @property
    def file_key(self) -> str:
        """The key as text, for ``duplicates_in_file`` ("" while a part is missing)."""
        return "" if self.key is None else repr(self.key)


class _CaseWorkResource(ImportResource):
    """What the cases and the decisions share: the decision, the acting organization and its body,
    the one target; the rows are checked, then written through the service in date order, each one
    that the register does not have yet."""

    permission = "case.import"
    namespace = "inspections"
    # Years of a bloc's case work: a few hundred records a year.
    max_rows = 10_000
    # The columns of the acting organization and body, and the URL name of the list the page leads to.
    acting_column: ClassVar[str] = ACTING
    body_column: ClassVar[str] = BODY
    problem_column: ClassVar[str] = ""
    list_url_name: ClassVar[str] = ""

    @classmethod
    def page_urls(cls) -> dict[str, str]:
        """The cases and the decisions share the import page (``inspections:import``), one register
        at a time (``?kind=``); each has its template (``inspections:import_template``, by kind)."""
        return {
            "import": f"{reverse('inspections:import')}?kind={cls.kind}",
            "import_template": reverse("inspections:import_template", args=[cls.kind]),
            "list": reverse(cls.list_url_name),
        }

    # --- import

    def import_rows(self, rows: list[Row], *, user, result: ImportResult) -> None:
        entries = [self._read(row) for row in rows]
        organizations = scoped_by_code(Organization.objects.all(), entries, "code", "target_code", user=user)
        bloc = _bloc() if any(not entry.code for entry in entries) else None
        members = NamedMembers.read(
            (entry.card_number for entry in entries),
            (entry.cccd for entry in entries),
            Member.objects.visible_to(user),
        )
        for entry in entries:
            self._resolve(entry, organizations=organizations, bloc=bloc, members=members, user=user)
        self._resolve_more(entries, user=user)
        duplicates = duplicates_in_file(
            entries,
            {NUMBER: "file_key"},
            repeated=lambda _key, row: (
                _("The same decision on the same target is already on row %(row)s.") % {"row": row}
            ),
        )
        recorded = self._recorded(entries)
        ordered = sorted(entries, key=lambda entry: (entry.day or date.max, entry.row.number))
        for entry in result.track(ordered):
            if entry in duplicates:
                continue
            self._apply(entry, recorded=recorded, user=user, result=result)

    def _read_common(self, row: Row) -> dict:
        values = {
            "row": row,
            "decision_no": row.text(NUMBER, required=True).strip(),
            "day": row.date(DAY, required=True),
            "code": row.text(self.acting_column).strip().upper(),
            "body": row.choice(self.body_column, BODY_LABELS, required=True),
            "target_code": row.text(TARGET_CODE).strip().upper(),
            "card_number": row.text(TARGET_CARD).strip(),
            "cccd": cccd_cell(row.values.get(TARGET_CCCD)).strip(),
        }
        check_fields(row, Case, {"decision_no": values["decision_no"]}, columns={"decision_no": NUMBER})
        if values["target_code"] and (values["card_number"] or values["cccd"]):
            row.error(
                TARGET_CODE,
                _(
                    "Give exactly one target: the code of an organization, or the Party card number or "
                    "citizen ID number of a member, not both."
                ),
            )
        elif not (values["target_code"] or values["card_number"] or values["cccd"]):
            row.error(
                TARGET_CODE,
                _(
                    "Give the target: the code of an organization, or the Party card number or citizen ID "
                    "number of a member."
                ),
            )
        return values

    def _read(self, row: Row) -> _Entry:
        raise NotImplementedError

    def _resolve(self, entry: _Entry, *, organizations, bloc: Organization | None, members, user) -> None:
        """The acting organization (in the importer's scope; the bloc when the cell is empty) and the
        target the row names. A member is looked up among those the importer can see."""
        row = entry.row
        if entry.code:
            organization = organization_by_code(
                row, self.acting_column, entry.code, organizations, user=user, permission=self.permission
            )
            if not row.has_error_in(self.acting_column):
                entry.organization = organization
        elif bloc is None:
            row.error(self.acting_column, _("The register has no bloc Party committee: give the code."))
        elif in_scope(row, self.acting_column, bloc.code, bloc, user=user, permission=self.permission):
            entry.organization = bloc
        if entry.target_code and not row.has_error_in(TARGET_CODE):
            target = organization_by_code(
                row, TARGET_CODE, entry.target_code, organizations, user=user, permission=self.permission
            )
            if not row.has_error_in(TARGET_CODE):
                entry.target_organization = target
        elif (entry.card_number or entry.cccd) and not row.has_error_in(TARGET_CODE):
            entry.target_member, entry.member_column = _find_member(row, members, entry)

    def _resolve_more(self, entries: list[_Entry], *, user) -> None:
        """What a register's own columns name (a decision's case)."""

    def _recorded(self, entries: list[_Entry]) -> set[tuple]:
        """The keys of the records the register has among those the rows name. One query."""
        raise NotImplementedError

    def _complete(self, entry: _Entry) -> bool:
        """Every value the service needs was read and found (possibly with errors of its own)."""
        return bool(entry.key is not None and entry.day is not None and entry.body)

    def _apply(self, entry: _Entry, *, recorded: set[tuple], user, result: ImportResult) -> None:
        """A record the register has is left alone; a new one is written through the service: for
        real when the row has no error, on trial (always undone) otherwise, for the errors only the
        service sees. The rules it breaks are the row's warnings."""
        row = entry.row
        if not self._complete(entry):
            return
        if entry.key in recorded:
            if not row.has_errors:
                result.record(Outcome.UNCHANGED)
            return
        problems: list[str] = []

        def write():
            record = self._write(entry, user=user)
            problems.extend(self._problems(record))
            return record

        written = row.write(write, columns={**self._columns(), "target_member": entry.member_column})
        for problem in problems:
            row.warn(self.problem_column, problem)
        if written is not None:
            recorded.add(entry.key)
            result.record(Outcome.CREATED, row)

    def _columns(self) -> dict[str, str]:
        raise NotImplementedError

    def _write(self, entry: _Entry, *, user):
        raise NotImplementedError

    def _problems(self, record) -> list[str]:
        raise NotImplementedError


@register
class CaseResource(_CaseWorkResource):
    kind = "cases"
    sheet_title = "Kiem tra giam sat"
    title = gettext_lazy("Import inspection and supervision cases")
    problem_column = KIND
    list_url_name = "inspections:cases"

    decision_no = Field(attribute="decision_no", column_name=NUMBER)
    opened_on = Field(attribute="opened_on", column_name=DAY, widget=DateWidget("%d/%m/%Y"))
    kind_label = Field(attribute="kind", column_name=KIND)
    organization_code = Field(attribute="organization__code", column_name=ACTING)
    body_label = Field(attribute="body", column_name=BODY)
    target_code = Field(attribute="target_organization__code", column_name=TARGET_CODE)
    card_number = Field(attribute="target_member__card_number", column_name=TARGET_CARD)
    cccd = Field(attribute="target_member__cccd", column_name=TARGET_CCCD)
    closed_on = Field(attribute="closed_on", column_name=CLOSED, widget=DateWidget("%d/%m/%Y"))
    conclusion_label = Field(attribute="conclusion", column_name=CONCLUSION)

    class Meta:
        model = Case
        fields = (
            "decision_no",
            "opened_on",
            "kind_label",
            "organization_code",
            "body_label",
            "target_code",
            "card_number",
            "cccd",
            "closed_on",
            "conclusion_label",
        )
        export_order = fields

    # --- export (the template's columns; case files are not exported)

    def dehydrate_kind_label(self, case: Case) -> str:
        return KIND_LABELS.get(case.kind, case.kind)

    def dehydrate_body_label(self, case: Case) -> str:
        return BODY_LABELS.get(case.body, case.body)

    def dehydrate_conclusion_label(self, case: Case) -> str:
        return CONCLUSION_LABELS.get(case.conclusion, case.conclusion)

    def example_rows(self) -> list[list[object]]:
        return [
            [
                "12-QĐ/UBKTĐUK",
                "03/03/2025",
                KIND_LABELS[Kind.SIGNS_OF_VIOLATION],
                "",
                BODY_LABELS[Body.COMMISSION],
                "",
                "79012345",
                "",
                "30/05/2025",
                CONCLUSION_LABELS[Conclusion.DISCIPLINE],
            ],
            [
                "05-QĐ/ĐUK",
                "15/01/2025",
                KIND_LABELS[Kind.THEMATIC_SUPERVISION],
                "",
                BODY_LABELS[Body.STANDING],
                "DB-STC",
                "",
                "",
                "",
                "",
            ],
            [
                "21-QĐ/UBKT",
                "10/04/2025",
                KIND_LABELS[Kind.FINANCE],
                "DB-STC",
                BODY_LABELS[Body.COMMISSION],
                "DB-STC-NS",
                "",
                "",
                "20/06/2025",
                CONCLUSION_LABELS[Conclusion.NO_VIOLATION],
            ],
        ]

    # --- import

    def _read(self, row: Row) -> _Entry:
        entry = _Entry(
            **self._read_common(row),
            kind=row.choice(KIND, KIND_LABELS, required=True),
            closed_on=row.date(CLOSED),
            conclusion=row.choice(CONCLUSION, CONCLUSION_LABELS),
        )
        check_dates(
            row,
            {"opened_on": entry.day, "closed_on": entry.closed_on},
            columns={"opened_on": DAY, "closed_on": CLOSED},
            earliest={"opened_on": PARTY_FOUNDED, "closed_on": PARTY_FOUNDED},
        )
        if entry.day and entry.closed_on and entry.closed_on < entry.day:
            row.error(CLOSED, _("A case cannot be concluded before its decision date."))
        if entry.conclusion and not entry.closed_on and not row.has_error_in(CLOSED):
            row.error(CLOSED, _("Enter the date of the conclusion."))
        if entry.closed_on and not entry.conclusion and not row.has_error_in(CONCLUSION):
            row.error(CONCLUSION, _("Choose the conclusion."))
        return entry

    def _recorded(self, entries: list[_Entry]) -> set[tuple]:
        return _recorded_keys(Case, entries)

    def _complete(self, entry: _Entry) -> bool:
        return super()._complete(entry) and bool(entry.kind)

    def _columns(self) -> dict[str, str]:
        return CASE_COLUMNS

    def _write(self, entry: _Entry, *, user) -> Case:
        return cases.open_case(
            organization=entry.organization,
            body=entry.body,
            kind=entry.kind,
            decision_no=entry.decision_no,
            opened_on=entry.day,
            target_organization=entry.target_organization,
            target_member=entry.target_member,
            imported=True,
            closed_on=entry.closed_on,
            conclusion=entry.conclusion,
            by=user,
        )

    def _problems(self, record: Case) -> list[str]:
        return cases.case_problems(record)


@register
class DecisionResource(_CaseWorkResource):
    kind = "discipline"
    sheet_title = "Ky luat dang"
    title = gettext_lazy("Import discipline decisions")
    acting_column = DECIDING
    body_column = LEVEL
    problem_column = FORM
    list_url_name = "inspections:decisions"

    decision_no = Field(attribute="decision_no", column_name=NUMBER)
    decided_on = Field(attribute="decided_on", column_name=DAY, widget=DateWidget("%d/%m/%Y"))
    organization_code = Field(attribute="organization__code", column_name=DECIDING)
    body_label = Field(attribute="body", column_name=LEVEL)
    target_code = Field(attribute="target_organization__code", column_name=TARGET_CODE)
    card_number = Field(attribute="target_member__card_number", column_name=TARGET_CARD)
    cccd = Field(attribute="target_member__cccd", column_name=TARGET_CCCD)
    form_label = Field(attribute="form", column_name=FORM)
    case_number = Field(attribute="case__decision_no", column_name=CASE_NUMBER)

    class Meta:
        model = DisciplineDecision
        fields = (
            "decision_no",
            "decided_on",
            "organization_code",
            "body_label",
            "target_code",
            "card_number",
            "cccd",
            "form_label",
            "case_number",
        )
        export_order = fields

    # --- export (the template's columns)

    def dehydrate_body_label(self, decision: DisciplineDecision) -> str:
        return BODY_LABELS.get(decision.body, decision.body)

    def dehydrate_form_label(self, decision: DisciplineDecision) -> str:
        return FORM_LABELS.get(decision.form, decision.form)

    def example_rows(self) -> list[list[object]]:
        return [
            [
                "101-QĐ/ĐUK",
                "10/06/2025",
                "",
                BODY_LABELS[Body.STANDING],
                "",
                "79012345",
                "",
                FORM_LABELS[Form.EXPULSION],
                "12-QĐ/UBKTĐUK",
            ],
            [
                "45-QĐ/ĐU",
                "02/07/2025",
                "DB-STC",
                BODY_LABELS[Body.EXECUTIVE],
                "DB-STC-NS",
                "",
                "",
                FORM_LABELS[Form.REPRIMAND],
                "",
            ],
            [
                "03-QĐ/CB",
                "15/08/2025",
                "DB-STC-NS",
                BODY_LABELS[Body.CELL],
                "",
                "",
                "064190004321",
                FORM_LABELS[Form.WARNING],
                "",
            ],
        ]

    # --- import

    def _read(self, row: Row) -> _Entry:
        entry = _Entry(
            **self._read_common(row),
            form=row.choice(FORM, FORM_LABELS, required=True),
            case_number=row.text(CASE_NUMBER).strip(),
        )
        check_dates(
            row,
            {"decided_on": entry.day},
            columns={"decided_on": DAY},
            earliest={"decided_on": PARTY_FOUNDED},
        )
        return entry

    def _resolve_more(self, entries: list[_Entry], *, user) -> None:
        """The case each decision came from: the importer's case with that decision number on the
        same target (imported from the cases file first, or recorded in the portal). One query."""
        numbers = {entry.case_number for entry in entries if entry.case_number}
        if not numbers:
            return
        found: dict[tuple, list[Case]] = defaultdict(list)
        for case in Case.objects.visible_to(user).filter(decision_no__in=sorted(numbers)):
            found[(case.decision_no, case.target_organization_id, case.target_member_id)].append(case)
        for entry in entries:
            if not entry.case_number or entry.target_key is None:
                continue
            matches = found.get((entry.case_number, *entry.target_key), [])
            if len(matches) == 1:
                entry.case = matches[0]
            elif not matches:
                entry.row.error(
                    CASE_NUMBER,
                    _(
                        "No case with the decision number «%(number)s» on this target: import the cases "
                        "first, or leave the cell empty."
                    )
                    % {"number": entry.case_number},
                )
            else:
                entry.row.error(
                    CASE_NUMBER,
                    _("%(count)s cases have the decision number «%(number)s» on this target.")
                    % {"count": len(matches), "number": entry.case_number},
                )

    def _recorded(self, entries: list[_Entry]) -> set[tuple]:
        return _recorded_keys(DisciplineDecision, entries)

    def _complete(self, entry: _Entry) -> bool:
        return (
            super()._complete(entry)
            and bool(entry.form)
            and (not entry.case_number or entry.case is not None)
        )

    def _columns(self) -> dict[str, str]:
        return DECISION_COLUMNS

    def _write(self, entry: _Entry, *, user) -> DisciplineDecision:
        return discipline.decide(
            organization=entry.organization,
            body=entry.body,
            decision_no=entry.decision_no,
            decided_on=entry.day,
            form=entry.form,
            target_organization=entry.target_organization,
            target_member=entry.target_member,
            case=entry.case,
            imported=True,
            by=user,
        )

    def _problems(self, record: DisciplineDecision) -> list[str]:
        return discipline.decision_problems(record)


def _bloc() -> Organization | None:
    """The organization an empty code means: the bloc Party committee at the top of the tree."""
    return (
        Organization.objects.filter(kind=Organization.Kind.BLOC, parent__isnull=True).order_by("pk").first()
    )


def _find_member(row: Row, members: NamedMembers, entry: _Entry) -> tuple[Member | None, str]:
    """The member the row's target cells name, and the column that named them; the error on the row
    when the two numbers belong to different members or name nobody the importer can see."""
    card_member = members.by_card.get(entry.card_number) if entry.card_number else None
    cccd_member = members.by_cccd.get(entry.cccd) if entry.cccd else None
    if card_member is not None and cccd_member is not None and card_member.pk != cccd_member.pk:
        row.error(
            TARGET_CCCD,
            _(
                "The Party card number and the citizen ID number belong to two different "
                "members of the register."
            ),
        )
        return None, TARGET_CCCD
    member = card_member or cccd_member
    if member is None:
        if entry.card_number:
            row.error(
                TARGET_CARD,
                _("No member has the Party card number «%(value)s».") % {"value": entry.card_number},
            )
        if entry.cccd:
            row.error(
                TARGET_CCCD, _("No member has the citizen ID number «%(value)s».") % {"value": entry.cccd}
            )
    return member, TARGET_CARD if card_member is not None else TARGET_CCCD


def _recorded_keys(model, entries: list[_Entry]) -> set[tuple]:
    """(organization, decision number, target organization, target member) of the records of
    ``model`` the register has with the organizations and numbers of the rows. One query."""
    organizations = {entry.organization.pk for entry in entries if entry.organization is not None}
    numbers = {entry.decision_no for entry in entries if entry.decision_no}
    if not organizations or not numbers:
        return set()
    return set(
        model.objects.filter(organization__in=organizations, decision_no__in=sorted(numbers)).values_list(
            "organization_id", "decision_no", "target_organization_id", "target_member_id"
        )
    )
