"""Discipline decisions and appeals (DOMAIN.md §5; 69-QĐ/TW, 296-QĐ/TW Điều 8–15, 23–26).

A decision's effect is made in the same transaction by the service of the app that owns the record:
khai trừ ends the membership (``members.services.expel``), cách chức ends the committee seat
(``members.services.committees.end_seat``), giải tán dissolves the organization
(``organizations.services.dissolve_organization``, which refuses while it still has members). An
appeal settled by changing or annulling the decision undoes or changes the effect the same way. Any
refusal leaves everything as it was.
"""

from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocportal import rules
from blocportal.dates import check_not_future, format_day
from blocportal.text import nfc
from members import services as member_services
from members.models import CommitteeSeat, Member
from members.selectors import roll
from members.services import committees
from organizations import services as organization_services
from organizations.models import Organization

from ..models import Appeal, Body, Case, DisciplineDecision
from .common import (
    check_acting_date,
    check_body,
    check_one_target,
    check_within,
    member_standing,
    raise_problems,
)

Form = DisciplineDecision.Form


def _form_label(form: str) -> str:
    return Form(form).label.lower()


def is_probationary_on(member: Member, on: date) -> bool:
    return member.official_on is None or member.official_on > on


def decision_problems(decision: DisciplineDecision) -> list[str]:
    """The rules of DOMAIN.md §5 a decision breaks: refusals in the portal, flags on an import (a
    decision taken before the portal is recorded as it was, DOMAIN.md "Decisions" 4)."""
    problems: list[str] = []
    form, body, organization = decision.form, decision.body, decision.organization
    if decision.target_member is not None:
        member = decision.target_member
        if body == Body.CELL and form not in DisciplineDecision.LIGHT_FORMS:
            problems.append(
                _(
                    "A Party cell gives only khiển trách or cảnh cáo "
                    "(296-QĐ/TW Điều 10); propose the %(form)s upward."
                )
                % {"form": _form_label(form)}
            )
        if body == Body.STAFF:
            problems.append(_("An advisory body of the committee does not decide discipline."))
        if is_probationary_on(member, decision.decided_on) and form not in DisciplineDecision.LIGHT_FORMS:
            problems.append(
                _("%(name)s is a probationary member: only khiển trách or cảnh cáo (69-QĐ/TW Điều 7).")
                % {"name": member.full_name}
            )
        if form == Form.DISMISSAL and decision.seat is None:
            problems.append(
                _("%(name)s held no post on %(date)s: cách chức is only for someone holding a post.")
                % {"name": member.full_name, "date": format_day(decision.decided_on)}
            )
        if decision.circumstance and not decision.override_reason:
            problems.append(
                _(
                    "No discipline while the member is %(circumstance)s "
                    "(296-QĐ/TW Điều 8), unless the reason "
                    "for deciding now is recorded."
                )
                % {"circumstance": DisciplineDecision.Circumstance(decision.circumstance).label.lower()}
            )
    else:
        target = decision.target_organization
        if body not in (Body.EXECUTIVE, Body.STANDING) or target.parent_id != organization.pk:
            problems.append(
                _(
                    "An organization is disciplined by the committee or the "
                    "standing committee directly above it "
                    "(296-QĐ/TW Điều 11): for %(target)s, that of %(parent)s."
                )
                % {"target": target.name, "parent": target.parent.name if target.parent_id else "—"}
            )
    years = rules.get("discipline.limitation_years", decision.decided_on).get(form)
    if years and decision.violation_on:
        limit = _add_years(decision.violation_on, years)
        # Counted from the violation to its conclusion (HD 08 I.7): the case's, else the decision.
        case = decision.case
        concluded_on = case.closed_on if case is not None and case.closed_on else decision.decided_on
        if concluded_on > limit:
            problems.append(
                _(
                    "The limitation period of %(years)s years for %(form)s ended on %(date)s (violation of "
                    "%(violation)s): the violation can no longer be disciplined by that form."
                )
                % {
                    "years": years,
                    "form": _form_label(form),
                    "date": format_day(limit),
                    "violation": format_day(decision.violation_on),
                }
            )
    return problems


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29/02
        return day.replace(year=day.year + years, day=28)


