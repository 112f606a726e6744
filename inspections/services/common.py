"""The checks the case, letter and discipline services share: which body of which organization may act,
whether the target lies within its reach, and where a member stood on the day."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from blocportal import rules
from blocportal.dates import check_not_future, format_day
from members.models import Member
from members.selectors import roll
from organizations.models import Organization

from ..models import Body

K = Organization.Kind
CELL_KINDS = (K.GRASSROOTS_CELL, K.SUBORDINATE_CELL)

# The kinds of organization that have each body: a chi bộ acts as itself; a cấp ủy (Ban Chấp hành) sits
# over a đảng bộ; only the bloc and a đảng ủy cơ sở have a Ban Thường vụ, an inspection commission and
# staff bodies (296-QĐ/TW Điều 7; DOMAIN.md §1).
BODY_KINDS = {
    Body.CELL: CELL_KINDS,
    Body.EXECUTIVE: (K.BLOC, K.GRASSROOTS_COMMITTEE, K.BRANCH_COMMITTEE),
    Body.STANDING: (K.BLOC, K.GRASSROOTS_COMMITTEE),
    Body.COMMISSION: (K.BLOC, K.GRASSROOTS_COMMITTEE),
    Body.STAFF: (K.BLOC, K.GRASSROOTS_COMMITTEE),
}


def body_name(body: str, organization: Organization) -> str:
    """ "Ủy ban Kiểm tra Đảng ủy Khối …": the body and its organization, for messages."""
    if body == Body.CELL:
        return organization.name
    return f"{Body(body).label} {organization.name}"


def check_body(organization: Organization, body: str, field: str = "body") -> None:
    if body not in Body.values:
        raise ValidationError({field: _("Choose the body that acts.")})
    if organization.kind not in BODY_KINDS[body]:
        raise ValidationError(
            {
                field: _("%(organization)s has no %(body)s.")
                % {"organization": organization.name, "body": Body(body).label.lower()}
            }
        )


def check_acting_date(organization: Organization, on: date, field: str) -> None:
    check_not_future(on, field)
    if organization.established_on and on < organization.established_on:
        raise ValidationError(
            {
                field: _("%(name)s was established on %(date)s, after this date.")
                % {"name": organization.name, "date": format_day(organization.established_on)}
            }
        )
    if organization.dissolved_on and on >= organization.dissolved_on:
        raise ValidationError(
            {
                field: _("%(name)s was dissolved on %(date)s, before this date.")
                % {"name": organization.name, "date": format_day(organization.dissolved_on)}
            }
        )


def member_standing(member: Member, on: date, field: str = "target_member") -> roll.Standing:
    """Where the member stood that day; a member who was not on the bloc's register then is refused."""
    standing = roll.standing_on(member, on)
    if standing.cell is None:
        raise ValidationError(
            {
                field: _("%(name)s was not a member of a Party cell of the bloc on %(date)s.")
                % {"name": member.full_name, "date": format_day(on)}
            }
        )
    return standing


def check_within(organization: Organization, target: Organization, field: str, *, strictly: bool) -> None:
    """The target lies in the acting organization's subtree (strictly below it for an organization)."""
    inside = target.path.startswith(organization.path) and (not strictly or target.pk != organization.pk)
    if not inside:
        raise ValidationError(
            {
                field: _("%(target)s is not under %(organization)s.")
                % {"target": target.name, "organization": organization.name}
            }
        )


def check_one_target(target_organization, target_member) -> None:
    if (target_organization is None) == (target_member is None):
        raise ValidationError(_("Choose exactly one target: an organization or a Party member."))


def kind_problems(kind: str, body: str, organization: Organization, on: date) -> list[str]:
    """The competence rules of DOMAIN.md §5 for a case: staff bodies never inspect on signs of
    violation (confirmed), and the table ``inspection.bodies_by_kind`` in force that day."""
    from ..models import Case

    if kind == Case.Kind.SIGNS_OF_VIOLATION and body == Body.STAFF:
        return [
            _(
                "Advisory bodies of the committee never conduct an inspection "
                "on signs of violation (296-QĐ/TW Điều 5)."
            )
        ]
    allowed = rules.get("inspection.bodies_by_kind", on).get(kind, ())
    if body not in allowed:
        return [
            _("%(body)s does not conduct a %(kind)s.")
            % {"body": body_name(body, organization), "kind": Case.Kind(kind).label.lower()}
        ]
    return []


def raise_problems(problems: list[str], field: str | None = None) -> None:
    if problems:
        raise ValidationError({field: problems} if field else problems)
