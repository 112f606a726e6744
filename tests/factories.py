"""Factories for test data. Organizations and members are created through their services (paths,
spells, events, history)."""

import datetime

import factory
from django.contrib.auth import get_user_model

from blocportal.models import Assignment
from blocportal.services import assign_role
from members import services as member_services
from members.models import Candidate, Member
from members.services import candidates as candidate_services
from organizations import services as org_services
from organizations.models import Organization


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    # Vietnamese order: family and middle names first, given name last ("Nguyễn Văn" + "An").
    first_name = "Nguyễn Văn"
    last_name = "An"
    password = factory.django.Password("demo12345")


class OrganizationFactory(factory.Factory):
    class Meta:
        model = Organization

    code = factory.Sequence(lambda n: f"ORG{n:04d}")
    name = factory.Sequence(lambda n: f"Chi bộ Phòng số {n}")
    kind = Organization.Kind.GRASSROOTS_CELL
    sector = Organization.Sector.STATE
    parent = None
    established_on = datetime.date(2015, 1, 1)
    by = factory.SubFactory(UserFactory, username="system")

    @classmethod
    def _create(cls, model_class, **kwargs):
        return org_services.create_organization(**kwargs)


def assign(user, role: str, organization: Organization) -> Assignment:
    return assign_role(user=user, role=role, organization=organization, by=None)


class MemberFactory(factory.Factory):
    """A member admitted through ``members.services.admit`` (spell, event and history included).

    ``organization`` has no default: pass the chi bộ. ``official=True`` also makes the member
    official at the end of the probation.
    """

    class Meta:
        model = Member

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Đảng Viên {n}")
    gender = "nam"
    birth_date = datetime.date(1990, 4, 15)
    admitted_on = datetime.date(2023, 3, 1)
    ceremony_on = datetime.date(2023, 3, 15)
    decision_no = factory.Sequence(lambda n: f"{n}-QĐ/ĐUK")
    by = factory.SubFactory(UserFactory, username="system")
    official = False

    @classmethod
    def _create(cls, model_class, official=False, **kwargs):
        # Test data, entered as decided (the pipeline is not the point of the fixture).
        kwargs.setdefault("decided_outside", True)
        kwargs.setdefault("note", "Dữ liệu kiểm thử")
        member = member_services.admit(**kwargs)
        if official:
            # Test data, entered as it was decided (the resolution is not the point of the fixture).
            member = member_services.make_official(
                member=member, on=member.probation_ends_on, decision_no="", by=kwargs["by"], from_file=True
            )
        return member


class CandidateFactory(factory.Factory):
    """A quần chúng ưu tú recorded through ``members.services.candidates.create_candidate``, at the first
    stage. ``organization`` has no default: pass the chi bộ; the steps are services too."""

    class Meta:
        model = Candidate

    full_name = factory.Sequence(lambda n: f"Lê Thị Quần Chúng {n}")
    gender = "nu"
    birth_date = datetime.date(1998, 5, 10)
    by = factory.SubFactory(UserFactory, username="system")

    @classmethod
    def _create(cls, model_class, **kwargs):
        return candidate_services.create_candidate(**kwargs)


def register_in_bulk(
    organization: Organization,
    count: int,
    *,
    by,
    women: int = 0,
    admitted_on: datetime.date = datetime.date(2010, 1, 4),
    official_on: datetime.date = datetime.date(2011, 1, 4),
    birth_date: datetime.date = datetime.date(1980, 6, 1),
) -> None:
    """``count`` official members entered from a file into ``organization``, the first ``women`` of them
    women, written as ``members.services.register`` writes them (the member and its history, its
    official spell from the admission decision, the ``RECORDED`` event) but in three bulk inserts: the
    services take seconds per hundred, and a test of the figures needs thousands (seed_bench writes
    its rows the same way)."""
    from blocportal import clock
    from blocportal.text import name_sort_key, search_key
    from members.models import Movement, Spell

    members = []
    for n in range(count):
        member = Member(
            organization=organization,
            full_name=f"{'Trần Thị' if n < women else 'Lê Văn'} Hồ Sơ {n:04d}",
            gender="nu" if n < women else "nam",
            birth_date=birth_date,
            admitted_on=admitted_on,
            ceremony_on=admitted_on,
            official_on=official_on,
            status=Member.Status.OFFICIAL,
        )
        member.normalize()
        member.search_name, member.sort_name = search_key(member.full_name), name_sort_key(member.full_name)
        members.append(member)
    Member.objects.bulk_create(members)
    Member.history.bulk_history_create(members, default_user=by)
    since = max(admitted_on, organization.established_on or admitted_on)
    spells = [
        Spell(member=member, organization=organization, kind=Spell.Kind.OFFICIAL, starts_on=since)
        for member in members
    ]
    Spell.objects.bulk_create(spells)
    Spell.history.bulk_history_create(spells, default_user=by)
    Movement.objects.bulk_create(
        Movement(
            member=member,
            organization=organization,
            kind=Movement.Kind.RECORDED,
            on=clock.today(),
            recorded_by=by,
        )
        for member in members
    )
