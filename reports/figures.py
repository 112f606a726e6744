"""Frozen figures arranged for reading: the sector × kind table shown on the report page and
printed in the PDF. The caller gives the labels (gettext on the page, the document's Vietnamese
in the PDF); the arithmetic is the same for both.
"""

from collections.abc import Mapping

from .statistics import GRASSROOTS_KINDS, SECTORS, SUB_KINDS, share


def sector_table(
    section: dict,
    *,
    kind_labels: Mapping[str, str],
    sector_labels: Mapping[str, str],
    members_by_sector: Mapping[str, int] | None = None,
) -> dict:
    """The organizations section as a table: one row per sector that has an organization, the
    grassroots kinds with their total and share, then the subordinate kinds that occur at all, and
    the members of the sector when ``members_by_sector`` is given."""
    by_sector_kind = section["by_sector_kind"]
    grand_total = section["grassroots"]["total"]
    extra_kinds = [
        kind
        for kind in SUB_KINDS
        if kind not in GRASSROOTS_KINDS and any(row[kind] for row in by_sector_kind.values())
    ]
    rows = []
    for sector in SECTORS:
        counts = by_sector_kind.get(sector)
        if not counts or not any(counts.values()):
            continue
        total = sum(counts[kind] for kind in GRASSROOTS_KINDS)
        rows.append(
            {
                "label": sector_labels.get(sector, sector),
                "grassroots": [counts[kind] for kind in GRASSROOTS_KINDS],
                "total": total,
                "share": share(total, grand_total),
                "extra": [counts[kind] for kind in extra_kinds],
                "members": members_by_sector.get(sector, 0) if members_by_sector is not None else None,
            }
        )
    return {
        "grassroots_columns": [kind_labels[kind] for kind in GRASSROOTS_KINDS],
        "extra_columns": [kind_labels[kind] for kind in extra_kinds],
        "rows": rows,
        "totals": {
            "grassroots": [section["grassroots"]["by_kind"][kind] for kind in GRASSROOTS_KINDS],
            "total": grand_total,
            "share": 100.0 if grand_total else None,
            "extra": [sum(row[kind] for row in by_sector_kind.values()) for kind in extra_kinds],
            "members": sum(members_by_sector.values()) if members_by_sector is not None else None,
        },
        "with_members": members_by_sector is not None,
    }
