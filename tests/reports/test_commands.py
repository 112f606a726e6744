"""manage.py statistics and manage.py render_report."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from reports import services
from reports.management.commands import render_report as render_report_command
from reports.management.commands import statistics as statistics_command
from reports.models import Report
from tests.factories import OrganizationFactory

from .conftest import PERIOD


def _call(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_statistics_prints_json(bloc, org_a, org_b):
    figures = json.loads(_call("statistics", "--org", "duk", "--period", PERIOD, "--format", "json"))

    assert figures["organizations"]["grassroots"]["total"] == 2
    assert figures["organization"]["name"] == "Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh"


def test_statistics_prints_one_figure_per_line(bloc, org_a, org_b):
    lines = _call("statistics", "--org", "DUK", "--period", PERIOD).splitlines()

    assert lines[0] == f"Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh (DUK) · {PERIOD}"
    assert "organizations.grassroots.total\t2" in lines


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--org", "NOPE", "--period", PERIOD], "NOPE"), (["--org", "DUK", "--period", "2025-Q9"], "2025-Q9")],
)
def test_statistics_refuses_unknown_input(bloc, args, message):
    with pytest.raises(CommandError, match=message):
        _call("statistics", *args)


def test_render_report_writes_the_pdf(bloc, org_a, tmp_path):
    output = tmp_path / "bao-cao.pdf"

    printed = _call(
        "render_report", "--org", "DUK", "--period", PERIOD, "--kind", "quarterly", "--output", str(output)
    )

    report = Report.objects.get()
    assert output.read_bytes().startswith(b"%PDF")
    assert report.status == Report.Status.READY and report.requested_by.username == "system"
    assert "Số 01-BC/ĐUK" in printed


def test_render_report_records_the_given_user(bloc, staff_user, tmp_path):
    _call(
        "render_report",
        "--org",
        "DUK",
        "--period",
        "2025",
        "--kind",
        "annual",
        "--output",
        str(tmp_path / "x.pdf"),
        "--user",
        "staff",
    )

    assert Report.objects.get().requested_by == staff_user


def test_render_report_kind_must_match_the_period(bloc, tmp_path):
    with pytest.raises(CommandError, match="2025-H1"):
        _call(
            "render_report",
            "--org",
            "DUK",
            "--period",
            "2025-H1",
            "--kind",
            "quarterly",
            "--output",
            str(tmp_path / "x.pdf"),
        )
    assert not Report.objects.exists()


def test_render_report_explains_a_refused_request(cell_a1, system_user, tmp_path):
    # A tổ đảng issues no reports of its own.
    OrganizationFactory(code="T1", name="Tổ đảng 1", kind="to_dang", parent=cell_a1, by=system_user)
    with pytest.raises(CommandError):
        _call(
            "render_report",
            "--org",
            "T1",
            "--period",
            PERIOD,
            "--kind",
            "quarterly",
            "--output",
            str(tmp_path / "x.pdf"),
        )
    assert not Report.objects.exists()


@pytest.fixture
def marked_gettext(monkeypatch):
    """Messages that go through gettext come out marked, whatever the catalog holds."""
    for module in (render_report_command, statistics_command):
        monkeypatch.setattr(module, "_", lambda message: f"[i18n] {message}")


@pytest.mark.parametrize(
    "args",
    [
        ["statistics", "--org", "NOPE", "--period", PERIOD],
        ["render_report", "--org", "NOPE", "--period", PERIOD, "--kind", "quarterly", "--output", "x.pdf"],
        ["render_report", "--org", "DUK", "--period", "2025-H1", "--kind", "quarterly", "--output", "x.pdf"],
        ["render_report", "--org", "DUK", "--period", PERIOD, "--kind", "quarterly", "--output", "x.pdf"]
        + ["--user", "nobody"],
    ],
)
def test_command_errors_are_translated(bloc, marked_gettext, args):
    with pytest.raises(CommandError, match=r"^\[i18n\] "):
        _call(*args)


def test_render_report_reports_a_failed_render_in_the_users_language(
    bloc, tmp_path, marked_gettext, monkeypatch
):
    monkeypatch.setattr(services, "render_report_pdf", lambda report: 1 / 0)
    args = ["--org", "DUK", "--period", PERIOD, "--kind", "quarterly", "--output", str(tmp_path / "x.pdf")]
    with pytest.raises(CommandError, match=r"^\[i18n\] Report 01-BC/ĐUK failed: ZeroDivisionError"):
        _call("render_report", *args)


def test_statistics_writes_the_xlsx_annex_with_the_same_figures(bloc, org_a, org_b, tmp_path):
    from openpyxl import load_workbook

    from reports.statistics import statistics

    output = tmp_path / "phu-luc.xlsx"
    _call("statistics", "--org", "DUK", "--period", "2021-2025", "--format", "xlsx", "--output", str(output))

    summary = load_workbook(output).worksheets[0]
    by_key = {row[1]: row[2] for row in summary.iter_rows(min_row=5, values_only=True)}
    figures = statistics(bloc, "2021-2025")
    assert by_key["organizations.grassroots.total"] == figures["organizations"]["grassroots"]["total"] == 2
    assert by_key["members.total"] == figures["members"]["total"]
