"""``manage.py seed_demo``: a bloc shaped like a real one, one demo user per role, idempotent, and
never on a production database by accident."""

import datetime
import random
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Q, Sum

from blocportal import clock
from blocportal.models import Assignment, Role
from blocportal.workdays import add_months
from demo import meetings as demo_meetings
from demo.management.commands import seed_demo
from inspections.models import Appeal, Body, Case, Complaint, DisciplineDecision
from meetings.models import Attendance, ClosedMonth, Meeting, Sheet, StudySession
from members.models import AdmissionTarget, Candidate, CommitteeSeat, Member, Movement, Spell, Term
from organizations.models import Organization, OrganizationEvent

User = get_user_model()
Kind = Organization.Kind


# The full demo register (4,200 members) takes about a minute; the tests seed a smaller one through
# the same code, with three months of meetings (the meetings' own test seeds the two years).
MEMBERS = "300"
MONTHS = "3"


def _seed(*args, months: str | None = MONTHS) -> str:
    out = StringIO()
    months_args = ("--months", months) if months else ()
    call_command("seed_demo", "--members", MEMBERS, *months_args, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.fixture
def seeded(db, debug):
    return _seed()


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


def test_the_demo_has_two_years_of_meetings_with_gaps_and_study(db, debug):
    _seed(months=None)  # the default: two years
    today = clock.today()
    first = add_months(today.replace(day=1), -23)
    complete = [add_months(first, k) for k in range(23)]  # the months before this one
    assert not Meeting.objects.filter(held_on__gt=today).exists()
    assert Meeting.objects.order_by("held_on").first().held_on.replace(day=1) == first
    # Every chi bộ with members from the first month to this one met in most months of the two
    # years, through the services (one list each, frozen from the register), with gaps.
    met = defaultdict(set)
    for organization_id, held_on in Sheet.objects.filter(
        body=Meeting.Body.MEMBERS, kind__in=Meeting.REGULAR_KINDS
    ).values_list("organization_id", "held_on"):
        met[organization_id].add(held_on.replace(day=1))
    with_members = set(Spell.objects.on(first).values_list("organization_id", flat=True)) & set(
        Spell.objects.on(today).values_list("organization_id", flat=True)
    )
    cells = Organization.objects.filter(
        kind__in=Organization.CELL_KINDS, pk__in=with_members, established_on__lt=first
    )
    assert cells.count() >= 20
    missed = {cell.code: len(set(complete) - met[cell.pk]) for cell in cells}
    assert all(count <= 13 for count in missed.values()), missed
    assert 0.02 <= sum(missed.values()) / (len(complete) * len(missed)) <= 0.15, missed
    assert max(missed.values()) >= 4  # a few chi bộ skip again and again
    # Thematic meetings in most quarters (alone, combined with the regular one, or joint).
    quarters = [
        month for month in complete if month.month in (1, 4, 7, 10) and add_months(month, 2) in complete
    ]
    thematic = defaultdict(set)
    for organization_id, held_on in Sheet.objects.filter(
        body=Meeting.Body.MEMBERS, kind__in=Meeting.THEMATIC_KINDS
    ).values_list("organization_id", "held_on"):
        thematic[organization_id].add(held_on.replace(day=1, month=(held_on.month - 1) // 3 * 3 + 1))
    held = sum(len(set(quarters) & thematic[cell.pk]) for cell in cells)
    assert 0.7 <= held / (len(quarters) * cells.count()) < 1
    kinds = set(Meeting.objects.values_list("kind", flat=True))
    assert {Meeting.Kind.REGULAR, Meeting.Kind.COMBINED, Meeting.Kind.THEMATIC} <= kinds
    assert (
        Meeting.objects.filter(online=True).exists() and Meeting.objects.exclude(upper_attendee="").exists()
    )
    # Each đảng ủy cơ sở with a committee meets as a committee.
    assert Sheet.objects.filter(
        body=Meeting.Body.COMMITTEE, organization__kind=Organization.Kind.GRASSROOTS_COMMITTEE
    ).exists()
    # Attendance rows: most present, most absences excused for the usual reasons, and a few
    # members absent without reason month after month (the absence rule).
    Standing, Status = Attendance.Standing, Attendance.Status
    not_counted = Attendance.objects.filter(
        Q(standing=Standing.AWAY) | Q(standing=Standing.EXEMPTED) & ~Q(status=Status.PRESENT)
    )
    assert Attendance.objects.count() == Sheet.objects.aggregate(n=Sum("expected"))["n"] + not_counted.count()
    rate = Sheet.objects.filter(body=Meeting.Body.MEMBERS, kind__in=Meeting.REGULAR_KINDS).aggregate(
        expected=Sum("expected"), present=Sum("present")
    )
    assert 0.85 <= rate["present"] / rate["expected"] <= 0.96
    reasons = set(Attendance.objects.filter(status=Status.EXCUSED).values_list("reason", flat=True))
    assert set(demo_meetings.REASONS) <= reasons
    absent_months = defaultdict(set)
    for member_id, held_on in Attendance.objects.filter(
        status=Status.ABSENT, meeting__held_on__gt=add_months(today, -12)
    ).values_list("member_id", "meeting__held_on"):
        absent_months[member_id].add(held_on.replace(day=1))
    assert any(len(months) >= 3 for months in absent_months.values())
    # Joint meetings: one list per chi bộ.
    assert Sheet.objects.values("meeting").annotate(n=Count("pk")).filter(n__gt=1).exists()
    # Study of resolutions: nearly every member and most non-members invited.
    sessions = StudySession.objects.all()
    # Each document is studied within weeks of its issue (those of the two years), and each year's
    # thematic study (Kết luận 01-KL/TW) in spring.
    studied = {
        document.number
        for document in demo_meetings.DOCUMENTS
        if first <= document.issued_on and document.issued_on + datetime.timedelta(days=70) <= today
    }
    assert studied | {"01-KL/TW"} <= set(sessions.values_list("document_number", flat=True))
    assert set(sessions.values_list("organization__kind", flat=True)) == set(Organization.GRASSROOTS_KINDS)
    totals = sessions.aggregate(*(Sum(name) for name in ("members_expected", "members_present")))
    assert totals["members_present__sum"] >= 0.95 * totals["members_expected__sum"]
    totals = sessions.aggregate(*(Sum(name) for name in ("non_members_invited", "non_members_present")))
    assert 0.85 <= totals["non_members_present__sum"] / totals["non_members_invited__sum"] <= 0.95
    # The months before the previous one are closed by the bloc's staff.
    closed = set(ClosedMonth.objects.values_list("month", flat=True))
    assert closed == set(complete[:-1])
    assert set(ClosedMonth.objects.values_list("closed_by__username", flat=True)) == {"staff"}


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
    _seed()
    assert _snapshot() == before


def test_a_second_run_restores_a_corrected_field_through_the_service(seeded):
    organization = Organization.objects.get(code="NN03")
    Organization.objects.filter(pk=organization.pk).update(host_unit="Sở Tài chính - Kế hoạch")
    events = OrganizationEvent.objects.count()
    _seed()
    organization.refresh_from_db()
    assert organization.host_unit == "Sở Tài chính"
    assert OrganizationEvent.objects.count() == events


def test_if_empty_leaves_a_database_with_organizations_alone(db, debug, bloc):
    out = _seed("--if-empty")
    assert not Organization.objects.filter(code="DUK").exclude(pk=bloc.pk).exists()
    assert Organization.objects.count() == 1
    assert not User.objects.filter(username="secretary1").exists()
    assert out.strip()


def test_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        _seed()
    assert not Organization.objects.exists()
    assert not User.objects.exists()


def test_force_seeds_without_debug(db, settings):
    settings.DEBUG = False
    _seed("--force")
    assert Organization.objects.grassroots().count() > 100
    assert User.objects.filter(username="secretary2").exists()
