"""``manage.py seed_demo``: a bloc shaped like a real one, one demo user per role, idempotent, and
never on a production database by accident."""

import datetime
import random
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from blocportal import clock
from blocportal.models import Assignment, Role
from demo.management.commands import seed_demo
from emulation.models import (
    Award,
    ClusterMember,
    Level,
    MemberRating,
    OrganizationRating,
    Score,
    ScoreSheet,
)
from inspections.models import Appeal, Body, Case, Complaint, DisciplineDecision
from meetings.models import Attendance, ClosedMonth, Meeting, Sheet, StudySession
from members.models import AdmissionTarget, Candidate, CommitteeSeat, Member, Movement, Spell, Term
from organizations.models import Organization, OrganizationEvent
from reports.models import Report
from reports.selectors import last_finished_quarter
from tests.conftest import reseed_rule_tables
from tests.core.seeding import seed

User = get_user_model()
Kind = Organization.Kind


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """One demo seed for the tests that read it (the seed takes half a minute): committed once for the
    module, each test then runs in its own transaction, rolled back after it (a test that seeds again or
    corrects a field leaves the next one the same demo). At the end the tables are emptied and the rows
    the migrations wrote are written again, as a transactional test leaves them (tests/conftest.py)."""
    with django_db_blocker.unblock():
        try:
            # The settings the tests' own fixtures give each test (tests/conftest.py), for the seed too.
            with override_settings(
                DEBUG=True,
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                MEDIA_ROOT=tmp_path_factory.mktemp("media"),  # the demo reports' PDFs
            ):
                out = seed()
            yield out
        finally:
            call_command("flush", interactive=False, verbosity=0)
            reseed_rule_tables()


@pytest.fixture
def seeded(_seeded_once, db, debug):
    return _seeded_once


def _snapshot() -> dict:
    return {
        "organizations": sorted(
            Organization.objects.values_list(
                "code", "name", "kind", "sector", "path", "host_unit", "established_on", "parent__code"
            )
        ),
        "events": OrganizationEvent.objects.count(),
        "history": Organization.history.count(),
        "users": sorted(User.objects.values_list("username", "first_name", "last_name", "password")),
        "assignments": sorted(Assignment.objects.values_list("user__username", "role", "organization__code")),
        "members": Member.objects.count(),
        "member_events": Movement.objects.count(),
        "member_history": Member.history.count(),
        "spells": Spell.objects.count(),
        "candidates": sorted(Candidate.objects.values_list("cccd", "stage")),
        "targets": AdmissionTarget.objects.count(),
        "terms": Term.objects.count(),
        "seats": CommitteeSeat.objects.count(),
        "meetings": Meeting.objects.count(),
        "meeting_history": Meeting.history.count(),
        "sheets": sorted(Sheet.objects.values_list("organization__code", "held_on", "expected", "present")),
        "attendance": Attendance.objects.count(),
        "attendance_history": Attendance.history.count(),
        "study": StudySession.objects.count(),
        "closed": ClosedMonth.objects.count(),
        "cases": list(
            Case.objects.order_by("pk").values_list("decision_no", "opened_on", "closed_on", "stage")
        ),
        "case_history": Case.history.count(),
        "letters": list(Complaint.objects.order_by("pk").values_list("received_on", "status", "resolved_on")),
        "decisions": sorted(DisciplineDecision.objects.values_list("decision_no", "form", "status")),
        "appeals": list(Appeal.objects.order_by("pk").values_list("filed_on", "status", "settled_on")),
        "member_ratings": sorted(
            MemberRating.objects.values_list("member_id", "year", "self_level", "proposed_level", "level")
        ),
        "member_rating_history": MemberRating.history.count(),
        "organization_ratings": sorted(
            OrganizationRating.objects.values_list("organization__code", "year", "level")
        ),
        "clusters": sorted(ClusterMember.objects.values_list("cluster__name", "year", "organization__code")),
        "score_sheets": sorted(ScoreSheet.objects.values_list("year", "status")),
        "scores": sorted(
            Score.objects.values_list("criterion_id", "organization_id", "self_points", "points")
        ),
        "awards": sorted(Award.objects.values_list("decision_no", "target_member", "target_organization")),
        "reports": sorted(
            Report.objects.values_list(
                "organization__code", "period", "version", "state", "document_number", "status", "submission"
            )
        ),
        "report_history": Report.history.count(),
    }


