"""The ratings and emulation sections of statistics(), against years of ratings counted by hand. The story,
all through the services (``ratings`` below):

- 2025, members. Chi bộ A1 (under đảng bộ A) rates nine members: it proposes them all, the level above
  approves eight (1 hoàn thành xuất sắc, 5 hoàn thành tốt, 1 hoàn thành, 1 không hoàn thành: exactly at the
  quota, 1 ≤ 20% of 5); the ninth stays a proposal. A1 also has a quarterly rating (Q1), which the annual
  figures leave out. Chi bộ cơ sở B's four ratings are imported as decided (2 xuất sắc, 2 tốt): over the
  quota, 2 > 20% of 2, recorded and flagged in ``ratings.over_quota``. B's 2024 rating is another year.
- 2025, organizations. Đảng ủy A approves its chi bộ A1 "hoàn thành" (not a grassroots organization:
  counted in no ``ratings.organizations`` figure). The bloc's ratings of its grassroots organizations are
  imported: A xuất sắc, B tốt, C tốt (after C's own self-assessment "xuất sắc", which is not a result): the
  bloc's group is over the quota too (1 > 20% of 2).
- 2016, a legacy year: A and B "trong sạch, vững mạnh", C "hoàn thành tốt" (66,7% tsvm, as seed 002's
  "66,67%"); four members (1 xuất sắc in B alone, but legacy years had no quota).
- The bloc's 2025 score sheet: A 95 points (Xuất sắc), B 80 (Tốt), C 80 with a veto item met (capped at
  Khá): B and C share rank 2. A and B form cluster "Cụm 1".

    bloc 2025: members 12 (3 htxs, 7 htt, 1 ht, 1 kht), 10 good or better: 83,3%
               organizations 3 (1 htxs, 2 htt): 100%; over the quota: B, DUK
    A    2025: members 8 (1, 5, 1, 1): 75%; organizations 1 (A itself, htxs)
    B    2025: members 4 (2, 2): 100%; organizations 1 (B, htt); over the quota: B
    bloc 2016: organizations 3 (2 tsvm, 1 htt): tsvm 66,7%; members 4 (1 htxs, 2 htt, 1 ht): 75%
"""

import datetime
import json
from decimal import Decimal

import pytest

from emulation.models import Criterion
from emulation.services import clusters, ratings, scoring
from reports.statistics import MEMBER_LEVELS, ORGANIZATION_LEVELS, compute, statistics
from tests.factories import MemberFactory, OrganizationFactory

D = datetime.date
PERIOD = "2025"

pytestmark = pytest.mark.django_db


def _member(cell, by, name):
    return MemberFactory(
        organization=cell,
        full_name=name,
        admitted_on=D(2015, 3, 1),
        ceremony_on=D(2015, 3, 15),
        official=True,
        by=by,
    )


def _sheet(bloc, organizations, by):
    """The bloc's issued 2025 score sheet and the approved points of A, B and C."""
    sheet = scoring.create_sheet(owner=bloc, year=2025, title="Bảng chấm điểm thi đua năm 2025", by=by)
    group = scoring.save_group(sheet=sheet, code="I", name="Công tác xây dựng Đảng", by=by)
    bands = [
        scoring.save_band(sheet=sheet, name=name, min_total=Decimal(minimum), order=order, by=by)
        for order, (name, minimum) in enumerate((("Xuất sắc", 90), ("Tốt", 75), ("Khá", 50)))
    ]
    Kind = Criterion.Kind
    criteria = {
        code: scoring.save_criterion(
            sheet=sheet,
            group=group,
            code=code,
            text=text,
            kind=kind,
            max_points=None if kind == Kind.VETO else Decimal(points),
            cap_band=bands[2] if kind == Kind.VETO else None,
            order=order,
            by=by,
        )
        for order, (code, text, kind, points) in enumerate(
            (
                ("1", "Lãnh đạo thực hiện nhiệm vụ chính trị", Kind.REGULAR, 60),
                ("2", "Công tác tổ chức, đảng viên", Kind.REGULAR, 40),
                ("3", "Điểm cộng: mô hình mới", Kind.BONUS, 5),
                ("4", "Điểm trừ: báo cáo chậm", Kind.PENALTY, 10),
                ("5", "Tổ chức đảng bị kỷ luật trong năm", Kind.VETO, 0),
            )
        )
    }
    scoring.issue_sheet(sheet=sheet, issued_on=D(2025, 3, 1), by=by)
    org_a, org_b, org_c = organizations
    for organization, points in (
        (org_a, {"1": 55, "2": 38, "3": 2}),
        (org_b, {"1": 50, "2": 35, "4": 5}),
        (org_c, {"1": 50, "2": 30, "5": 1}),
    ):
        scoring.approve_scores(
            sheet=sheet,
            organization=organization,
            points={criteria[code].pk: Decimal(value) for code, value in points.items()},
            by=by,
        )
    clusters.create_cluster(owner=bloc, year=2025, name="Cụm 1", organizations=[org_a, org_b], by=by)
    return sheet


