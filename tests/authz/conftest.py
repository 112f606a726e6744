import pytest

from reports import services as report_services
from reports.services import batches as report_batches
from tests.factories import CandidateFactory, MemberFactory


@pytest.fixture
def authz_targets(personas, bloc, org_a, cell_a1, org_b, system_user, settings, tmp_path):
    """Objects the matrix rows point at, by placeholder name. Apps add theirs here."""
    settings.MEDIA_ROOT = tmp_path / "media"
    reports = {}
    for name, organization in (("report_a", org_a), ("report_b", org_b)):
        draft = report_services.create_draft(organization=organization, period="2025-Q2", by=system_user)
        report = report_services.finalize_report(report=draft, by=system_user, enqueue=False)
        report_services.render_report(report_id=report.pk)  # finalized and ready, with its PDF
        reports[name] = report.pk
    # Drafts of 2025-Q3 (the narrative still editable), beside the finalized reports of 2025-Q2.
    for name, organization in (("draft_a", org_a), ("draft_b", org_b)):
        draft = report_services.create_draft(organization=organization, period="2025-Q3", by=system_user)
        reports[name] = draft.pk
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
    # Scoring: the bloc's issued sheet of 2025 (a group, a criterion, a band; A and B scored) and its
    # draft copy for 2026, whose group, criterion and band the editor's URLs point at.
    from decimal import Decimal

    from emulation.services import scoring

    staff = personas["staff"]
    sheet = scoring.create_sheet(owner=bloc, year=2025, title="Bảng chấm điểm năm 2025", by=staff)
    group = scoring.save_group(sheet=sheet, code="I", name="Công tác xây dựng Đảng", by=staff)
    scoring.save_band(sheet=sheet, name="Xuất sắc", min_total=Decimal(90), order=0, by=staff)
    criterion = scoring.save_criterion(
        sheet=sheet, group=group, code="1", text="Sinh hoạt chi bộ", max_points=Decimal(100), by=staff
    )
    scoring.issue_sheet(sheet=sheet, issued_on=date(2025, 1, 15), by=staff)
    for organization in (org_a, org_b):
        scoring.approve_scores(
            sheet=sheet, organization=organization, points={criterion.pk: Decimal(90)}, by=staff
        )
    draft = scoring.copy_sheet(sheet=sheet, year=2026, by=staff)
    scoring_targets = {
        "sheet": sheet.pk,
        "sheet_draft": draft.pk,
        "group_draft": draft.groups.get().pk,
        "criterion_draft": draft.criteria.get().pk,
        "band_draft": draft.bands.get().pk,
    }
    # Clusters and awards: the bloc's cluster of 2025 holding A and B; a bằng khen to member_a1 (counted
    # under chi bộ A1) and a cờ thi đua to B.
    from emulation.services import awards as award_services
    from emulation.services import clusters as cluster_services

    cluster = cluster_services.create_cluster(
        owner=bloc, year=2025, name="Cụm 1", organizations=[org_a, org_b], by=staff
    )
    award_a = award_services.record_award(
        kind="bang_khen",
        title="Bằng khen của Ban Thường vụ Tỉnh ủy",
        giver="Ban Thường vụ Tỉnh ủy",
        year=2025,
        decision_no="1234-QĐ/TU",
        decided_on=date(2025, 12, 20),
        target_member=Member.objects.get(pk=members["member_a1"]),
        by=staff,
    )
    award_b = award_services.record_award(
        kind="co_thi_dua",
        title="Cờ thi đua của Đảng ủy Khối",
        giver="Ban Chấp hành Đảng bộ Khối",
        year=2025,
        decision_no="45-QĐ/ĐUK",
        decided_on=date(2025, 12, 22),
        target_organization=org_b,
        by=staff,
    )
    award_targets = {"cluster": cluster.pk, "award_a": award_a.pk, "award_b": award_b.pk}
    # Ratings: the 2025 self-assessments of member_a1 (chi bộ A1) and of đảng bộ A.
    from emulation.services import ratings as rating_services

    rating_targets = {
        "member_rating_a1": rating_services.assess_member(
            member=Member.objects.get(pk=members["member_a1"]), year=2025, level="htt", by=system_user
        ).pk,
        "organization_rating_a": rating_services.assess_organization(
            organization=org_a, year=2025, level="htt", by=system_user
        ).pk,
    }
    return {
        **rating_targets,
        **members,
        **committees,
        **meetings,
        **cases,
        **scoring_targets,
        **award_targets,
        "bloc": bloc.pk,
        "org_a": org_a.pk,
        "cell_a1": cell_a1.pk,
        "org_b": org_b.pk,
        **reports,
        "import_job": import_job.pk,
        # A batch of the quarter, started by hand (its run is not executed here: no on-commit).
        "batch": report_batches.start_batch(period="2025-Q2", kind="quarterly", by=personas["staff"]).pk,
    }