def test_the_demo_bloc_is_shaped_like_a_real_one(seeded):
    root = Organization.objects.get(code="DUK")
    assert root.kind == Kind.BLOC and root.parent is None
    assert root.name == "Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh"
    grassroots = Organization.objects.grassroots()
    assert 140 <= grassroots.count() <= 160
    assert all(org.parent_id == root.pk for org in grassroots)
    sectors = Counter(grassroots.values_list("sector", flat=True))
    assert sectors[Organization.Sector.STATE] == 31
    assert sectors[Organization.Sector.PARTY] + sectors[Organization.Sector.FRONT] == 13
    assert (
        sectors[Organization.Sector.STATE_ENTERPRISE] + sectors[Organization.Sector.PRIVATE_ENTERPRISE] > 30
    )
    kinds = Counter(grassroots.values_list("kind", flat=True))
    assert kinds[Kind.GRASSROOTS_COMMITTEE] >= 30 and kinds[Kind.GRASSROOTS_CELL] >= 60
    for committee in grassroots.filter(kind=Kind.GRASSROOTS_COMMITTEE):
        assert 3 <= committee.children.filter(kind=Kind.SUBORDINATE_CELL).count() <= 8, committee.name
    branches = Organization.objects.filter(kind=Kind.BRANCH_COMMITTEE)
    assert branches.exists()
    assert all(branch.children.filter(kind=Kind.SUBORDINATE_CELL).exists() for branch in branches)
    assert not Organization.objects.filter(established_on__isnull=True).exists()
    assert Organization.objects.filter(name="Đảng bộ Sở Tài chính", kind=Kind.GRASSROOTS_COMMITTEE).exists()
    # Every organization came through the service: an establishment event each, paths in place.
    assert OrganizationEvent.objects.filter(kind=OrganizationEvent.Kind.ESTABLISHED).count() == (
        Organization.objects.count()
    )
    assert all(org.path.startswith(root.path) for org in Organization.objects.all())


def test_the_demo_reports_are_shaped_for_the_walkthrough(seeded):
    """The last quarter: the bloc's report in force, secretary2's returned with a comment, another
    submitted and waiting, secretary1's a draft; a handful of PDFs, so the seed stays fast."""
    reports = {report.organization.code: report for report in Report.objects.select_related("organization")}
    assert set(reports) >= {"DUK", "NN03", "NN05"} and len(reports) == 4
    assert {report.period for report in reports.values()} == {str(last_finished_quarter(clock.today()))}
    bloc, returned, draft = reports.pop("DUK"), reports.pop("NN05"), reports.pop("NN03")
    (submitted,) = reports.values()
    assert (bloc.state, bloc.status, bloc.document_number) == ("finalized", "ready", "01-BC/ĐUK")
    assert (returned.submission, returned.submitted_by.username) == ("returned", "secretary2")
    assert returned.review_comment and returned.reviewed_by.username == "staff"
    assert (submitted.submission, submitted.status) == ("submitted", "ready")
    assert (draft.state, draft.number, draft.requested_by.username) == ("draft", None, "secretary1")
    assert draft.strengths or draft.shortcomings or draft.tasks  # pre-filled from the figures
    assert Report.objects.exclude(pdf="").count() == 3