def _seat_for(member: Member, on: date, seat: CommitteeSeat | None) -> CommitteeSeat | None:
    held = roll.seats_held_on(member, on)
    if seat is None:
        return held[0] if held else None
    if seat.pk not in {s.pk for s in held}:
        raise ValidationError(
            {"seat": _("%(name)s did not hold that seat on that day.") % {"name": member.full_name}}
        )
    return seat


def _standing_day(member: Member, decided_on: date, form: str, imported: bool) -> date:
    """The day the member's chi bộ and post are read for a decision: the decision date, or the day
    before for an imported decision whose effect the register already has from that very day (the
    member expelled, the seat ended: ``_make_effect`` leaves it as it is), since a spell or a seat
    ending on a day is no longer held on it."""
    if not imported:
        return decided_on
    before = decided_on - timedelta(days=1)
    if form == Form.EXPULSION:
        exit_reason, exited_on = Member.objects.values_list("exit_reason", "exited_on").get(pk=member.pk)
        if exit_reason == Member.Exit.EXPELLED and exited_on == decided_on:
            return before
    if form == Form.DISMISSAL and not roll.seats_held_on(member, decided_on):
        if any(seat.ends_on == decided_on for seat in roll.seats_held_on(member, before)):
            return before
    return decided_on


def _check_case(decision: DisciplineDecision) -> None:
    case = decision.case
    if case is None:
        return
    if (
        case.target_member_id != decision.target_member_id
        or case.target_organization_id != decision.target_organization_id
    ):
        raise ValidationError({"case": _("The case was about another target.")})
    if case.conclusion and case.conclusion != Case.Conclusion.DISCIPLINE:
        raise ValidationError(
            {
                "case": _("The case concluded %(conclusion)s.")
                % {"conclusion": case.get_conclusion_display().lower()}
            }
        )


