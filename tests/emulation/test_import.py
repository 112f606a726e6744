"""Importing past ratings from XLSX/CSV (``manage.py import_data --kind member_ratings|organization_ratings``,
the import page ``emulation:import``), recorded as decided (``record_decided_member``,
``record_decided_organization``): all or nothing, every error by row and column, a second import
changing nothing, a group over the excellence quota named by the dry run and by the figures
(``ratings.over_quota``), never refused.

The people, in 2025 (the personas of tests/conftest.py; members admitted 01/03/2023, official from
01/03/2024, Party cards 7920000n in the order below):

bloc (Đảng bộ Khối)
├── org_a  Đảng bộ Sở Tài chính ── cell_a1 Chi bộ Phòng Ngân sách: An, Bình, Cường, Dung, Giang, Hà
│                                └─ cell_a2 Chi bộ Phòng Tổng hợp: Khánh, Lan, Minh, Nam, Oanh, Phúc
└── org_b  Chi bộ Báo Gia Lai (established 01/05/2010)

Messages are compared through gettext, as the page and the command show them.
"""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from blocportal import imports, rules
from emulation.models import Level, MemberRating, OrganizationRating
from emulation.resources import MemberRatingResource, OrganizationRatingResource, level_of
from inspections.models import Body, DisciplineDecision
from inspections.services import discipline
from members import services as member_services
from members.models import Member
from organizations.models import Organization
from reports.statistics import statistics
from tests import import_page
from tests.factories import MemberFactory, OrganizationFactory
from tests.import_page import errors_of, msg
from tests.members.import_columns import xlsx

D = datetime.date
# Spelled out as docs/import-formats.md fixes them, so a changed header fails here.
MEMBER_HEADER = ["Năm", "Quý", "Số thẻ đảng viên", "Số CCCD", "Xếp loại"]
ORGANIZATION_HEADER = ["Năm", "Quý", "Mã tổ chức", "Xếp loại"]
HTXS, HTT, HT, KHT = (
    "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Không hoàn thành nhiệm vụ",
)
QUOTA = (
    "%(group)s: %(count)s rated “excellently fulfilled duties” (%(names)s), more than %(share)s of "
    "the %(good)s rated “well fulfilled duties” — the excellence quota, %(regulation)s."
)
IN_FILE = "%(problem)s Rows of this file in the group: %(rows)s."
A1_NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Giang", "Vũ Thị Hà"]
A2_NAMES = ["Đỗ Văn Khánh", "Bùi Thị Lan", "Đặng Văn Minh", "Ngô Văn Nam", "Dương Thị Oanh", "Lý Văn Phúc"]


def card(n: int) -> str:
    return f"7920{n:04d}"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cell_a2(org_a, system_user):
    return OrganizationFactory(
        code="A2",
        name="Chi bộ Phòng Tổng hợp",
        kind=Organization.Kind.SUBORDINATE_CELL,
        parent=org_a,
        by=system_user,
    )


def _members(cell, names, first, by) -> list[Member]:
    found = []
    for n, name in enumerate(names, start=first):
        member = MemberFactory(organization=cell, full_name=name, official=True, by=by)
        found.append(member_services.update_profile(member=member, by=by, card_number=card(n)))
    return found


@pytest.fixture
def people(cell_a1, cell_a2, system_user) -> dict[str, list[Member]]:
    return {
        "a1": _members(cell_a1, A1_NAMES, 1, system_user),
        "a2": _members(cell_a2, A2_NAMES, 11, system_user),
    }


def member_rows(year, first: int, *levels, quarter="") -> list[list[object]]:
    return [[year, quarter, card(n), "", level] for n, level in enumerate(levels, start=first)]


# A year of member ratings: chi bộ A1 over the quota (two excellent of four good), A2 within it.
A_YEAR = [
    *member_rows(2025, 1, HTXS, HTXS, HTT, HTT, HTT, HTT),
    *member_rows(2025, 11, HTXS, HTT, HTT, HTT, HTT, HTT),
]


