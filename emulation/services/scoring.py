"""Emulation scoring (DOMAIN.md §7): the year's score sheet of the bloc (bảng chấm điểm), its criteria
and bands, and the points of each grassroots organization on it, self-assessed then approved.

A sheet is a draft while staff shape it: groups, criteria (regular, bonus, penalty, veto) and the bands of
totals are data, edited in the browser. Issued, it is fixed: the year's scores are given against it, and
next year's sheet starts as a full copy (``copy_sheet``), so editing that copy never rewrites a scored year.
The totals, bands and ranks are not stored: ``selectors.ranking`` computes them from the points, so a
corrected point moves the ranks at once. Every refusal writes nothing.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from blocportal import clock
from blocportal.dates import check_not_future
from blocportal.text import nfc
from organizations.models import Organization

from ..models import Band, Criterion, CriterionGroup, Score, ScoreSheet
from ..selectors.scoring_pages import scorable_organizations

Kind = Criterion.Kind
CENT = Decimal("0.01")


def issued_message() -> str:
    return _("An issued score sheet does not change: copy it for next year.")


def _save(record, by: AbstractBaseUser) -> None:
    record._history_user = by
    record.save()


def _delete(record, by: AbstractBaseUser) -> None:
    record._history_user = by
    record.delete()


def _locked(sheet: ScoreSheet) -> ScoreSheet:
    """The sheet as stored, locked for the transaction: an edit and an issue do not cross."""
    return ScoreSheet.objects.select_for_update().get(pk=sheet.pk)


def _check_draft(sheet: ScoreSheet) -> ScoreSheet:
    sheet = _locked(sheet)
    if sheet.is_issued:
        raise ValidationError({"__all__": [issued_message()]})
    return sheet


def _check_year(year: int) -> None:
    """A sheet is made for a past year, this year or the next one (prepared in advance)."""
    latest = clock.today().year + 1
    if not 1930 <= year <= latest:
        raise ValidationError({"year": _("Choose a year between 1930 and %(year)s.") % {"year": latest}})


def _check_owner(owner: Organization) -> None:
    # The sheet ranks the grassroots organizations under its owner: only the bloc has them.
    if owner.kind != Organization.Kind.BLOC:
        raise ValidationError({"owner": _("Only the bloc Party committee issues a score sheet.")})


def _check_free_year(owner: Organization, year: int) -> None:
    if ScoreSheet.objects.filter(owner=owner, year=year).exists():
        raise ValidationError(
            {
                "year": _("%(owner)s already has a score sheet for %(year)s.")
                % {"owner": owner.name, "year": year}
            }
        )


def _title(title: str) -> str:
    title = nfc(title).strip()
    if not title:
        raise ValidationError({"title": _("Give the sheet a title.")})
    return title


# Sheets --------------------------------------------------------------------------------------------------


@transaction.atomic
def create_sheet(*, owner: Organization, year: int, title: str, by: AbstractBaseUser) -> ScoreSheet:
    """A new, empty draft sheet for the year."""
    _check_owner(owner)
    _check_year(year)
    title = _title(title)
    _check_free_year(owner, year)
    sheet = ScoreSheet(owner=owner, year=year, title=title)
    _save(sheet, by)
    return sheet


@transaction.atomic
def update_sheet(*, sheet: ScoreSheet, title: str, by: AbstractBaseUser) -> ScoreSheet:
    """Correct a draft sheet's title."""
    sheet = _check_draft(sheet)
    title = _title(title)
    if sheet.title != title:
        sheet.title = title
        _save(sheet, by)
    return sheet


