"""The rating rules of DOMAIN.md §6 (``emulation.checks``) as the approval services enforce them
(``emulation.services.ratings``): each broken rule refuses the approval with a message naming the rule,
the regulation and the people concerned, and a refused approval writes nothing at all.

The people, in 2025 (the personas of tests/conftest.py; members admitted 01/03/2023, official from
01/03/2024):

bloc (Đảng bộ Khối)
├── org_a  Đảng bộ Sở Tài chính (đảng bộ cơ sở)
│   ├── cell_a1  Chi bộ Phòng Ngân sách: An, Bình, Cường, Dung, Giang, Hà (``a1``, in that order)
│   └── cell_a2  Chi bộ Phòng Tổng hợp: Khánh, Lan, Minh, Nam, Oanh, Phúc (``a2``)
└── org_b  Chi bộ Báo Gia Lai (chi bộ cơ sở)

Staff of the bloc approve unless a test says otherwise; the Ban Thường vụ of the bloc disciplines.
``unchanged`` asserts at the end of a test that no rating and no history row was written.
"""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from blocportal import rules
from blocportal.dates import format_day
from blocportal.models import RuleValue
from emulation import checks
from emulation.models import Level, MemberRating, OrganizationRating
from emulation.services import ratings
from inspections.models import Body, DisciplineDecision
from inspections.services import discipline
from members import services as member_services
from members.models import Member, Movement
from organizations.models import Organization
from tests.factories import MemberFactory, OrganizationFactory
from tests.import_page import msg

D = datetime.date
YEAR = 2025
HTXS, HTT, HT, KHT = Level.EXCELLENT, Level.GOOD, Level.DONE, Level.FAILED

QUOTA = (
    "%(group)s: %(count)s rated “excellently fulfilled duties” (%(names)s), more than %(share)s of "
    "the %(good)s rated “well fulfilled duties” — the excellence quota, %(regulation)s."
)
UNDER = "The organizations under %(approver)s"
DISCIPLINED = (
    "%(name)s was disciplined in %(year)s (%(form)s, decision %(number)s of %(date)s): "
    "rated at most “%(cap)s” — a member disciplined in the year, %(regulation)s."
)
EXEMPTED = "%(name)s is exempted from Party work and meetings on %(date)s and is not rated."
SUSPENDED = "%(name)s is suspended from Party activities and is not rated."
FAILED_SHARE = (
    "%(name)s: %(failed)s of its %(count)s rated members (%(share)s) failed to "
    "fulfil their duties, more than %(limit)s%%: the Party cell is rated “failed to "
    "fulfil duties” — %(regulation)s."
)
GOOD_NEEDS = (
    "%(name)s: “%(level)s” needs %(min_done)s%% of its %(whom)s at least “fulfilled "
    "duties” and %(min_good)s%% at least “well fulfilled duties”; they are %(done)s and "
    "%(good)s — %(regulation)s."
)
LEVELS_OF_YEAR = "For %(year)s the levels are: %(levels)s."
SUPERUSERS_ONLY = "Only a superuser may approve a rating that breaks a rule."

A1_NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Giang", "Vũ Thị Hà"]
A2_NAMES = ["Đỗ Văn Khánh", "Bùi Thị Lan", "Đặng Văn Minh", "Ngô Văn Nam", "Dương Thị Oanh", "Lý Văn Phúc"]


def regulation(rule: str) -> str:
    return rules.DEFAULTS[rule].source


def label(level: str) -> str:
    return str(Level(level).label).lower()


def quota_message(group: str, excellent: list[str], good: int) -> str:
    return msg(
        QUOTA,
        group=group,
        count=len(excellent),
        names=", ".join(excellent),
        share="20%",
        good=good,
        regulation=regulation("rating.excellent_quota"),
    )


@pytest.fixture
def cell_a2(org_a, system_user):
    return OrganizationFactory(
        code="A2",
        name="Chi bộ Phòng Tổng hợp",
        kind=Organization.Kind.SUBORDINATE_CELL,
        parent=org_a,
        by=system_user,
    )


@pytest.fixture
def a1(cell_a1, system_user) -> list[Member]:
    return [
        MemberFactory(organization=cell_a1, full_name=name, official=True, by=system_user)
        for name in A1_NAMES
    ]


