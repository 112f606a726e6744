"""``manage.py seed_demo`` runs that need a database of their own (not the demo the other tests of
tests/core/test_seed.py share): the full two years of meetings (forced without ``DEBUG``),
``--if-empty``, and the refusal without ``DEBUG``."""

import datetime
from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError
from django.db.models import Count, Q, Sum

from blocportal import clock
from blocportal.workdays import add_months
from demo import meetings as demo_meetings
from meetings.models import Attendance, ClosedMonth, Meeting, Sheet, StudySession
from members.models import Spell
from organizations.models import Organization
from tests.core.seeding import seed

User = get_user_model()
Kind = Organization.Kind


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_the_demo_has_two_years_of_meetings_with_gaps_and_study(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the demo reports' PDFs
    # Without DEBUG the seed refuses unless forced (test_refuses_without_debug); forced, it seeds the
    # whole demo — one seed for both, as a seed is the slowest thing in the suite.
    settings.DEBUG = False
    seed("--force", months=None)  # the default: two years
    assert Organization.objects.grassroots().count() > 100
    assert User.objects.filter(username="secretary2").exists()
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


def test_if_empty_leaves_a_database_with_organizations_alone(db, debug, bloc):
    out = seed("--if-empty")
    assert not Organization.objects.filter(code="DUK").exclude(pk=bloc.pk).exists()
    assert Organization.objects.count() == 1
    assert not User.objects.filter(username="secretary1").exists()
    assert out.strip()


def test_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert not Organization.objects.exists()
    assert not User.objects.exists()
