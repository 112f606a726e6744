"""Importing a year's emulation scores (``manage.py import_data --kind scores``, the import page
``emulation:import?kind=scores``) against the bloc's issued sheet of that year (the sheet of
test_scoring.py: 1.1 out of 60, 1.2 out of 40, bonus C1 5, penalty T1 10, veto PQ1): the points through
the services of the score page, all or nothing, every error by row and column, a second import changing
nothing, the ranks following. Messages are compared through gettext, as the page and the command show them.
"""

# ruff: noqa: F811

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from blocportal import imports
from emulation.models import Score
from emulation.score_resources import ScoreResource
from emulation.selectors.ranking import ranking
from tests import import_page
from tests.import_page import errors_of, msg
from tests.members.import_columns import xlsx

from .test_scoring import criteria, draft, org_c, org_d, sheet  # noqa: F401

D = Decimal
# Spelled out as docs/import-formats.md fixes them, so a changed header fails here.
HEADER = ["Năm", "Mã tổ chức", "Mã tiêu chí", "Điểm", "Điểm tự chấm"]
THE_SCORES = [
    [2025, "A", "1.1", 58, 60],
    [2025, "A", "1.2", 37, 38],
    [2025, "A", "PQ1", 0, 0],
    [2025, "B", "1.1", "55,5", ""],
    [2025, "B", "1.2", 34.5, ""],
    [2025, "B", "T1", 2, ""],
    [2025, "C", "1.1", 50, 50],
    [2025, "C", "1.2", 38, 40],
    [2025, "C", "C1", 2, 2],
    [2025, "C", "PQ1", 1, 0],
]


def run(data: bytes, user, *, dry_run=False, filename="cham-diem.xlsx") -> imports.ImportResult:
    return imports.run_import(
        data, filename=filename, user=user, dry_run=dry_run, resource_class=ScoreResource
    )


def scores_file(*rows, header=HEADER) -> bytes:
    return xlsx(*rows, header=header)


def totals(sheet) -> dict[str, tuple]:
    return {row.code: (row.rank, row.self_total, row.total, row.band) for row in ranking(sheet)}


def test_a_year_of_scores_is_checked_then_imported(sheet, org_a, org_b, org_c, staff_user):
    data = scores_file(*THE_SCORES)

    checked = run(data, staff_user, dry_run=True)
    assert errors_of(checked) == []
    assert (checked.created, checked.changed, checked.unchanged) == (10, 0, 0)
    assert not Score.objects.exists()

    result = run(data, staff_user)
    assert result.committed and result.created == 10
    assert totals(sheet) == {
        "A": (1, D(98), D(95), "Xuất sắc"),
        # C: 50 + 38 + 2; its veto met caps the band at Khá.
        "C": (2, D(92), D(90), "Khá"),
        "B": (3, D(0), D(88), "Tốt"),
    }
    score = Score.objects.get(organization=org_b, criterion__code="1.1")
    assert (score.points, score.self_points, score.imported, score.approved_by) == (
        D("55.5"),
        None,
        True,
        staff_user,
    )


def test_a_second_import_changes_nothing(sheet, org_a, org_b, org_c, staff_user):
    data = scores_file(*THE_SCORES)
    run(data, staff_user)
    history = Score.history.count()

    again = run(data, staff_user)

    assert (again.created, again.changed, again.unchanged) == (0, 0, 10)
    assert Score.history.count() == history


def test_a_corrected_point_changes_that_score_and_the_ranks(sheet, org_a, org_b, org_c, staff_user):
    run(scores_file(*THE_SCORES), staff_user)

    result = run(scores_file([2025, "B", "1.1", 60, ""], [2025, "A", "1.2", 37, ""]), staff_user)

    assert (result.created, result.changed, result.unchanged) == (0, 1, 1)
    assert [(line.row, [cell.column for cell in line.cells if cell.changed]) for line in result.preview] == [
        (2, ["Điểm"])
    ]
    assert totals(sheet)["B"][:3] == (2, D(0), D("92.5"))
    score = Score.objects.get(organization=org_b, criterion__code="1.1")
    assert [record.points for record in score.history.order_by("history_id")] == [D("55.5"), D(60)]


def test_the_self_assessed_column_may_be_left_out(sheet, org_a, staff_user):
    result = run(scores_file([2025, "A", "1.1", 50], header=HEADER[:4]), staff_user)

    assert result.committed and result.created == 1
    assert Score.objects.get().points == D(50)


