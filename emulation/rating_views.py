"""Views of the quality ratings (issue 12): the overview of a year, the members' rating sheet of a chi bộ,
the organizations' sheet of a committee, a rating's page, the lists behind the figures and the printable
public notice. Each one: the user's scope (out of it 404, without the permission 403) → form → services
(emulation/services/ratings.py, which check the rules) → redirect or render.

Who edits what on a sheet: ``rating.propose`` holders (secretaries, staff) the self-assessments and the chi
bộ's proposals, ``rating.approve`` holders (staff) over the level above the approval. A sheet is saved in
one transaction: a refused approval writes nothing, and the sheet comes back with the messages of the
rules broken at the top and the levels as they were entered."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from blocportal import access, clock
from blocportal.forms import add_service_error
from blocportal.history import record_changes
from blocportal.lists import query_int, render_list
from organizations.documents import date_line, issuing_body, upper_body
from organizations.models import Organization

from . import checks
from .models import Level, MemberRating, OrganizationRating
from .rating_filters import MemberRatingFilter, OrganizationRatingFilter
from .rating_forms import MemberSheetForm, OrganizationSheetForm
from .rating_tables import MemberRatingTable, OrganizationRatingTable
from .selectors import rating_pages
from .services import ratings as services

# The levels as the public notice writes them (a Party document is written in Vietnamese).
LEVEL_WORDS = {
    Level.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    Level.GOOD: "Hoàn thành tốt nhiệm vụ",
    Level.DONE: "Hoàn thành nhiệm vụ",
    Level.FAILED: "Không hoàn thành nhiệm vụ",
}


# The columns of the sheets: key, heading, the column it is pre-filled (and copied) from.
MEMBER_COLUMNS = (
    ("self", gettext_lazy("Self-assessment"), ""),
    ("proposed", gettext_lazy("Party cell's proposal"), "self"),
    ("level", gettext_lazy("Approved by the level above"), "proposed"),
)
ORGANIZATION_COLUMNS = (
    ("self", gettext_lazy("Self-assessment"), ""),
    ("level", gettext_lazy("Approved by the standing committee"), "self"),
)


def _headings(columns) -> dict[str, str]:
    return {column: str(label) for column, label, _source in columns}


def _organization(request, pk: int, kinds) -> Organization:
    """An organization of the user's subtrees of one of ``kinds`` (else 404), where the user reads
    ratings (else 403)."""
    organization = get_object_or_404(
        Organization.objects.visible_to(request.user).select_related("parent"), pk=pk, kind__in=kinds
    )
    access.require(request.user, "rating.view", organization)
    return organization


def _period(year: int, quarter: int = 0) -> None:
    """A year (and quarter) that cannot be rated — before 1930, to come, a quarter before quarterly
    ratings — is no page."""
    try:
        checks.check_period(year, quarter)
    except ValidationError:
        raise Http404 from None


def _level_labels() -> dict[str, str]:
    return {level: str(label) for level, label in Level.choices}


def _sheet_context(form, columns) -> dict:
    """What both sheets' templates need besides their rows: the columns (key, heading, the column it is
    copied from), those the user edits somewhere, and the tab stop after the last select."""
    return {
        "columns": columns,
        "editable_columns": {name.split("_", 1)[0] for name in form.fields if name != "override_reason"},
        "last_tab": 1 + len(columns) * len(form.rows),
        "lines": form.lines(),
    }


@require_safe
def overview(request):
    """The chi bộ and committees of the user's scope with the progress of the year's ratings."""
    access.require(request.user, "rating.view")
    today = clock.today()
    year = query_int(request, "year", min_value=1930, max_value=today.year)
    year = year or rating_pages.default_year(today)
    cells, committees = rating_pages.overview(request.user, year)
    return render(
        request,
        "emulation/ratings/overview.html",
        {
            "year": year,
            "recent_years": range(today.year, max(1930, today.year - 5) - 1, -1),
            "first_year": 1930,
            "last_year": today.year,
            "cells": cells,
            "committees": committees,
            "legacy": checks.is_legacy(year),
        },
    )


# The members' sheet -----------------------------------------------------------------------------------


def _quarter(request, year: int) -> int:
    """``?quarter=`` (1–4) where quarterly ratings exist for the year; absent: the whole year."""
    if "quarter" not in request.GET or request.GET["quarter"] in ("", "0"):
        return 0
    quarter = query_int(request, "quarter", min_value=1, max_value=4)
    if quarter is None:
        raise Http404
    return quarter


def _quarters(year: int) -> list[int]:
    """The quarters of the year that may be rated (366-QĐ/TW), for the sheet's links."""
    found = []
    for quarter in (1, 2, 3, 4):
        try:
            checks.check_period(year, quarter)
        except ValidationError:
            continue
        found.append(quarter)
    return found