def members_file(*rows) -> bytes:
    return xlsx(*rows, header=MEMBER_HEADER)


def organizations_file(*rows) -> bytes:
    return xlsx(*rows, header=ORGANIZATION_HEADER)


def run(data: bytes, user, resource_class=MemberRatingResource, *, dry_run=False) -> imports.ImportResult:
    return imports.run_import(
        data, filename="xep-loai.xlsx", user=user, dry_run=dry_run, resource_class=resource_class
    )


def warnings_of(result) -> list[tuple[int, str, str]]:
    return [(warning.row, warning.column, warning.message) for warning in result.sorted_warnings()]


def snapshot() -> dict:
    return {
        "member_ratings": list(MemberRating.objects.order_by("pk").values()),
        "member_history": MemberRating.history.count(),
        "organization_ratings": list(OrganizationRating.objects.order_by("pk").values()),
        "organization_history": OrganizationRating.history.count(),
    }


def quota_warning(cell, names, good, rows) -> str:
    problem = msg(
        QUOTA,
        group=cell.name,
        count=len(names),
        names=", ".join(names),
        share="20%",
        good=good,
        regulation=rules.DEFAULTS["rating.excellent_quota"].source,
    )
    return msg(IN_FILE, problem=problem, rows=rows)


# --- A year of member ratings ------------------------------------------------------------------------


def test_the_dry_run_names_the_party_cell_over_the_quota(people, staff_user, cell_a1):
    before = snapshot()

    result = run(members_file(*A_YEAR), staff_user, dry_run=True)

    assert result.ok and (result.created, result.changed, result.unchanged) == (12, 0, 0)
    warning = quota_warning(cell_a1, ["Nguyễn Văn An", "Trần Thị Bình"], 4, "2, 3, 4, 5, 6, 7")
    assert warnings_of(result) == [(2, "Xếp loại", warning), (3, "Xếp loại", warning)]
    assert snapshot() == before  # a dry run writes nothing


def test_the_import_records_the_ratings_as_decided_and_the_figures_name_the_cell(
    people, staff_user, bloc, cell_a1
):
    result = run(members_file(*A_YEAR), staff_user)

    assert result.committed and result.created == 12
    assert len(result.warnings) == 2  # accepted, not refused
    rating = MemberRating.objects.get(member=people["a1"][0], year=2025)
    assert (rating.level, rating.imported, rating.organization, rating.approved_by, rating.quarter) == (
        Level.EXCELLENT,
        True,
        cell_a1,
        staff_user,
        0,
    )
    assert statistics(bloc, "2025")["ratings"]["over_quota"] == ["A1"]


def test_a_file_imported_again_changes_nothing(people, staff_user):
    run(members_file(*A_YEAR), staff_user)
    before = snapshot()

    result = run(members_file(*A_YEAR), staff_user)

    assert (result.created, result.changed, result.unchanged) == (0, 0, 12)
    assert result.summary() == msg(
        "%(created)s new, %(changed)s changed, %(unchanged)s unchanged.", created=0, changed=0, unchanged=12
    )
    assert snapshot() == before
    assert len(result.warnings) == 2  # the group is still over the quota: still said


def test_a_corrected_level_changes_its_rating_only(people, staff_user, cell_a1):
    run(members_file(*A_YEAR), staff_user)
    corrected = [list(row) for row in A_YEAR]
    corrected[1][4] = "hoàn thành tốt nhiệm vụ"  # Bình: excellent → good, A1 back within the quota

    result = run(members_file(*corrected), staff_user)

    assert (result.created, result.changed, result.unchanged) == (0, 1, 11)
    assert result.warnings == []
    assert [line.row for line in result.preview] == [3]
    assert MemberRating.objects.get(member=people["a1"][1], year=2025).level == Level.GOOD


