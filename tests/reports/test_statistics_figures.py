"""The figures of Quý II năm 2025 on a small bloc, counted by hand.

The bloc (DUK) has three tổ chức cơ sở đảng at the end of the quarter: Đảng bộ Sở Tài chính (A, state)
with its chi bộ A1 and A2, Chi bộ Báo Gia Lai (B, public service) and Đảng bộ Sở Xây dựng (D, state).
Chi bộ Công ty Cà phê (E, a non-state enterprise) was dissolved on 15/5/2025 after its only member moved
to B on 10/5. After the quarter, A2 moved to D (1/8/2025) and B was renamed (1/9/2025).

Members (on 30/6/2025):
  m1 A1, admitted 10/4/2025 in the portal, a woman, probationary
  m2 A1, admitted 1/5/2024, official on 10/5/2025 (the end of the probation)
  m3 A2, entered from a file: admitted 2015, official 2016
  m4 E → B on 10/5/2025 (inside the bloc), official; secretary of B from 1/6/2025, head of the newspaper
  m5 B, entered from a file with an admission on 20/5/2025: counts as admitted in the quarter; a woman
  m6 B, official since 2011, died 1/6/2025
  m7 B, entered from a file with an admission in 2015, long before: not an admission of the quarter
"""

import datetime
import json
from io import StringIO

from django.core.management import call_command

from members import services as member_services
from organizations.models import Organization
from reports.statistics import statistics

Kind = Organization.Kind
Sector = Organization.Sector
D = datetime.date


def test_the_bloc_in_the_quarter_as_counted_by_hand(bloc, quarter):
    figures = statistics(bloc, "2025-Q2")

    organizations = figures["organizations"]
    assert organizations["grassroots"]["total"] == 3  # A, B, D; E was dissolved in May
    assert organizations["cells"] == 2  # A1 and A2
    assert {k: v for k, v in organizations["grassroots"]["by_sector"].items() if v} == {
        "co_quan_nha_nuoc": 2,
        "su_nghiep": 1,
    }
    members = figures["members"]
    assert (members["total"], members["official"], members["probationary"], members["women"]) == (6, 4, 2, 2)
    assert {k: v for k, v in members["by_sector"].items() if v} == {"co_quan_nha_nuoc": 3, "su_nghiep": 3}
    movements = figures["movements"]
    assert (movements["admitted"], movements["made_official"], movements["died"]) == (2, 1, 1)
    # m4's move from E to B stayed inside the bloc: not a transfer of the bloc.
    assert (movements["transferred_in"], movements["transferred_out"]) == (0, 0)
    assert movements["by_month"]["2025-05"]["admitted"] == 1
    assert movements["by_month"]["2025-06"]["exits"] == 1
    admissions = figures["admissions"]
    assert (admissions["target"], admissions["admitted"], admissions["over_target_percent"]) == (4, 2, -50.0)
    committees = figures["committees"]
    assert (committees["secretaries"], committees["secretaries_heading_unit"]) == (1, 1)


def test_earlier_quarter_still_has_the_dissolved_organization(bloc, quarter):
    figures = statistics(bloc, "2025-Q1")

    assert figures["organizations"]["grassroots"]["total"] == 4
    # m1 (April) and m5 (May) were not yet admitted; m2 was probationary; m4 was in E.
    assert (figures["members"]["total"], figures["members"]["probationary"]) == (5, 1)
    assert figures["members"]["by_sector"]["dn_ngoai_nha_nuoc"] == 1


def test_an_organization_moved_after_the_quarter_counts_where_it_was(org_a, quarter):
    assert statistics(org_a, "2025-Q2")["members"]["total"] == 3  # m1, m2 and m3 (in A2)
    assert statistics(quarter["d"], "2025-Q2")["members"]["total"] == 0
    assert statistics(quarter["d"], "2025-Q3")["members"]["total"] == 1
    assert statistics(org_a, "2025-Q3")["organizations"]["cells"] == 1