@transaction.atomic
def decide(
    *,
    organization: Organization,
    body: str,
    decision_no: str,
    decided_on: date,
    form: str,
    by: AbstractBaseUser,
    target_member: Member | None = None,
    target_organization: Organization | None = None,
    effective_on: date | None = None,
    seat: CommitteeSeat | None = None,
    case: Case | None = None,
    violation: str = "",
    violation_on: date | None = None,
    heard_on: date | None = None,
    circumstance: str = "",
    override_reason: str = "",
    imported: bool = False,
) -> DisciplineDecision:
    """Record a discipline decision and make its effect. ``effective_on`` defaults to the decision date
    (a chi bộ's decision takes effect when the vote result is announced). ``imported``: a decision of an
    earlier register, recorded as decided; the rules are flagged by the import, and an effect already in
    the register (the member expelled that day, the organization dissolved) is left as it is."""
    check_body(organization, body)
    check_one_target(target_organization, target_member)
    decision = DisciplineDecision(
        organization=organization,
        body=body,
        decision_no=nfc(decision_no).strip(),
        decided_on=decided_on,
        effective_on=effective_on or decided_on,
        form=form,
        target_member=target_member,
        target_organization=target_organization,
        case=case,
        violation=nfc(violation).strip(),
        violation_on=violation_on,
        heard_on=heard_on,
        circumstance=circumstance,
        override_reason=nfc(override_reason).strip(),
        imported=imported,
        recorded_by=by,
    )
    if not decision.decision_no:
        raise ValidationError({"decision_no": _("Enter the number of the decision.")})
    allowed = (
        DisciplineDecision.MEMBER_FORMS
        if target_member is not None
        else DisciplineDecision.ORGANIZATION_FORMS
    )
    if form not in allowed:
        raise ValidationError(
            {
                "form": _(
                    "A member gets khiển trách, cảnh cáo, cách chức or khai trừ; an "
                    "organization khiển trách, cảnh cáo or giải tán."
                )
            }
        )
    check_acting_date(organization, decided_on, "decided_on")
    check_not_future(decision.effective_on, "effective_on")
    if decision.effective_on < decided_on:
        raise ValidationError({"effective_on": _("A decision cannot take effect before it is taken.")})
    if violation_on and violation_on > decided_on:
        raise ValidationError({"violation_on": _("The violation cannot come after the decision.")})
    if target_member is not None:
        standing = member_standing(target_member, _standing_day(target_member, decided_on, form, imported))
        if body == Body.CELL:
            if standing.cell.pk != organization.pk:
                raise ValidationError(
                    {
                        "target_member": _(
                            "A Party cell disciplines its own members; %(name)s was in %(cell)s."
                        )
                        % {"name": target_member.full_name, "cell": standing.cell.name}
                    }
                )
        else:
            check_within(organization, standing.cell, "target_member", strictly=False)
        decision.target_cell = standing.cell
        if form == Form.DISMISSAL:
            decision.seat = _seat_for(
                target_member, _standing_day(target_member, decided_on, form, imported), seat
            )
        if not imported:
            if heard_on is None:
                raise ValidationError(
                    {
                        "heard_on": _(
                            "The member presents their view before the decision "
                            "(296-QĐ/TW Điều 12): enter when."
                        )
                    }
                )
            if heard_on > decided_on:
                raise ValidationError({"heard_on": _("The member is heard before the decision, not after.")})
    else:
        check_within(organization, target_organization, "target_organization", strictly=True)
    _check_case(decision)
    if not imported:
        raise_problems(decision_problems(decision), "form")
    if DisciplineDecision.objects.filter(
        organization=organization,
        decision_no=decision.decision_no,
        target_member=target_member,
        target_organization=target_organization,
    ).exists():
        raise ValidationError({"decision_no": _("This decision is already recorded for that target.")})
    decision.full_clean(
        exclude=[
            "organization",
            "target_member",
            "target_organization",
            "target_cell",
            "seat",
            "case",
            "recorded_by",
        ]
    )
    decision._history_user = by
    decision.save()
    _make_effect(decision, decision.form, decision.effective_on, by, imported=imported)
    return decision


def _effect_note(decision: DisciplineDecision) -> str:
    return _("%(form)s by decision %(number)s of %(date)s.") % {
        "form": Form(decision.form).label,
        "number": decision.decision_no,
        "date": format_day(decision.decided_on),
    }


def _make_effect(decision: DisciplineDecision, form: str, on: date, by, *, imported: bool = False) -> None:
    if form == Form.EXPULSION:
        member = decision.target_member
        member.refresh_from_db(fields=["exit_reason", "exited_on"])
        if imported and member.exit_reason == Member.Exit.EXPELLED and member.exited_on == on:
            return
        member_services.expel(
            member=member, on=on, by=by, decision_no=decision.decision_no, note=_effect_note(decision)
        )
    elif form == Form.DISMISSAL:
        seat = decision.seat
        if seat is None:
            raise ValidationError(
                {
                    "form": _("%(name)s holds no post to be removed from.")
                    % {"name": decision.target_member.full_name}
                }
            )
        seat.refresh_from_db()
        if imported and seat.ends_on is not None:
            return
        committees.end_seat(seat=seat, ends_on=on, by=by, note=_effect_note(decision))
    elif form == Form.DISSOLUTION:
        target = decision.target_organization
        target.refresh_from_db(fields=["dissolved_on"])
        if imported and target.dissolved_on == on:
            return
        organization_services.dissolve_organization(
            organization=target, on=on, by=by, decision_no=decision.decision_no
        )


