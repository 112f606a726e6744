"""Emulation scoring (services.scoring, selectors.ranking): the bloc's score sheet of 2025, its copy for
2026, the points of its grassroots organizations, their totals, bands and ranks.

The sheet: group I with criteria 1.1 (60 points) and 1.2 (40 points), a bonus item C1 (5), a penalty item
T1 (10 deducted at most) and a veto item PQ1 (an organization disciplined in the year) that caps the band at
"Khá". Bands: Xuất sắc from 90, Tốt from 75, Khá from 60, Trung bình from 0. Organizations: A (đảng bộ cơ
sở), B, C, D (chi bộ cơ sở); clusters "Cụm 1" (A, B, C) and "Cụm 2" (D).
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from emulation.models import Band, Criterion, CriterionGroup, Score, ScoreSheet
from emulation.selectors.ranking import ranking
from emulation.services import clusters as cluster_services
from emulation.services import scoring
from organizations.models import Organization
from tests.factories import OrganizationFactory
from tests.import_page import msg

D = Decimal
ISSUED = "An issued score sheet does not change: copy it for next year."


@pytest.fixture
def org_c(bloc, system_user):
    return OrganizationFactory(
        code="C",
        name="Chi bộ Sở Tư pháp",
        kind=Organization.Kind.GRASSROOTS_CELL,
        sector=Organization.Sector.STATE,
        parent=bloc,
        by=system_user,
    )


@pytest.fixture
def org_d(bloc, system_user):
    return OrganizationFactory(
        code="D",
        name="Chi bộ Công ty Cấp nước",
        kind=Organization.Kind.GRASSROOTS_CELL,
        sector=Organization.Sector.STATE_ENTERPRISE,
        parent=bloc,
        by=system_user,
    )


@pytest.fixture
def draft(bloc, staff_user):
    """The 2025 sheet with its criteria and bands, not issued yet."""
    sheet = scoring.create_sheet(
        owner=bloc, year=2025, title="Bảng chấm điểm thi đua năm 2025", by=staff_user
    )
    bands = {
        name: scoring.save_band(sheet=sheet, name=name, min_total=D(minimum), order=order, by=staff_user)
        for order, (name, minimum) in enumerate(
            (("Xuất sắc", 90), ("Tốt", 75), ("Khá", 60), ("Trung bình", 0))
        )
    }
    group = scoring.save_group(sheet=sheet, code="I", name="Công tác xây dựng Đảng", order=1, by=staff_user)
    for order, (code, text, kind, maximum, cap) in enumerate(
        (
            ("1.1", "Sinh hoạt chi bộ định kỳ", Criterion.Kind.REGULAR, D(60), None),
            ("1.2", "Kết nạp đảng viên", Criterion.Kind.REGULAR, D(40), None),
            ("C1", "Mô hình mới, cách làm hay", Criterion.Kind.BONUS, D(5), None),
            ("T1", "Chậm nộp báo cáo", Criterion.Kind.PENALTY, D(10), None),
            ("PQ1", "Tổ chức đảng bị kỷ luật trong năm", Criterion.Kind.VETO, None, bands["Khá"]),
        )
    ):
        scoring.save_criterion(
            sheet=sheet,
            group=group,
            code=code,
            text=text,
            kind=kind,
            max_points=maximum,
            cap_band=cap,
            order=order,
            by=staff_user,
        )
    return sheet


@pytest.fixture
def sheet(draft, staff_user):
    return scoring.issue_sheet(sheet=draft, issued_on=datetime.date(2025, 1, 20), by=staff_user)


def criteria(sheet) -> dict[str, int]:
    return dict(Criterion.objects.filter(sheet=sheet).values_list("code", "pk"))


def approve(sheet, organization, by, **points):
    """Approve the points given by criterion code (C1 as bonus, T1 as penalty, PQ1 as veto)."""
    ids = criteria(sheet)
    return scoring.approve_scores(
        sheet=sheet,
        organization=organization,
        points={ids[code.replace("_", ".")]: D(value) for code, value in points.items()},
        by=by,
    )


def standing(sheet) -> dict[str, tuple]:
    return {row.code: (row.rank, row.cluster_rank, row.total, row.band, row.vetoed) for row in ranking(sheet)}


@pytest.fixture
def scored(sheet, org_a, org_b, org_c, org_d, staff_user):
    """Totals 95, 90, 90, 80: B and C tie."""
    cluster_services.create_cluster(
        owner=sheet.owner, year=2025, name="Cụm 1", organizations=[org_a, org_b, org_c], by=staff_user
    )
    cluster_services.create_cluster(
        owner=sheet.owner, year=2025, name="Cụm 2", organizations=[org_d], by=staff_user
    )
    approve(sheet, org_a, staff_user, **{"1_1": 58, "1_2": 37})
    approve(sheet, org_b, staff_user, **{"1_1": 55, "1_2": 35})
    approve(sheet, org_c, staff_user, **{"1_1": 50, "1_2": 38, "C1": 2})
    approve(sheet, org_d, staff_user, **{"1_1": 50, "1_2": 30})
    return sheet


# Ranks ----------------------------------------------------------------------------------------------------


def test_equal_totals_share_a_rank_and_the_next_one_skips(scored):
    assert standing(scored) == {
        "A": (1, 1, D(95), "Xuất sắc", False),
        "B": (2, 2, D(90), "Xuất sắc", False),
        "C": (2, 2, D(90), "Xuất sắc", False),
        "D": (4, 1, D(80), "Tốt", False),
    }


def test_ranks_in_a_cluster_share_ties_too(scored, org_d, staff_user, bloc, system_user):
    """A fifth organization in Cụm 2 with D's total: both first of their cluster, both fourth in the bloc."""
    org_e = OrganizationFactory(
        code="E",
        name="Chi bộ Báo Gia Lai điện tử",
        kind=Organization.Kind.GRASSROOTS_CELL,
        sector=Organization.Sector.PUBLIC_SERVICE,
        parent=bloc,
        by=system_user,
    )
    cluster = org_d.cluster_places.get().cluster
    cluster_services.update_cluster(
        cluster=cluster, name=cluster.name, organizations=[org_d, org_e], by=staff_user
    )
    approve(scored, org_e, staff_user, **{"1_1": 40, "1_2": 40})
    ranks = {code: (rank, cluster_rank) for code, (rank, cluster_rank, *_rest) in standing(scored).items()}
    assert ranks == {"A": (1, 1), "B": (2, 2), "C": (2, 2), "D": (4, 1), "E": (4, 1)}