@transaction.atomic
def copy_sheet(*, sheet: ScoreSheet, year: int, by: AbstractBaseUser) -> ScoreSheet:
    """Next year's sheet as a draft copy of ``sheet``: its own groups, criteria and bands, the veto caps
    pointing to the copied bands. The title's year follows ("… năm 2025" → "… năm 2026")."""
    _check_year(year)
    _check_free_year(sheet.owner, year)
    title = sheet.title.replace(str(sheet.year), str(year)) if str(sheet.year) in sheet.title else sheet.title
    copy = ScoreSheet(owner=sheet.owner, year=year, title=title, copied_from=sheet)
    _save(copy, by)
    bands = {}
    for band in Band.objects.filter(sheet=sheet).order_by("order"):
        bands[band.pk] = Band(sheet=copy, name=band.name, min_total=band.min_total, order=band.order)
        _save(bands[band.pk], by)
    groups = {}
    for group in CriterionGroup.objects.filter(sheet=sheet).order_by("order", "code"):
        groups[group.pk] = CriterionGroup(sheet=copy, code=group.code, name=group.name, order=group.order)
        _save(groups[group.pk], by)
    for criterion in Criterion.objects.filter(sheet=sheet).order_by("group__order", "order", "code"):
        _save(
            Criterion(
                sheet=copy,
                group=groups[criterion.group_id],
                code=criterion.code,
                text=criterion.text,
                kind=criterion.kind,
                max_points=criterion.max_points,
                cap_band=bands.get(criterion.cap_band_id),
                order=criterion.order,
            ),
            by,
        )
    return copy


def issue_problems(sheet: ScoreSheet) -> list[str]:
    """What keeps a draft from being issued: no criteria, no regular points to give, a veto item that caps
    nothing, bands whose minimums do not fall from the best to the worst."""
    criteria = list(Criterion.objects.filter(sheet=sheet).select_related("group"))
    problems = []
    if not criteria:
        problems.append(_("The sheet has no criteria yet."))
        return problems
    if sum((c.max_points for c in criteria if c.kind == Kind.REGULAR), Decimal(0)) <= 0:
        problems.append(_("The regular criteria give no points: set their maximum points."))
    for criterion in criteria:
        if criterion.kind == Kind.VETO and criterion.cap_band_id is None:
            problems.append(
                _("Veto item %(code)s caps no band: choose the band at most it allows.")
                % {"code": criterion.code}
            )
    minimums = list(Band.objects.filter(sheet=sheet).order_by("order").values_list("name", "min_total"))
    for (better, better_min), (worse, worse_min) in zip(minimums, minimums[1:], strict=False):
        if worse_min >= better_min:
            problems.append(
                _("Band «%(worse)s» must start below band «%(better)s».") % {"worse": worse, "better": better}
            )
    return problems


@transaction.atomic
def issue_sheet(*, sheet: ScoreSheet, issued_on: date, by: AbstractBaseUser) -> ScoreSheet:
    """Issue the draft: from now on the year's scores are given against it, and it no longer changes."""
    sheet = _locked(sheet)
    if sheet.is_issued:
        return sheet
    check_not_future(issued_on, "issued_on")
    problems = issue_problems(sheet)
    if problems:
        raise ValidationError({"__all__": problems})
    sheet.status, sheet.issued_on = ScoreSheet.Status.ISSUED, issued_on
    _save(sheet, by)
    return sheet


# Groups, criteria, bands ----------------------------------------------------------------------------------