def test_one_bad_row_and_nothing_is_written(people, staff_user):
    rows = [*A_YEAR, [2025, "", "79999999", "", HTT]]
    before = snapshot()

    result = run(members_file(*rows), staff_user)

    assert not result.committed
    assert errors_of(result) == [
        (14, "Số thẻ đảng viên", msg("No member has the Party card number «%(value)s».", value="79999999"))
    ]
    assert snapshot() == before


def test_every_wrong_cell_is_an_error_on_its_row_and_column(people, staff_user):
    rows = [
        [2025, "", card(1), "", "Xuất sắc lắm"],  # 2: not a level
        ["", "", card(2), "", HTT],  # 3: no year
        ["năm ngoái", "", card(3), "", HTT],  # 4: not a year
        [2025, "5", card(4), "", HTT],  # 5: not a quarter
        [2025, "", "", "", HTT],  # 6: nobody named
        [2027, "", card(5), "", HTT],  # 7: a year to come
        [2025, "", card(6), "", "Trong sạch, vững mạnh"],  # 8: an organization's legacy level
        [2025, "", card(1), "", HT],  # 9: An again, same period
        [2020, "1", card(11), "", HT],  # 10: a quarter before quarterly ratings
    ]
    before = snapshot()

    result = run(members_file(*rows), staff_user, dry_run=True)

    current = ", ".join(str(Level(level).label).lower() for level in ("htxs", "htt", "ht", "kht"))
    names = "; ".join(
        [
            "Hoàn thành xuất sắc nhiệm vụ",
            "Hoàn thành tốt nhiệm vụ",
            "Hoàn thành nhiệm vụ",
            "Không hoàn thành nhiệm vụ",
            "Trong sạch, vững mạnh",
            "Yếu kém",
        ]
    )
    assert errors_of(result) == [
        (
            2,
            "Xếp loại",
            msg(
                "«%(value)s» is not an accepted value. Accepted values: %(choices)s.",
                value="Xuất sắc lắm",
                choices=names,
            ),
        ),
        (3, "Năm", msg("This column is required.")),
        (4, "Năm", msg("«%(value)s» is not a year: write it with four digits.", value="năm ngoái")),
        (
            5,
            "Quý",
            msg(
                "«%(value)s» is not a quarter: write 1 to 4, or leave the cell empty for the whole year.",
                value="5",
            ),
        ),
        (6, "Số CCCD", msg("Give the Party card number or the citizen ID number of the member.")),
        (7, "Năm", msg("Choose a year between 1930 and %(year)s.", year=2026)),
        (8, "Xếp loại", msg("For %(year)s the levels are: %(levels)s.", year=2025, levels=current)),
        (
            9,
            "Số thẻ đảng viên",
            msg("The same rating for the same period is already on row %(row)s.", row=2),
        ),
        (10, "Quý", msg("Quarterly ratings exist from %(year)s (366-QĐ/TW).", year=2025)),
    ]
    assert snapshot() == before


def test_a_member_disciplined_in_the_year_is_imported_with_the_rule_flagged(
    people, staff_user, bloc, inspector_user
):
    giang = people["a1"][4]
    discipline.decide(
        organization=bloc,
        body=Body.STANDING,
        decision_no="101-QĐ/ĐUK",
        decided_on=D(2025, 6, 10),
        heard_on=D(2025, 6, 1),
        form=DisciplineDecision.Form.REPRIMAND,
        target_member=giang,
        by=inspector_user,
    )

    result = run(members_file([2025, "", card(5), "", HTT]), staff_user)

    rating = MemberRating.objects.get(member=giang, year=2025)
    assert result.committed and rating.level == Level.GOOD and len(rating.flags) == 1
    assert warnings_of(result) == [(2, "Xếp loại", rating.flags[0])]
    assert "101-QĐ/ĐUK" in rating.flags[0]