def test_a_corrected_score_moves_the_ranks(scored, org_d, staff_user):
    ids = criteria(scored)
    changed = scoring.approve_scores(
        sheet=scored, organization=org_d, points={ids["1.1"]: D(60), ids["1.2"]: D(40)}, by=staff_user
    )
    assert len(changed) == 2
    ranks = {
        code: (rank, cluster_rank, total)
        for code, (rank, cluster_rank, total, *_rest) in standing(scored).items()
    }
    assert ranks == {
        "D": (1, 1, D(100)),
        "A": (2, 1, D(95)),
        "B": (3, 2, D(90)),
        "C": (3, 2, D(90)),
    }
    # The earlier approved points stay in the history.
    score = Score.objects.get(organization=org_d, criterion_id=ids["1.1"])
    assert [record.points for record in score.history.order_by("history_id")] == [D(50), D(60)]


def test_the_same_points_again_change_nothing(scored, org_a, staff_user):
    before = Score.history.count()
    assert approve(scored, org_a, staff_user, **{"1_1": 58, "1_2": 37}) == []
    assert Score.history.count() == before


# Bands and veto -------------------------------------------------------------------------------------------


def test_bonus_adds_and_penalty_deducts(sheet, org_a, staff_user):
    approve(sheet, org_a, staff_user, **{"1_1": 50, "1_2": 30, "C1": 5, "T1": 10, "PQ1": 0})
    row = ranking(sheet)[0]
    assert (row.total, row.band, row.vetoed, row.complete) == (D(75), "Tốt", False, True)


