"""Chi bộ resolutions on admission and conversion: the §4 denominator and the vote.

DOMAIN.md §4: votes and quorum count all official members of the chi bộ, minus those in temporary
activity elsewhere and minus exempted members who are absent (an exempted member who attends and
votes counts). The denominator is computed from the register on the resolution date; the secretary
confirms it, and a typed figure that differs is refused with both numbers (validation rule 4). A
chi bộ with fewer than three official members cannot pass the resolution at all (rule 8).
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from blocportal import rules
from blocportal.dates import format_day
from organizations.models import Organization

from .models import Movement, Spell
from .selectors.roll import in_state_on


@dataclass(frozen=True)
class Register:
    """The chi bộ's official members on a day, as the resolution counts them."""

    official: int  # official members whose official spell is in the chi bộ
    away: int  # of them, in temporary activity elsewhere
    exempted: int  # of them (not away), exempted from Party work and meetings

    def denominator(self, exempted_present: int = 0) -> int:
        return self.official - self.away - self.exempted + min(exempted_present, self.exempted)


def register_on(organization: Organization, on: date) -> Register:
    """Three queries, whatever the size of the chi bộ. Temporary activity elsewhere — in another chi
    bộ of the bloc or outside it, which has no spell here — and exemptions are read from the
    movements that start and end them."""
    official_ids = set(
        Spell.objects.official()
        .on(on)
        .filter(organization=organization, member__official_on__lte=on)
        .values_list("member_id", flat=True)
    )
    Kind = Movement.Kind
    away = in_state_on(official_ids, on, Kind.TEMPORARY_STARTED, Kind.TEMPORARY_ENDED)
    exempted = in_state_on(official_ids - away, on, Kind.EXEMPTED, Kind.EXEMPTION_ENDED)
    return Register(official=len(official_ids), away=len(away), exempted=len(exempted))


def vote_denominator(organization: Organization, on: date, *, exempted_present: int = 0) -> int:
    return register_on(organization, on).denominator(exempted_present)


def check_resolution(
    *,
    organization: Organization,
    on: date,
    votes_for: int,
    official_members: int,
    exempted_present: int = 0,
) -> int:
    """Refuse a resolution that the register and the rules do not allow; return the denominator."""
    register = register_on(organization, on)
    minimum = rules.get("cell.min_official_members", on=on)
    if register.official < minimum:
        raise ValidationError(
            {
                "official_members": _(
                    "On %(date)s %(cell)s had %(count)s official members: a Party cell with fewer than "
                    "%(min)s official members cannot pass this resolution (Điều lệ Đảng Điều 24.1); the "
                    "higher committee considers the case."
                )
                % {
                    "date": format_day(on),
                    "cell": organization.name,
                    "count": register.official,
                    "min": minimum,
                }
            }
        )
    if exempted_present > register.exempted:
        raise ValidationError(
            {
                "exempted_present": _("The Party cell had only %(count)s exempted members on %(date)s.")
                % {"count": register.exempted, "date": format_day(on)}
            }
        )
    denominator = register.denominator(exempted_present)
    if denominator < 1:
        raise ValidationError(
            {
                "official_members": _(
                    "On %(date)s no official member of %(cell)s could vote: all were away or exempted."
                )
                % {"date": format_day(on), "cell": organization.name}
            }
        )
    if official_members != denominator:
        raise ValidationError(
            {
                "official_members": _(
                    "You typed %(typed)s official members, but the register of %(cell)s on %(date)s counts "
                    "%(counted)s (%(official)s official members, less %(away)s in temporary activity "
                    "elsewhere and %(absent)s exempted members absent). Check the register or the figure."
                )
                % {
                    "typed": official_members,
                    "counted": denominator,
                    "cell": organization.name,
                    "date": format_day(on),
                    "official": register.official,
                    "away": register.away,
                    "absent": register.exempted - min(exempted_present, register.exempted),
                }
            }
        )
    if votes_for > denominator:
        raise ValidationError(
            {"votes_for": _("The votes in favour cannot exceed the number of official members.")}
        )
    numerator, share_of = rules.get("resolution.vote_share", on=on)
    if share_of * votes_for < numerator * denominator:
        needed = -(-numerator * denominator // share_of)
        raise ValidationError(
            {
                "votes_for": _(
                    "%(votes)s votes of %(members)s official members is less than %(share)s; at least "
                    "%(needed)s are needed."
                )
                % {
                    "votes": votes_for,
                    "members": denominator,
                    "share": f"{numerator}/{share_of}",
                    "needed": needed,
                }
            }
        )
    return denominator
