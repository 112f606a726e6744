"""What changed, when and by whom: the django-simple-history records of any object, for its page."""

from collections import defaultdict
from datetime import date

from .dates import format_day


def record_changes(obj, *, limit: int = 50, excluded_fields: tuple[str, ...] = ()) -> list[dict]:
    """One entry per save of ``obj`` (any model with django-simple-history), newest first: when,
    who, the reason given (a correction's), and the fields that changed as (label, old value, new
    value), choices by their label and
    related rows by name (one query per related model); the oldest entry is the creation
    (``created``)."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    deltas = [
        (newer, newer.diff_against(older, excluded_fields=list(excluded_fields)))
        for newer, older in zip(records, records[1:], strict=False)
    ]
    fields = {field.name: field for field in type(obj)._meta.fields}
    related_ids = defaultdict(set)
    for _record, delta in deltas:
        for change in delta.changes:
            if fields[change.field].is_relation:
                related_ids[fields[change.field].related_model] |= {change.old, change.new} - {None}
    names = {
        model: {pk: str(row) for pk, row in model._base_manager.in_bulk(ids).items()}
        for model, ids in related_ids.items()
    }
    entries = [
        {
            "when": record.history_date,
            "who": record.history_user,
            "reason": record.history_change_reason or "",
            "changes": [
                (
                    fields[change.field].verbose_name,
                    _shown(fields[change.field], change.old, names),
                    _shown(fields[change.field], change.new, names),
                )
                for change in delta.changes
            ],
        }
        for record, delta in deltas
        if delta.changes
    ]
    if records and len(records) <= limit:
        entries.append({"when": records[-1].history_date, "who": records[-1].history_user, "created": True})
    return entries


def field_changes(obj, *, limit: int = 50, excluded_fields: tuple[str, ...] = ()) -> list[dict]:
    """The same, one row per changed field (when, who, field, old, new); the creation has no field."""
    rows = []
    for entry in record_changes(obj, limit=limit, excluded_fields=excluded_fields):
        if entry.get("created"):
            rows.append({"when": entry["when"], "who": entry["who"], "field": None, "old": None, "new": None})
        for label, old, new in entry.get("changes", ()):
            rows.append({"when": entry["when"], "who": entry["who"], "field": label, "old": old, "new": new})
    return rows


def _shown(field, value, names: dict):
    if value in (None, ""):
        return None
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation:
        return names[field.related_model].get(value, value)
    if isinstance(value, date):
        return format_day(value)
    return value