def test_a_veto_met_caps_the_band(sheet, org_a, org_b, staff_user):
    approve(sheet, org_a, staff_user, **{"1_1": 58, "1_2": 37, "PQ1": 1})
    approve(sheet, org_b, staff_user, **{"1_1": 30, "1_2": 20, "PQ1": 1})
    assert standing(sheet) == {
        # The total ranks as it is; only the band is capped (at most Khá; lower when the total is lower).
        "A": (1, 0, D(95), "Khá", True),
        "B": (2, 0, D(50), "Trung bình", True),
    }


def test_self_assessed_points_are_kept_apart(sheet, org_a, secretary_a, staff_user):
    ids = criteria(sheet)
    scoring.assess_scores(
        sheet=sheet, organization=org_a, points={ids["1.1"]: D(60), ids["1.2"]: D("39.5")}, by=secretary_a
    )
    row = ranking(sheet)[0]
    assert (row.self_total, row.total, row.scored) == (D("99.5"), D(0), 0)
    approve(sheet, org_a, staff_user, **{"1_1": 55})
    score = Score.objects.get(organization=org_a, criterion_id=ids["1.1"])
    assert (score.self_points, score.self_by, score.points, score.approved_by) == (
        D(60),
        secretary_a,
        D(55),
        staff_user,
    )


def test_emptied_points_are_removed(sheet, org_a, staff_user):
    ids = criteria(sheet)
    approve(sheet, org_a, staff_user, **{"1_1": 55})
    scoring.approve_scores(sheet=sheet, organization=org_a, points={ids["1.1"]: None}, by=staff_user)
    assert not Score.objects.filter(organization=org_a).exists()
    assert ranking(sheet) == []


# Bounds ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "value", "message", "params"),
    [
        ("1.1", "60.5", "%(code)s: the points are between 0 and %(max)s.", {"code": "1.1", "max": "60"}),
        ("1.1", "-1", "%(code)s: the points are between 0 and %(max)s.", {"code": "1.1", "max": "60"}),
        ("T1", "12", "%(code)s: the points are between 0 and %(max)s.", {"code": "T1", "max": "10"}),
        ("PQ1", "2", "%(code)s: a veto item is 1 (met) or 0 (not met).", {"code": "PQ1"}),
        ("1.2", "10.125", "%(code)s: points have at most two decimals.", {"code": "1.2"}),
    ],
)
def test_points_out_of_bounds_are_refused_and_nothing_is_written(
    sheet, org_a, staff_user, code, value, message, params
):
    ids = criteria(sheet)
    with pytest.raises(ValidationError) as refused:
        scoring.approve_scores(
            sheet=sheet, organization=org_a, points={ids["1.2"]: D(20), ids[code]: D(value)}, by=staff_user
        )
    assert refused.value.message_dict == {"points": [msg(message, **params)]}
    assert not Score.objects.exists()


def test_only_the_grassroots_organizations_of_the_year_are_scored(
    sheet, cell_a1, bloc, staff_user, system_user
):
    dissolved = OrganizationFactory(
        code="X",
        name="Chi bộ Công ty Giải thể",
        kind=Organization.Kind.GRASSROOTS_CELL,
        sector=Organization.Sector.STATE_ENTERPRISE,
        parent=bloc,
        established_on=datetime.date(2010, 1, 1),
        by=system_user,
    )
    Organization.objects.filter(pk=dissolved.pk).update(dissolved_on=datetime.date(2024, 6, 30))
    dissolved.refresh_from_db()
    for organization in (cell_a1, bloc, dissolved):
        with pytest.raises(ValidationError) as refused:
            approve(sheet, organization, staff_user, **{"1_1": 10})
        assert list(refused.value.message_dict) == ["organization"]
    assert not Score.objects.exists()