def _unique(save, field: str, message: str) -> None:
    """Run ``save``; a unique code or order already taken on the sheet is the field's error."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        raise ValidationError({field: message}) from None


def _own(record, sheet: ScoreSheet, field: str) -> None:
    if record is not None and record.sheet_id != sheet.pk:
        raise ValidationError({field: _("This belongs to another score sheet.")})


@transaction.atomic
def save_group(
    *,
    sheet: ScoreSheet,
    group: CriterionGroup | None = None,
    code: str,
    name: str,
    order: int = 0,
    by: AbstractBaseUser,
) -> CriterionGroup:
    """Add a group of criteria to a draft sheet, or correct one (``group``)."""
    sheet = _check_draft(sheet)
    _own(group, sheet, "__all__")
    code, name = nfc(code).strip(), nfc(name).strip()
    if not code:
        raise ValidationError({"code": _("Give the code.")})
    if not name:
        raise ValidationError({"name": _("Give the name.")})
    group = group or CriterionGroup(sheet=sheet)
    group.code, group.name, group.order = code, name, order
    _unique(lambda: _save(group, by), "code", _("The sheet already has a group with this code."))
    return group


def _check_maximum(kind: str, max_points: Decimal | None, cap_band: Band | None) -> Decimal:
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose the kind of the criterion.")})
    if kind == Kind.VETO:
        # A veto item is met or not (1 or 0): it gives no points, it caps the band.
        return Decimal(0)
    if cap_band is not None:
        raise ValidationError({"cap_band": _("Only a veto item caps the band.")})
    if max_points is None or max_points <= 0:
        raise ValidationError({"max_points": _("Give the maximum points, more than 0.")})
    if max_points != max_points.quantize(CENT):
        raise ValidationError({"max_points": _("Points have at most two decimals.")})
    return max_points


@transaction.atomic
def save_criterion(
    *,
    sheet: ScoreSheet,
    criterion: Criterion | None = None,
    group: CriterionGroup,
    code: str,
    text: str,
    kind: str = Kind.REGULAR,
    max_points: Decimal | None = None,
    cap_band: Band | None = None,
    order: int = 0,
    by: AbstractBaseUser,
) -> Criterion:
    """Add a criterion to a draft sheet, or correct one. The maximum points of a penalty item are the most
    it deducts; a veto item has none and names the band it caps the total at."""
    sheet = _check_draft(sheet)
    _own(criterion, sheet, "__all__")
    _own(group, sheet, "group")
    _own(cap_band, sheet, "cap_band")
    code, text = nfc(code).strip(), nfc(text).strip()
    if not code:
        raise ValidationError({"code": _("Give the code.")})
    if not text:
        raise ValidationError({"text": _("Give the text of the criterion.")})
    max_points = _check_maximum(kind, max_points, cap_band)
    criterion = criterion or Criterion(sheet=sheet)
    criterion.group, criterion.code, criterion.text, criterion.kind = group, code, text, kind
    criterion.max_points, criterion.cap_band, criterion.order = max_points, cap_band, order
    _unique(lambda: _save(criterion, by), "code", _("The sheet already has a criterion with this code."))
    return criterion


@transaction.atomic
def save_band(
    *,
    sheet: ScoreSheet,
    band: Band | None = None,
    name: str,
    min_total: Decimal,
    order: int,
    by: AbstractBaseUser,
) -> Band:
    """Add a band of totals to a draft sheet, or correct one; order 0 is the best band."""
    sheet = _check_draft(sheet)
    _own(band, sheet, "__all__")
    name = nfc(name).strip()
    if not name:
        raise ValidationError({"name": _("Give the name.")})
    if min_total is None or min_total < 0:
        raise ValidationError({"min_total": _("Give the lowest total of the band, 0 or more.")})
    band = band or Band(sheet=sheet)
    band.name, band.min_total, band.order = name, min_total, order
    _unique(lambda: _save(band, by), "order", _("The sheet already has a band in this place."))
    return band


@transaction.atomic
def delete_group(*, group: CriterionGroup, by: AbstractBaseUser) -> None:
    """Delete a draft sheet's group with its criteria."""
    _check_draft(group.sheet)
    for criterion in Criterion.objects.filter(group=group):
        _delete(criterion, by)
    _delete(group, by)


@transaction.atomic
def delete_criterion(*, criterion: Criterion, by: AbstractBaseUser) -> None:
    _check_draft(criterion.sheet)
    _delete(criterion, by)


@transaction.atomic
def delete_band(*, band: Band, by: AbstractBaseUser) -> None:
    """Delete a draft sheet's band, unless a veto item caps at it."""
    _check_draft(band.sheet)
    try:
        with transaction.atomic():
            _delete(band, by)
    except ProtectedError:
        raise ValidationError(
            {"__all__": [_("A veto item caps at this band: choose another band for it first.")]}
        ) from None


# Scores ---------------------------------------------------------------------------------------------------


def _check_scored(sheet: ScoreSheet, organization: Organization) -> None:
    if not sheet.is_issued:
        raise ValidationError({"__all__": [_("Points are given on an issued score sheet only.")]})
    if not scorable_organizations(sheet).filter(pk=organization.pk).exists():
        raise ValidationError(
            {
                "organization": _(
                    "%(name)s is not scored on this sheet: only the grassroots Party organizations under "
                    "%(owner)s that existed in %(year)s are."
                )
                % {"name": organization.name, "owner": sheet.owner.name, "year": sheet.year}
            }
        )


