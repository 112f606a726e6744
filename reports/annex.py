"""The XLSX annex (phụ lục số liệu): the figures of ``statistics()`` as sheets a secretary can copy
into a spreadsheet. Written from the figures alone, so it always agrees with the dashboard and the PDF."""

from typing import BinaryIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from . import labels
from .statistics import (
    AGE_BANDS,
    GENDERS,
    MEETING_DUE_KINDS,
    MEMBER_LEVELS,
    MONTHLY_KEYS,
    MOVEMENT_KEYS,
    ORGANIZATION_LEVELS,
    PARTY_AGE_BANDS,
    SECTORS,
    THEORY_LEVELS,
)

BOLD = Font(bold=True)


def write_annex(figures: dict, stream: BinaryIO) -> None:
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")
    organization, period = figures["organization"], figures["period"]
    summary.append([organization["name"]])
    summary.append([_("Period"), period["code"], _("As of"), period["as_of"]])
    summary.append([])
    _header(summary, [_("Figure"), _("Key"), _("Value")])
    for key, label in labels.HEADLINE:
        summary.append([str(label), key, labels.value(figures, key)])

    members = figures["members"]
    sheet = workbook.create_sheet(_("Members"))
    _header(sheet, [_("Sector"), _("Grassroots Party organizations"), _("Party members")])
    for sector in SECTORS:
        grassroots = figures["organizations"]["grassroots"]["by_sector"][sector]
        if grassroots or members["by_sector"][sector]:
            sheet.append([str(labels.SECTOR_LABELS[sector]), grassroots, members["by_sector"][sector]])
    sheet.append([])
    _header(sheet, [_("Age"), *[str(labels.GENDER_LABELS[g]) for g in GENDERS]])
    for band in AGE_BANDS:
        sheet.append([str(labels.AGE_BAND_LABELS[band]), *[members["by_age"][band][g] for g in GENDERS]])
    sheet.append([])
    _header(sheet, [_("Party age"), _("Party members")])
    for band in PARTY_AGE_BANDS:
        sheet.append([str(labels.PARTY_AGE_BAND_LABELS[band]), members["by_party_age"][band]])
    sheet.append([])
    _header(sheet, [_("Political theory"), _("Party members")])
    for level in THEORY_LEVELS:
        sheet.append([str(labels.THEORY_LABELS[level]), members["by_theory"][level]])
    sheet.append([])
    _header(sheet, [_("General education"), _("Party members")])
    for level, count in members["by_education"].items():
        sheet.append([level, count])

    sheet = workbook.create_sheet(_("By organization"))
    _header(
        sheet,
        [_("Code"), _("Party members"), _("Official members"), _("Probationary members"), _("Women")],
    )
    for code, row in sorted(members["by_grassroots"].items()):
        sheet.append([code, row["total"], row["official"], row["probationary"], row["women"]])

    sheet = workbook.create_sheet(_("Movements"))
    _header(sheet, [_("Movement"), _("Key"), _("Count")])
    for key in MOVEMENT_KEYS:
        sheet.append([str(labels.MOVEMENT_LABELS[key]), f"movements.{key}", figures["movements"][key]])
    sheet.append([])
    _header(sheet, [_("Month"), *[str(labels.MOVEMENT_LABELS[key]) for key in MONTHLY_KEYS]])
    for month, row in figures["movements"]["by_month"].items():
        sheet.append([month, *[row[key] for key in MONTHLY_KEYS]])

    sheet = workbook.create_sheet(_("Admissions"))
    admissions = figures["admissions"]
    _header(
        sheet,
        [
            _("Code"),
            _("Organization"),
            _("Admission target"),
            _("Admitted"),
            _("Share of the target, percent"),
        ],
    )
    for code, row in sorted(admissions["by_grassroots"].items()):
        sheet.append([code, row["name"], row["target"], row["admitted"], row["percent_of_target"]])
    sheet.append(
        [
            _("Total"),
            organization["name"],
            admissions["target"],
            admissions["admitted"],
            admissions["percent_of_target"],
        ]
    )
    if figures.get("meetings") is not None:  # none in figures frozen before the meetings
        _meetings_sheet(workbook.create_sheet(_("Meetings and study")), figures)
    if figures.get("inspections") is not None:  # none in figures frozen before the case work
        sheet = workbook.create_sheet(_("Case work"))  # a sheet title: at most 31 characters
        _header(sheet, [_("Figure"), _("Key"), _("Count")])
        for label, key in labels.case_work_rows():
            sheet.append([str(label), key, labels.value(figures, key)])
    if figures.get("ratings") is not None:  # none in figures frozen before the ratings
        _ratings_sheet(workbook.create_sheet(_("Ratings and emulation")), figures)
    for worksheet in workbook.worksheets:
        worksheet.column_dimensions["A"].width = 48
    workbook.save(stream)