def test_a_draft_takes_no_points(draft, org_a, staff_user):
    with pytest.raises(ValidationError) as refused:
        approve(draft, org_a, staff_user, **{"1_1": 10})
    assert refused.value.messages == [msg("Points are given on an issued score sheet only.")]


def test_a_criterion_of_another_sheet_is_refused(sheet, org_a, staff_user):
    other = scoring.copy_sheet(sheet=sheet, year=2026, by=staff_user)
    foreign = Criterion.objects.get(sheet=other, code="1.1")
    with pytest.raises(ValidationError):
        scoring.approve_scores(sheet=sheet, organization=org_a, points={foreign.pk: D(10)}, by=staff_user)


# Sheets ---------------------------------------------------------------------------------------------------


def test_the_copy_shares_no_row_with_the_original(scored, org_a, staff_user):
    copy = scoring.copy_sheet(sheet=scored, year=2026, by=staff_user)
    assert (copy.title, copy.status, copy.copied_from) == (
        "Bảng chấm điểm thi đua năm 2026",
        "du_thao",
        scored,
    )
    for model in (CriterionGroup, Criterion, Band):
        original = set(model.objects.filter(sheet=scored).values_list("pk", flat=True))
        copied = set(model.objects.filter(sheet=copy).values_list("pk", flat=True))
        assert len(copied) == len(original) and not copied & original
    veto = Criterion.objects.get(sheet=copy, code="PQ1")
    assert (veto.cap_band.sheet, veto.cap_band.name) == (copy, "Khá")
    # Next year's sheet is edited: this year's scores keep their criteria, totals and ranks.
    before = standing(scored)
    copied_criterion = Criterion.objects.get(sheet=copy, code="1.1")
    scoring.save_criterion(
        sheet=copy,
        criterion=copied_criterion,
        group=copied_criterion.group,
        code="1.1",
        text="Sinh hoạt chi bộ và sinh hoạt chuyên đề",
        max_points=D(30),
        by=staff_user,
    )
    scoring.delete_criterion(criterion=Criterion.objects.get(sheet=copy, code="1.2"), by=staff_user)
    scored_criterion = Score.objects.select_related("criterion").get(
        organization=org_a, criterion__code="1.1"
    )
    assert scored_criterion.criterion.sheet == scored
    assert (scored_criterion.criterion.text, scored_criterion.criterion.max_points) == (
        "Sinh hoạt chi bộ định kỳ",
        D(60),
    )
    assert Criterion.objects.filter(sheet=scored).count() == 5
    assert standing(scored) == before


def test_an_issued_sheet_refuses_every_edit(sheet, staff_user):
    group = CriterionGroup.objects.get(sheet=sheet)
    criterion = Criterion.objects.get(sheet=sheet, code="1.1")
    band = Band.objects.get(sheet=sheet, order=0)
    edits = [
        lambda: scoring.update_sheet(sheet=sheet, title="Bảng mới", by=staff_user),
        lambda: scoring.save_group(sheet=sheet, code="II", name="Công tác kiểm tra", by=staff_user),
        lambda: scoring.save_group(sheet=sheet, group=group, code="I", name="Đổi tên", by=staff_user),
        lambda: scoring.save_criterion(
            sheet=sheet,
            criterion=criterion,
            group=group,
            code="1.1",
            text="x",
            max_points=D(50),
            by=staff_user,
        ),
        lambda: scoring.save_band(
            sheet=sheet, band=band, name="Xuất sắc", min_total=D(95), order=0, by=staff_user
        ),
        lambda: scoring.delete_group(group=group, by=staff_user),
        lambda: scoring.delete_criterion(criterion=criterion, by=staff_user),
        lambda: scoring.delete_band(band=band, by=staff_user),
    ]
    for edit in edits:
        with pytest.raises(ValidationError) as refused:
            edit()
        assert refused.value.messages == [msg(ISSUED)]
    criterion.refresh_from_db()
    assert (criterion.max_points, Criterion.objects.filter(sheet=sheet).count()) == (D(60), 5)
    assert ScoreSheet.objects.get(pk=sheet.pk).title == "Bảng chấm điểm thi đua năm 2025"