@pytest.fixture
def ratings_years(bloc, org_a, cell_a1, org_b, staff_user):
    """The years of the module's docstring."""
    by = staff_user
    org_c = OrganizationFactory(
        code="C",
        name="Chi bộ Công ty Điện lực",
        kind="chi_bo_co_so",
        sector="dn_nha_nuoc",
        parent=bloc,
        by=by,
    )
    a1 = [_member(cell_a1, by, f"Đảng Viên A{n}") for n in range(1, 10)]
    b = [_member(org_b, by, f"Đảng Viên B{n}") for n in range(1, 5)]

    # 2025, members.
    ratings.assess_member(member=a1[0], year=2025, level="htxs", by=by)
    chosen = ["htxs", "htt", "htt", "htt", "htt", "htt", "ht", "kht", "htt"]
    levels = dict(zip((m.pk for m in a1), chosen, strict=True))
    ratings.propose_members(organization=cell_a1, year=2025, levels=levels, by=by)
    ratings.approve_members(
        organization=cell_a1, year=2025, levels={pk: levels[pk] for pk in list(levels)[:8]}, by=by
    )
    ratings.record_decided_member(member=a1[1], year=2025, quarter=1, level="htxs", by=by)
    for member, level in zip(b, ["htxs", "htxs", "htt", "htt"], strict=True):
        ratings.record_decided_member(member=member, year=2025, level=level, by=by)
    ratings.record_decided_member(member=b[0], year=2024, level="kht", by=by)

    # 2025, organizations.
    ratings.approve_organizations(approver=org_a, year=2025, levels={cell_a1.pk: "ht"}, by=by)
    ratings.assess_organization(organization=org_c, year=2025, level="htxs", by=by)
    for organization, level in ((org_a, "htxs"), (org_b, "htt"), (org_c, "htt")):
        ratings.record_decided_organization(organization=organization, year=2025, level=level, by=by)

    # 2016, the legacy classification.
    for organization, level in ((org_a, "tsvm"), (org_b, "tsvm"), (org_c, "htt")):
        ratings.record_decided_organization(organization=organization, year=2016, level=level, by=by)
    for member, level in ((a1[0], "htt"), (a1[1], "htt"), (a1[2], "ht"), (b[0], "htxs")):
        ratings.record_decided_member(member=member, year=2016, level=level, by=by)

    sheet = _sheet(bloc, (org_a, org_b, org_c), by)
    return {"c": org_c, "a1": a1, "b": b, "sheet": sheet}


def _levels(levels, **counts):
    return {level: counts.get(level, 0) for level in levels}


def test_the_bloc_year_counts_every_decided_annual_rating(bloc, ratings_years):
    figures = statistics(bloc, PERIOD)
    r = figures["ratings"]

    assert r["years"] == [2025] and r["legacy_years"] == []
    assert r["members"] == {
        "rated": 12,
        "by_level": _levels(MEMBER_LEVELS, htxs=3, htt=7, ht=1, kht=1),
        "good_or_excellent": 10,
        "good_or_excellent_percent": 83.3,
    }
    assert r["organizations"] == {
        "rated": 3,
        "by_level": _levels(ORGANIZATION_LEVELS, htxs=1, htt=2),
        "good_or_excellent": 3,
        "good_or_excellent_percent": 100.0,
        "tsvm_percent": None,
    }
    # Every level key present, the legacy ones too.
    assert list(r["organizations"]["by_level"]) == ["htxs", "htt", "ht", "kht", "tsvm", "yeu_kem"]
    # Chi bộ B (its members, imported) and the bloc (the grassroots organizations it rates).
    assert r["over_quota"] == ["B", "DUK"]
    assert r["over_quota_groups"] == [
        {"code": "B", "name": "Chi bộ Báo Gia Lai", "year": 2025, "group": "members"},
        {"code": "DUK", "name": bloc.name, "year": 2025, "group": "organizations"},
    ]
    assert r["by_year"]["2025"]["members"]["by_level"] == r["members"]["by_level"]
    assert r["by_year"]["2025"]["legacy"] is False


def test_a_node_counts_what_lies_under_it(org_a, org_b, ratings_years):
    a = statistics(org_a, PERIOD)["ratings"]
    assert a["members"]["by_level"] == _levels(MEMBER_LEVELS, htxs=1, htt=5, ht=1, kht=1)
    assert a["members"]["good_or_excellent_percent"] == 75.0
    # The đảng bộ cơ sở is its own grassroots organization; its chi bộ A1 is not one.
    assert a["organizations"]["rated"] == 1
    assert a["organizations"]["by_level"]["htxs"] == 1 and a["organizations"]["by_level"]["ht"] == 0
    assert a["over_quota"] == []

    b = statistics(org_b, PERIOD)["ratings"]
    assert (b["members"]["rated"], b["members"]["good_or_excellent_percent"]) == (4, 100.0)
    assert b["organizations"]["by_level"]["htt"] == 1
    assert b["over_quota"] == ["B"]


