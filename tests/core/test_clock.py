"""The portal's one clock (blocportal/clock.py): "today" is the date in Hà Nội, and PORTAL_NOW moves
it for the whole portal — the checks, the forms and the seed — so the date-sensitive suite can run on
any day (CI runs it on a weekend, in Tết, on 31/12 and just after midnight in Hà Nội)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from blocportal import clock
from blocportal.dates import check_not_future

D = datetime.date


def test_just_after_midnight_in_hanoi_it_is_already_the_next_day(settings):
    settings.PORTAL_NOW = "2026-12-31T17:05:00+00:00"  # 00:05 on 01/01/2027 in Hà Nội
    assert clock.today() == D(2027, 1, 1)
    assert clock.now() == datetime.datetime(2026, 12, 31, 17, 5, tzinfo=datetime.UTC)


def test_a_naive_setting_is_read_in_the_portals_time_zone(settings):
    settings.PORTAL_NOW = "2027-02-08 09:00"
    assert clock.today() == D(2027, 2, 8)


def test_without_the_setting_the_clock_runs(settings):
    settings.PORTAL_NOW = ""
    before = datetime.datetime.now(tz=datetime.UTC)
    assert before <= clock.now() <= datetime.datetime.now(tz=datetime.UTC)


def test_a_malformed_setting_is_an_error_not_the_real_day(settings):
    settings.PORTAL_NOW = "next tuesday"
    with pytest.raises(ValueError, match="PORTAL_NOW"):
        clock.today()


def test_the_future_is_judged_by_the_portals_clock(settings):
    settings.PORTAL_NOW = "2027-02-08T03:00:00+00:00"
    check_not_future(D(2027, 2, 8))
    with pytest.raises(ValidationError):
        check_not_future(D(2027, 2, 9))