def test_issue_is_refused_until_the_sheet_is_complete(bloc, staff_user):
    sheet = scoring.create_sheet(owner=bloc, year=2024, title="Bảng 2024", by=staff_user)
    on = datetime.date(2024, 1, 10)
    with pytest.raises(ValidationError) as refused:
        scoring.issue_sheet(sheet=sheet, issued_on=on, by=staff_user)
    assert refused.value.messages == [msg("The sheet has no criteria yet.")]
    group = scoring.save_group(sheet=sheet, code="I", name="Chung", by=staff_user)
    scoring.save_criterion(
        sheet=sheet, group=group, code="C1", text="Điểm thưởng", kind="cong", max_points=D(5), by=staff_user
    )
    scoring.save_criterion(
        sheet=sheet, group=group, code="PQ1", text="Kỷ luật", kind="phu_quyet", by=staff_user
    )
    scoring.save_band(sheet=sheet, name="Tốt", min_total=D(50), order=0, by=staff_user)
    scoring.save_band(sheet=sheet, name="Khá", min_total=D(60), order=1, by=staff_user)
    with pytest.raises(ValidationError) as refused:
        scoring.issue_sheet(sheet=sheet, issued_on=on, by=staff_user)
    assert refused.value.messages == [
        msg("The regular criteria give no points: set their maximum points."),
        msg("Veto item %(code)s caps no band: choose the band at most it allows.", code="PQ1"),
        msg("Band «%(worse)s» must start below band «%(better)s».", worse="Khá", better="Tốt"),
    ]
    assert ScoreSheet.objects.get(pk=sheet.pk).status == ScoreSheet.Status.DRAFT


def test_a_sheet_a_year_and_only_the_bloc_makes_one(draft, bloc, org_a, staff_user):
    with pytest.raises(ValidationError) as refused:
        scoring.create_sheet(owner=bloc, year=2025, title="Bảng khác", by=staff_user)
    assert list(refused.value.message_dict) == ["year"]
    with pytest.raises(ValidationError) as refused:
        scoring.copy_sheet(sheet=draft, year=2025, by=staff_user)
    assert list(refused.value.message_dict) == ["year"]
    with pytest.raises(ValidationError) as refused:
        scoring.create_sheet(owner=org_a, year=2025, title="Bảng của đảng bộ", by=staff_user)
    assert refused.value.messages == [msg("Only the bloc Party committee issues a score sheet.")]


def test_criteria_are_checked_as_they_are_written(draft, staff_user):
    group = CriterionGroup.objects.get(sheet=draft)
    band = Band.objects.get(sheet=draft, order=0)
    with pytest.raises(ValidationError) as refused:
        scoring.save_criterion(
            sheet=draft, group=group, code="1.1", text="Trùng mã", max_points=D(5), by=staff_user
        )
    assert refused.value.message_dict == {"code": [msg("The sheet already has a criterion with this code.")]}
    with pytest.raises(ValidationError) as refused:
        scoring.save_criterion(sheet=draft, group=group, code="1.3", text="Không điểm", by=staff_user)
    assert list(refused.value.message_dict) == ["max_points"]
    with pytest.raises(ValidationError) as refused:
        scoring.save_criterion(
            sheet=draft, group=group, code="1.3", text="x", max_points=D(5), cap_band=band, by=staff_user
        )
    assert refused.value.message_dict == {"cap_band": [msg("Only a veto item caps the band.")]}
    # A band a veto item caps at is not deleted.
    with pytest.raises(ValidationError):
        scoring.delete_band(band=Band.objects.get(sheet=draft, name="Khá"), by=staff_user)
    assert Criterion.objects.filter(sheet=draft).count() == 5
