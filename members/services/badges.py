"""Recording the award of the Huy hiệu Đảng, one member or a list, on one of the award days
(rule "badge.award_days"); who is due is read by ``members.selectors.badges``.
"""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocportal import rules
from blocportal.dates import check_not_future, format_day
from members.models import BadgeAward, Member, party_age
from members.selectors.badges import award_dates, badge_due, milestones

# Recording awards ------------------------------------------------------------------------------


def _award_days_text() -> str:
    return ", ".join(f"{day}/{month}" for month, day in rules.get("badge.award_days"))


def _check_award_day(awarded_on: date) -> None:
    if awarded_on not in award_dates(awarded_on.year):
        raise ValidationError(
            {
                "awarded_on": _(
                    "The Party badge is presented on %(days)s each year; %(date)s is not one of these days."
                )
                % {"days": _award_days_text(), "date": format_day(awarded_on)}
            }
        )
    check_not_future(awarded_on, "awarded_on")


@transaction.atomic
def award_badge(
    *, member: Member, years: int, awarded_on: date, by: AbstractBaseUser, decision_no: str = ""
) -> BadgeAward:
    """Record the Huy hiệu Đảng presented to ``member`` for ``years`` of party age on an award day.

    Refused: a day that is not an award day, or is in the future (the decision is dated on the day
    it is presented); a number of years that is not a milestone; a party age below it on that day;
    a badge already recorded for that milestone or a higher one; a member who had left the Party
    before the award day.
    """
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_award_day(awarded_on)
    if years not in milestones():
        raise ValidationError(
            {
                "years": _(
                    "%(years)s years is not a milestone of the Party badge; the milestones are %(list)s."
                )
                % {"years": years, "list": ", ".join(str(n) for n in milestones())}
            }
        )
    if member.exited_on is not None and member.exited_on < awarded_on:
        raise ValidationError(
            _("%(name)s left the register (%(exit)s) on %(date)s, before the award day.")
            % {
                "name": member.full_name,
                "exit": member.get_exit_reason_display().lower(),
                "date": format_day(member.exited_on),
            }
        )
    age = party_age(member, awarded_on)
    if age < years:
        raise ValidationError(
            {
                "years": _(
                    "On %(date)s %(name)s has %(age)s full years of Party membership, fewer than %(years)s."
                )
                % {"date": format_day(awarded_on), "name": member.full_name, "age": age, "years": years}
            }
        )
    existing = member.badges.filter(years__gte=years).order_by("-years").first()
    if existing is not None:
        raise ValidationError(
            {
                "years": _("%(name)s already received the %(years)s-year Party badge on %(date)s.")
                % {"name": member.full_name, "years": existing.years, "date": format_day(existing.awarded_on)}
            }
        )
    badge = BadgeAward(
        member=member, years=years, awarded_on=awarded_on, decision_no=decision_no.strip(), recorded_by=by
    )
    badge.full_clean()  # the unique (member, years) constraint is the backstop
    badge._history_user = by
    badge.save()
    return badge


@transaction.atomic
def award_badges(
    *, members: Iterable[Member], awarded_on: date, by: AbstractBaseUser, decision_no: str = ""
) -> list[BadgeAward]:
    """Record the badges of one decision: each member gets the milestone due on ``awarded_on``
    (``badge_due``). All or nothing: when any member is refused, nothing is recorded and the
    ValidationError lists every refusal, one message per member."""
    members = list(members)
    if not members:
        raise ValidationError({"members": _("Select at least one member.")})
    _check_award_day(awarded_on)
    pks = [member.pk for member in members]
    due = dict(badge_due(Member.objects.filter(pk__in=pks), awarded_on).values_list("pk", "badge_years"))
    badges, errors = [], []
    for member in members:
        if member.pk not in due:
            errors.append(
                _("%(name)s has no Party badge due on %(date)s.")
                % {"name": member.full_name, "date": format_day(awarded_on)}
            )
            continue
        try:
            badges.append(
                award_badge(
                    member=member, years=due[member.pk], awarded_on=awarded_on, decision_no=decision_no, by=by
                )
            )
        except ValidationError as error:
            errors.append(
                _("%(name)s: %(errors)s") % {"name": member.full_name, "errors": " ".join(error.messages)}
            )
    if errors:
        raise ValidationError(errors)
    return badges
