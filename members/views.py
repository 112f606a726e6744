"""Views of the member register: list, profile, profile correction, movements, new members and
the bulk transfer. Each one: scope and permission → form → service → redirect."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_safe

from blocportal import access, clock, rules
from blocportal.forms import call_service
from blocportal.lists import query_int, render_list
from members import pages, panels, selectors
from organizations import selectors as org_selectors

from . import forms as member_forms
from . import services
from .filters import MemberFilter
from .models import Member, Movement, party_age
from .tables import MemberTable


@dataclass(frozen=True)
class MovementAction:
    form: type[forms.Form]
    service: Callable[..., Member]
    title: Promise


# The movements recorded from a profile, by the URL's ``action``. Expulsion is not among them: only
# a discipline decision expels, and it calls services.expel in its own transaction.
MOVEMENTS = {
    "make_official": MovementAction(
        member_forms.MakeOfficialForm, services.make_official, gettext_lazy("Make official")
    ),
    "transfer": MovementAction(
        member_forms.TransferForm, services.transfer, gettext_lazy("Transfer to another Party cell")
    ),
    "send_temporary": MovementAction(
        member_forms.SendTemporaryForm, services.send_temporary, gettext_lazy("Temporary attachment")
    ),
    "end_temporary": MovementAction(
        member_forms.MovementForm, services.end_temporary, gettext_lazy("End the temporary attachment")
    ),
    "exempt": MovementAction(
        member_forms.ExemptForm, services.exempt, gettext_lazy("Exempt from Party work and meetings")
    ),
    "end_exemption": MovementAction(
        member_forms.MovementForm, services.end_exemption, gettext_lazy("End the exemption")
    ),
    "transfer_out": MovementAction(
        member_forms.TransferOutForm, services.transfer_out, gettext_lazy("Transfer out of the bloc")
    ),
    "remove_probationary": MovementAction(
        member_forms.MovementForm,
        services.remove_probationary,
        gettext_lazy("Remove from the list of probationary members"),
    ),
    "remove": MovementAction(
        member_forms.RemoveForm, services.remove, gettext_lazy("Remove from the Party rolls")
    ),
    "leave_party": MovementAction(
        member_forms.MovementForm, services.leave_party, gettext_lazy("Leave the Party")
    ),
    "record_death": MovementAction(
        member_forms.RecordDeathForm, services.record_death, gettext_lazy("Record the death")
    ),
    "transfer_back_in": MovementAction(
        member_forms.TransferBackInForm, services.transfer_in, gettext_lazy("Transfer back into the bloc")
    ),
}


def _get(request, pk: int, permission: str = "member.view") -> Member:
    return access.get_for_user(
        Member.objects.select_related("organization"), request.user, permission=permission, pk=pk
    )


def _data(request):
    """The submitted data, so that an empty POST still shows the form's errors."""
    return request.POST if request.method == "POST" else None


@require_safe
def member_list(request):
    access.require(request.user, "member.view")
    filterset = MemberFilter(request.GET, queryset=selectors.member_list(request.user), request=request)
    return render_list(
        request,
        MemberTable(filterset.qs),
        filterset=filterset,
        template="members/list.html",
        partial="members/_table.html",
    )


@require_safe
def member_detail(request, pk: int):
    member = _get(request, pk)
    can_change = access.has_permission(request.user, "member.change", member.organization)
    movements = pages.available_movements(member) if can_change else []
    today = clock.today()
    return render(
        request,
        "members/detail.html",
        {
            "member": member,
            "party_age": party_age(member, today),
            "conversion_overdue": member.conversion_overdue(today),
            # Completed late, or still missing for a current probationary member (rule 5).
            "personal_history_late": member.personal_history_late(today)
            and (member.personal_history_on is not None or (member.is_current and member.is_probationary)),
            "breadcrumbs": org_selectors.visible_ancestors(member.organization, request.user),
            "spells": selectors.member_spells(member),
            "timeline": pages.member_timeline(member),
            "seats": selectors.committee_seats(member),
            "badges": member.badges.all(),
            "movements": [(action, MOVEMENTS[action].title) for action in movements],
            "can_change": can_change,
            "panels": panels.panels_for(member, request.user),
        },
    )


def member_update(request, pk: int):
    member = _get(request, pk, "member.change")
    form = member_forms.ProfileForm(_data(request), instance=member)
    if form.is_valid() and call_service(
        form, services.update_profile, member=member, by=request.user, **form.cleaned_data
    ):
        messages.success(request, _("The changes have been saved."))
        return redirect("members:detail", pk=member.pk)
    return _member_form_page(request, form, member, _("Correct the profile"))


