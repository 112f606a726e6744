"""Importing the admission targets (chỉ tiêu kết nạp) from XLSX/CSV: ``manage.py import_data --kind
admission_targets``, the import page and its job, through ``set_admission_target``.

The bloc of tests/conftest.py: DUK ── A (đảng bộ cơ sở) ── A1 (chi bộ trực thuộc); DUK ── B (chi bộ
cơ sở). Targets are set for the bloc and the grassroots organizations (A, B), not for A1. Messages
are compared through gettext, as the page and the command show them.
"""

import csv
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.translation import ngettext

from blocportal import clock, imports
from members.models import AdmissionTarget
from members.services import candidates as services
from members.target_resources import AdmissionTargetResource
from tests import import_page
from tests.import_page import confirm, errors_of, msg
from tests.members.import_columns import csv_file, xlsx

# Spelled out as docs/import-formats.md fixes them, so a changed header fails here.
HEADER = ["Mã tổ chức", "Năm", "Chỉ tiêu kết nạp", "Ghi chú"]
YEAR = clock.today().year


def targets_file(*rows) -> bytes:
    return xlsx(*rows, header=HEADER)


def run(data: bytes, user, *, dry_run=False) -> imports.ImportResult:
    return imports.run_import(
        data, filename="chi-tieu.xlsx", user=user, dry_run=dry_run, resource_class=AdmissionTargetResource
    )


def targets() -> dict[tuple[str, int], tuple[int, str]]:
    return {
        (target.organization.code, target.year): (target.target, target.note)
        for target in AdmissionTarget.objects.select_related("organization")
    }


def command(tmp_path, data: bytes, *args: str, name="chi-tieu.xlsx") -> tuple[str, str]:
    path = tmp_path / name
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_data", str(path), *args, stdout=out, stderr=err, verbosity=0)
    return out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- The command -----------------------------------------------------------------------------------


def test_the_command_imports_targets_with_the_importer_in_the_history(tmp_path, staff_user, org_a, org_b):
    data = targets_file(
        ["A", YEAR, 12, "Theo Nghị quyết Đại hội"], ["b", YEAR, 3, ""], ["DUK", YEAR, 150, ""]
    )

    out, _err = command(tmp_path, data, "--kind", "admission_targets", "--user", "staff")

    assert targets() == {
        ("A", YEAR): (12, "Theo Nghị quyết Đại hội"),
        ("B", YEAR): (3, ""),
        ("DUK", YEAR): (150, ""),
    }
    target = AdmissionTarget.objects.get(organization=org_a)
    assert target.history.get().history_user == staff_user
    summary = msg(
        "%(created)s new, %(changed)s changed, %(unchanged)s unchanged.", created=3, changed=0, unchanged=0
    )
    assert out.strip().endswith(summary)


def test_the_command_recognises_a_targets_file_by_its_header(tmp_path, staff_user, org_a):
    command(tmp_path, csv_file(["A", YEAR, 7, ""], header=HEADER), "--user", "staff", name="bat-ky.csv")

    assert targets() == {("A", YEAR): (7, "")}


# --- Upsert on code + year ---------------------------------------------------------------------------


def test_a_known_target_is_corrected_and_an_equal_one_left_alone(staff_user, org_a, org_b):
    services.set_admission_target(organization=org_a, year=YEAR, target=10, note="Kế hoạch", by=staff_user)
    services.set_admission_target(organization=org_b, year=YEAR, target=4, by=staff_user)
    history = AdmissionTarget.history.count()

    result = run(targets_file(["A", YEAR, 12, ""], ["B", YEAR, 4, ""], ["B", YEAR - 1, 2, ""]), staff_user)

    assert result.ok and (result.created, result.changed, result.unchanged) == (1, 1, 1)
    # An empty note keeps the note the target has; one row per organization and year.
    assert targets() == {("A", YEAR): (12, "Kế hoạch"), ("B", YEAR): (4, ""), ("B", YEAR - 1): (2, "")}
    assert AdmissionTarget.history.count() == history + 2
    assert AdmissionTarget.history.filter(history_user=staff_user, target=12).exists()
    (changed,) = [line for line in result.preview if not line.is_new]
    assert [cell.column for cell in changed.cells if cell.changed] == ["Chỉ tiêu kết nạp"]


def test_importing_the_same_file_again_changes_nothing(staff_user, org_a, org_b):
    data = targets_file(["A", YEAR, 12, "Theo Nghị quyết"], ["B", YEAR, 3, ""])
    assert run(data, staff_user).created == 2
    history = AdmissionTarget.history.count()

    result = run(data, staff_user)

    assert result.ok and (result.created, result.changed, result.unchanged) == (0, 0, 2)
    assert AdmissionTarget.history.count() == history


# --- The dry run lists every error ---------------------------------------------------------------------