def test_the_demo_register_has_members_and_two_years_of_movements(seeded):
    current = Member.objects.current()
    assert 250 <= current.count() <= 350
    assert current.filter(status=Member.Status.PROBATIONARY).exists()
    assert Member.objects.exclude(exit_reason="").exists()
    assert current.exclude(ethnicity="Kinh").exists() and current.filter(gender=Member.Gender.FEMALE).exists()
    kinds = set(Movement.objects.values_list("kind", flat=True))
    for kind in ("ket_nap", "chinh_thuc", "chuyen_noi_bo", "chuyen_den", "chuyen_di", "ghi_nhan", "mien"):
        assert kind in kinds, kind
    two_years_ago = clock.today() - datetime.timedelta(days=731)
    assert not Movement.objects.exclude(kind="ghi_nhan").filter(on__lt=two_years_ago).exists()
    # Every current member sits in exactly one chi bộ, the one their open spell names.
    for member in current.registered().select_related("organization")[:200]:
        spell = Spell.objects.official().open().get(member=member)
        assert spell.organization_id == member.organization_id
        assert member.organization.kind in Organization.CELL_KINDS
    # Secretary 1's đảng bộ has members to look at.
    assert current.filter(organization__path__startswith=Organization.objects.get(code="NN03").path).exists()


def test_the_demo_has_candidates_at_every_stage_committees_and_targets(seeded):
    assert set(Candidate.objects.values_list("stage", flat=True)) == set(Candidate.Stage.values)
    admitted = Candidate.objects.get_queryset().filter(stage=Candidate.Stage.ADMITTED)
    assert all(candidate.member.events.filter(kind="ket_nap").exists() for candidate in admitted)
    # Grassroots organizations with official members have their current term and a secretary; a
    # few whose official members all arrived after the 2025 congress have none (none was elected).
    today = clock.today()
    with_members, with_committee = 0, 0
    for organization in Organization.objects.grassroots().active():
        officials = Spell.objects.official().open().in_subtree(organization)
        if not officials.filter(member__status=Member.Status.OFFICIAL, member__exit_reason="").exists():
            continue
        with_members += 1
        term = Term.objects.filter(organization=organization, starts_on__lte=today, ends_on__gt=today).first()
        if term is not None:
            assert term.seats.filter(position=CommitteeSeat.Position.SECRETARY, ends_on__isnull=True).exists()
            with_committee += 1
    assert with_members and with_committee >= 0.8 * with_members
    bloc = Organization.objects.get(code="DUK")
    assert AdmissionTarget.objects.filter(organization=bloc, year=today.year).exists()