def test_a_member_is_named_by_citizen_id_and_old_wordings_are_read(people, staff_user, system_user):
    an = member_services.update_profile(member=people["a1"][0], by=system_user, cccd="064085200001")
    rows = [
        [2024, "", "", "064085200001", "Đủ tư cách, hoàn thành xuất sắc nhiệm vụ"],
        [2024, "", card(2), "", "DU TU CACH, HOAN THANH TOT NHIEM VU"],
        [2024, "", card(3), "", "htt"],
        [2024, "", card(4), "", "Hoàn thành tốt nhiệm vụ"],
        [2024, "", card(5), "", "hoan thanh tot nhiem vu"],
        [2024, "", card(6), "", "Hoàn thành tốt nhiệm vụ"],
    ]

    result = run(members_file(*rows), staff_user)

    assert result.committed and result.warnings == []
    assert MemberRating.objects.get(member=an, year=2024).level == Level.EXCELLENT
    assert set(MemberRating.objects.filter(year=2024).exclude(member=an).values_list("level", flat=True)) == {
        Level.GOOD
    }


def test_a_quarter_is_its_own_period(people, staff_user):
    result = run(members_file(*member_rows(2026, 1, HTT, HTT, quarter="Quý II")), staff_user)

    assert result.committed
    assert set(MemberRating.objects.values_list("year", "quarter")) == {(2026, 2)}


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("HTXS", "htxs"),
        ("Hoàn thành xuất sắc nhiệm vụ", "htxs"),
        ("  hoàn   thành nhiệm vụ ", "ht"),
        ("Không hoàn thành nhiệm vụ", "kht"),
        ("Vi phạm tư cách hoặc không hoàn thành nhiệm vụ", "kht"),
        ("Đủ tư cách, hoàn thành nhiệm vụ nhưng còn hạn chế", "ht"),
        ("Trong sạch vững mạnh", "tsvm"),
        ("TRONG SẠCH, VỮNG MẠNH", "tsvm"),
        ("yếu kém", "yeu_kem"),
        ("Tốt", None),
    ],
)
def test_the_level_is_read_from_codes_and_names(text, level):
    assert level_of(text) == level


# --- Organization ratings ----------------------------------------------------------------------------


def test_legacy_names_are_read_for_2016_organizations(people, staff_user, org_a, org_b, cell_a1, cell_a2):
    rows = [
        [2016, "", "A", "Trong sạch, vững mạnh"],
        [2016, "", "B", "Yếu kém"],
        [2016, "", "A1", "trong sach vung manh"],
        [2016, "", "A2", "Hoàn thành tốt nhiệm vụ"],
    ]

    result = run(organizations_file(*rows), staff_user, OrganizationRatingResource)

    assert result.committed and result.created == 4 and result.warnings == []
    assert dict(OrganizationRating.objects.filter(year=2016).values_list("organization__code", "level")) == {
        "A": Level.CLEAN_STRONG,
        "B": Level.WEAK,
        "A1": Level.CLEAN_STRONG,
        "A2": Level.GOOD,
    }
    assert OrganizationRating.objects.get(organization=cell_a1, year=2016).approver == org_a
    assert statistics(org_b.parent, "2016")["ratings"]["organizations"]["tsvm_percent"] == 50.0


def test_an_organization_is_rated_by_the_levels_of_its_year(staff_user, org_a, org_b):
    rows = [
        [2016, "", "A", "Hoàn thành xuất sắc nhiệm vụ"],  # no "xuất sắc" before 2018
        [2025, "", "A", "Trong sạch, vững mạnh"],  # no "trong sạch, vững mạnh" after 2017
        [2025, "", "DUK", "Hoàn thành tốt nhiệm vụ"],  # the bloc is not rated by a committee of the bloc
        [2008, "", "B", "Trong sạch, vững mạnh"],  # before chi bộ B was established
        [2025, "", "ZZ", "Hoàn thành tốt nhiệm vụ"],
    ]
    before = snapshot()

    result = run(organizations_file(*rows), staff_user, OrganizationRatingResource)

    legacy = ", ".join(str(Level(level).label).lower() for level in ("tsvm", "htt", "ht", "yeu_kem"))
    current = ", ".join(str(Level(level).label).lower() for level in ("htxs", "htt", "ht", "kht"))
    bloc = Organization.objects.get(code="DUK")
    assert errors_of(result) == [
        (2, "Xếp loại", msg("For %(year)s the levels are: %(levels)s.", year=2016, levels=legacy)),
        (3, "Xếp loại", msg("For %(year)s the levels are: %(levels)s.", year=2025, levels=current)),
        (
            4,
            "Mã tổ chức",
            msg(
                "%(name)s is not rated by a committee of the bloc: only the grassroots "
                "organizations and the Party cells and branch committees under them are.",
                name=bloc.name,
            ),
        ),
        (5, "Mã tổ chức", msg("%(name)s did not exist in %(year)s.", name="Chi bộ Báo Gia Lai", year=2008)),
        (6, "Mã tổ chức", msg("No organization has the code «%(code)s».", code="ZZ")),
    ]
    assert snapshot() == before