def check_points(criterion: Criterion, value: Decimal | None, field: str) -> None:
    """Points between 0 and the maximum, two decimals at most; a veto item is met (1) or not (0)."""
    if value is None:
        return
    if criterion.kind == Kind.VETO:
        if value not in (0, 1):
            raise ValidationError(
                {field: _("%(code)s: a veto item is 1 (met) or 0 (not met).") % {"code": criterion.code}}
            )
        return
    if value != value.quantize(CENT):
        raise ValidationError(
            {field: _("%(code)s: points have at most two decimals.") % {"code": criterion.code}}
        )
    if not 0 <= value <= criterion.max_points:
        raise ValidationError(
            {
                field: _("%(code)s: the points are between 0 and %(max)s.")
                % {"code": criterion.code, "max": f"{criterion.max_points.normalize():f}"}
            }
        )


def _score(
    *,
    sheet: ScoreSheet,
    organization: Organization,
    points: Mapping[int, Decimal | None],
    by: AbstractBaseUser,
    field: str,
    imported: bool,
) -> list[Score]:
    """Write ``field`` ("self_points" or "points") of the organization's scores; an empty value clears
    it, and a score left with no points at all is removed. Returns the scores that changed."""
    sheet = ScoreSheet.objects.select_related("owner").get(pk=sheet.pk)
    _check_scored(sheet, organization)
    criteria = Criterion.objects.filter(sheet=sheet).in_bulk(list(points))
    for criterion_id, value in points.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise ValidationError(
                {field: _("Criterion #%(id)s is not on this sheet.") % {"id": criterion_id}}
            )
        check_points(criterion, None if value is None else Decimal(value), field)
    existing = {
        score.criterion_id: score
        for score in Score.objects.select_for_update().filter(
            organization=organization, criterion_id__in=list(points)
        )
    }
    who, when = ("self_by", "self_at") if field == "self_points" else ("approved_by", "approved_at")
    now = timezone.now()
    changed, created, updated = [], [], []
    for criterion_id, value in points.items():
        value = None if value is None else Decimal(value)
        score = existing.get(criterion_id)
        if score is None:
            if value is None:
                continue
            score = Score(criterion=criteria[criterion_id], organization=organization)
        elif getattr(score, field) == value:
            continue
        setattr(score, field, value)
        setattr(score, who, by if value is not None else None)
        setattr(score, when, now if value is not None else None)
        if imported:
            score.imported = True
        if score.pk is None:
            created.append(score)
        elif score.self_points is None and score.points is None:
            _delete(score, by)
        else:
            updated.append(score)
        changed.append(score)
    # A sheet's worth of points in two statements (and their history rows), not one save per criterion.
    if created:
        bulk_create_with_history(created, Score, default_user=by, default_date=now)
    if updated:
        bulk_update_with_history(
            updated, Score, [field, who, when, "imported"], default_user=by, default_date=now
        )
    return changed


@transaction.atomic
def assess_scores(
    *,
    sheet: ScoreSheet,
    organization: Organization,
    points: Mapping[int, Decimal | None],
    by: AbstractBaseUser,
    imported: bool = False,
) -> list[Score]:
    """The organization's self-assessed points (criterion id → points; None clears), on an issued sheet.
    For a penalty item the points are the deduction; for a veto item 1 means it was met."""
    return _score(
        sheet=sheet, organization=organization, points=points, by=by, field="self_points", imported=imported
    )


@transaction.atomic
def approve_scores(
    *,
    sheet: ScoreSheet,
    organization: Organization,
    points: Mapping[int, Decimal | None],
    by: AbstractBaseUser,
    imported: bool = False,
) -> list[Score]:
    """The approved points (the bloc's decision). Correcting them keeps the earlier ones in the history;
    the ranks follow at once (``selectors.ranking``)."""
    return _score(
        sheet=sheet, organization=organization, points=points, by=by, field="points", imported=imported
    )