def test_the_demo_has_a_year_of_case_work_in_plausible_proportions(seeded):
    """Last year's and this year's inspections, supervisions, letters and discipline (seed 001's
    figures at the bloc's scale), recorded through the services by the demo inspector."""
    today = clock.today()
    last_year = today.year - 1
    inspector = User.objects.get(username="inspector")
    bloc = Organization.objects.get(code="DUK")
    cases = Case.objects.all()
    assert last_year in {case.opened_on.year for case in cases} <= {last_year, today.year}
    assert not cases.filter(opened_on__gte=today).exists() and not cases.filter(imported=True).exists()
    assert set(cases.values_list("recorded_by", flat=True)) == {inspector.pk}
    # The bloc's programme of last year: 14 grassroots organizations and bí thư of grassroots
    # organizations, by its Ban Thường vụ and its commission; the grassroots committees' own cases.
    programme = cases.filter(organization=bloc, plan_year=last_year)
    covered = set(programme.exclude(target_organization=None).values_list("target_organization", flat=True))
    assert len(covered) == 14
    assert Organization.objects.filter(pk__in=covered, kind__in=Organization.GRASSROOTS_KINDS).count() == 14
    secretaries = programme.filter(target_position="bi_thu", body=Body.STANDING)
    assert 1 <= secretaries.count() <= 7
    assert cases.filter(organization__kind=Organization.Kind.GRASSROOTS_COMMITTEE).count() > 20
    kinds = set(cases.values_list("kind", flat=True))
    assert {"dau_hieu_vi_pham", "thuc_hien_nhiem_vu_ktgs", "tai_chinh_dang", "giam_sat_chuyen_de"} <= kinds
    assert cases.filter(kind="dau_hieu_vi_pham", target_member__isnull=False).exists()
    assert cases.filter(kind="dau_hieu_vi_pham", target_organization__isnull=False).exists()
    # Most concluded, most without violation; one or two still open past their due date.
    concluded = cases.exclude(closed_on=None)
    assert concluded.count() >= 0.8 * cases.count()
    assert concluded.filter(conclusion="khong_vi_pham").count() > concluded.count() / 2
    assert 1 <= Case.objects.open().filter(due_on__lt=today).count() <= 3
    # Letters (20–40 in the full demo, at least ten a year), some anonymous, some forwarded, some
    # handled through a case, two or three past their deadline.
    letters = Complaint.objects.all()
    assert 10 <= letters.count() <= 45
    assert letters.filter(anonymous=True).exists() and letters.filter(status="da_chuyen").exists()
    assert letters.exclude(case=None).exists()
    assert 2 <= Complaint.objects.open().filter(due_on__lt=today).count() <= 3
    # Discipline: mostly khiển trách and cảnh cáo, one khai trừ with its effect, one cách chức, an
    # organization reprimanded; an appeal settled and the latest being settled.
    forms = Counter(
        DisciplineDecision.objects.filter(target_organization=None).values_list("form", flat=True)
    )
    assert forms["khai_tru"] == forms["cach_chuc"] == 1
    assert forms["khien_trach"] + forms["canh_cao"] >= 2
    assert 1 <= DisciplineDecision.objects.filter(target_member=None).count() <= 2
    expelled = DisciplineDecision.objects.get(form="khai_tru").target_member
    assert expelled.exit_reason == Member.Exit.EXPELLED and not expelled.spells.filter(ends_on=None).exists()
    dismissal = DisciplineDecision.objects.get(form="cach_chuc")
    assert dismissal.seat.ends_on == dismissal.effective_on
    assert set(Appeal.objects.values_list("status", flat=True)) == {"da_giai_quyet", "thu_ly"}
    # The inspector's attention hub has the overdue letters to show.
    from blocportal import attention

    assert attention.counts(inspector)["inspections-letters-overdue"] >= 2