def _undo_effect(decision: DisciplineDecision, form: str, on: date, by, settlement_no: str) -> None:
    if form == Form.EXPULSION:
        member_services.reinstate(
            member=decision.target_member,
            on=on,
            by=by,
            decision_no=settlement_no,
            note=_("The expulsion of decision %(number)s was lifted on appeal.")
            % {"number": decision.decision_no},
        )
    elif form == Form.DISMISSAL and decision.seat is not None:
        committees.restore_seat(seat=decision.seat, by=by)
    elif form == Form.DISSOLUTION:
        raise ValidationError(
            _(
                "The portal does not restore a dissolved organization: an appeal against a dissolution can "
                "only be upheld here. If the competent committee re-establishes it, record it as a new "
                "organization."
            )
        )


# Appeals -------------------------------------------------------------------------------------------


@transaction.atomic
def file_appeal(
    *,
    decision: DisciplineDecision,
    organization: Organization,
    decision_received_on: date,
    filed_on: date,
    by: AbstractBaseUser,
    refusal_ground: str = "",
    refusal_note: str = "",
) -> Appeal:
    """Record an appeal received. It is accepted within ``discipline.appeal_days`` (30) days of the
    appellant receiving the decision, and otherwise not accepted for being late; the other grounds of
    Điều 23 are given by the inspector, with the reason."""
    decision = DisciplineDecision.objects.select_for_update().get(pk=decision.pk)
    if not decision.in_force:
        raise ValidationError(_("This decision was annulled; there is nothing to appeal."))
    if not decision.organization.path.startswith(organization.path):
        raise ValidationError(
            {"organization": _("The appeal is settled by the organization that decided or one above it.")}
        )
    check_acting_date(organization, filed_on, "filed_on")
    if decision_received_on < decision.decided_on:
        raise ValidationError(
            {
                "decision_received_on": _(
                    "The decision was taken on %(date)s; it cannot be received earlier."
                )
                % {"date": format_day(decision.decided_on)}
            }
        )
    if filed_on < decision_received_on:
        raise ValidationError(
            {"filed_on": _("An appeal filed before the written decision is received: choose that ground.")}
        )
    if decision.appeals.filter(status=Appeal.Status.ACCEPTED).exists():
        raise ValidationError(_("An appeal against this decision is already being settled."))
    days = rules.get("discipline.appeal_days", filed_on)
    appeal = Appeal(
        decision=decision,
        organization=organization,
        decision_received_on=decision_received_on,
        filed_on=filed_on,
        refusal_ground=refusal_ground,
        refusal_note=nfc(refusal_note).strip(),
        recorded_by=by,
    )
    late = filed_on > decision_received_on + timedelta(days=days)
    if late and not refusal_ground:
        appeal.refusal_ground = Appeal.RefusalGround.LATE
        appeal.refusal_note = appeal.refusal_note or _(
            "Filed %(days)s days after the decision was received; the "
            "limit is %(limit)s days (296-QĐ/TW Điều 25)."
        ) % {"days": (filed_on - decision_received_on).days, "limit": days}
    if appeal.refusal_ground:
        if appeal.refusal_ground not in Appeal.RefusalGround.values:
            raise ValidationError({"refusal_ground": _("Choose a ground of Điều 23.")})
        if appeal.refusal_ground == Appeal.RefusalGround.LATE and not late:
            raise ValidationError(
                {
                    "refusal_ground": _(
                        "The appeal came within %(days)s days of the decision; it is not late."
                    )
                    % {"days": days}
                }
            )
        if appeal.refusal_ground == Appeal.RefusalGround.OTHER and not appeal.refusal_note:
            raise ValidationError({"refusal_note": _("Give the reason the appeal is not accepted.")})
        appeal.status = Appeal.Status.REFUSED
    else:
        appeal.status = Appeal.Status.ACCEPTED
    appeal.full_clean(exclude=["decision", "organization", "case", "recorded_by"])
    appeal._history_user = by
    appeal.save()
    return appeal