@require_http_methods(["GET", "HEAD", "POST"])
def member_sheet(request, pk: int, year: int):
    """All the members a chi bộ rates for the period, one row each with their facts, and the three
    columns (self-assessment, the chi bộ's proposal, the approval) to enter in bulk."""
    cell = _organization(request, pk, Organization.CELL_KINDS)
    quarter = _quarter(request, year)
    _period(year, quarter)
    user = request.user
    approver = checks.approver_of(cell, year, quarter) or cell
    can_propose = access.has_permission(user, "rating.propose", cell)
    can_approve = access.has_permission(user, "rating.approve", approver)
    if request.method == "POST" and not (can_propose or can_approve):
        raise PermissionDenied
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    if action == "approve" and not can_approve:
        raise PermissionDenied
    sheet = rating_pages.member_sheet(cell, year, quarter)
    form = MemberSheetForm(
        request.POST if request.method == "POST" else None,
        rows=sheet.rows,
        levels=checks.levels_for(organization=False, year=year),
        editable={
            "self": lambda row: can_propose and row.elsewhere is None,
            "proposed": lambda row: can_propose and row.elsewhere is None,
            "level": lambda row: can_approve and row.elsewhere is None,
        },
        can_override=can_approve and access.has_permission(user, "rating.override"),
        headings=_headings(MEMBER_COLUMNS),
    )
    if request.method == "POST" and form.is_valid():
        if _save_members(request, form, sheet, approve=action == "approve", can_propose=can_propose):
            return redirect(request.get_full_path())
    return render(
        request,
        "emulation/ratings/member_sheet.html",
        {
            "sheet": sheet,
            "cell": cell,
            "year": year,
            "quarter": quarter,
            "quarters": _quarters(year),
            "approver": approver,
            "form": form,
            "can_propose": can_propose,
            "can_approve": can_approve,
            "level_labels": _level_labels(),
            # On a refused POST the form's errors say it; on a GET, what approving as it stands would break.
            "pending_problems": rating_pages.pending_problems(sheet) if request.method == "GET" else [],
            **_sheet_context(form, MEMBER_COLUMNS),
        },
    )


def _save_members(request, form, sheet, *, approve: bool, can_propose: bool) -> bool:
    """The sheet's changes, in one transaction: the self-assessments, the proposals, then (``approve``)
    the approvals. A refusal rolls everything back and puts its messages on the form."""
    cell, year, quarter, user = sheet.cell, sheet.year, sheet.quarter, request.user
    members = {row.pk: row.member for row in sheet.rows}
    assessed = form.changes("self") if can_propose else {}
    proposed = form.changes("proposed") if can_propose else {}
    approved = form.changes("level") if approve else {}
    if not (assessed or proposed or approved or approve):
        messages.info(request, _("Nothing was changed."))
        return True
    try:
        with transaction.atomic():
            for member_id, level in assessed.items():
                try:
                    services.assess_member(
                        member=members[member_id], year=year, quarter=quarter, level=level, by=user
                    )
                except ValidationError as error:
                    raise ValidationError(
                        {"__all__": [f"{members[member_id].full_name}: {m}" for m in error.messages]}
                    ) from error
            if proposed:
                services.propose_members(
                    organization=cell, year=year, quarter=quarter, levels=proposed, by=user
                )
            if approve:
                services.approve_members(
                    organization=cell,
                    year=year,
                    quarter=quarter,
                    levels=approved,
                    by=user,
                    override_reason=form.cleaned_data.get("override_reason", ""),
                )
    except ValidationError as error:
        add_service_error(form, error)
        return False
    if assessed or proposed:
        messages.success(
            request,
            _("Saved: %(assessed)s self-assessments and %(proposed)s proposals.")
            % {"assessed": len(assessed), "proposed": len(proposed)},
        )
    if approve:
        messages.success(request, _("Approved: %(count)s ratings.") % {"count": len(approved)})
    return True


# The organizations' sheet -----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def organization_sheet(request, pk: int, year: int):
    """The organizations a committee rates for the year, with their facts, the self-assessments (entered
    in each organization's own scope) and the approval of the committee's standing committee."""
    approver = _organization(request, pk, rating_pages.COMMITTEE_KINDS)
    _period(year)
    user = request.user
    can_approve = access.has_permission(user, "rating.approve", approver)
    sheet = rating_pages.organization_sheet(approver, year)

    def may_assess(row) -> bool:
        return access.has_permission(user, "rating.propose", row.organization)

    may_assess_any = any(may_assess(row) for row in sheet.rows)
    if request.method == "POST" and not (can_approve or may_assess_any):
        raise PermissionDenied
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    if action == "approve" and not can_approve:
        raise PermissionDenied
    form = OrganizationSheetForm(
        request.POST if request.method == "POST" else None,
        rows=sheet.rows,
        levels=checks.levels_for(organization=True, year=year),
        editable={"self": may_assess, "level": can_approve},
        can_override=can_approve and access.has_permission(user, "rating.override"),
        headings=_headings(ORGANIZATION_COLUMNS),
    )
    if request.method == "POST" and form.is_valid():
        if _save_organizations(request, form, sheet, approve=action == "approve"):
            return redirect(request.get_full_path())
    return render(
        request,
        "emulation/ratings/organization_sheet.html",
        {
            "sheet": sheet,
            "approver": approver,
            "year": year,
            "form": form,
            "can_assess": may_assess_any,
            "can_approve": can_approve,
            "legacy": checks.is_legacy(year),
            "level_labels": _level_labels(),
            **_sheet_context(form, ORGANIZATION_COLUMNS),
        },
    )


