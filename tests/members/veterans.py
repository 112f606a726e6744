"""Long-standing members for the badge and attention tests.

The personas' chi bộ were established in 2010 and 2015, so a member admitted in 1996 cannot be
admitted there: like real veterans of a young chi bộ, they arrive by transfer (chuyển đến) with
the dates of their Party file.
"""

import datetime

from blocportal.workdays import add_months
from members import services
from members.models import Member

TRANSFERRED_ON = datetime.date(2020, 1, 6)


def veteran(organization, admitted_on: datetime.date, *, by, full_name: str = "", **extra) -> Member:
    """An official member admitted on ``admitted_on`` (ceremony two weeks later, official a year
    after that, born 25 years before), transferred into ``organization`` on 06/01/2020."""
    ceremony_on = admitted_on + datetime.timedelta(days=14)
    veteran.count += 1
    return services.transfer_in(
        organization=organization,
        origin="Đảng bộ tỉnh Kon Tum",
        on=TRANSFERRED_ON,
        by=by,
        full_name=full_name or f"Trần Văn Lão Thành {veteran.count}",
        gender=Member.Gender.MALE,
        birth_date=admitted_on.replace(year=admitted_on.year - 25, day=min(admitted_on.day, 28)),
        admitted_on=admitted_on,
        ceremony_on=ceremony_on,
        official_on=add_months(ceremony_on, 12),
        **extra,
    )


veteran.count = 0
