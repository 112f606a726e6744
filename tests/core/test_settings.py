import pytest
from django.conf import settings
from django.utils import formats, translation


def test_portal_speaks_vietnamese_by_default():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(4200, "4.200"), (32.4, "32,4")],
)
def test_numbers_use_vietnamese_separators(value, expected):
    with translation.override("vi"):
        assert formats.number_format(value, use_l10n=True, force_grouping=True) == expected


def test_dates_are_day_month_year():
    import datetime

    with translation.override("vi"):
        assert formats.date_format(datetime.date(2026, 2, 5), "SHORT_DATE_FORMAT") == "05/02/2026"


@pytest.mark.django_db
def test_postgresql_plans_each_query_on_one_core():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting (CI's second pass runs it)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