def member_correct_dates(request, pk: int):
    """Staff correct the admission dates entered with a mistake, giving the reason."""
    member = _get(request, pk, "member.change")
    form = member_forms.AdmissionDatesForm(_data(request), member=member)
    if form.is_valid() and call_service(
        form, services.correct_admission_dates, member=member, by=request.user, **form.cleaned_data
    ):
        messages.success(request, _("The admission dates have been corrected."))
        return redirect("members:detail", pk=member.pk)
    return _member_form_page(request, form, member, _("Correct the admission dates"))


def member_confirm_receipt(request, pk: int):
    """The new Party organization confirmed it received a member transferred out of the bloc."""
    member = _get(request, pk, "member.change")
    # The member's last exit, if it is a transfer out not yet received.
    event = (
        member.events.filter(
            kind=Movement.Kind.TRANSFERRED_OUT,
            received_on__isnull=True,
            on=member.exited_on,
            member__exit_reason=Member.Exit.TRANSFERRED_OUT,
        )
        .order_by("-pk")
        .first()
    )
    if event is None:
        raise Http404
    form = member_forms.ReceiptForm(_data(request))
    if form.is_valid() and call_service(
        form, services.confirm_transfer_received, event=event, by=request.user, **form.cleaned_data
    ):
        messages.success(request, _("The receipt has been recorded."))
        return redirect("members:detail", pk=member.pk)
    return _member_form_page(request, form, member, _("Record the receipt of the transfer"))


def member_move(request, pk: int, action: str):
    movement = MOVEMENTS.get(action)
    if movement is None:
        raise Http404
    member = _get(request, pk, "member.change")
    form = movement.form(_data(request), member=member, user=request.user)
    if form.is_valid() and call_service(
        form, movement.service, member=member, by=request.user, **form.cleaned_data
    ):
        messages.success(request, _("Recorded."))
        return redirect("members:detail", pk=member.pk)
    return _member_form_page(request, form, member, movement.title)


def _member_form_page(request, form, member: Member, title):
    breadcrumbs = org_selectors.visible_ancestors(member.organization, request.user)
    context = {"form": form, "member": member, "title": title, "breadcrumbs": breadcrumbs}
    return render(request, "members/form.html", context)


def _new_member_view(request, form_class, service, title, *, intro: str = "", **fixed):
    access.require(request.user, "member.change")
    organization = query_int(request, "organization")
    initial = {"organization": organization} if organization is not None else {}
    form = form_class(_data(request), user=request.user, initial=initial)
    if form.is_valid():
        member = call_service(form, service, by=request.user, **fixed, **form.cleaned_data)
        if member is not None:
            messages.success(
                request, _("%(name)s has been entered in the register.") % {"name": member.full_name}
            )
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/form.html", {"form": form, "title": title, "intro": intro})


def member_admit(request):
    """An admission decided outside the portal (no candidate record here), recorded as decided."""
    return _new_member_view(
        request,
        member_forms.AdmitForm,
        services.admit,
        _("Record an admission decided outside the portal"),
        intro=_(
            "Use this page only for an admission decided outside the portal, whose file is kept "
            "elsewhere. The portal does not check here what the deciding committee checked: the "
            "awareness class certificate, the sponsors and the Party cell vote. It checks the age on "
            "the decision date, the ceremony within %(days)s working days of the decision and the "
            "Party cell, as for every admission. Give the decision number, and in the note who decided "
            "and where the file is. An admission prepared in the portal goes through the candidates."
        )
        % {"days": rules.get("member.ceremony_due_working_days")},
        decided_outside=True,
    )


def member_transfer_in(request):
    """Chuyển đến: a member arriving from a Party organization outside the bloc."""
    return _new_member_view(
        request,
        member_forms.TransferInForm,
        services.transfer_in,
        _("Member transferring in from outside the bloc"),
    )


def member_receive_temporary(request):
    """Sinh hoạt tạm thời đến: a member from outside the bloc attends one of its chi bộ for a while."""
    return _new_member_view(
        request,
        member_forms.ReceiveTemporaryForm,
        services.receive_temporary,
        _("Member temporarily attached from outside the bloc"),
    )


def member_bulk_transfer(request):
    """Transfer the ticked members of one chi bộ to another, all or none."""
    access.require(request.user, "member.change")
    picker = member_forms.BulkSourceForm(
        request.GET if request.GET or request.method == "POST" else None, user=request.user
    )
    source = picker.cleaned_data["source"] if picker.is_valid() else None
    form = None
    if source is not None:
        form = member_forms.BulkTransferForm(_data(request), source=source, user=request.user)
        if form.is_valid():
            moved = call_service(form, services.transfer_members, by=request.user, **form.cleaned_data)
            if moved:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s member has been transferred to %(cell)s.",
                        "%(count)s members have been transferred to %(cell)s.",
                        len(moved),
                    )
                    % {"count": len(moved), "cell": form.cleaned_data["to"].name},
                )
                return redirect(source)
    return render(request, "members/bulk_transfer.html", {"picker": picker, "source": source, "form": form})
