"""Section VI, the narrative: the draft written from the figures (reports.narrative), its editor
(reports:narrative) and the preview of the document (reports:preview).

The figures are those of the hand-counted first quarter of 2025 (tests/meetings/conftest.py): chi bộ A1
and A2 met in March only, đảng bộ A's committee never met, 13 of 17 members attended (76,5%). Chi bộ
A3, added here, held no meeting at all in the quarter."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from blocportal.periods import Period
from meetings import services as meeting_services
from meetings.models import Meeting
from organizations.models import Organization
from reports import document, services
from reports.models import Report
from reports.narrative import draft_narrative, padded
from tests.factories import MemberFactory, OrganizationFactory
from tests.meetings import conftest as meeting_fixtures
from tests.reports.test_pdf import pdf_text

cell_a2, people, quarter = meeting_fixtures.cell_a2, meeting_fixtures.people, meeting_fixtures.quarter

PERIOD = "2025-Q1"


@pytest.fixture(autouse=True)
def _today(settings):
    settings.PORTAL_NOW = "2026-11-28T03:00:00+00:00"


@pytest.fixture
def cell_a3(org_a, system_user):
    """A chi bộ of đảng bộ A with two members, which held no meeting in the quarter."""
    cell = OrganizationFactory(
        code="A3",
        name="Chi bộ Phòng Tin học",
        kind=Organization.Kind.SUBORDINATE_CELL,
        parent=org_a,
        by=system_user,
    )
    for name in ("Lý Văn Tâm", "Mai Thị Thu"):
        MemberFactory(organization=cell, full_name=name, official=True, by=system_user)
    return cell


def _text(html: str) -> str:
    return html.replace("</li>", "\n").replace("<li>", "").replace("<ul>", "").replace("</ul>", "")


@pytest.mark.django_db
def test_the_draft_names_the_chi_bo_that_did_not_meet_and_compares_with_the_year_before(
    org_a, cell_a1, cell_a3, quarter, staff_user
):
    # The same quarter a year before: A1 met once with every member present (7 of 7, 100%).
    meeting_services.record_meeting(
        organization=cell_a1, held_on=Period.parse("2024-Q1").end, kind=Meeting.Kind.REGULAR, by=staff_user
    )

    report = services.create_draft(organization=org_a, period=PERIOD, by=staff_user)

    shortcomings, tasks = _text(report.shortcomings), _text(report.tasks)
    assert (
        "Còn 03 chi bộ và 01 đảng ủy cơ sở chưa duy trì sinh hoạt định kỳ hằng tháng (Đảng ủy Sở Tài chính, "
        "Chi bộ Phòng Tin học, Chi bộ Phòng Ngân sách và Chi bộ Phòng Tổng hợp)." in shortcomings
    )
    assert "Tỷ lệ đảng viên dự sinh hoạt đạt 76,5%, giảm 23,5 điểm so với cùng kỳ." in shortcomings
    assert (
        "Chỉ đạo 03 chi bộ (Chi bộ Phòng Tin học, Chi bộ Phòng Ngân sách và Chi bộ Phòng Tổng hợp) duy trì "
        "sinh hoạt định kỳ hằng tháng theo quy định." in tasks
    )
    assert "Đảng ủy Sở Tài chính duy trì nghiêm chế độ sinh hoạt thường kỳ theo quy định." in tasks
    assert (
        "Việc sinh hoạt chuyên đề chưa thường xuyên: mới đạt 02/03 kỳ theo quy định (66,7%)." in shortcomings
    )
    assert report.shortcomings.startswith("<ul><li>")
    assert report.strengths == ""  # nothing rose or was achieved in this quarter: no text is made up


def test_a_rate_against_cung_ky_reads_as_the_press_writes_it(bloc):
    meetings = {
        "cells_total": 12,
        "cells_meeting_every_month": 10,
        "by_kind": {"chi_bo_co_so": {"total": 12, "every_month": 10}},
        "behind": [],
        "regular_held": 34,
        "regular_due": 36,
        "thematic_held": 0,
        "regular_meetings": 34,
        "thematic_meetings": 0,
        "attendance_percent": 80.2,
        "committee_attendance_percent": 95.0,
    }
    figures = {"organization": {"code": "DUK"}, "meetings": meetings}
    previous = {"meetings": {"attendance_percent": 83.3, "committee_attendance_percent": 93.0}}

    parts = draft_narrative(bloc, Period.parse("2026-Q2"), figures, previous)

    assert "Tỷ lệ đảng viên dự sinh hoạt đạt 80,2%, giảm 3,1 điểm so với cùng kỳ." in parts["shortcomings"]
    assert "Còn 02 chi bộ chưa duy trì sinh hoạt định kỳ hằng tháng." in parts["shortcomings"]
    assert "Tỷ lệ cấp ủy viên dự sinh hoạt đạt 95%, tăng 2 điểm so với cùng kỳ." in parts["strengths"]
    annual = draft_narrative(bloc, Period.parse("2026"), figures, previous)
    assert "giảm 3,1 điểm so với năm 2025" in annual["shortcomings"]


def test_admissions_below_the_target_give_the_cause_the_figures_show(bloc):
    figures = {
        "movements": {"admitted": 8, "made_official": 3},
        "admissions": {"target": 12, "admitted": 8, "percent_of_target": 66.7, "over_target_percent": -33.3},
        "candidates": {"trained": 0, "waiting": 2},
        "members": {"probationary": 11},
    }

    parts = draft_narrative(bloc, Period.parse("2025"), figures, {"movements": {"admitted": 5}})

    assert "kết nạp 08 quần chúng ưu tú vào Đảng (tăng 03 so với năm 2024)." in parts["strengths"]
    assert (
        "Công tác phát triển đảng viên chưa đạt chỉ tiêu: kết nạp 08/12 quần chúng ưu tú (66,7% chỉ tiêu). "
        "Nguyên nhân: Nguồn phát triển đảng viên còn ít, chỉ có 02 quần chúng ưu tú đã qua lớp bồi dưỡng "
        "nhận thức về Đảng đang chờ xem xét kết nạp." in parts["shortcomings"]
    )
    assert "Xét chuyển đảng chính thức cho 03 đảng viên dự bị." in parts["strengths"]
    assert "Theo dõi, giúp đỡ 11 đảng viên dự bị; xét chuyển đảng chính thức" in parts["tasks"]


def test_empty_figures_leave_every_part_empty(bloc, org_b):
    empty = {"strengths": "", "shortcomings": "", "tasks": ""}
    assert draft_narrative(bloc, Period.parse("2025-Q2"), {}, {}) == empty
    # A report frozen before the modules: its organizations alone say nothing of the narrative.
    frozen = {"organization": {"code": "B"}, "organizations": {"grassroots": {"total": 0}}}
    assert draft_narrative(org_b, Period.parse("2025-Q2"), frozen, {}) == empty


def test_counts_under_ten_are_padded_as_the_press_pads_them():
    assert [padded(n) for n in (0, 2, 10, 2020)] == ["00", "02", "10", "2.020"]


@pytest.mark.django_db
def test_staff_save_the_narrative_sanitized(client, org_a, staff_user, system_user):
    report = services.create_draft(organization=org_a, period="2025-Q2", by=system_user)
    url = reverse("reports:narrative", args=[report.pk])
    client.force_login(staff_user)

    page = client.get(url)
    assert page.status_code == 200
    for element in ("narrative-strengths", "narrative-shortcomings", "narrative-tasks", "narrative-save"):
        assert f'id="{element}"' in page.content.decode()

    response = client.post(
        url,
        {
            "strengths": '<p onclick="steal()">Sinh hoạt nền nếp.</p><script>alert(1)</script>',
            "shortcomings": "<ul><li>Chi bộ A chưa sinh hoạt.</li><li>Đơn thư tồn đọng.</li></ul>",
            "tasks": "Duy trì sinh hoạt.\n\nGiải quyết đơn thư.",
        },
    )

    assert response.status_code == 302 and response.url == report.get_absolute_url()
    report.refresh_from_db()
    assert report.strengths == "<p>Sinh hoạt nền nếp.</p>"
    assert report.shortcomings == "<ul><li>Chi bộ A chưa sinh hoạt.</li><li>Đơn thư tồn đọng.</li></ul>"
    assert report.tasks == "<p>Duy trì sinh hoạt.</p><p>Giải quyết đơn thư.</p>"
    assert report.history.first().history_user == staff_user


@pytest.mark.django_db
def test_a_finalized_report_refuses_the_narrative_with_the_reason(client, org_a, staff_user, make_report):
    report = make_report(org_a, "2025-Q2", render=False, strengths="Đã ban hành.")
    client.force_login(staff_user)

    response = client.post(reverse("reports:narrative", args=[report.pk]), {"strengths": "Sửa sau khi chốt."})

    assert response.status_code == 200
    with translation.override("vi"):
        reason = translation.gettext("A finalized report can no longer change; reissue it to correct it.")
    assert escape(reason) in response.content.decode()
    assert 'id="narrative-save"' not in response.content.decode()
    report.refresh_from_db()
    assert report.strengths == "<p>Đã ban hành.</p>"


@pytest.mark.django_db
def test_who_may_edit_the_narrative(client, org_a, system_user, leader_user, secretary_a, secretary_b):
    report = services.create_draft(organization=org_a, period="2025-Q2", by=system_user)
    url = reverse("reports:narrative", args=[report.pk])
    statuses = {}
    for name, user in (("leader", leader_user), ("secretary_a", secretary_a), ("secretary_b", secretary_b)):
        client.force_login(user)
        statuses[name] = client.get(url).status_code
    # The leader reads the report but does not write it; secretary 2 does not see chi bộ A's at all.
    assert statuses == {"leader": 403, "secretary_a": 200, "secretary_b": 404}


@pytest.mark.django_db
def test_the_preview_shows_the_draft_document_before_finalization(client, org_b, leader_user, system_user):
    report = services.create_draft(organization=org_b, period="2025-Q2", by=system_user)
    services.update_narrative(report=report, by=system_user, tasks="<ol><li>Kết nạp 02 quần chúng.</li></ol>")
    client.force_login(leader_user)

    response = client.get(reverse("reports:preview", args=[report.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "BÁO CÁO" in html and "ĐÁNH GIÁ CHUNG" in html
    assert "<ol><li>Kết nạp 02 quần chúng.</li></ol>" in html
    assert "file://" not in html  # the server's font files are left out of the browser's page
    assert (
        "'unsafe-inline'" in response.headers["Content-Security-Policy"].split("style-src")[1].split(";")[0]
    )


@pytest.mark.django_db
def test_the_narrative_is_printed_as_the_last_section_of_the_pdf(org_a, cell_a1, quarter, make_report):
    report = make_report(
        org_a,
        PERIOD,
        shortcomings="<ul><li>Đảng ủy chưa sinh hoạt thường kỳ.</li></ul>",
        tasks="<p>Duy trì sinh hoạt định kỳ.</p>",
    )
    text = pdf_text(report)

    # Numbered after the sections that show (here I and II: no study, case work or rating this quarter).
    number = document.document_context(report)["narrative_number"]
    assert report.state == Report.State.FINALIZED and number == "III"
    heading = f"{number}. ĐÁNH GIÁ CHUNG"
    assert text.index("II. SINH HOẠT CHI BỘ") < text.index(heading)
    after = text.split(heading, 1)[1]
    # The draft's strengths from the figures, then the parts as staff wrote them, numbered.
    assert "1. Ưu điểm" in after and "Các chi bộ sinh hoạt chuyên đề đủ 02/02 kỳ theo quy định." in after
    shortcomings, tasks = after.split("2. Hạn chế, khuyết điểm và nguyên nhân", 1)[1].split(
        "3. Phương hướng, nhiệm vụ thời gian tới", 1
    )
    assert "Đảng ủy chưa sinh hoạt thường kỳ." in shortcomings
    assert "Duy trì sinh hoạt định kỳ." in tasks
