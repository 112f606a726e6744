"""Huy hiệu Đảng: who reaches a milestone of party age by an award day, and recording the award.

DOMAIN.md §2 and validation rule 13: the badge is awarded from 30 years of party age (the later
milestones 40, 45, 50 … are unconfirmed, so they come from the rule "badge.milestone_years") and
presented on the four award days of the year, 3/2, 19/5, 2/9 and 7/11 (HD 01-HD/TW 2021 mục 18,
rule "badge.award_days"). Party age counts from the admission decision in full months
(``members.models.party_age``): a member admitted on 19/5/1996 has 30 years on 19/5/2026.
"""

from datetime import date, timedelta

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When

from blocportal import rules, workdays
from blocportal.workdays import add_months
from members.models import BadgeAward, Member

# Award days ------------------------------------------------------------------------------------


def award_dates(year: int) -> list[date]:
    """The award days of ``year``, in calendar order."""
    return sorted(date(year, month, day) for month, day in rules.get("badge.award_days"))


def next_award_date(on: date) -> date:
    """The first award day on or after ``on`` (after 7/11 it is 3/2 of the next year)."""
    for day in award_dates(on.year):
        if day >= on:
            return day
    return award_dates(on.year + 1)[0]


def previous_award_date(on: date) -> date:
    """The last award day strictly before ``on``."""
    for day in reversed(award_dates(on.year)):
        if day < on:
            return day
    return award_dates(on.year - 1)[-1]


def upcoming_award_dates(on: date, count: int = 4) -> list[date]:
    """The next ``count`` award days, from ``next_award_date(on)``."""
    days = [next_award_date(on)]
    while len(days) < count:
        days.append(next_award_date(days[-1] + timedelta(days=1)))
    return days


def award_day_options(today: date) -> list[date]:
    """The award days a badge page offers: the last one already past (whose badges are being
    recorded) and the next four."""
    upcoming = upcoming_award_dates(today)
    return [previous_award_date(upcoming[0]), *upcoming]


def milestones() -> list[int]:
    return sorted(rules.get("badge.milestone_years"))


# Who is due ------------------------------------------------------------------------------------


def badge_due(members: models.QuerySet, award_on: date, *, years: int | None = None) -> models.QuerySet:
    """The members of ``members`` due for a badge on ``award_on``, annotated with the milestone
    (``badge_years``) and whether it is overdue (``badge_overdue``).

    - A member is due when their party age on ``award_on`` reaches a milestone and they have no
      badge for it. Only the highest milestone reached is listed: a member who reached 40 years
      without the 30-year badge gets the 40-year one, and the lower one is not awarded afterwards
      (a badge for a higher milestone covers the lower ones; the 40+ milestones are U).
    - Overdue: the milestone was already reached on the previous award day, so the badge should
      have been presented then; such members stay on every list until the award is recorded, so
      staff do not lose them.
    - Current members only (no exit). A member who died after reaching a milestone keeps the right
      to the badge for the family (DOMAIN.md §2); such cases are decided one by one and recorded
      with ``award_badge``, which accepts a member who left on or after the award day.

    One query: a date range per milestone (``admitted_on`` on or before the last admission date
    that reaches it), and a NOT EXISTS on the badges already recorded.
    ``years`` keeps one milestone only.
    """
    steps = milestones()
    previous = previous_award_date(award_on)
    reached = Case(
        *(
            When(admitted_on__lte=workdays.latest_start(award_on, 12 * n), then=Value(n))
            for n in reversed(steps)
        ),
        default=Value(None),
        output_field=models.PositiveSmallIntegerField(),
    )
    # Reached since the previous award day: on time. Two milestones are years apart, so a member
    # crosses at most one between two award days, and that one is the highest reached.
    on_time = Q()
    for n in steps:
        on_time |= Q(
            admitted_on__gt=workdays.latest_start(previous, 12 * n),
            admitted_on__lte=workdays.latest_start(award_on, 12 * n),
        )
    overdue = Case(When(on_time, then=Value(False)), default=Value(True), output_field=models.BooleanField())
    queryset = members.registered().filter(admitted_on__lte=workdays.latest_start(award_on, 12 * steps[0]))
    if years is not None:
        higher = [n for n in steps if n > years]
        queryset = queryset.filter(admitted_on__lte=workdays.latest_start(award_on, 12 * years))
        if higher:
            queryset = queryset.filter(admitted_on__gt=workdays.latest_start(award_on, 12 * higher[0]))
    awarded = BadgeAward.objects.filter(member=OuterRef("pk"), years__gte=OuterRef("badge_years"))
    return queryset.annotate(badge_years=reached, badge_overdue=overdue).filter(~Exists(awarded))


def default_award_day(today: date) -> date:
    """The award day the badge pages look at unless another one is chosen: the next one (today,
    on an award day). Never a day already past: a badge due then and still not recorded is
    overdue, and listed, on the next one."""
    return next_award_date(today)


def due_badges(
    members: models.QuerySet, *, today: date, award_on: date | None = None, years: int | None = None
) -> tuple[date, models.QuerySet]:
    """What is due: the one decision that the attention list and the badge page share, so that
    their counts agree. The award day (``award_on``, by default ``default_award_day(today)``) and
    the members of ``members`` due for a badge on it (``badge_due``): those reaching a milestone
    by then, and those overdue since an earlier award day, however far the next one is
    (validation rule 13)."""
    award_on = award_on or default_award_day(today)
    return award_on, badge_due(members, award_on, years=years)


def reached_on(member: Member, years: int) -> date:
    """The day the member's party age reaches ``years``."""
    return add_months(member.admitted_on, 12 * years)


def awarded_badges(user) -> models.QuerySet:
    """Badges recorded for members in the user's scope, newest first."""
    return (
        BadgeAward.objects.visible_to(user)
        .select_related("member__organization", "recorded_by")
        .order_by("-awarded_on", "member__sort_name", "pk")
    )