@pytest.fixture
def a2(cell_a2, system_user) -> list[Member]:
    return [
        MemberFactory(organization=cell_a2, full_name=name, official=True, by=system_user)
        for name in A2_NAMES
    ]


def _snapshot() -> dict:
    return {
        "member_ratings": list(MemberRating.objects.order_by("pk").values()),
        "member_history": MemberRating.history.count(),
        "organization_ratings": list(OrganizationRating.objects.order_by("pk").values()),
        "organization_history": OrganizationRating.history.count(),
    }


@pytest.fixture
def unchanged(db):
    """Every rating (each field) and every history row the same at the end of the test as at the
    moment the fixture is asked for."""
    before = _snapshot()
    yield
    assert _snapshot() == before


def refusal(call, /, **values) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call(**values)
    error = caught.value
    return error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}


def levels(members: list[Member], *chosen: str) -> dict[int, str]:
    return {member.pk: level for member, level in zip(members, chosen, strict=True)}


def approved(members: list[Member], year: int = YEAR) -> dict[str, str]:
    found = dict(
        MemberRating.objects.filter(member__in=members, year=year).values_list("member__full_name", "level")
    )
    return {member.full_name: found.get(member.full_name, "") for member in members}


@pytest.fixture
def approve(cell_a1, staff_user):
    """``approve(levels, cell=cell_a1, year=2025)``: the bloc's staff approve a chi bộ's members."""

    def call(chosen: dict[int, str], *, cell=None, year: int = YEAR, by=None, **values):
        return ratings.approve_members(
            organization=cell or cell_a1, year=year, levels=chosen, by=by or staff_user, **values
        )

    return call


# --- The excellence quota ---------------------------------------------------------------------------


def test_two_excellent_of_five_good_are_refused_with_the_quota_named(approve, a1, cell_a1, unchanged):
    errors = refusal(approve, chosen=levels(a1, HTXS, HTXS, HTT, HTT, HTT, HTT))

    assert errors == {NON_FIELD_ERRORS: [quota_message(cell_a1.name, ["Nguyễn Văn An", "Trần Thị Bình"], 4)]}


def test_one_excellent_of_five_good_passes(approve, a1, staff_user):
    approve(levels(a1, HTXS, HTT, HTT, HTT, HTT, HTT))

    assert list(approved(a1).values()) == [HTXS, HTT, HTT, HTT, HTT, HTT]
    rating = MemberRating.objects.get(member=a1[0], year=YEAR)
    assert (rating.approved_by, rating.override_reason, rating.override_problems) == (staff_user, "", [])


@pytest.mark.parametrize(
    ("chosen", "refused"),
    [
        ((HTXS, HTT, HTT, HTT, HTT, HT), True),  # 1 of 4: 25%
        ((HTXS, HTT, HTT, HTT, HTT, HTT), False),  # 1 of 5: exactly 20%
        ((HTXS, HTT, HTT, HTT, HTT, KHT), True),  # a "không hoàn thành" is no "hoàn thành tốt"
    ],
)
def test_the_quota_is_twenty_percent_of_those_rated_good(approve, a1, chosen, refused):
    if refused:
        with pytest.raises(ValidationError):
            approve(levels(a1, *chosen))
        assert set(approved(a1).values()) == {""}
    else:
        approve(levels(a1, *chosen))
        assert list(approved(a1).values()) == list(chosen)


def test_the_quota_counts_the_members_of_one_party_cell_only(approve, a1, a2, cell_a1, cell_a2):
    """A1's excellent member does not use up A2's share, nor A2's good members make room in A1."""
    approve(levels(a1, HTXS, HTT, HTT, HTT, HTT, HTT))
    approve(levels(a2, HTXS, HTT, HTT, HTT, HTT, HTT), cell=cell_a2)  # A1's htxs do not count here

    assert list(approved(a2).values()) == [HTXS, HTT, HTT, HTT, HTT, HTT]
    # A second excellent member in A1 breaks A1's quota, whatever A2's good members.
    errors = refusal(approve, chosen={a1[1].pk: HTXS})
    assert errors[NON_FIELD_ERRORS] == [quota_message(cell_a1.name, ["Nguyễn Văn An", "Trần Thị Bình"], 4)]