@transaction.atomic
def settle_appeal(
    *,
    appeal: Appeal,
    outcome: str,
    settled_on: date,
    by: AbstractBaseUser,
    new_form: str = "",
    settlement_no: str = "",
    seat: CommitteeSeat | None = None,
    case: Case | None = None,
) -> Appeal:
    """Settle an accepted appeal: the decision is upheld, its form changed, or it is annulled; the
    effect is undone or changed in the same transaction (296-QĐ/TW Điều 26)."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != Appeal.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted appeal is settled."))
    if outcome not in Appeal.Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    check_not_future(settled_on, "settled_on")
    if settled_on < appeal.filed_on:
        raise ValidationError({"settled_on": _("The appeal cannot be settled before it was received.")})
    decision = DisciplineDecision.objects.select_for_update().get(pk=appeal.decision_id)
    if case is not None:
        # The case in which the appeal was examined (giải quyết khiếu nại kỷ luật), on the same target.
        same_target = (case.target_member_id, case.target_organization_id) == (
            decision.target_member_id,
            decision.target_organization_id,
        )
        if case.kind != Case.Kind.APPEAL or not same_target:
            raise ValidationError(
                {"case": _("The settlement case is the settlement of this appeal, on the same target.")}
            )
        appeal.case = case
    old_form = decision.form
    settlement_no = nfc(settlement_no).strip()
    if outcome == Appeal.Outcome.CHANGED:
        allowed = (
            DisciplineDecision.MEMBER_FORMS
            if decision.target_member_id
            else DisciplineDecision.ORGANIZATION_FORMS
        )
        if new_form not in allowed or new_form == old_form:
            raise ValidationError(
                {
                    "new_form": _("Choose the new form, different from %(form)s.")
                    % {"form": _form_label(old_form)}
                }
            )
        decision.original_form = decision.original_form or old_form
        decision.form = new_form
        decision.status = DisciplineDecision.Status.CHANGED
        if new_form == Form.DISMISSAL:
            decision.seat = _seat_for(decision.target_member, settled_on, seat)
        # The rules the decision must keep hold for the new form (a probationary member, a chi bộ).
        raise_problems(_form_rules(decision), "new_form")
        _undo_effect(decision, old_form, settled_on, by, settlement_no)
        decision._history_user = by
        decision.save(update_fields=["form", "original_form", "status", "seat"])
        _make_effect(decision, new_form, settled_on, by)
    elif outcome == Appeal.Outcome.ANNULLED:
        _undo_effect(decision, old_form, settled_on, by, settlement_no)
        decision.status = DisciplineDecision.Status.ANNULLED
        decision._history_user = by
        decision.save(update_fields=["status"])
    else:
        new_form = ""
    appeal.status, appeal.outcome, appeal.new_form = Appeal.Status.SETTLED, outcome, new_form
    appeal.settled_on, appeal.settlement_no = settled_on, settlement_no
    appeal.full_clean(exclude=["decision", "organization", "case", "recorded_by"])
    appeal._history_user = by
    appeal.save()
    return appeal


def _form_rules(decision: DisciplineDecision) -> list[str]:
    """The form rules a changed decision must keep: a chi bộ's and a probationary member's limits."""
    problems = []
    if decision.target_member_id is None:
        return problems
    if decision.form not in DisciplineDecision.LIGHT_FORMS:
        if decision.body == Body.CELL:
            problems.append(_("A Party cell gives only khiển trách or cảnh cáo (296-QĐ/TW Điều 10)."))
        if is_probationary_on(decision.target_member, decision.decided_on):
            problems.append(
                _("%(name)s is a probationary member: only khiển trách or cảnh cáo (69-QĐ/TW Điều 7).")
                % {"name": decision.target_member.full_name}
            )
    if decision.form == Form.DISMISSAL and decision.seat is None:
        problems.append(_("The member holds no post: cách chức is only for someone holding a post."))
    return problems