@pytest.fixture
def grassroots(bloc, system_user) -> list[Organization]:
    return [
        OrganizationFactory(code=f"C{n}", name=f"Chi bộ Cơ sở số {n}", parent=bloc, by=system_user)
        for n in range(1, 5)
    ]


def test_the_dry_run_names_the_committee_whose_organizations_are_over_the_quota(
    staff_user, bloc, org_a, org_b, grassroots
):
    rows = [
        [2025, "", "A", HTXS],
        [2025, "", "B", HTXS],
        *[[2025, "", org.code, HTT] for org in grassroots],
    ]

    result = run(organizations_file(*rows), staff_user, OrganizationRatingResource, dry_run=True)

    names = [org.name for org in sorted([org_a, org_b], key=lambda org: org.path)]
    problem = msg(
        QUOTA,
        group=msg("The organizations under %(approver)s", approver=bloc.name),
        count=2,
        names=", ".join(names),
        share="20%",
        good=4,
        regulation=rules.DEFAULTS["rating.excellent_quota"].source,
    )
    warning = msg(IN_FILE, problem=problem, rows="2, 3, 4, 5, 6, 7")
    assert [(row, column) for row, column, message in warnings_of(result) if message == warning] == [
        (2, "Xếp loại"),
        (3, "Xếp loại"),
    ]
    assert result.ok and result.created == 6


# --- The command and the page ------------------------------------------------------------------------


def test_the_command_imports_member_ratings(tmp_path, people, staff_user, cell_a1):
    path = tmp_path / "xep-loai.xlsx"
    path.write_bytes(members_file(*A_YEAR))
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "import_data",
        str(path),
        "--kind",
        "member_ratings",
        "--dry-run",
        "--user",
        "staff",
        stdout=out,
        stderr=err,
    )
    assert MemberRating.objects.count() == 0
    assert cell_a1.name in err.getvalue()

    call_command(
        "import_data", str(path), "--kind", "member_ratings", "--user", "staff", stdout=out, stderr=err
    )
    assert MemberRating.objects.filter(imported=True).count() == 12


def test_only_staff_import_ratings(tmp_path, people, secretary_a, leader_user, client):
    path = tmp_path / "xep-loai.xlsx"
    path.write_bytes(members_file(*A_YEAR))

    with pytest.raises(CommandError, match=msg("You are not allowed to import this data.")):
        call_command(
            "import_data", str(path), "--kind", "member_ratings", "--user", "secretary1", verbosity=0
        )

    for user in (secretary_a, leader_user):
        client.force_login(user)
        assert client.get(reverse("emulation:import")).status_code == 403
        assert client.get(reverse("emulation:import_template", args=["member_ratings"])).status_code == 403
    assert MemberRating.objects.count() == 0


