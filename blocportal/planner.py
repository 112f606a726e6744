"""The query planner's statistics. PostgreSQL plans each query from per-table statistics that
autovacuum refreshes only after a share of a table has changed, and on its own schedule: right
after a seed or a large import its estimates are those of a near-empty table, and the lists it
plans then scan where they should use an index. Whoever writes many rows at once refreshes them."""

from django.db import DEFAULT_DB_ALIAS, connections

# An import of more rows than this refreshes the statistics when it is confirmed.
ANALYZE_AFTER_ROWS = 1000


def refresh_statistics(using: str = DEFAULT_DB_ALIAS) -> bool:
    """``ANALYZE`` the database on PostgreSQL (seconds for the portal's tables; it blocks neither
    reads nor writes); nothing elsewhere. Whether it ran."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True
