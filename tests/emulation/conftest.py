"""The ratings and emulation tests read "today" as 28/11/2026 (a December review under way, the year 2025
decided, 2026 the year under review): the clock is fixed for them, whatever day the suite runs on, as the
tests of the rules are (tests/members/test_rules.py)."""

import pytest

TODAY = "2026-11-28T03:00:00+00:00"


@pytest.fixture(autouse=True)
def _review_day(settings):
    settings.PORTAL_NOW = TODAY