def test_the_members_left_out_count_with_their_standing_level(
    approve, a1, cell_a1, secretary_a, unchanged_after_proposal
):
    """The chi bộ proposed two excellent members; approving one of them alone is still checked on the
    whole chi bộ as it would stand."""
    errors = refusal(approve, chosen={a1[0].pk: HTXS})

    assert errors[NON_FIELD_ERRORS] == [quota_message(cell_a1.name, ["Nguyễn Văn An", "Trần Thị Bình"], 4)]


@pytest.fixture
def unchanged_after_proposal(a1, cell_a1, secretary_a):
    ratings.propose_members(
        organization=cell_a1, year=YEAR, levels=levels(a1, HTXS, HTXS, HTT, HTT, HTT, HTT), by=secretary_a
    )
    before = _snapshot()
    yield
    assert _snapshot() == before


def test_the_chi_bo_proposal_is_approved_as_it_stands(a1, cell_a1, secretary_a, staff_user):
    ratings.propose_members(
        organization=cell_a1, year=YEAR, levels=levels(a1, HTXS, HTT, HTT, HTT, HTT, HT), by=secretary_a
    )
    with pytest.raises(ValidationError):  # 1 excellent of 4 good
        ratings.approve_members(organization=cell_a1, year=YEAR, by=staff_user)
    assert set(approved(a1).values()) == {""}

    # The chi bộ corrects its proposal; the level above approves it whole.
    ratings.propose_members(organization=cell_a1, year=YEAR, levels={a1[5].pk: HTT}, by=secretary_a)
    ratings.approve_members(organization=cell_a1, year=YEAR, by=staff_user)

    assert list(approved(a1).values()) == [HTXS, HTT, HTT, HTT, HTT, HTT]
    rating = MemberRating.objects.get(member=a1[5], year=YEAR)
    assert (rating.proposed_level, rating.proposed_by, rating.level, rating.approved_by) == (
        HTT,
        secretary_a,
        HTT,
        staff_user,
    )


# --- Members who may not be rated, or only so high -------------------------------------------------


@pytest.fixture
def disciplined(a1, bloc, inspector_user) -> DisciplineDecision:
    """Giang (``a1[4]``) reprimanded by the Ban Thường vụ of the bloc on 10/06/2025."""
    return discipline.decide(
        organization=bloc,
        body=Body.STANDING,
        decision_no="101-QĐ/ĐUK",
        decided_on=D(2025, 6, 10),
        heard_on=D(2025, 6, 1),
        form=DisciplineDecision.Form.REPRIMAND,
        target_member=a1[4],
        by=inspector_user,
    )


def test_a_member_disciplined_in_the_year_is_capped(approve, a1, disciplined, unchanged):
    errors = refusal(approve, chosen={a1[4].pk: HT})

    assert errors == {
        NON_FIELD_ERRORS: [
            msg(
                DISCIPLINED,
                name="Hoàng Văn Giang",
                year=YEAR,
                form=str(DisciplineDecision.Form.REPRIMAND.label).lower(),
                number="101-QĐ/ĐUK",
                date=format_day(D(2025, 6, 10)),
                cap=label(KHT),
                regulation=regulation("rating.disciplined_member_max"),
            )
        ]
    }


def test_a_member_disciplined_in_the_year_may_be_rated_failed(approve, a1, disciplined):
    approve({a1[4].pk: KHT})
    assert approved(a1)["Hoàng Văn Giang"] == KHT


def test_a_discipline_of_another_year_does_not_cap(approve, a1, disciplined):
    approve({a1[4].pk: HTT}, year=2024)
    assert approved(a1, 2024)["Hoàng Văn Giang"] == HTT


def test_an_exempted_member_is_not_rated(approve, a1, system_user, unchanged_later):
    member_services.exempt(
        member=a1[2], on=D(2025, 9, 1), ground=Movement.ExemptionGround.AGE_HEALTH, by=system_user
    )
    unchanged_later()
    errors = refusal(approve, chosen={a1[2].pk: HTT})

    expected = msg(EXEMPTED, name="Lê Văn Cường", date=format_day(D(2025, 12, 31)))
    assert errors == {NON_FIELD_ERRORS: [expected]}
    assert a1[2] not in checks.rated_members(a1[2].organization, YEAR)


