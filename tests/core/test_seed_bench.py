"""``manage.py seed_bench``: the page benchmark's province-scale bloc, written in bulk, holds what the
services would have written — one open official spell per current member, in its chi bộ, spells that
never overlap, exits recorded — and never lands on a database that has a register already."""

from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from blocportal import clock
from blocportal.models import Assignment
from blocportal.text import name_sort_key, search_key
from blocportal.workdays import add_months
from demo.management.commands import seed_bench
from demo.management.commands.seed_demo import DEMO_USERS
from inspections.models import Appeal, Case, Complaint, DisciplineDecision
from inspections.services import cases as case_services
from inspections.services import complaints as complaint_services
from inspections.services import discipline
from meetings.models import Attendance, ClosedMonth, Meeting, Sheet, StudySession
from meetings.services.meetings import count_sheet
from members.models import BadgeAward, Candidate, CommitteeSeat, Member, Movement, Spell, Term
from members.selectors import roll
from organizations.models import Organization, OrganizationEvent

MEMBERS = 300
ENTRIES = (Movement.Kind.RECORDED, Movement.Kind.ADMITTED, Movement.Kind.TRANSFERRED_IN)
EXIT_EVENTS = {
    Member.Exit.DIED: Movement.Kind.DIED,
    Member.Exit.TRANSFERRED_OUT: Movement.Kind.TRANSFERRED_OUT,
    Member.Exit.REMOVED: Movement.Kind.REMOVED,
    Member.Exit.LEFT: Movement.Kind.LEFT,
    Member.Exit.REMOVED_PROBATIONARY: Movement.Kind.REMOVED_PROBATIONARY,
    Member.Exit.EXPELLED: Movement.Kind.EXPELLED,  # by a discipline decision (the case work)
}