def test_the_demo_has_three_years_of_ratings_clusters_a_scored_year_and_awards(seeded):
    """The last legacy year and the last two years rated (seed 002: "đảng viên hoàn thành tốt, hoàn thành
    xuất sắc nhiệm vụ đạt trên 92,65%"), two chi bộ over the quota last year, a member failing two years
    running; last year's clusters copied into this one; last year's sheet scored, this year's a draft; a
    handful of awards."""
    from emulation import checks
    from emulation.selectors.ranking import ranking

    today = clock.today()
    before_last, last = today.year - 2, today.year - 1
    decided = MemberRating.objects.annual().decided()
    assert set(decided.values_list("year", flat=True)) == {2017, before_last, last}
    assert set(OrganizationRating.objects.decided().values_list("year", flat=True)) == {
        2017,
        before_last,
        last,
    }
    legacy = Counter(OrganizationRating.objects.filter(year=2017).values_list("level", flat=True))
    assert set(legacy) <= {"tsvm", "htt", "ht", "yeu_kem"} and legacy["tsvm"] > sum(legacy.values()) / 2
    for year in (before_last, last):
        levels = Counter(decided.filter(year=year).values_list("level", flat=True))
        good = levels[Level.EXCELLENT] + levels[Level.GOOD]
        assert 0.85 <= good / sum(levels.values()) <= 0.97, (year, levels)
        # Approved through the services: each chi bộ's proposal, then the level above.
        approved = decided.filter(year=year, imported=False)
        assert not approved.filter(proposed_level="").exists() and approved.count() > 0.8 * sum(
            levels.values()
        )
        assert not OrganizationRating.objects.filter(year=year, self_level="").exists()
    # The groups over the quota last year are two chi bộ recorded as decided.
    over = set()
    for cell_id in decided.filter(year=last).values_list("organization", flat=True).distinct():
        cell_levels = decided.filter(year=last, organization=cell_id).values_list("level", flat=True)
        if checks.quota_broken(cell_levels, datetime.date(last, 12, 31)):
            over.add(cell_id)
    assert len(over) == 2
    assert set(decided.filter(year=last, imported=True).values_list("organization", flat=True)) == over
    failing = set(decided.filter(year=before_last, level="kht").values_list("member", flat=True))
    assert failing & set(decided.filter(year=last, level="kht").values_list("member", flat=True))
    # Clusters: six last year, copied into this one.
    places = ClusterMember.objects.all()
    assert places.filter(year=last).values("cluster").distinct().count() == 6
    assert sorted(places.filter(year=today.year).values_list("organization", flat=True)) == sorted(
        places.filter(year=last).values_list("organization", flat=True)
    )
    assert places.filter(year=last).count() == Organization.objects.grassroots().count()
    # Last year's sheet, every grassroots organization scored and ranked, equal totals sharing a rank.
    sheet = ScoreSheet.objects.get(year=last)
    assert sheet.is_issued and ScoreSheet.objects.get(year=today.year).status == "du_thao"
    standings = ranking(sheet)
    assert len(standings) == Organization.objects.grassroots().count()
    assert all(row.complete and row.band and row.cluster_rank for row in standings)
    assert len({row.rank for row in standings}) < len(standings)  # a few ties
    # Awards to the best organizations and to members rated "xuất sắc".
    awards = Award.objects.all()
    assert {"co_thi_dua", "bang_khen", "giay_khen"} <= set(awards.values_list("kind", flat=True))
    assert awards.filter(target_member__isnull=False).exists()
    assert awards.filter(target_organization_id=standings[0].organization_id, kind="co_thi_dua").exists()


def test_the_plan_is_the_same_on_every_run():
    assert seed_demo.plan_organizations(random.Random(seed_demo.SEED)) == seed_demo.plan_organizations(
        random.Random(seed_demo.SEED)
    )


def test_demo_users_get_the_right_roles_and_scopes(seeded):
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password("demo12345")
    root = Organization.objects.get(code="DUK")
    for username, role in (("staff", Role.STAFF), ("leader", Role.LEADER), ("inspector", Role.INSPECTOR)):
        user = User.objects.get(username=username)
        assert not user.is_superuser and user.check_password("demo12345")
        assert list(user.assignments.values_list("role", "organization")) == [(role, root.pk)]
    one = Assignment.objects.get(user__username="secretary1")
    two = Assignment.objects.get(user__username="secretary2")
    assert one.role == two.role == Role.SECRETARY
    assert one.organization.kind == Kind.GRASSROOTS_COMMITTEE and one.organization.children.exists()
    assert two.organization.kind == Kind.GRASSROOTS_CELL
    assert not one.organization.path.startswith(two.organization.path)
    assert not two.organization.path.startswith(one.organization.path)
    assert all(user.get_full_name() for user in User.objects.all())


def test_the_command_prints_the_demo_logins(seeded):
    for username in ("admin", "staff", "leader", "inspector", "secretary1", "secretary2"):
        assert username in seeded
    assert "Đảng bộ Sở Tài chính" in seeded
    assert "demo12345" in seeded


def test_a_second_run_changes_nothing(seeded):
    before = _snapshot()
    seed()
    assert _snapshot() == before


def test_a_second_run_restores_a_corrected_field_through_the_service(seeded):
    organization = Organization.objects.get(code="NN03")
    Organization.objects.filter(pk=organization.pk).update(host_unit="Sở Tài chính - Kế hoạch")
    events = OrganizationEvent.objects.count()
    seed()
    organization.refresh_from_db()
    assert organization.host_unit == "Sở Tài chính"
    assert OrganizationEvent.objects.count() == events