def test_a_member_exempted_after_self_assessing_is_refused_at_approval(
    approve, a1, system_user, unchanged_later
):
    ratings.assess_member(member=a1[2], year=YEAR, level=HTT, by=system_user)
    member_services.exempt(
        member=a1[2], on=D(2025, 9, 1), ground=Movement.ExemptionGround.AGE_HEALTH, by=system_user
    )
    unchanged_later()
    errors = refusal(approve, chosen={a1[2].pk: HTT})

    assert errors == {
        NON_FIELD_ERRORS: [msg(EXEMPTED, name="Lê Văn Cường", date=format_day(D(2025, 12, 31)))]
    }


def test_a_suspended_member_is_not_rated(approve, a1, unchanged_later):
    # The register records no suspension through a service yet (Member.Activity.SUSPENDED is set by
    # the discipline of a later issue): the member's state is written directly, as the data would be.
    Member.objects.filter(pk=a1[3].pk).update(activity=Member.Activity.SUSPENDED)
    unchanged_later()
    errors = refusal(approve, chosen={a1[3].pk: HTT})

    assert errors == {NON_FIELD_ERRORS: [msg(SUSPENDED, name="Phạm Thị Dung")]}
    assert [m.full_name for m in checks.rated_members(a1[3].organization, YEAR)] == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Cường",
        "Hoàng Văn Giang",
        "Vũ Thị Hà",
    ]


@pytest.fixture
def unchanged_later(db):
    """``unchanged_later()`` takes the snapshot when the test's setup is done; compared at the end."""
    taken = {}

    def take():
        taken["before"] = _snapshot()

    yield take
    if "before" in taken:  # a test that failed in its setup has said so already
        assert _snapshot() == taken["before"]


# --- Organizations capped by their members' and sub-organizations' results --------------------------


@pytest.fixture
def approve_under(staff_user):
    def call(approver, chosen: dict[int, str], *, year: int = YEAR, by=None, **values):
        return ratings.approve_organizations(
            approver=approver, year=year, levels=chosen, by=by or staff_user, **values
        )

    return call


def test_a_cell_with_a_member_failed_is_not_rated_good(
    approve, approve_under, a1, org_a, cell_a1, unchanged_later
):
    approve(levels(a1, HTT, HTT, HTT, HTT, HTT, KHT))  # one of six failed: 17%
    unchanged_later()

    errors = refusal(approve_under, approver=org_a, chosen={cell_a1.pk: HTT})

    assert errors == {
        NON_FIELD_ERRORS: [
            msg(
                GOOD_NEEDS,
                name=cell_a1.name,
                level=label(HTT),
                min_done=100,
                min_good=50,
                whom=msg("members"),
                done="83%",
                good="83%",
                regulation=regulation("rating.organization_caps"),
            )
        ]
    }


def test_a_cell_with_a_member_failed_may_be_rated_fulfilled(approve, approve_under, a1, org_a, cell_a1):
    approve(levels(a1, HTT, HTT, HTT, HTT, HTT, KHT))
    approve_under(org_a, {cell_a1.pk: HT})

    assert OrganizationRating.objects.get(organization=cell_a1, year=YEAR).level == HT


def test_more_than_a_fifth_of_members_failed_makes_the_cell_failed(
    approve, approve_under, a1, org_a, cell_a1, unchanged_later
):
    approve(levels(a1, HT, HTT, HTT, HTT, KHT, KHT))  # two of six: 33%
    unchanged_later()

    errors = refusal(approve_under, approver=org_a, chosen={cell_a1.pk: HT})

    assert errors == {
        NON_FIELD_ERRORS: [
            msg(
                FAILED_SHARE,
                name=cell_a1.name,
                failed=2,
                count=6,
                share="33%",
                limit=20,
                regulation=regulation("rating.organization_caps"),
            )
        ]
    }


def test_a_cell_more_than_a_fifth_failed_is_rated_failed(approve, approve_under, a1, org_a, cell_a1):
    approve(levels(a1, HT, HTT, HTT, HTT, KHT, KHT))
    approve_under(org_a, {cell_a1.pk: KHT})

    assert OrganizationRating.objects.get(organization=cell_a1, year=YEAR).level == KHT