def test_a_legacy_year_keeps_the_clean_and_strong_share(bloc, ratings_years):
    r = statistics(bloc, "2016")["ratings"]

    assert r["legacy_years"] == [2016]
    assert r["organizations"]["by_level"] == _levels(ORGANIZATION_LEVELS, tsvm=2, htt=1)
    assert r["organizations"]["tsvm_percent"] == 66.7
    # Hoàn thành tốt nhiệm vụ trở lên: tsvm and htt.
    assert r["organizations"]["good_or_excellent_percent"] == 100.0
    assert r["members"]["by_level"] == _levels(MEMBER_LEVELS, htxs=1, htt=2, ht=1)
    assert r["members"]["good_or_excellent_percent"] == 75.0
    # One xuất sắc and no tốt in B: legacy years had no quota.
    assert r["over_quota"] == []


def test_a_span_of_years_adds_them_up_and_keeps_each_year(bloc, ratings_years):
    r = statistics(bloc, "2016-2025")["ratings"]

    assert r["years"] == list(range(2016, 2026))
    assert r["members"]["rated"] == 4 + 12 + 1  # B's 2024 "không hoàn thành" too
    assert r["organizations"]["rated"] == 6
    # Among the organizations rated in the legacy years only.
    assert r["organizations"]["tsvm_percent"] == 66.7
    assert r["over_quota"] == ["B", "DUK"]
    assert r["by_year"]["2016"]["legacy"] is True
    assert r["by_year"]["2016"]["organizations"]["by_level"]["tsvm"] == 2
    assert r["by_year"]["2024"]["members"]["by_level"]["kht"] == 1
    assert r["by_year"]["2020"]["members"]["rated"] == 0


def test_a_quarter_reads_the_ratings_of_its_year(bloc, ratings_years):
    # The ratings are annual: a quarter of 2025 quotes the year's results.
    assert statistics(bloc, "2025-Q4")["ratings"]["members"]["rated"] == 12


def test_the_ranking_of_the_bloc_sheet(bloc, org_b, ratings_years):
    e = statistics(bloc, PERIOD)["emulation"]

    assert (e["year"], e["sheet"]) == (2025, "Bảng chấm điểm thi đua năm 2025")
    assert [(row["code"], row["total"], row["rank"], row["band"]) for row in e["ranking"]] == [
        ("A", 95.0, 1, "Xuất sắc"),
        ("B", 80.0, 2, "Tốt"),
        ("C", 80.0, 2, "Khá"),  # the veto item caps the band
    ]
    assert [(row["cluster"], row["cluster_rank"]) for row in e["ranking"]] == [
        ("Cụm 1", 1),
        ("Cụm 1", 2),
        ("", None),
    ]
    # Below the bloc: its own rows, with their rank in the bloc.
    (row,) = statistics(org_b, PERIOD)["emulation"]["ranking"]
    assert (row["code"], row["rank"]) == ("B", 2)
    # A year without an issued sheet has no ranking.
    assert statistics(bloc, "2024")["emulation"] == {"year": None, "sheet": None, "ranking": []}


def test_a_correction_changes_the_figures_at_once(bloc, org_b, ratings_years, staff_user):
    assert statistics(bloc, PERIOD)["ratings"]["over_quota"] == ["B", "DUK"]
    # B's ratings re-imported as corrected: one xuất sắc of three tốt is still over the quota (1 > 20% of
    # 3); none is within it.
    ratings.record_decided_member(member=ratings_years["b"][0], year=2025, level="htt", by=staff_user)
    assert statistics(bloc, PERIOD)["ratings"]["over_quota"] == ["B", "DUK"]
    ratings.record_decided_member(member=ratings_years["b"][1], year=2025, level="htt", by=staff_user)

    r = statistics(bloc, PERIOD)["ratings"]
    assert r["members"]["by_level"]["htxs"] == 1 and r["members"]["by_level"]["htt"] == 9
    assert r["over_quota"] == ["DUK"]


def test_the_figures_serialize_and_name_nobody(bloc, ratings_years):
    figures = statistics(bloc, "2016-2025")
    text = json.dumps(figures, ensure_ascii=False)

    assert json.loads(text)["ratings"] == figures["ratings"]
    for member in (*ratings_years["a1"], *ratings_years["b"]):
        assert member.full_name not in text


def test_the_ratings_cost_three_queries_however_many_ratings(
    bloc, org_a, cell_a1, staff_user, django_assert_num_queries
):
    # As tests/reports/test_statistics.py: the ratings of members and of organizations, the bloc's sheet.
    with django_assert_num_queries(24):
        statistics(bloc, PERIOD)
    for n in range(10):
        member = _member(cell_a1, staff_user, f"Đảng Viên X{n}")
        ratings.record_decided_member(member=member, year=2025, level="htt", by=staff_user)

    with django_assert_num_queries(24):
        assert statistics(bloc, PERIOD)["ratings"]["members"]["rated"] == 10


def test_compute_matches_the_cached_figures(bloc, ratings_years):
    from blocportal.periods import Period

    period = Period.parse(PERIOD)
    assert compute(bloc, period, as_of=D(2025, 12, 31))["ratings"] == statistics(bloc, PERIOD)["ratings"]