def test_the_import_page_has_a_tab_per_emulation_register(client, staff_user):
    client.force_login(staff_user)

    members_page = client.get(reverse("emulation:import"))
    organizations_page = client.get(reverse("emulation:import"), {"kind": "organization_ratings"})

    assert members_page.context["title"] == msg("Import member ratings")
    assert organizations_page.context["title"] == msg("Import organization ratings")
    tabs = [tab["url"] for tab in members_page.context["tabs"]]
    assert tabs[:2] == [
        f"{reverse('emulation:import')}?kind=member_ratings",
        f"{reverse('emulation:import')}?kind=organization_ratings",
    ]
    # Every register of the emulation namespace is a tab (the scores, once registered), no other app's.
    expected = [kind for kind, cls in imports.registered().items() if cls.namespace == "emulation"]
    assert sorted(tab.rsplit("=", 1)[1] for tab in tabs) == sorted(expected)
    assert [tab["current"] for tab in organizations_page.context["tabs"]][:2] == [False, True]
    urls = organizations_page.context["urls"]
    assert urls["import_template"] == reverse("emulation:import_template", args=["organization_ratings"])
    assert urls["list"] == reverse("emulation:organization_rating_list")
    assert client.get(reverse("emulation:import"), {"kind": "meetings"}).status_code == 404


def test_the_page_checks_then_imports_a_year_of_member_ratings(client, people, staff_user, cell_a1):
    client.force_login(staff_user)

    with import_page.tasks_run():
        response = client.post(
            f"{reverse('emulation:import')}?kind=member_ratings",
            {"file": SimpleUploadedFile("xep-loai.xlsx", members_file(*A_YEAR))},
        )
    assert response.status_code == 302
    response = client.get(response["Location"])

    result = response.context["result"]
    assert result.ok and result.created == 12 and len(result.warnings) == 2
    assert 'id="import-warnings"' in response.content.decode() and cell_a1.name in response.content.decode()
    assert response.context["job"].can_confirm  # the quota warns, it does not refuse
    assert MemberRating.objects.count() == 0
    response = import_page.confirm(client, response.context["job"])
    assert response.context["job"].status == "done"
    assert MemberRating.objects.count() == 12


def test_the_templates_have_the_header_rows_and_examples(client, staff_user):
    client.force_login(staff_user)

    for kind, header, name in (
        ("member_ratings", MEMBER_HEADER, "mau-nhap-xep-loai-dang-vien"),
        ("organization_ratings", ORGANIZATION_HEADER, "mau-nhap-xep-loai-to-chuc-dang"),
    ):
        url = reverse("emulation:import_template", args=[kind])
        xlsx_response = client.get(url)
        csv_response = client.get(url, {"format": "csv"})

        rows = list(
            openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).active.iter_rows(values_only=True)
        )
        assert list(rows[0]) == header and len(rows) == 5
        assert all(level_of(row[-1]) for row in rows[1:])
        assert xlsx_response["Content-Disposition"] == f'attachment; filename="{name}.xlsx"'
        assert list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))[0] == header
    assert client.get(reverse("emulation:import_template", args=["meetings"])).status_code == 404


def test_the_format_is_recognised_from_the_header_row():
    assert imports.resource_for_header(MEMBER_HEADER) is MemberRatingResource
    assert imports.resource_for_header(ORGANIZATION_HEADER) is OrganizationRatingResource


def test_a_file_with_the_issues_three_columns_is_enough(people, staff_user):
    """`Năm`, `Số thẻ đảng viên` (or `Số CCCD`) and `Xếp loại`: the quarter and the other number may be left
    out of the header row."""
    rows = [[2024, card(number), "Hoàn thành tốt nhiệm vụ"] for number in range(1, 6)]

    result = run(xlsx(*rows, header=["Năm", "Số thẻ đảng viên", "Xếp loại"]), staff_user)

    assert result.committed and result.errors == [] and result.created == 5
    assert set(MemberRating.objects.filter(year=2024).values_list("level", "quarter")) == {(Level.GOOD, 0)}


def test_a_row_naming_no_member_is_an_error(people, staff_user):
    data = xlsx([2024, "Hoàn thành tốt nhiệm vụ"], header=["Năm", "Xếp loại"])

    result = run(data, staff_user, dry_run=True)

    assert not result.ok and result.errors
