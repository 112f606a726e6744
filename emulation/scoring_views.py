"""Views of emulation scoring: the score sheets by year, a sheet's criteria editor (groups, criteria,
bands: draft only), its creation, copy for another year and issue; an organization's points (self-assessed
by its secretary, approved by the bloc's staff), its printable score sheet; the ranking table and its XLSX
export. Each one: scope (out of it 404) → permission (403) → form → service → redirect.

A sheet is read by the users of its owner's subtree and by those whose organizations it scores (the bloc's
sheet for a grassroots secretary); the points and the ranks shown are those of the organizations in the
user's scope, ranked among all the sheet's organizations.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from blocportal import access, clock
from blocportal.forms import add_service_error, call_service
from blocportal.history import record_changes
from blocportal.lists import query_int
from organizations.documents import date_line, issuing_body, upper_body
from organizations.models import Organization

from . import scoring_forms as forms
from .models import Band, Criterion, CriterionGroup, ScoreSheet
from .selectors import scoring_pages as pages
from .selectors.ranking import ranking
from .services import scoring as services

PARTS = {"groups": CriterionGroup, "criteria": Criterion, "bands": Band}


def _form_data(request):
    return request.POST if request.method == "POST" else None


def _get_sheet(request, pk: int, *, for_change: bool = False) -> ScoreSheet:
    """The sheet if the user reads it (else 404) and holds emulation.view — and emulation.change over its
    owner when ``for_change`` — (else 403)."""
    sheet = (
        pages.sheets_for(request.user).select_related("owner", "owner__parent", "copied_from").filter(pk=pk)
    )
    sheet = sheet.first()
    if sheet is None:
        raise Http404
    access.require(request.user, "emulation.view")
    if for_change:
        access.require(request.user, "emulation.change", sheet.owner)
    return sheet


def _get_organization(request, sheet: ScoreSheet, pk: int) -> Organization:
    """An organization the sheet scores, in the user's scope (else 404), whose points they read (else 403)."""
    organization = pages.scored_by_user(request.user, sheet).select_related("parent").filter(pk=pk).first()
    if organization is None:
        raise Http404
    access.require(request.user, "emulation.view", organization)
    return organization


def _can_change(user, sheet: ScoreSheet) -> bool:
    return access.has_permission(user, "emulation.change", sheet.owner)


# Sheets ---------------------------------------------------------------------------------------------------


@require_safe
def sheet_list(request):
    """The score sheets the user reads, by year (``?year=``)."""
    access.require(request.user, "emulation.view")
    year = query_int(request, "year", min_value=1930, max_value=9999)
    years = sorted(set(pages.sheet_list(request.user).values_list("year", flat=True)), reverse=True)
    return render(
        request,
        "emulation/scoring/sheets.html",
        {
            "sheets": list(pages.sheet_list(request.user, year)),
            "years": years,
            "year": year,
            "can_create": bool(pages.sheet_owners(request.user)),
        },
    )


def sheet_create(request):
    """A new, empty draft sheet of the bloc for a year."""
    access.require(request.user, "emulation.change")
    owners = pages.sheet_owners(request.user)
    if not owners:
        raise Http404
    form = forms.SheetForm(_form_data(request))
    if form.is_valid():
        sheet = call_service(
            form, services.create_sheet, owner=owners[0], by=request.user, **form.cleaned_data
        )
        if sheet is not None:
            messages.success(
                request, _("The score sheet has been created: add its groups, criteria and bands.")
            )
            return redirect("emulation:sheet", sheet.pk)
    return render(
        request, "emulation/scoring/form.html", {"form": form, "title": _("New score sheet"), "sheet": None}
    )