def _seed(*args) -> str:
    out = StringIO()
    call_command("seed_bench", "--members", str(MEMBERS), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    return _seed()


def _snapshot() -> dict:
    return {
        "organizations": Organization.objects.count(),
        "members": sorted(Member.objects.values_list("cccd", "organization__code", "exit_reason")),
        "spells": Spell.objects.count(),
        "events": Movement.objects.count(),
        "sheets": sorted(Sheet.objects.values_list("organization__code", "held_on", "expected", "present")),
        "attendance": Attendance.objects.count(),
    }


def test_every_current_member_has_one_open_spell_in_their_chi_bo(seeded):
    assert Member.objects.current().count() == MEMBERS
    spells = defaultdict(list)
    for spell in Spell.objects.order_by("starts_on", "pk"):
        spells[spell.member_id].append(spell)
    cells = set(Organization.objects.filter(kind__in=Organization.CELL_KINDS).values_list("pk", flat=True))
    for member in Member.objects.all():
        own = spells[member.pk]
        assert own and all(spell.kind == Spell.Kind.OFFICIAL for spell in own)
        assert all(spell.organization_id in cells for spell in own)
        for earlier, later in zip(own, own[1:], strict=False):  # never overlapping
            assert earlier.ends_on is not None and earlier.ends_on <= later.starts_on
        opened = [spell for spell in own if spell.ends_on is None]
        if member.is_current:
            assert len(opened) == 1 and opened[0].organization_id == member.organization_id
        else:  # an exit closes the spell on its date; the member stays on the chi bộ they left
            assert opened == [] and member.exited_on == own[-1].ends_on
            assert own[-1].organization_id == member.organization_id
        assert member.search_name == search_key(member.full_name)
        assert member.sort_name == name_sort_key(member.full_name)
        member.clean()  # status, official date, card number and dates agree


def test_the_counts_match(seeded):
    members = Member.objects.count()
    kinds = Counter(Movement.objects.values_list("kind", flat=True))
    assert sum(kinds[kind] for kind in ENTRIES) == members  # one entry each
    exits = Counter(Member.objects.exclude(exit_reason="").values_list("exit_reason", flat=True))
    assert members == MEMBERS + sum(exits.values())
    for reason, count in exits.items():
        assert kinds[EXIT_EVENTS[reason]] == count
    assert kinds[Movement.Kind.ADMITTED] and kinds[Movement.Kind.MADE_OFFICIAL]
    assert kinds[Movement.Kind.TRANSFERRED]
    assert kinds[Movement.Kind.TRANSFERRED] + members == Spell.objects.count()
    # One history row per object in its final state, and a row more for each member the discipline
    # service expelled (through members.services: the member and their spell changed).
    expelled = exits[Member.Exit.EXPELLED]
    assert Member.history.count() == members + expelled
    assert Spell.history.count() == Spell.objects.count() + expelled
    organizations = Organization.objects.count()
    assert OrganizationEvent.objects.count() == organizations == Organization.history.count()
    for organization in Organization.objects.select_related("parent"):
        assert organization.path.endswith(f"{organization.pk:08d}/")
        assert organization.parent is None or organization.path.startswith(organization.parent.path)
    assert Term.objects.exists() and CommitteeSeat.objects.exists()
    assert Candidate.objects.exists() and BadgeAward.objects.exists()
    assert f"{MEMBERS}" in seeded


COUNTERS = ("expected", "present", "excused", "absent", "committee_expected", "committee_present")


def test_meetings_are_written_as_the_services_would_have(seeded):
    """Sheets with their counters for every month of the five years, the attendance rows of the
    last months only: each list the roll of the day, and its counters those of its rows."""
    this_month = clock.today().replace(day=1)
    first = add_months(this_month, 1 - seed_bench.MEETING_MONTHS)
    rows_from = add_months(this_month, 1 - seed_bench.ATTENDANCE_MONTHS)
    # Every month up to this one (which may have no meeting yet, on its first days).
    months = {held_on.replace(day=1) for held_on in Sheet.objects.values_list("held_on", flat=True)}
    assert months - {this_month} == {add_months(first, k) for k in range(seed_bench.MEETING_MONTHS - 1)}
    with_rows = {
        held_on.replace(day=1) for held_on in Attendance.objects.values_list("meeting__held_on", flat=True)
    }
    kept = {add_months(rows_from, k) for k in range(seed_bench.ATTENDANCE_MONTHS - 1)}
    assert with_rows - {this_month} == kept
    assert not Sheet.objects.filter(expected=0).exists()
    assert (
        Meeting.history.count() == Meeting.objects.count() and Sheet.history.count() == Sheet.objects.count()
    )
    assert Attendance.history.count() == Attendance.objects.count()
    kinds = set(Meeting.objects.values_list("kind", flat=True))
    assert {Meeting.Kind.REGULAR, Meeting.Kind.COMBINED, Meeting.Kind.THEMATIC} <= kinds
    assert Meeting.objects.filter(body=Meeting.Body.COMMITTEE).exists()
    sheets = (
        Sheet.objects.filter(held_on__gte=rows_from).select_related("organization").prefetch_related("rows")
    )
    assert sheets.exists()
    for sheet in sheets:
        rows = list(sheet.rows.all())
        recounted = Sheet()
        count_sheet(recounted, rows)
        assert [getattr(recounted, name) for name in COUNTERS] == [getattr(sheet, name) for name in COUNTERS]
        if sheet.body == Meeting.Body.COMMITTEE:
            entries = roll.committee_roll_on(sheet.organization, sheet.held_on)
        else:
            entries = roll.cell_roll_on(sheet.organization, sheet.held_on)
        assert sorted((row.member_id, row.cell_id, row.standing, row.seat) for row in rows) == sorted(
            (entry.member_id, entry.cell_id, entry.standing, entry.seat) for entry in entries
        )
    assert StudySession.objects.exists()
    assert ClosedMonth.objects.count() == seed_bench.MEETING_MONTHS - 2


def test_case_work_is_written_as_the_services_would_have(seeded):
    """Six calendar years of cases, letters and decisions in bulk, each as its service writes it: the
    target's chi bộ and post of the day, the letter's deadline and status, the rules held (nothing
    imported), one history row each; the khai trừ made through the service, its member off the
    register (``--members`` still counts the members on it)."""
    today = clock.today()
    cases = Case.objects.select_related("organization", "target_member")
    assert {case.opened_on.year for case in cases} <= set(
        range(today.year - seed_bench.YEARS, today.year + 1)
    )
    assert not cases.filter(opened_on__gte=today).exists() and not cases.filter(imported=True).exists()
    assert set(cases.values_list("kind", flat=True)) >= {
        "dau_hieu_vi_pham",
        "giam_sat_chuyen_de",
        "tai_chinh_dang",
    }
    for case in cases:
        assert case_services.case_problems(case) == [], case
        if case.target_member is not None:
            standing = roll.standing_on(case.target_member, case.opened_on)
            assert (case.target_cell, case.target_position, case.target_position_organization) == (
                standing.cell,
                standing.position,
                standing.position_organization,
            ), case
        else:
            assert case.target_organization.path.startswith(case.organization.path)
        assert bool(case.closed_on) == bool(case.conclusion) == (case.stage == Case.Stage.CONCLUDED)
    letters = Complaint.objects.select_related("organization")
    assert letters.exists()
    for letter in letters:
        assert letter.due_on == complaint_services.handling_deadline(letter.organization, letter.received_on)
        assert letter.is_open == (letter.resolved_on is None)
        assert letter.status != Complaint.Status.IN_PROGRESS or letter.case_id is not None
    decisions = DisciplineDecision.objects.select_related(
        "organization", "target_member", "target_organization"
    )
    for decision in decisions.exclude(form__in=("khai_tru", "cach_chuc")):
        assert discipline.decision_problems(decision) == [], decision
        if decision.target_member is not None:
            assert decision.target_cell == roll.standing_on(decision.target_member, decision.decided_on).cell
    (expelled,) = decisions.filter(form="khai_tru")
    assert expelled.target_member.exit_reason == Member.Exit.EXPELLED
    assert expelled.target_member.exited_on == expelled.effective_on
    assert decisions.filter(form="cach_chuc", seat__ends_on__isnull=False).count() == 1
    changed = decisions.filter(status=DisciplineDecision.Status.CHANGED)
    assert all(decision.original_form and decision.form != decision.original_form for decision in changed)
    assert Appeal.objects.filter(status=Appeal.Status.ACCEPTED).count() == 1
    for model in (Case, Complaint, DisciplineDecision, Appeal):
        assert model.history.count() == model.objects.count(), model


def test_ratings_and_emulation_are_written_as_the_services_would_have(seeded):
    """Three years of ratings in bulk, the last two within the rules the approval checks (the quota of each
    chi bộ and committee's group, the discipline cap, the organizations' caps), the legacy year imported;
    the clusters of last year and this one; last year's sheet scored for every grassroots organization."""
    from emulation import checks
    from emulation.models import ClusterMember, MemberRating, OrganizationRating, ScoreSheet
    from emulation.selectors.ranking import ranking

    today = clock.today()
    last = today.year - 1
    ratings = MemberRating.objects.all()
    assert set(ratings.values_list("year", flat=True)) == {2017, today.year - 2, last}
    assert set(ratings.filter(year=2017).values_list("imported", flat=True)) == {True}
    for year in (today.year - 2, last):
        for cell in Organization.objects.filter(pk__in=ratings.filter(year=year).values("organization")):
            standing = dict(ratings.filter(year=year, organization=cell).values_list("member_id", "level"))
            assert checks.member_problems(cell, year, 0, standing, checked=standing) == [], (cell, year)
        groups = OrganizationRating.objects.filter(year=year).values_list("approver", flat=True).distinct()
        for approver in Organization.objects.filter(pk__in=groups):
            standing = dict(
                OrganizationRating.objects.filter(year=year, approver=approver).values_list(
                    "organization", "level"
                )
            )
            assert checks.organization_problems(approver, year, 0, standing, checked=standing) == [], approver
    for model in (MemberRating, OrganizationRating, ClusterMember):
        assert model.history.count() == model.objects.count(), model
    grassroots = Organization.objects.grassroots().count()
    assert ClusterMember.objects.filter(year=last).count() == grassroots
    sheet = ScoreSheet.objects.get(year=last)
    assert sheet.is_issued and ScoreSheet.objects.get(year=today.year).status == "du_thao"
    standings = ranking(sheet)
    assert len(standings) == grassroots and all(row.complete and row.cluster_rank for row in standings)


def test_the_demo_users_can_log_in_where_seed_demo_puts_them(seeded):
    for spec in DEMO_USERS:
        user = get_user_model().objects.get(username=spec.username)
        assert user.check_password("demo12345")
        if spec.role:
            assert Assignment.objects.filter(
                user=user, role=spec.role, organization__code=spec.organization_code
            ).exists()


def test_refuses_a_database_with_a_register_unless_forced(seeded):
    before = _snapshot()
    with pytest.raises(CommandError, match="--force"):
        _seed()
    assert _snapshot() == before
    _seed("--force")  # empties the register, then seeds the same bloc again
    assert _snapshot() == before
    assert Member.objects.current().count() == MEMBERS


def test_refuses_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        _seed()
    assert not Organization.objects.exists()