MEETING_COUNTS = ("regular_held", "regular_due", "thematic_held", "thematic_due")


def _meetings_sheet(sheet, figures: dict) -> None:
    """Sections II and III of the report: the meetings by kind of organization (the PDF's table), by
    grassroots organization with their attendance, and the study sessions' attendance."""
    meetings = figures["meetings"]
    count_titles = [
        _("Regular meetings held (organization-months)"),
        _("Regular meetings due (organization-months)"),
        _("Thematic meetings held (Party cell-quarters)"),
        _("Thematic meetings due (Party cell-quarters)"),
    ]
    _header(
        sheet,
        [
            _("Kind of organization due a meeting"),
            _("Organizations due a monthly meeting"),
            _("Organizations meeting every month"),
            *count_titles,
        ],
    )
    for kind in MEETING_DUE_KINDS:
        row = meetings["by_kind"].get(kind)
        if row and row["total"]:
            sheet.append(
                [
                    str(labels.KIND_LABELS[kind]),
                    row["total"],
                    row["every_month"],
                    *(row.get(key) for key in MEETING_COUNTS),
                ]
            )
    sheet.append(
        [
            _("Total"),
            meetings["cells_total"],
            meetings["cells_meeting_every_month"],
            *(meetings[key] for key in MEETING_COUNTS),
        ]
    )
    sheet.append([])
    _header(
        sheet,
        [
            _("Code"),
            _("Organization"),
            *count_titles,
            _("Members expected at regular meetings"),
            _("Members present at regular meetings"),
            _("Member attendance at meetings, percent"),
        ],
    )
    for code, row in sorted(meetings["by_grassroots"].items()):
        sheet.append(
            [
                code,
                row["name"],
                *(row[key] for key in MEETING_COUNTS),
                row["expected"],
                row["present"],
                row["attendance_percent"],
            ]
        )
    sheet.append(
        [
            _("Total"),
            figures["organization"]["name"],
            *(meetings[key] for key in MEETING_COUNTS),
            meetings["expected"],
            meetings["present"],
            meetings["attendance_percent"],
        ]
    )
    study = figures.get("study")
    if study is None:
        return
    sheet.append([])
    _header(
        sheet,
        [
            _("Attendees of the study sessions"),
            _("Expected or invited at the study sessions"),
            _("Present at the study sessions"),
            _("Present at the study sessions, percent"),
        ],
    )
    sheet.append(
        [_("Party members"), study["members_expected"], study["members_present"], study["member_percent"]]
    )
    sheet.append(
        [
            _("Non-members invited to study"),
            study["non_members_invited"],
            study["non_members_present"],
            study["non_member_percent"],
        ]
    )
    sheet.append([_("Study sessions of resolutions and directives"), study["sessions"]])


def _ratings_sheet(sheet, figures: dict) -> None:
    """One row per rating key (a list of codes written out), then the levels year by year and the
    ranking of the bloc's score sheet."""
    _header(sheet, [_("Figure"), _("Key"), _("Value")])
    for label, key in labels.rating_rows():
        value = labels.value(figures, key)
        sheet.append([str(label), key, ", ".join(value) if isinstance(value, list) else value])
    ratings = figures["ratings"]
    sheet.append([])
    level_names = [str(labels.LEVEL_LABELS[level]) for level in MEMBER_LEVELS]
    organization_names = [str(labels.LEVEL_LABELS[level]) for level in ORGANIZATION_LEVELS]
    _header(
        sheet,
        [
            _("Year"),
            _("Party members rated"),
            *level_names,
            _("Grassroots organizations rated"),
            *organization_names,
        ],
    )
    for year in ratings["years"]:
        row = ratings["by_year"][str(year)]
        sheet.append(
            [
                year,
                row["members"]["rated"],
                *(row["members"]["by_level"][level] for level in MEMBER_LEVELS),
                row["organizations"]["rated"],
                *(row["organizations"]["by_level"][level] for level in ORGANIZATION_LEVELS),
            ]
        )
    emulation = figures.get("emulation") or {}
    if emulation.get("ranking"):
        sheet.append([])
        sheet.append([emulation["sheet"]])
        _header(
            sheet,
            [
                _("Rank"),
                _("Code"),
                _("Organization"),
                _("Total points"),
                _("Band"),
                _("Cluster"),
                _("Rank in the cluster"),
            ],
        )
        for row in emulation["ranking"]:
            sheet.append(
                [
                    row["rank"],
                    row["code"],
                    row["name"],
                    row["total"],
                    row["band"],
                    row["cluster"],
                    row["cluster_rank"],
                ]
            )


def _header(sheet, titles: list) -> None:
    sheet.append([str(title) for title in titles])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