def test_the_dry_run_lists_every_error_by_row_and_column(staff_user, org_a, cell_a1, org_b):
    rows = [
        ["A", YEAR, 12, ""],  # 2: fine
        ["XYZ", YEAR, 5, ""],  # 3
        ["A1", YEAR, 5, ""],  # 4: a chi bộ trực thuộc has no target
        ["B", "năm nay", "mười", ""],  # 5
        ["B", 1999, 0, ""],  # 6: both out of range
        ["a", YEAR, 8, ""],  # 7: A for this year again
        ["", "", "", "x" * 256],  # 8
        ["A1", 1999, -2, ""],  # 9: every check of the service at once
    ]
    last = YEAR + 1
    not_a_target_kind = msg(
        "Admission targets are set for the bloc and for grassroots Party organizations; "
        "%(name)s is a %(kind)s.",
        name=cell_a1.name,
        kind=cell_a1.get_kind_display().lower(),
    )
    year_range = msg("Give a year from %(first)s to %(last)s.", first=2000, last=last)
    not_positive = msg("The target is a number of admissions greater than zero.")
    required = msg("This column is required.")

    result = run(targets_file(*rows), staff_user, dry_run=True)

    assert errors_of(result) == [
        (3, "Mã tổ chức", msg("No organization has the code «%(code)s».", code="XYZ")),
        (4, "Mã tổ chức", not_a_target_kind),
        (5, "Năm", msg("«%(value)s» is not a year.", value="năm nay")),
        (5, "Chỉ tiêu kết nạp", msg("«%(value)s» is not a whole number.", value="mười")),
        (6, "Năm", year_range),
        (6, "Chỉ tiêu kết nạp", not_positive),
        (
            7,
            "Năm",
            msg("The target of this organization for this year already appears on row %(row)s.", row=2),
        ),
        (8, "Mã tổ chức", required),
        (8, "Năm", required),
        (8, "Chỉ tiêu kết nạp", required),
        (
            8,
            "Ghi chú",
            ngettext(
                "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
                "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
                255,
            )
            % {"limit_value": 255, "show_value": 256},
        ),
        (9, "Mã tổ chức", not_a_target_kind),
        (9, "Năm", year_range),
        (9, "Chỉ tiêu kết nạp", not_positive),
    ]
    assert not AdmissionTarget.objects.exists()


def test_one_bad_row_imports_nothing_and_the_command_says_why_in_vietnamese(tmp_path, staff_user, org_a):
    path = tmp_path / "chi-tieu.xlsx"
    path.write_bytes(targets_file(["A", YEAR, 12, ""], ["XYZ", YEAR, 5, ""]))
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command(
            "import_data",
            str(path),
            "--user",
            "staff",
            "--kind",
            "admission_targets",
            stderr=err,
            verbosity=0,
        )

    assert err.getvalue().splitlines() == ["Dòng 3, cột «Mã tổ chức»: không tìm thấy tổ chức có mã «XYZ»."]
    assert not AdmissionTarget.objects.exists()  # the good row is not written either


# --- Scope -------------------------------------------------------------------------------------------------


def test_staff_of_one_organization_cannot_import_targets_of_another(staff_of_b, org_a, org_b, bloc):
    result = run(targets_file(["B", YEAR, 3, ""], ["A", YEAR, 12, ""], ["DUK", YEAR, 150, ""]), staff_of_b)

    assert errors_of(result) == [
        (3, "Mã tổ chức", msg("The organization «%(code)s» is outside your scope.", code="A")),
        # The bloc is above their subtree: they cannot see it, so its code reads as unknown.
        (4, "Mã tổ chức", msg("No organization has the code «%(code)s».", code="DUK")),
    ]
    assert not AdmissionTarget.objects.exists()


def test_a_secretary_cannot_import_targets(client, tmp_path, secretary_a, org_a):
    with pytest.raises(CommandError, match=msg("You are not allowed to import this data.")):
        command(
            tmp_path, targets_file(["A", YEAR, 12, ""]), "--kind", "admission_targets", "--user", "secretary1"
        )

    client.force_login(secretary_a)
    assert client.get(reverse("members:targets:import")).status_code == 403
    assert client.get(reverse("members:targets:import_template")).status_code == 403
    assert (
        reverse("members:targets:import") not in client.get(reverse("members:target_list")).content.decode()
    )
    assert not AdmissionTarget.objects.exists()


# --- The import page -----------------------------------------------------------------------------------


def test_the_page_checks_then_imports_the_file(client, staff_user, org_a, org_b):
    client.force_login(staff_user)
    assert reverse("members:targets:import") in client.get(reverse("members:target_list")).content.decode()

    response = import_page.upload(
        client,
        "members:targets:import",
        targets_file(["A", YEAR, 12, ""], ["B", YEAR, 3, ""]),
        "chi-tieu.xlsx",
    )

    result = response.context["result"]
    assert result.ok and result.created == 2 and not AdmissionTarget.objects.exists()
    assert response.context["title"] == msg("Import admission targets")

    response = confirm(client, response.context["job"])

    assert response.context["job"].status == "done"
    assert targets() == {("A", YEAR): (12, ""), ("B", YEAR): (3, "")}
    assert reverse("members:target_list") in response.content.decode()  # back to the targets


def test_the_page_lists_the_errors_by_row_and_column(client, staff_user, org_a):
    client.force_login(staff_user)

    response = import_page.upload(
        client,
        "members:targets:import",
        targets_file(["A", YEAR, 12, ""], ["XYZ", YEAR, 5, ""]),
        "chi-tieu.xlsx",
    )

    page = response.content.decode()
    message = msg("No organization has the code «%(code)s».", code="XYZ")
    assert "<tr><td>3</td><td>Mã tổ chức</td><td>" + message + "</td></tr>" in page
    assert message.startswith("không tìm thấy")  # in Vietnamese
    assert not response.context["job"].can_confirm
    assert not AdmissionTarget.objects.exists()


def test_the_template_has_the_header_row_and_an_example(client, staff_user):
    client.force_login(staff_user)

    xlsx_response = client.get(reverse("members:targets:import_template"))
    csv_response = client.get(reverse("members:targets:import_template"), {"format": "csv"})

    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER and len(rows) == 2
    assert xlsx_response["Content-Disposition"] == 'attachment; filename="mau-nhap-chi-tieu-ket-nap.xlsx"'
    assert list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))[0] == HEADER