def test_a_party_committee_is_capped_by_its_sub_organizations(
    approve_under, bloc, org_a, cell_a2_rated_failed
):
    """Đảng bộ A's two chi bộ: A1 "hoàn thành tốt", A2 "không hoàn thành": A is not "hoàn thành tốt"."""
    before = _snapshot()
    errors = refusal(approve_under, approver=bloc, chosen={org_a.pk: HTT})

    assert errors == {
        NON_FIELD_ERRORS: [
            msg(
                GOOD_NEEDS,
                name=org_a.name,
                level=label(HTT),
                min_done=100,
                min_good=50,
                whom=msg("sub-organizations"),
                done="50%",
                good="50%",
                regulation=regulation("rating.organization_caps"),
            )
        ]
    }
    assert _snapshot() == before

    approve_under(bloc, {org_a.pk: HT})
    assert OrganizationRating.objects.get(organization=org_a, year=YEAR).level == HT


@pytest.fixture
def cell_a2_rated_failed(approve, approve_under, a1, a2, org_a, cell_a1, cell_a2):
    approve(levels(a1, HTXS, HTT, HTT, HTT, HTT, HTT))
    approve(levels(a2, HT, HT, HT, KHT, KHT, KHT), cell=cell_a2)
    approve_under(org_a, {cell_a1.pk: HTT, cell_a2.pk: KHT})


@pytest.fixture
def grassroots(bloc, system_user) -> list[Organization]:
    """Five more chi bộ cơ sở under the bloc, with no members yet (nothing caps their level)."""
    return [
        OrganizationFactory(code=f"C{n}", name=f"Chi bộ Cơ sở số {n}", parent=bloc, by=system_user)
        for n in range(1, 6)
    ]


def test_the_quota_of_organizations_is_that_of_one_committee(
    approve_under, bloc, org_a, org_b, cell_a1, cell_a2, grassroots, staff_user, unchanged_later
):
    """The bloc's six chi bộ cơ sở: two excellent of four good is refused, naming the bloc's group;
    the chi bộ under đảng bộ A, excellent both (as decided), are another committee's group."""
    for cell in (cell_a1, cell_a2):
        ratings.record_decided_organization(organization=cell, year=YEAR, level=HTXS, by=staff_user)
    unchanged_later()
    chosen = {org_b.pk: HTXS, grassroots[0].pk: HTXS, **{org.pk: HTT for org in grassroots[1:]}}

    errors = refusal(approve_under, approver=bloc, chosen=chosen)

    excellent = [org.name for org in sorted([org_b, grassroots[0]], key=lambda org: org.path)]
    assert errors == {NON_FIELD_ERRORS: [quota_message(msg(UNDER, approver=bloc.name), excellent, 4)]}


def test_one_excellent_organization_of_five_good_passes(approve_under, bloc, org_b, grassroots):
    approve_under(bloc, {org_b.pk: HTXS, **{org.pk: HTT for org in grassroots}})

    assert dict(OrganizationRating.objects.filter(year=YEAR).values_list("organization__code", "level")) == {
        "B": HTXS,
        "C1": HTT,
        "C2": HTT,
        "C3": HTT,
        "C4": HTT,
        "C5": HTT,
    }


# --- The rules table: a value in force from a date --------------------------------------------------


def test_a_rule_changed_in_the_table_changes_the_check_from_its_date(approve, a1, cell_a1):
    """A quota of 50% in force from 01/01/2025 lets 2025 have two excellent of four good; 2024 keeps
    the 20% of the regulation."""
    RuleValue.objects.create(
        name="rating.excellent_quota",
        value=[1, 2],
        regulation="Hướng dẫn giả định",
        effective_on=D(2025, 1, 1),
    )
    chosen = levels(a1, HTXS, HTXS, HTT, HTT, HTT, HTT)

    approve(chosen)
    assert list(approved(a1).values()) == [HTXS, HTXS, HTT, HTT, HTT, HTT]

    errors = refusal(approve, chosen=chosen, year=2024)
    assert errors[NON_FIELD_ERRORS] == [quota_message(cell_a1.name, ["Nguyễn Văn An", "Trần Thị Bình"], 4)]
    assert set(approved(a1, 2024).values()) == {""}


# --- Legacy years -----------------------------------------------------------------------------------


