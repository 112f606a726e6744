"""Reads of the member register, one module per feature: ``register`` (the list, the chi bộ a user
may choose, a profile's spells and seats), ``candidates``, ``badges``, ``attention`` and ``committees``
(the terms and seats of an organization, who signs for its committee). The register's reads are
re-exported here (``selectors.member_list``)."""

from .register import (
    bulk_transfer_sources,
    cells_for_change,
    committee_seats,
    current_members_of,
    ethnicities,
    list_organizations,
    member_list,
    member_spells,
)

__all__ = [
    "bulk_transfer_sources",
    "cells_for_change",
    "committee_seats",
    "current_members_of",
    "ethnicities",
    "list_organizations",
    "member_list",
    "member_spells",
]
