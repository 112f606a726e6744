"""What the rows of a file name, checked across the whole file: the organizations named by code,
read once and kept to the importer's scope, and the values (a code, a card number, a CCCD) that
one file gives twice. Every register's ``import_rows`` goes through these before its loop.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol, TypeVar

from django.db import models
from django.utils.translation import gettext as _

from .. import access
from .rows import Row


class _HasRow(Protocol):
    row: Row


E = TypeVar("E", bound=_HasRow)
T = TypeVar("T")


def duplicates_in_file(
    entries: Sequence[E],
    columns: Mapping[str, str],
    *,
    repeated: Callable[[str, int], str] | None = None,
) -> set[E]:
    """The entries (rows read by a resource) that give a value an earlier entry of the file gives,
    column by column (``columns``: column → the entries' attribute holding its value). Each one
    gets an error on that column, worded by ``repeated(value, first row)``; empty values are never
    repeated. The first entry of each value is not among them."""
    duplicates: set[E] = set()
    for column, attribute in columns.items():
        first: dict[str, E] = {}
        for entry in entries:
            value = getattr(entry, attribute)
            if not value:
                continue
            earlier = first.setdefault(value, entry)
            if earlier is not entry:
                duplicates.add(entry)
                number = earlier.row.number
                entry.row.error(
                    column,
                    repeated(value, number)
                    if repeated is not None
                    else _("«%(value)s» already appears on row %(row)s.") % {"value": value, "row": number},
                )
    return duplicates


def scoped_by_code(
    queryset: models.QuerySet, entries: Iterable[object], *attributes: str, user
) -> dict[str, models.Model]:
    """The organizations of ``queryset`` whose codes the entries give (in their ``attributes``: a
    row's own code, its parent's, a member's chi bộ), read in one query and kept to those the
    importer can see; the queryset says how (``select_related``, or ``select_for_update`` to lock
    them for the import). One they cannot see does not exist for them: a row naming it reads like
    an unknown code (``organization_by_code``), so the import does not tell them that the code is
    used elsewhere in the bloc."""
    codes = {getattr(entry, attribute) for entry in entries for attribute in attributes} - {""}
    found = queryset.in_bulk(sorted(codes), field_name="code")
    return {
        code: organization
        for code, organization in found.items()
        if access.has_permission(user, "organization.view", organization)
    }


def in_scope(row: Row, column: str, code: str, organization: models.Model, *, user, permission: str) -> bool:
    """Whether the importer may import into the organization a cell names by ``code``
    (``permission``); when not, an error on the cell."""
    if access.has_permission(user, permission, organization):
        return True
    row.error(column, _("The organization «%(code)s» is outside your scope.") % {"code": code})
    return False


def organization_by_code(
    row: Row, column: str, code: str, known: Mapping[str, T], *, user, permission: str
) -> T | None:
    """The organization a cell names by code among ``known`` (``scoped_by_code``), with an error
    when there is none, or when the importer may not import into it (``in_scope``)."""
    organization = known.get(code)
    if organization is None:
        row.error(column, _("No organization has the code «%(code)s».") % {"code": code})
    else:
        in_scope(row, column, code, organization, user=user, permission=permission)
    return organization