@require_safe
def sheet_detail(request, pk: int):
    """The sheet's criteria in their groups and its bands; for the bloc's staff, while it is a draft, the
    editor (add, correct, delete) and what keeps it from being issued."""
    sheet = _get_sheet(request, pk)
    can_change = _can_change(request.user, sheet)
    editable = can_change and not sheet.is_issued
    groups = pages.sheet_groups(sheet)
    return render(
        request,
        "emulation/scoring/sheet.html",
        {
            "sheet": sheet,
            "groups": groups,
            "scale": pages.max_points_by_kind(groups),
            "bands": pages.sheet_bands(sheet),
            "can_change": can_change,
            "editable": editable,
            "problems": services.issue_problems(sheet) if editable else [],
            "next_sheet": ScoreSheet.objects.filter(copied_from=sheet).first() if can_change else None,
            # A secretary's own organizations on the sheet: the way to their points.
            "own_organizations": list(pages.scored_by_user(request.user, sheet)[:20])
            if sheet.is_issued and not can_change
            else [],
            "history": record_changes(sheet) if can_change else [],
        },
    )


def sheet_update(request, pk: int):
    """Correct a draft's title."""
    sheet = _get_sheet(request, pk, for_change=True)
    if sheet.is_issued:
        messages.error(request, services.issued_message())
        return redirect("emulation:sheet", sheet.pk)
    form = forms.SheetForm(_form_data(request), sheet=sheet)
    if form.is_valid() and call_service(
        form, services.update_sheet, sheet=sheet, by=request.user, **form.cleaned_data
    ):
        messages.success(request, _("The score sheet has been saved."))
        return redirect("emulation:sheet", sheet.pk)
    return render(
        request, "emulation/scoring/form.html", {"form": form, "title": _("Edit the title"), "sheet": sheet}
    )


def sheet_copy(request, pk: int):
    """Another year's sheet (next year's, by default) as a draft copy of this one."""
    sheet = _get_sheet(request, pk, for_change=True)
    form = forms.CopyForm(_form_data(request), sheet=sheet)
    if form.is_valid():
        copy = call_service(
            form, services.copy_sheet, sheet=sheet, year=form.cleaned_data["year"], by=request.user
        )
        if copy is not None:
            messages.success(request, _("The copy has been created as a draft: edit it for its year."))
            return redirect("emulation:sheet", copy.pk)
    return render(
        request,
        "emulation/scoring/form.html",
        {
            "form": form,
            "sheet": sheet,
            "title": _("Copy for another year"),
            "note": _(
                "The copy has its own groups, criteria and bands: editing it never changes this sheet "
                "nor the points given against it."
            ),
        },
    )


def sheet_issue(request, pk: int):
    """Issue the draft: the year's points are then given against it, and it no longer changes."""
    sheet = _get_sheet(request, pk, for_change=True)
    if sheet.is_issued:
        messages.info(request, _("This score sheet is already issued."))
        return redirect("emulation:sheet", sheet.pk)
    form = forms.IssueForm(_form_data(request))
    if form.is_valid() and call_service(
        form, services.issue_sheet, sheet=sheet, issued_on=form.cleaned_data["issued_on"], by=request.user
    ):
        messages.success(request, _("The score sheet has been issued."))
        return redirect("emulation:sheet", sheet.pk)
    return render(
        request,
        "emulation/scoring/form.html",
        {
            "form": form,
            "sheet": sheet,
            "title": _("Issue the score sheet"),
            "note": _("Once issued, the sheet does not change: next year's sheet starts as its copy."),
            "problems": services.issue_problems(sheet),
        },
    )


# Groups, criteria, bands ---------------------------------------------------------------------------------

PART_TITLES = {
    ("groups", False): _("Add a group"),
    ("groups", True): _("Edit the group"),
    ("criteria", False): _("Add a criterion"),
    ("criteria", True): _("Edit the criterion"),
    ("bands", False): _("Add a band"),
    ("bands", True): _("Edit the band"),
}


def _part(sheet: ScoreSheet, part: str, item: int | None):
    if part not in PARTS:
        raise Http404
    if item is None:
        return None
    return get_object_or_404(PARTS[part], sheet=sheet, pk=item)


