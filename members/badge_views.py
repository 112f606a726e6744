"""Views of the Party badges (Huy hiệu Đảng); the old address of the attention list."""

from datetime import timedelta
from urllib.parse import urlencode

import tablib
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from blocportal import access, clock, imports
from blocportal.lists import render_list
from members.selectors import badges, register
from members.services import badges as badge_services

from .badge_lists import (
    BadgeAwardedFilter,
    BadgeAwardedTable,
    BadgeAwardForm,
    BadgeDueFilter,
    BadgeDueTable,
    export_headers,
    export_row,
)


@require_safe
def badge_list(request):
    """Members reaching a milestone by an award day, in the user's scope; ``?format=csv|xlsx``
    downloads the same rows."""
    access.require(request.user, "member.view")
    today = clock.today()
    filterset = BadgeDueFilter(
        request.GET, queryset=register.member_list(request.user), user=request.user, today=today
    )
    in_subtree = filterset.qs
    award_on, due = badges.due_badges(
        in_subtree, today=today, award_on=filterset.award_on, years=filterset.milestone
    )
    if "format" in request.GET:
        return _export(due.order_by("organization__path", "sort_name", "pk"), award_on, request)
    can_award = access.has_permission(request.user, "badge.award")
    context = {"award_on": award_on}
    if can_award:  # badges are recorded on or after the day they were presented
        latest = badges.previous_award_date(min(award_on, clock.today()) + timedelta(days=1))
        context["form"] = BadgeAwardForm(user=request.user, initial={"awarded_on": latest})
    return render_list(
        request,
        BadgeDueTable(due, award_on=award_on, can_award=can_award),
        filterset=filterset,
        template="members/badges/due.html",
        partial="members/badges/_due_table.html",
        context=context,
        default=100,
    )


def _export(queryset, award_on, request):
    fmt = imports.requested_format(request.GET.get("format"))
    dataset = tablib.Dataset(headers=export_headers(), title=_("Party badges"))
    for member in queryset:
        dataset.append(export_row(member, award_on))
    content = imports.dataset_bytes(dataset, fmt)
    return imports.download_response(content, fmt, f"huy-hieu-dang-{award_on:%Y%m%d}")


@require_POST
def badge_award(request):
    """Record the badges of one decision for the ticked members: all of them or none."""
    access.require(request.user, "badge.award")
    form = BadgeAwardForm(request.POST, user=request.user)
    back = request.POST.get("next", "")
    if not back.startswith(reverse("members:badge_list")):
        back = reverse("members:badge_list")
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(back)
    data = form.cleaned_data
    for member in data["members"]:
        access.require(request.user, "badge.award", member.organization)
    try:
        awarded = badge_services.award_badges(by=request.user, **data)
    except ValidationError as error:
        messages.error(request, _("Nothing was recorded:"))
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    messages.success(
        request,
        ngettext("%(count)s Party badge recorded.", "%(count)s Party badges recorded.", len(awarded))
        % {"count": len(awarded)},
    )
    return redirect(f"{reverse('members:badge_awarded')}?{urlencode({'year': data['awarded_on'].year})}")


@require_safe
def badge_awarded(request):
    """Badges already recorded in the user's scope."""
    access.require(request.user, "member.view")
    awarded = badges.awarded_badges(request.user)
    filterset = BadgeAwardedFilter(request.GET, queryset=awarded, user=request.user)
    return render_list(
        request,
        BadgeAwardedTable(filterset.qs),
        filterset=filterset,
        template="members/badges/awarded.html",
        partial="members/badges/_awarded_table.html",
        default=100,
    )


@require_safe
def attention_page(request):
    """The attention list moved to the hub above the apps ("Việc cần làm", blocportal.attention),
    where every app's sections are gathered; old links and bookmarks land there."""
    return redirect("attention")
