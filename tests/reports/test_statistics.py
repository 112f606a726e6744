"""The organization section of statistics(): tổ chức cơ sở đảng by kind and sector, and the
organizations below them, as of the end of the period."""

import datetime
import json

from organizations import services as org_services
from organizations.models import Organization
from reports.statistics import statistics
from tests.factories import OrganizationFactory

Kind = Organization.Kind
Sector = Organization.Sector


def _tree(bloc, org_a, cell_a1, org_b):
    """Adds to the personas' bloc: a đảng bộ bộ phận with a chi bộ under org_a, a tổ đảng in org_b,
    and a second đảng bộ cơ sở in a state enterprise. Sub-organizations take their parent's sector."""
    branch = OrganizationFactory(
        code="A2", name="Đảng bộ bộ phận Thanh tra", kind=Kind.BRANCH_COMMITTEE, sector="", parent=org_a
    )
    OrganizationFactory(
        code="A21", name="Chi bộ Thanh tra 1", kind=Kind.SUBORDINATE_CELL, sector="", parent=branch
    )
    OrganizationFactory(code="B1", name="Tổ đảng Phóng viên", kind=Kind.GROUP, sector="", parent=org_b)
    OrganizationFactory(
        code="C",
        name="Đảng bộ Công ty Điện lực",
        kind=Kind.GRASSROOTS_COMMITTEE,
        sector=Sector.STATE_ENTERPRISE,
        parent=bloc,
    )


def test_bloc_counts_grassroots_organizations_by_kind_and_sector(bloc, org_a, cell_a1, org_b):
    _tree(bloc, org_a, cell_a1, org_b)

    section = statistics(bloc, "2025-Q2")["organizations"]

    assert section["grassroots"]["total"] == 3
    assert section["grassroots"]["by_kind"] == {"dang_bo_co_so": 2, "chi_bo_co_so": 1}
    assert {k: v for k, v in section["grassroots"]["by_sector"].items() if v} == {
        "co_quan_nha_nuoc": 1,
        "su_nghiep": 1,
        "dn_nha_nuoc": 1,
    }
    assert (section["branch_committees"], section["cells"], section["groups"]) == (1, 2, 1)
    # Sub-organizations count under the sector of their tổ chức cơ sở đảng.
    assert section["by_sector_kind"]["co_quan_nha_nuoc"] == {
        "dang_bo_co_so": 1,
        "chi_bo_co_so": 0,
        "dang_bo_bo_phan": 1,
        "chi_bo_truc_thuoc": 2,
        "to_dang": 0,
    }
    assert section["as_of"] == "2025-06-30"


def test_grassroots_committee_counts_only_its_own_subtree(bloc, org_a, cell_a1, org_b):
    _tree(bloc, org_a, cell_a1, org_b)

    section = statistics(org_a, "2025-Q2")["organizations"]

    assert section["grassroots"]["total"] == 0
    assert (section["branch_committees"], section["cells"], section["groups"]) == (1, 2, 0)


def test_dissolved_organization_leaves_the_count_after_its_dissolution(bloc, org_a, org_b, system_user):
    closed = OrganizationFactory(
        code="D", name="Chi bộ Trường Chính trị", parent=bloc, established_on=datetime.date(2012, 1, 1)
    )
    org_services.dissolve_organization(organization=closed, on=datetime.date(2025, 5, 15), by=system_user)

    assert statistics(bloc, "2025-Q2")["organizations"]["grassroots"]["total"] == 2
    # Earlier periods still show the structure they had.
    assert statistics(bloc, "2025-Q1")["organizations"]["grassroots"]["total"] == 3


def test_cell_established_after_the_period_end_is_not_counted(org_a, cell_a1):
    OrganizationFactory(
        code="A3",
        name="Chi bộ Kho bạc",
        kind=Kind.SUBORDINATE_CELL,
        parent=org_a,
        established_on=datetime.date(2025, 7, 1),
    )

    assert statistics(org_a, "2025-Q2")["organizations"]["cells"] == 1
    assert statistics(org_a, "2025-Q3")["organizations"]["cells"] == 2


def test_statistics_are_plain_json_with_the_period(bloc, org_a, org_b):
    figures = statistics(bloc, "2025-H1")

    assert json.loads(json.dumps(figures)) == figures
    assert figures["period"] == {
        "code": "2025-H1",
        "kind": "half_year",
        "start": "2025-01-01",
        "end": "2025-06-30",
        "as_of": "2025-06-30",
        "previous": "2024-H1",
    }
    assert figures["organization"] == {"code": "DUK", "name": bloc.name, "kind": "dang_bo_khoi"}


def test_statistics_cost_a_fixed_number_of_queries_then_one_while_nothing_changes(
    bloc, org_a, cell_a1, org_b, system_user, django_assert_num_queries
):
    # The version query, the trees of the period (2, however many moves), the register on the day
    # (2), admissions and conversions (2), movements, targets, seats, badges, candidates (2), the
    # meetings' lists and the study sessions (15), then the case work (6: the cases opened, the
    # violations concluded, the discipline decisions, the letters received, settled and waiting), the
    # ratings (2: members and organizations) and the bloc's score sheet (1; its ranking 4 more when one
    # is issued): 24.
    with django_assert_num_queries(24):
        statistics(bloc, "2025-Q2")
    _tree(bloc, org_a, cell_a1, org_b)
    for extra in range(20):
        OrganizationFactory(code=f"X{extra}", kind=Kind.GRASSROOTS_CELL, parent=bloc)
    # Organizations moved on three days of the quarter: still the same queries.
    for day in (5, 6, 7):
        org_services.move_organization(
            organization=Organization.objects.get(code="A21"),
            new_parent=org_a if day % 2 else Organization.objects.get(code="A2"),
            on=datetime.date(2025, 8, day),
            by=system_user,
        )

    with django_assert_num_queries(24):
        statistics(bloc, "2025-Q3")
    # Nothing changed: the figures come from the cache after one query of table maxima.
    with django_assert_num_queries(1):
        statistics(bloc, "2025-Q3")