def _save_part(form, sheet: ScoreSheet, part: str, instance, by):
    data = form.cleaned_data
    if part == "groups":
        return call_service(form, services.save_group, sheet=sheet, group=instance, by=by, **data)
    if part == "criteria":
        return call_service(form, services.save_criterion, sheet=sheet, criterion=instance, by=by, **data)
    return call_service(form, services.save_band, sheet=sheet, band=instance, by=by, **data)


def _part_form(request, pk: int, part: str, item: int | None):
    sheet = _get_sheet(request, pk, for_change=True)
    instance = _part(sheet, part, item)
    if sheet.is_issued:
        messages.error(request, services.issued_message())
        return redirect("emulation:sheet", sheet.pk)
    extra = {}
    if part == "criteria" and instance is None:
        group = query_int(request, "group")
        extra["group"] = CriterionGroup.objects.filter(sheet=sheet, pk=group).first() if group else None
    form = forms.PART_FORMS[part](_form_data(request), sheet=sheet, instance=instance, **extra)
    if form.is_valid() and _save_part(form, sheet, part, instance, request.user) is not None:
        messages.success(request, _("Saved."))
        return redirect(f"{reverse('emulation:sheet', args=[sheet.pk])}#{part}")
    return render(
        request,
        "emulation/scoring/form.html",
        {"form": form, "sheet": sheet, "title": PART_TITLES[part, instance is not None]},
    )


def part_create(request, pk: int, part: str):
    return _part_form(request, pk, part, None)


def part_update(request, pk: int, part: str, item: int):
    return _part_form(request, pk, part, item)


DELETE = {
    "groups": (services.delete_group, "group"),
    "criteria": (services.delete_criterion, "criterion"),
    "bands": (services.delete_band, "band"),
}


