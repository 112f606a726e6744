"""What the member pages show beside the data: a profile's timeline (movements and record changes,
never interleaved) and the movements the member's state offers."""

from dataclasses import dataclass

from blocportal.history import record_changes
from members.models import Member, Movement


@dataclass(frozen=True)
class MemberTimeline:
    """A member's past in two parts that are never interleaved: ``movements`` (biến động) in the
    order of their decisions, and ``changes`` to the record in the order they were saved. A record
    typed today is not an event of today: it must not sit above a transfer decided months ago."""

    movements: list[Movement]
    changes: list[dict]


def member_timeline(member: Member, *, limit: int = 50) -> MemberTimeline:
    """The member's movements (Movement) by the date they took effect (``on``, the decision
    date), newest first; and the changes of their record (who changed which field, from
    django-simple-history), newest first."""
    events = member.events.select_related(
        "organization", "from_organization", "to_organization", "recorded_by"
    ).order_by("-on", "-recorded_at", "-pk")
    return MemberTimeline(movements=list(events), changes=record_changes(member, limit=limit))


def available_movements(member: Member) -> list[str]:
    """The movements the member's state allows, in the order the profile offers them; the services
    check the same rules (and the dates) when the form is sent. Expulsion is not offered: only a
    discipline decision expels (inspections calls ``services.expel``)."""
    if not member.is_current:
        return ["transfer_back_in"] if member.exit_reason == Member.Exit.TRANSFERRED_OUT else []
    if member.activity == Member.Activity.VISITING:
        return ["end_temporary"]  # their own Party organization records everything else
    probationary = member.status == Member.Status.PROBATIONARY
    activity = member.activity
    offered = {
        "make_official": probationary,
        "transfer": activity != Member.Activity.TEMPORARILY_AWAY,
        "send_temporary": activity == Member.Activity.ACTIVE,
        "end_temporary": activity == Member.Activity.TEMPORARILY_AWAY,
        "exempt": activity == Member.Activity.ACTIVE,
        "end_exemption": activity == Member.Activity.EXEMPTED,
        "transfer_out": True,
        "remove_probationary": probationary,
        "remove": not probationary,
        "leave_party": True,
        "record_death": True,
    }
    return [action for action, allowed in offered.items() if allowed]
