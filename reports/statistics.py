"""Every figure the bloc reports, for one organization and one period.

The dashboard, the PDF, the XLSX annex and ``manage.py statistics`` all call ``statistics()``: one
source of truth, so the same period shows the same numbers everywhere. The result is plain JSON
(it is frozen into ``Report.figures``), keyed by the stored choice values.

Sections so far: ``organizations``. Later issues add members, movements, meetings, inspections and
ratings to the same dict.
"""

from django.db.models import Count

from blocportal.periods import Period
from organizations.models import Organization

Kind = Organization.Kind
Sector = Organization.Sector
# The kinds that can sit under a reporting organization, in the order the bloc lists them (plain
# strings: the result is JSON).
GRASSROOTS_KINDS = tuple(kind.value for kind in Organization.GRASSROOTS_KINDS)
SUB_KINDS = (*GRASSROOTS_KINDS, Kind.BRANCH_COMMITTEE.value, Kind.SUBORDINATE_CELL.value, Kind.GROUP.value)
SECTORS = tuple(Sector.values)
# Readers of frozen figures iterate these tuples, never the dicts: PostgreSQL's jsonb does not keep key order.


def statistics(organization: Organization, period: Period | str) -> dict:
    """The figures of ``organization`` (its whole subtree) for ``period``, as of the period's end."""
    if not isinstance(period, Period):
        period = Period.parse(period)
    return {
        "organization": {"code": organization.code, "name": organization.name, "kind": organization.kind},
        "period": {
            "code": str(period),
            "kind": period.kind,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "organizations": _organizations(organization, period),
    }


def _organizations(organization: Organization, period: Period) -> dict:
    """Sub-organizations that existed at the end of the period (established by then, not yet
    dissolved), counted by kind and sector in one grouped query.

    Tổ chức cơ sở đảng are the đảng bộ cơ sở and chi bộ cơ sở (Điều lệ Điều 21). The structure is
    read from the current tree: an organization moved to another parent after the period counts
    under its present parent.
    """
    rows = (
        Organization.objects.subtree(organization, include_self=False)
        .active(on=period.end)
        .order_by()
        .values_list("kind", "sector")
        .annotate(count=Count("id"))
    )
    by_sector_kind = {sector: dict.fromkeys(SUB_KINDS, 0) for sector in SECTORS}
    for kind, sector, count in rows:
        if kind in SUB_KINDS:
            # Sub-organizations inherit the sector of their parent; a missing one counts as "other".
            by_sector_kind[sector or Sector.OTHER.value][kind] += count
    by_kind = {kind: sum(row[kind] for row in by_sector_kind.values()) for kind in SUB_KINDS}
    grassroots_by_sector = {
        sector: sum(row[kind] for kind in GRASSROOTS_KINDS) for sector, row in by_sector_kind.items()
    }
    return {
        "as_of": period.end.isoformat(),
        "grassroots": {
            "total": sum(by_kind[kind] for kind in GRASSROOTS_KINDS),
            "by_kind": {kind: by_kind[kind] for kind in GRASSROOTS_KINDS},
            "by_sector": grassroots_by_sector,
        },
        "branch_committees": by_kind[Kind.BRANCH_COMMITTEE],
        "cells": by_kind[Kind.SUBORDINATE_CELL],
        "groups": by_kind[Kind.GROUP],
        "by_sector_kind": by_sector_kind,
    }