def test_a_move_inside_the_bloc_is_a_transfer_for_the_organizations_it_joins_and_leaves(org_b, quarter):
    figures = statistics(org_b, "2025-Q2")

    assert figures["movements"]["transferred_in"] == 1
    assert figures["movements"]["transferred_in_within_bloc"] == 1
    assert figures["movements"]["transferred_in_from_outside"] == 0
    assert figures["members"]["total"] == 3  # m4, m5 and m7
    # The header carries the name of that day, not the name given in September.
    assert figures["organization"]["name"] == "Chi bộ Báo Gia Lai"


def test_a_span_of_years_sums_the_targets_of_its_years(bloc, quarter):
    admissions = statistics(bloc, "2024-2025")["admissions"]

    # Admitted in 2024-2025 while in the bloc: m1, m2 and m5; m3, m4 and m7 were admitted earlier.
    assert (admissions["target"], admissions["admitted"]) == (10, 3)
    assert admissions["over_target_percent"] == -70.0


def test_the_command_prints_the_same_figures(bloc, quarter):
    out = StringIO()
    call_command("statistics", "--org", "DUK", "--period", "2025-Q2", "--format", "json", stdout=out)

    assert json.loads(out.getvalue()) == statistics(bloc, "2025-Q2")


def test_a_write_through_the_services_changes_the_figures_at_once(bloc, cell_a1, quarter, system_user):
    before = statistics(bloc, "2025-Q2")["members"]["total"]
    member_services.record_death(member=quarter["members"][0], on=D(2025, 6, 20), by=system_user)

    assert statistics(bloc, "2025-Q2")["members"]["total"] == before - 1


def test_the_pdf_writes_the_same_figures_as_sentences(bloc, quarter, make_report):
    from tests.reports.test_pdf import pdf_text

    report = make_report(bloc, "2025-Q2")
    text = pdf_text(report)

    assert report.figures == statistics(bloc, "2025-Q2")
    for expected in (
        "I. TỔ CHỨC CƠ SỞ ĐẢNG VÀ ĐẢNG VIÊN",
        "2 tổ chức cơ sở đảng thuộc cơ quan Nhà nước với 3 đảng viên",
        "Toàn Đảng bộ Khối có 6 đảng viên (4 đảng viên chính thức và 2 đảng viên dự bị); "
        "trong đó đảng viên nữ 2 đồng chí (chiếm 33,3%).",
        "Trong quý II năm 2025, Đảng bộ Khối đã kết nạp 2 quần chúng ưu tú vào Đảng; "
        "chuyển đảng chính thức cho 1 đảng viên dự bị.",
        "Có 1 đảng viên từ trần.",
        "Số đảng viên mới kết nạp đạt 50% chỉ tiêu năm (2/4).",
        "Có 1/1 đồng chí bí thư cấp ủy cơ sở đồng thời là thủ trưởng cơ quan, đơn vị (100%).",
    ):
        assert expected in text, expected


def test_a_member_attached_from_outside_the_bloc_is_not_on_its_register(bloc, org_b, quarter, system_user):
    member_services.receive_temporary(
        organization=org_b,
        origin="Đảng bộ xã Ia Grai",
        on=D(2025, 5, 2),
        by=system_user,
        full_name="Rơ Châm Khách",
        gender="nam",
        birth_date=D(1990, 1, 1),
        admitted_on=D(2015, 1, 1),
        official_on=D(2016, 1, 1),
    )

    figures = statistics(bloc, "2025-Q2")

    assert figures["members"]["total"] == 6  # as counted by hand, without the visitor
    assert figures["movements"]["temporary_in_from_outside"] == 1


def test_the_targets_page_counts_the_admissions_as_the_statistics_do(bloc, org_b, quarter):
    from members.selectors.candidates import admission_progress

    # m1 (in the portal) and m5 (entered from a file with its 2025 decision) both count.
    assert admission_progress(bloc, 2025).admitted == statistics(bloc, "2025")["admissions"]["admitted"] == 2
    assert (
        admission_progress(org_b, 2025).admitted == statistics(org_b, "2025")["admissions"]["admitted"] == 1
    )
