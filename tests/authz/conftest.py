import pytest

from reports import services as report_services
from tests.factories import CandidateFactory, MemberFactory


@pytest.fixture
def authz_targets(personas, bloc, org_a, cell_a1, org_b, system_user, settings, tmp_path):
    """Objects the matrix rows point at, by placeholder name. Apps add theirs here."""
    settings.MEDIA_ROOT = tmp_path / "media"
    reports = {}
    for name, organization in (("report_a", org_a), ("report_b", org_b)):
        report = report_services.request_report(organization=organization, period="2025-Q2", by=system_user)
        report_services.render_report(report_id=report.pk)  # ready, with its PDF
        reports[name] = report.pk
    members = {
        "member_a1": MemberFactory(organization=cell_a1, official=True, by=system_user).pk,
        "member_b": MemberFactory(organization=org_b, official=True, by=system_user).pk,
        "candidate_a1": CandidateFactory(organization=cell_a1, by=system_user).pk,
        "candidate_b": CandidateFactory(organization=org_b, by=system_user).pk,
    }
    # Committees: the term 2025–2030 of A (a đảng bộ cơ sở) and of B, one seat each.
    from datetime import date

    from members.models import Member
    from members.services import committees as committee_services

    committees = {}
    for suffix, organization, member in (("a", org_a, "member_a1"), ("b", org_b, "member_b")):
        term = committee_services.create_term(
            organization=organization,
            label="2025–2030",
            starts_on=date(2025, 6, 10),
            ends_on=date(2030, 6, 30),
            by=system_user,
        )
        seat = committee_services.appoint(
            term=term,
            member=Member.objects.get(pk=members[member]),
            position="cap_uy_vien",
            starts_on=term.starts_on,
            by=system_user,
        )
        committees |= {f"term_{suffix}": term.pk, f"seat_{suffix}": seat.pk}
    # An import job of the staff persona: its dry run queued (on-commit callbacks do not run here).
    from blocportal import services as portal_services

    import_job = portal_services.start_import(
        kind="organizations", filename="to-chuc.csv", content=b"x", by=personas["staff"]
    )
    # Meetings: a meeting of cell_a1 (with its minutes file) and a study session of org_a.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings import services as meeting_services

    meeting = meeting_services.record_meeting(
        organization=cell_a1,
        held_on=date(2025, 6, 12),
        kind="thuong_ky",
        minutes_file=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban"),
        by=system_user,
    )
    study = meeting_services.record_study(
        organization=org_a,
        held_on=date(2025, 6, 20),
        document_number="57-NQ/TW",
        document_title="Nghị quyết về đột phá phát triển khoa học, công nghệ",
        members_expected=3,
        members_present=3,
        by=system_user,
    )
    meetings = {"meeting_a1": meeting.pk, "study_a": study.pk}
    # Cases: one of the bloc's inspection commission on đảng bộ A, with a document of its file.
    from inspections.services import cases as case_services

    case = case_services.open_case(
        organization=bloc,
        body="uy_ban_kiem_tra",
        kind="dau_hieu_vi_pham",
        decision_no="12-QĐ/UBKTĐUK",
        opened_on=date(2025, 6, 16),
        target_organization=org_a,
        by=system_user,
    )
    case_document = case_services.add_document(
        case=case,
        title="Quyết định kiểm tra",
        file=SimpleUploadedFile("quyet-dinh.pdf", b"%PDF-1.4 quyet dinh"),
        by=system_user,
    )
    cases = {"case_a": case.pk, "case_document_a": case_document.pk}
    # Letters and discipline: a letter received by đảng bộ A about member_a1, still open; a cảnh cáo of
    # the bloc's Ban Thường vụ for member_a1 and the appeal against it, accepted and not yet settled.
    from inspections.services import complaints as complaint_services
    from inspections.services import discipline

    complaint = complaint_services.receive_complaint(
        organization=org_a,
        kind="to_cao",
        received_on=date(2025, 6, 2),
        sender="Nguyễn Thị Tố",
        subject_member=Member.objects.get(pk=members["member_a1"]),
        summary="Tố cáo vi phạm quy định về kê khai tài sản.",
        by=system_user,
    )
    decision = discipline.decide(
        organization=bloc,
        body="ban_thuong_vu",
        decision_no="101-QĐ/ĐUK",
        decided_on=date(2025, 7, 10),
        form="canh_cao",
        target_member=Member.objects.get(pk=members["member_a1"]),
        heard_on=date(2025, 7, 1),
        by=system_user,
    )
    appeal = discipline.file_appeal(
        decision=decision,
        organization=bloc,
        decision_received_on=date(2025, 7, 12),
        filed_on=date(2025, 7, 20),
        by=system_user,
    )
    cases |= {"complaint_a": complaint.pk, "decision_a": decision.pk, "appeal_a": appeal.pk}
    return {
        **members,
        **committees,
        **meetings,
        **cases,
        "bloc": bloc.pk,
        "org_a": org_a.pk,
        "cell_a1": cell_a1.pk,
        "org_b": org_b.pk,
        **reports,
        "import_job": import_job.pk,
    }
