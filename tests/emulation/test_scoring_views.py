"""The scoring pages: the bloc's staff build a sheet in the browser and issue it, a secretary self-assesses
their organization's points and the staff approve them, the ranking shows each user the rows of their
scope ranked among all, its XLSX export, the printable sheet, and the pages' query counts (constant in the
number of organizations). The sheet and its organizations are those of test_scoring.py, whose fixtures
this module uses (hence F811 on their names)."""

# ruff: noqa: F811

import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from emulation.models import Band, Criterion, CriterionGroup, Score, ScoreSheet
from emulation.services import scoring
from organizations.models import Organization
from tests.factories import OrganizationFactory
from tests.import_page import msg

from .test_scoring import ISSUED, approve, criteria, draft, org_c, org_d, scored, sheet  # noqa: F401

D = Decimal


def rows_of(response) -> dict[str, tuple[int, int]]:
    """Ranking rows shown: organization id → (rank, rank in the cluster)."""
    return {row.organization_id: (row.rank, row.cluster_rank) for row in response.context["page"].rows}


# Building a sheet -----------------------------------------------------------------------------------------


def test_staff_build_a_sheet_in_the_browser_and_issue_it(client, staff_user, bloc):
    client.force_login(staff_user)
    response = client.post(
        reverse("emulation:sheet_create"), {"year": 2024, "title": "Bảng chấm điểm năm 2024"}
    )
    sheet = ScoreSheet.objects.get(year=2024)
    assert response["Location"] == reverse("emulation:sheet", args=[sheet.pk])
    assert (sheet.owner, sheet.status) == (bloc, ScoreSheet.Status.DRAFT)

    def post(part, data):
        response = client.post(reverse("emulation:sheet_part_create", args=[sheet.pk, part]), data)
        assert response.status_code == 302, response.context["form"].errors
        return response

    post("groups", {"code": "I", "name": "Công tác chính trị", "order": 1})
    group = CriterionGroup.objects.get(sheet=sheet)
    post("bands", {"name": "Xuất sắc", "min_total": "90", "order": 0})
    post("bands", {"name": "Khá", "min_total": "62,5", "order": 1})
    band = Band.objects.get(sheet=sheet, name="Khá")
    assert band.min_total == D("62.5")
    post(
        "criteria",
        {
            "group": group.pk,
            "code": "1.1",
            "text": "Học tập nghị quyết",
            "kind": "thuong",
            "max_points": "100",
            "order": 0,
        },
    )
    post(
        "criteria",
        {
            "group": group.pk,
            "code": "PQ",
            "text": "Bị kỷ luật",
            "kind": "phu_quyet",
            "cap_band": band.pk,
            "order": 1,
        },
    )
    page = client.get(reverse("emulation:sheet", args=[sheet.pk]))
    assert page.context["editable"] and page.context["problems"] == []
    assert [c.code for c in page.context["groups"][0].criteria.all()] == ["1.1", "PQ"]

    response = client.post(reverse("emulation:sheet_issue", args=[sheet.pk]), {"issued_on": "15/01/2024"})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.status, sheet.issued_on.isoformat()) == (ScoreSheet.Status.ISSUED, "2024-01-15")

    # Issued, it no longer changes: the editor's forms send back to the sheet with the reason.
    response = client.post(
        reverse("emulation:sheet_part_create", args=[sheet.pk, "groups"]),
        {"code": "II", "name": "Mới", "order": 2},
    )
    assert response["Location"] == reverse("emulation:sheet", args=[sheet.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == msg(ISSUED)
    assert CriterionGroup.objects.filter(sheet=sheet).count() == 1
    assert not client.get(reverse("emulation:sheet", args=[sheet.pk])).context["editable"]


def test_a_sheet_that_cannot_be_issued_says_why(client, staff_user, bloc):
    sheet = scoring.create_sheet(owner=bloc, year=2024, title="Bảng 2024", by=staff_user)
    client.force_login(staff_user)
    response = client.post(reverse("emulation:sheet_issue", args=[sheet.pk]), {"issued_on": "15/01/2024"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [msg("The sheet has no criteria yet.")]
    assert ScoreSheet.objects.get(pk=sheet.pk).status == ScoreSheet.Status.DRAFT


def test_the_copy_page_makes_next_years_draft(client, staff_user, sheet):
    client.force_login(staff_user)
    response = client.post(reverse("emulation:sheet_copy", args=[sheet.pk]), {"year": 2026})
    copy = ScoreSheet.objects.get(year=2026)
    assert response["Location"] == reverse("emulation:sheet", args=[copy.pk])
    assert (copy.copied_from, copy.status, copy.criteria.count()) == (sheet, ScoreSheet.Status.DRAFT, 5)
    # The original's page now leads to its copy.
    assert client.get(reverse("emulation:sheet", args=[sheet.pk])).context["next_sheet"] == copy


def test_deleting_a_draft_criterion(client, staff_user, draft):
    criterion = Criterion.objects.get(sheet=draft, code="1.2")
    client.force_login(staff_user)
    url = reverse("emulation:sheet_part_delete", args=[draft.pk, "criteria", criterion.pk])
    assert client.get(url).status_code == 200
    client.post(url)
    assert not Criterion.objects.filter(pk=criterion.pk).exists()


# Points ---------------------------------------------------------------------------------------------------


def test_a_secretary_self_assesses_and_the_staff_approve_from_it(
    client, sheet, org_a, secretary_a, staff_user
):
    ids = criteria(sheet)
    url = reverse("emulation:scores", args=[sheet.pk, org_a.pk])
    client.force_login(secretary_a)
    form = client.get(url).context["form"]
    assert f"self_{ids['1.1']}" in form.fields and f"points_{ids['1.1']}" not in form.fields
    response = client.post(
        url,
        {
            f"self_{ids['1.1']}": "55,5",
            f"self_{ids['1.2']}": "38",
            f"self_{ids['PQ1']}": "0",
            f"points_{ids['1.1']}": "60",
        },
    )
    assert response.status_code == 302
    score = Score.objects.get(organization=org_a, criterion_id=ids["1.1"])
    assert (score.self_points, score.self_by, score.points) == (D("55.5"), secretary_a, None)

    client.force_login(staff_user)
    page = client.get(url)
    approved = page.context["form"][f"points_{ids['1.1']}"]
    assert approved.value() == D("55.5")  # starts from the self-assessment
    assert 'value="55,50"' in str(approved)
    data = {
        f"self_{ids['1.1']}": "55,5",
        f"self_{ids['1.2']}": "38",
        f"self_{ids['PQ1']}": "0",
        f"points_{ids['1.1']}": "50",
        f"points_{ids['1.2']}": "38",
        f"points_{ids['PQ1']}": "0",
    }
    assert client.post(url, data).status_code == 302
    score.refresh_from_db()
    assert (score.self_points, score.points, score.approved_by) == (D("55.5"), D(50), staff_user)
    standing = client.get(url).context["standing"]
    assert (standing.self_total, standing.total, standing.band, standing.rank) == (D("93.5"), D(88), "Tốt", 1)


def test_points_over_the_maximum_stay_on_the_form(client, sheet, org_a, staff_user):
    ids = criteria(sheet)
    client.force_login(staff_user)
    response = client.post(
        reverse("emulation:scores", args=[sheet.pk, org_a.pk]), {f"points_{ids['1.1']}": "70"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors[f"points_{ids['1.1']}"]
    assert not Score.objects.exists()


def test_a_leader_reads_the_points_without_a_form(client, scored, org_a, leader_user):
    client.force_login(leader_user)
    response = client.get(reverse("emulation:scores", args=[scored.pk, org_a.pk]))
    assert response.context["form"].fields == {}
    assert client.post(reverse("emulation:scores", args=[scored.pk, org_a.pk])).status_code == 403


def test_the_printable_sheet(client, scored, org_a, secretary_a):
    client.force_login(secretary_a)
    response = client.get(reverse("emulation:score_print", args=[scored.pk, org_a.pk]))
    text = response.content.decode()
    assert response.context["header"]["issuing_body"] == "ĐẢNG ỦY SỞ TÀI CHÍNH"
    assert response.context["header"]["upper_body"] == "ĐẢNG BỘ KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH"
    assert response.context["standing"].total == D(95)
    assert "Sinh hoạt chi bộ định kỳ" in text and 'id="print-totals"' in text


# Ranking --------------------------------------------------------------------------------------------------


def test_each_user_reads_the_ranks_of_their_scope_among_all(
    client, scored, org_a, org_b, leader_user, secretary_a, secretary_b
):
    url = reverse("emulation:ranking", args=[scored.pk])
    client.force_login(leader_user)
    assert len(rows_of(client.get(url))) == 4
    client.force_login(secretary_a)
    response = client.get(url)
    assert rows_of(response) == {org_a.pk: (1, 1)}
    client.force_login(secretary_b)
    assert rows_of(client.get(url)) == {org_b.pk: (2, 2)}


def test_the_ranking_of_a_cluster(client, scored, org_d, staff_user):
    cluster = org_d.cluster_places.get().cluster
    client.force_login(staff_user)
    response = client.get(reverse("emulation:ranking", args=[scored.pk]), {"cluster": cluster.pk})
    assert response.context["cluster"] == cluster
    assert rows_of(response) == {org_d.pk: (4, 1)}


def test_organizations_without_points_are_listed_apart(client, sheet, org_a, org_b, staff_user):
    approve(sheet, org_a, staff_user, **{"1_1": 50})
    client.force_login(staff_user)
    page = client.get(reverse("emulation:ranking", args=[sheet.pk])).context["page"]
    assert [row.organization_id for row in page.rows] == [org_a.pk]
    assert page.rows[0].complete is False
    assert [organization.pk for organization in page.unscored] == [org_b.pk]


def test_the_xlsx_export_has_a_row_per_organization_and_a_column_per_criterion(client, scored, staff_user):
    approve(scored, Organization.objects.get(code="C"), staff_user, T1=3, PQ1=1)
    client.force_login(staff_user)
    response = client.get(reverse("emulation:ranking_xlsx", args=[scored.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="xep-hang-thi-dua-2025.xlsx"'
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Bảng chấm điểm thi đua năm 2025"
    header = rows[2]
    assert header[5:10] == ("1.1", "1.2", "C1", "T1", "PQ1")
    body = {row[2]: row for row in rows[3:]}
    assert body["A"][:2] == (1, 1) and body["A"][5:7] == (58, 37) and body["A"][11] == 95
    # C: 50 + 38 + 2 − 3 = 87, the veto met caps it at Khá.
    assert body["C"][:2] == (3, 3)
    assert body["C"][5:14] == (50, 38, 2, 3, 1, 0, 87, "Khá", msg("Yes"))
    assert body["D"][4] == "Cụm 2"


def test_a_secretary_exports_only_their_organization(client, scored, secretary_a):
    client.force_login(secretary_a)
    response = client.get(reverse("emulation:ranking_xlsx", args=[scored.pk]))
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[2] for row in rows[3:]] == ["A"]


# Query counts ---------------------------------------------------------------------------------------------


def _more_organizations(count, sheet, bloc, staff_user, system_user) -> None:
    ids = criteria(sheet)
    for number in range(count):
        organization = OrganizationFactory(
            code=f"Q{number}",
            name=f"Chi bộ Công ty số {number}",
            kind=Organization.Kind.GRASSROOTS_CELL,
            sector=Organization.Sector.STATE_ENTERPRISE,
            parent=bloc,
            by=system_user,
        )
        scoring.approve_scores(
            sheet=sheet,
            organization=organization,
            points={pk: D(1) if code != "PQ1" else D(0) for code, pk in ids.items()},
            by=staff_user,
        )


@pytest.mark.parametrize("count", [1, 6])
@pytest.mark.parametrize(
    ("name", "queries"), [("emulation:ranking", 10), ("emulation:ranking_xlsx", 12), ("emulation:sheet", 9)]
)
def test_the_pages_cost_the_same_queries_for_few_or_many_organizations(
    client, scored, bloc, staff_user, system_user, django_assert_num_queries, count, name, queries
):
    _more_organizations(count, scored, bloc, staff_user, system_user)
    client.force_login(staff_user)
    client.get(reverse(name, args=[scored.pk]))  # the session and the rules read once
    with django_assert_num_queries(queries):
        assert client.get(reverse(name, args=[scored.pk])).status_code == 200


@pytest.mark.parametrize("extra", [0, 8])
def test_the_points_page_costs_the_same_queries_for_few_or_many_criteria(
    client, sheet, org_a, staff_user, extra
):
    if extra:
        copy = scoring.copy_sheet(sheet=sheet, year=2026, by=staff_user)
        group = CriterionGroup.objects.get(sheet=copy)
        for number in range(extra):
            scoring.save_criterion(
                sheet=copy, group=group, code=f"2.{number}", text="Thêm", max_points=D(1), by=staff_user
            )
        scoring.issue_sheet(sheet=copy, issued_on=sheet.issued_on, by=staff_user)
        sheet = copy
    ids = criteria(sheet)
    scoring.approve_scores(
        sheet=sheet, organization=org_a, points={pk: D(0) for pk in ids.values()}, by=staff_user
    )
    client.force_login(staff_user)
    url = reverse("emulation:scores", args=[sheet.pk, org_a.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert len(captured) == 12, [query["sql"] for query in captured]
