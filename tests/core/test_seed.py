"""``manage.py seed_demo``: a bloc shaped like a real one, one demo user per role, idempotent, and
never on a production database by accident."""

import datetime
import random
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from blocportal import clock
from blocportal.models import Assignment, Role
from demo.management.commands import seed_demo
from members.models import AdmissionTarget, Candidate, CommitteeSeat, Member, Movement, Spell, Term
from organizations.models import Organization, OrganizationEvent

User = get_user_model()
Kind = Organization.Kind


# The full demo register (4,200 members) takes about a minute; the tests seed a smaller one through
# the same code.
MEMBERS = "300"


def _seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", "--members", MEMBERS, *args, stdout=out)
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