def part_delete(request, pk: int, part: str, item: int):
    """Delete a group (with its criteria), a criterion or a band of a draft, after a confirmation (POST)."""
    sheet = _get_sheet(request, pk, for_change=True)
    instance = _part(sheet, part, item)
    back = f"{reverse('emulation:sheet', args=[sheet.pk])}#{part}"
    if sheet.is_issued:
        messages.error(request, services.issued_message())
        return redirect(back)
    if request.method == "POST":
        delete, argument = DELETE[part]
        try:
            delete(**{argument: instance}, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Deleted."))
        return redirect(back)
    return render(
        request, "emulation/scoring/delete.html", {"sheet": sheet, "instance": instance, "part": part}
    )


# Points ---------------------------------------------------------------------------------------------------


def scores(request, pk: int, org: int):
    """An organization's points on every criterion: self-assessed (its secretary, or staff on its behalf)
    and approved (the bloc's staff, starting from the self-assessment); who gave them and when; its totals,
    band and ranks."""
    sheet = _get_sheet(request, pk)
    organization = _get_organization(request, sheet, org)
    user = request.user
    issued = sheet.is_issued
    can_assess = issued and access.has_permission(user, "emulation.score", organization)
    can_approve = issued and access.has_permission(user, "emulation.change", organization)
    if request.method == "POST" and not (can_assess or can_approve):
        raise PermissionDenied
    groups = pages.score_groups(sheet, organization)
    form = forms.ScoresForm(
        _form_data(request), groups=groups, can_assess=can_assess, can_approve=can_approve
    )
    if form.is_valid() and _save_scores(form, sheet, organization, user):
        messages.success(request, _("The points have been saved."))
        return redirect("emulation:scores", sheet.pk, organization.pk)
    standing = next(iter(ranking(sheet, organization_ids=[organization.pk])), None)
    return render(
        request,
        "emulation/scoring/scores.html",
        {
            "sheet": sheet,
            "organization": organization,
            "groups": groups,
            "form": form,
            "can_assess": can_assess,
            "can_approve": can_approve,
            "standing": standing,
        },
    )


def _save_scores(form, sheet: ScoreSheet, organization: Organization, user) -> bool:
    """Both columns in one transaction: a refused approval leaves the self-assessment as it was too."""
    try:
        with transaction.atomic():
            if form.can_assess:
                services.assess_scores(
                    sheet=sheet, organization=organization, points=form.points("self"), by=user
                )
            if form.can_approve:
                services.approve_scores(
                    sheet=sheet, organization=organization, points=form.points("points"), by=user
                )
    except ValidationError as error:
        add_service_error(form, error)
        return False
    return True


@require_safe
def score_print(request, pk: int, org: int):
    """The organization's score sheet as an A4 Party document, for signatures: each criterion with its
    maximum, the self-assessed and the approved points, the totals and the band."""
    sheet = _get_sheet(request, pk)
    organization = _get_organization(request, sheet, org)
    day = clock.today()
    return render(
        request,
        "emulation/scoring/print.html",
        {
            "sheet": sheet,
            "organization": organization,
            "groups": pages.score_groups(sheet, organization),
            "standing": next(iter(ranking(sheet, organization_ids=[organization.pk])), None),
            "header": {
                # The organization's own document, sent up to the bloc with its self-assessment.
                "upper_body": upper_body(organization),
                "issuing_body": issuing_body(organization),
                "date_line": date_line(day),
            },
        },
    )


# Ranking --------------------------------------------------------------------------------------------------


def _ranking_page(request, sheet: ScoreSheet):
    clusters = pages.sheet_clusters(sheet)
    cluster_id = query_int(request, "cluster")
    cluster = next((cluster for cluster in clusters if cluster.pk == cluster_id), None)
    return (
        pages.ranking_page(request.user, sheet, cluster_id=cluster.pk if cluster else None),
        clusters,
        cluster,
    )


@require_safe
def ranking_table(request, pk: int):
    """The year's ranking: rank in the bloc and in the cluster, totals, band, veto, completeness
    (``?cluster=``). The ranks are among all the sheet's organizations; the rows are those of the
    user's scope."""
    sheet = _get_sheet(request, pk)
    page, clusters, cluster = _ranking_page(request, sheet)
    return render(
        request,
        "emulation/scoring/ranking.html",
        {"sheet": sheet, "page": page, "clusters": clusters, "cluster": cluster},
    )


BOLD = Font(bold=True)


@require_safe
def ranking_xlsx(request, pk: int):
    """The points as a spreadsheet: one row per organization of the ranking (the same rows as the page),
    one column per criterion (approved points), the totals, the band and the ranks."""
    sheet = _get_sheet(request, pk)
    page, _clusters, cluster = _ranking_page(request, sheet)
    criteria = pages.sheet_criteria(sheet)
    points = pages.approved_points(sheet, [row.organization_id for row in page.rows])
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = _("Ranking")[:31]
    worksheet.append([sheet.title])
    worksheet["A1"].font = BOLD
    if cluster is not None:
        worksheet.append([_("Cluster"), cluster.name])
    worksheet.append([])
    header = [
        _("Rank in the bloc"),
        _("Rank in the cluster"),
        _("Code"),
        _("Organization"),
        _("Cluster"),
        *[criterion.code for criterion in criteria],
        _("Self-assessed total"),
        _("Total"),
        _("Band"),
        _("Veto item met"),
        _("Complete"),
    ]
    worksheet.append([str(title) for title in header])
    for cell in worksheet[worksheet.max_row]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in page.rows:
        worksheet.append(
            [
                row.rank,
                row.cluster_rank or None,
                row.code,
                row.name,
                row.cluster,
                *[_number(points.get((row.organization_id, criterion.pk))) for criterion in criteria],
                _number(row.self_total),
                _number(row.total),
                row.band,
                _("Yes") if row.vetoed else "",
                _("Yes") if row.complete else _("No"),
            ]
        )
    worksheet.column_dimensions["D"].width = 40
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="xep-hang-thi-dua-{sheet.year}.xlsx"'
    workbook.save(response)
    return response


def _number(value: Decimal | None) -> int | float | None:
    """A spreadsheet number: whole points as integers, others as decimals."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
