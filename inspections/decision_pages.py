"""What a decision's page shows beside the record: the effect its form made on the register, as the
register stands now (beside the views, like the other ``*_pages`` modules; no query of its own)."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from members.models import Member

from .decision_forms import seat_label
from .models import DisciplineDecision

Form = DisciplineDecision.Form


@dataclass(frozen=True)
class Effect:
    """What the decision's form did to the register, as it stands now."""

    code: str  # membership, seat, organization
    text: str
    on: date | None
    undone: bool  # lifted on appeal since


def effect_of(decision: DisciplineDecision) -> Effect | None:
    """The effect of the current form: khai trừ ended the membership, cách chức the seat, giải tán the
    organization (services.discipline._make_effect); an annulment undid it."""
    if decision.form == Form.EXPULSION:
        member = decision.target_member
        expelled = member.exit_reason == Member.Exit.EXPELLED
        return Effect(
            "membership",
            _("Membership ended (expelled)") if expelled else _("Membership restored on appeal"),
            member.exited_on if expelled else None,
            not expelled,
        )
    if decision.form == Form.DISMISSAL and decision.seat is not None:
        seat = decision.seat
        ended = seat.ends_on is not None
        text = _("Post ended: %(seat)s") if ended else _("Post restored on appeal: %(seat)s")
        return Effect("seat", text % {"seat": seat_label(seat)}, seat.ends_on, not ended)
    if decision.form == Form.DISSOLUTION:
        organization = decision.target_organization
        return Effect(
            "organization",
            _("Organization dissolved"),
            organization.dissolved_on,
            organization.dissolved_on is None,
        )
    return None