def test_every_error_by_row_and_column_and_nothing_written(sheet, org_a, org_b, cell_a1, staff_user):
    rows = [
        [2025, "A", "1.1", 58, 60],  # fine, but the file has errors
        [2025, "A", "9.9", 5, ""],  # unknown criterion
        [2025, "B", "1.1", 61, ""],  # over the maximum
        [2025, "B", "PQ1", 2, ""],  # a veto is 0 or 1
        [2025, "ZZ", "1.2", 10, ""],  # unknown organization
        [2025, "A1", "1.2", 10, ""],  # a chi bộ trực thuộc is not scored
        [2024, "A", "1.1", 10, ""],  # no sheet that year
        [2025, "B", "1.2", "mười", ""],  # not a number
        [2025, "B", "T1", "", ""],  # no points at all
        [2025, "A", "1.1", 50, ""],  # the same score again
        ["", "A", "1.2", 30, "3,125"],  # no year; three decimals
    ]

    result = run(scores_file(*rows), staff_user)

    between = "%(code)s: the points are between 0 and %(max)s."
    assert errors_of(result) == [
        (
            3,
            "Mã tiêu chí",
            msg("The score sheet of %(year)s has no criterion «%(code)s».", year=2025, code="9.9"),
        ),
        (4, "Điểm", msg(between, code="1.1", max="60")),
        (5, "Điểm", msg("%(code)s: a veto item is 1 (met) or 0 (not met).", code="PQ1")),
        (6, "Mã tổ chức", msg("No organization has the code «%(code)s».", code="ZZ")),
        (
            7,
            "Mã tổ chức",
            msg(
                "%(name)s is not scored on the sheet of %(year)s: only the grassroots Party organizations of "
                "the bloc that existed that year are.",
                name="Chi bộ Phòng Ngân sách",
                year=2025,
            ),
        ),
        (8, "Năm", msg("The bloc has no issued score sheet for %(year)s.", year=2024)),
        (9, "Điểm", msg("«%(value)s» is not a number of points.", value="mười")),
        (10, "Điểm", msg("Give the points: approved, self-assessed or both.")),
        (
            11,
            "Mã tiêu chí",
            msg("The same organization's points on the same criterion are already on row %(row)s.", row=2),
        ),
        (12, "Năm", msg("This column is required.")),
    ]
    assert not result.committed
    assert not Score.objects.exists()


def test_three_decimals_are_refused_on_their_column(sheet, org_a, staff_user):
    result = run(scores_file([2025, "A", "1.2", 30, "3,125"]), staff_user)

    assert errors_of(result) == [
        (2, "Điểm tự chấm", msg("%(code)s: points have at most two decimals.", code="1.2"))
    ]


def test_only_staff_import_scores(sheet, org_a, secretary_a):
    with pytest.raises(imports.ImportRefused):
        run(scores_file(*THE_SCORES[:1]), secretary_a)


def test_the_command_imports_a_csv_file(sheet, org_a, staff_user, tmp_path):
    path = tmp_path / "cham-diem.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerow([2025, "A", "1.1", "57,25", "58"])
    out = io.StringIO()

    call_command("import_data", str(path), kind="scores", user=staff_user.username, stdout=out)

    assert Score.objects.get().points == D("57.25")


def test_the_import_page_has_a_scores_tab_and_template(client, sheet, org_a, staff_user):
    client.force_login(staff_user)

    page = client.get(reverse("emulation:import"), {"kind": "scores"})
    assert page.context["title"] == msg("Import emulation scores")
    assert f"{reverse('emulation:import')}?kind=scores" in [tab["url"] for tab in page.context["tabs"]]
    template = client.get(reverse("emulation:import_template", args=["scores"]))
    rows = list(openpyxl.load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER and len(rows) == 5

    with import_page.tasks_run():
        response = client.post(
            f"{reverse('emulation:import')}?kind=scores",
            {"file": SimpleUploadedFile("cham-diem.xlsx", scores_file(*THE_SCORES[:3]))},
        )
    job_page = client.get(response["Location"])
    assert job_page.context["result"].ok and job_page.context["result"].created == 3
    done = import_page.confirm(client, job_page.context["job"])
    assert done.context["job"].status == "done"
    assert Score.objects.count() == 3


def test_the_format_is_recognised_from_the_header_row():
    assert imports.resource_for_header(HEADER) is ScoreResource