def test_a_legacy_year_rates_organizations_clean_and_strong_without_checks(
    approve_under, bloc, org_b, grassroots, system_user, staff_user
):
    """2016: the legacy classification, and none of today's rules: chi bộ B "trong sạch, vững mạnh" with
    its only member "không hoàn thành" (refused in 2025), six "trong sạch, vững mạnh" in one group."""
    member = MemberFactory(
        organization=org_b,
        full_name="Trịnh Văn Cũ",
        admitted_on=D(2012, 3, 1),
        ceremony_on=D(2012, 3, 15),
        official=True,
        by=system_user,
    )
    for year in (2016, 2025):
        ratings.record_decided_member(member=member, year=year, level=KHT, by=staff_user)

    approve_under(
        bloc, {org_b.pk: Level.CLEAN_STRONG, **{org.pk: Level.CLEAN_STRONG for org in grassroots}}, year=2016
    )

    assert set(OrganizationRating.objects.filter(year=2016).values_list("level", flat=True)) == {
        Level.CLEAN_STRONG
    }
    with pytest.raises(ValidationError):
        approve_under(bloc, {org_b.pk: HTT})


def test_a_legacy_year_has_no_excellent_organizations(approve_under, bloc, org_b, unchanged):
    errors = refusal(approve_under, approver=bloc, chosen={org_b.pk: HTXS}, year=2016)

    levels_2016 = ", ".join(label(level) for level in (Level.CLEAN_STRONG, HTT, HT, Level.WEAK))
    assert errors == {
        NON_FIELD_ERRORS: [f"{org_b.name}: {msg(LEVELS_OF_YEAR, year=2016, levels=levels_2016)}"]
    }


def test_members_keep_the_four_levels_in_a_legacy_year(org_b, system_user, staff_user, unchanged_later):
    member = MemberFactory(
        organization=org_b,
        full_name="Trịnh Văn Cũ",
        admitted_on=D(2012, 3, 1),
        ceremony_on=D(2012, 3, 15),
        official=True,
        by=system_user,
    )
    unchanged_later()
    errors = refusal(ratings.assess_member, member=member, year=2016, level=Level.CLEAN_STRONG, by=staff_user)

    current = ", ".join(label(level) for level in (HTXS, HTT, HT, KHT))
    assert errors == {"self_level": [msg(LEVELS_OF_YEAR, year=2016, levels=current)]}


# --- The override -----------------------------------------------------------------------------------


def test_a_reason_given_by_someone_not_a_superuser_is_refused(approve, a1, staff_user, unchanged):
    errors = refusal(
        approve, chosen=levels(a1, HTXS, HTXS, HTT, HTT, HTT, HTT), override_reason="Thành tích đặc biệt"
    )

    assert errors == {"override_reason": [msg(SUPERUSERS_ONLY)]}


def test_a_superuser_overrides_with_a_reason_that_stays_on_the_rating(approve, a1, cell_a1, superuser):
    reason = "Hai đồng chí có thành tích đột xuất được Tỉnh ủy khen thưởng"
    approve(levels(a1, HTXS, HTXS, HTT, HTT, HTT, HTT), by=superuser, override_reason=reason)

    problem = quota_message(cell_a1.name, ["Nguyễn Văn An", "Trần Thị Bình"], 4)
    rating = MemberRating.objects.get(member=a1[0], year=YEAR)
    assert (rating.level, rating.approved_by, rating.override_by) == (HTXS, superuser, superuser)
    assert (rating.override_reason, rating.override_problems) == (reason, [problem])
    assert rating.override_at is not None and rating.override_at == rating.approved_at
    recorded = rating.history.order_by("-history_date", "-history_id").first()
    assert (
        recorded.level,
        recorded.override_reason,
        recorded.override_problems,
        recorded.override_by_id,
    ) == (
        HTXS,
        reason,
        [problem],
        superuser.pk,
    )


def test_an_override_without_a_broken_rule_leaves_no_trace(approve, a1, superuser):
    approve(levels(a1, HTXS, HTT, HTT, HTT, HTT, HTT), by=superuser, override_reason="Không cần")

    rating = MemberRating.objects.get(member=a1[0], year=YEAR)
    assert (rating.override_reason, rating.override_problems, rating.override_by) == ("", [], None)


def test_a_superuser_without_a_reason_is_refused_like_anyone(approve, a1, superuser, unchanged):
    with pytest.raises(ValidationError):
        approve(levels(a1, HTXS, HTXS, HTT, HTT, HTT, HTT), by=superuser)