def _save_organizations(request, form, sheet, *, approve: bool) -> bool:
    year, user = sheet.year, request.user
    organizations = {row.pk: row.organization for row in sheet.rows}
    assessed = form.changes("self")
    approved = form.changes("level") if approve else {}
    if not (assessed or approve):
        messages.info(request, _("Nothing was changed."))
        return True
    try:
        with transaction.atomic():
            for organization_id, level in assessed.items():
                try:
                    services.assess_organization(
                        organization=organizations[organization_id], year=year, level=level, by=user
                    )
                except ValidationError as error:
                    name = organizations[organization_id].name
                    raise ValidationError({"__all__": [f"{name}: {m}" for m in error.messages]}) from error
            if approve:
                services.approve_organizations(
                    approver=sheet.approver,
                    year=year,
                    levels=approved,
                    by=user,
                    override_reason=form.cleaned_data.get("override_reason", ""),
                )
    except ValidationError as error:
        add_service_error(form, error)
        return False
    if assessed:
        messages.success(request, _("Saved: %(count)s self-assessments.") % {"count": len(assessed)})
    if approve:
        messages.success(request, _("Approved: %(count)s ratings.") % {"count": len(approved)})
    return True


# A rating's page ----------------------------------------------------------------------------------------


@require_safe
def member_rating(request, pk: int):
    """One member rating: the three levels with who and when, the override, the rules an imported rating
    breaks, and its history."""
    rating = access.get_for_user(
        MemberRating.objects.select_related(
            "member", "organization", "self_by", "proposed_by", "approved_by", "override_by"
        ),
        request.user,
        permission="rating.view",
        pk=pk,
    )
    steps = [
        (_("Self-assessment"), rating.self_level, rating.self_by, rating.self_at),
        (_("Party cell's proposal"), rating.proposed_level, rating.proposed_by, rating.proposed_at),
        (_("Approved by the level above"), rating.level, rating.approved_by, rating.approved_at),
    ]
    return render(
        request,
        "emulation/ratings/member_rating.html",
        {
            "rating": rating,
            "steps": steps,
            "level_labels": _level_labels(),
            "history": record_changes(rating),
        },
    )


@require_safe
def organization_rating(request, pk: int):
    rating = access.get_for_user(
        OrganizationRating.objects.select_related(
            "organization", "approver", "self_by", "approved_by", "override_by"
        ),
        request.user,
        permission="rating.view",
        pk=pk,
    )
    steps = [
        (_("Self-assessment"), rating.self_level, rating.self_by, rating.self_at),
        (_("Approved by the standing committee"), rating.level, rating.approved_by, rating.approved_at),
    ]
    return render(
        request,
        "emulation/ratings/organization_rating.html",
        {
            "rating": rating,
            "steps": steps,
            "level_labels": _level_labels(),
            "history": record_changes(rating),
        },
    )


# The lists -------------------------------------------------------------------------------------------


@require_safe
def member_rating_list(request):
    access.require(request.user, "rating.view")
    filterset = MemberRatingFilter(
        request.GET, queryset=rating_pages.member_rating_list(request.user), request=request
    )
    return render_list(
        request,
        MemberRatingTable(filterset.qs),
        filterset=filterset,
        template="emulation/ratings/member_list.html",
        partial="emulation/ratings/_member_table.html",
    )


@require_safe
def organization_rating_list(request):
    access.require(request.user, "rating.view")
    filterset = OrganizationRatingFilter(
        request.GET, queryset=rating_pages.organization_rating_list(request.user), request=request
    )
    return render_list(
        request,
        OrganizationRatingTable(filterset.qs),
        filterset=filterset,
        template="emulation/ratings/organization_list.html",
        partial="emulation/ratings/_organization_table.html",
    )


# The public notice -------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> str:
    """ "12,5%": one decimal, with the Vietnamese decimal comma (a Party document's figures)."""
    return f"{100 * part / whole:.1f}%".replace(".", ",") if whole else "0%"


@require_safe
def announcement(request, pk: int, year: int):
    """The chi bộ's approved results of the year, for the public notice (niêm yết công khai)."""
    cell = _organization(request, pk, Organization.CELL_KINDS)
    _period(year)
    notice = rating_pages.announcement(cell, year)
    listed = [(LEVEL_WORDS[level], member) for level, members in notice.by_level for member in members]
    return render(
        request,
        "emulation/ratings/announcement.html",
        {
            "cell": cell,
            "year": year,
            "notice": notice,
            "listed": listed,
            "groups": [
                (LEVEL_WORDS[level], members, _share(len(members), notice.total))
                for level, members in notice.by_level
            ],
            "header": {
                "upper_body": upper_body(cell),
                "issuing_body": issuing_body(cell),
                "date_line": date_line(clock.today()),
            },
        },
    )
