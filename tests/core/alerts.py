"""Register data that triggers every alert of the attention hub, in Đảng bộ Sở Tài chính (org_a),
on ON, plus one alert of Chi bộ Báo Gia Lai (org_b) that org_a's users must never see."""

import datetime

from emulation.models import Level
from emulation.services import ratings as rating_services
from meetings import services as meeting_services
from meetings.models import Attendance, Meeting
from meetings.services.meetings import Mark
from members import services as member_services
from members.services import candidates as candidate_services
from organizations.models import Organization
from tests.factories import MemberFactory, OrganizationFactory
from tests.members.veterans import veteran

D = datetime.date
ON = D(2026, 4, 1)
PORTAL_NOW = "2026-04-01T03:00:00+00:00"  # 10:00 in Hà Nội on ON

# The names each section shows for org_a, and the one alert of org_b.
PROBATIONER = "Trịnh Văn Dự Bị"  # probation ended 16/3/2026; lý lịch late too
CANDIDATE = "Mai Thị Học Lớp"  # certificate of 01/6/2021 expires on 01/6/2026
VETERAN = "Lão Thành A"  # admitted in 1990: a badge overdue
TRANSFERRED = "Phan Văn Chuyển Đi"  # transferred out on 03/11/2025, no receipt
NO_CHI_UY = "Chi bộ Phòng Thuế"  # nine official members, no chi ủy
SMALL_CELL = "Chi bộ Phòng Ngân sách"  # cell_a1: one official member
IN_B = "Người Ở Báo"  # a probation ending in org_b
ABSENTEE = "Tạ Văn Vắng Mặt"  # in NO_CHI_UY, absent without reason in January, February and March 2026
FAILED = "Hà Văn Chưa Đạt"  # in NO_CHI_UY, rated "không hoàn thành nhiệm vụ" in 2024 and 2025
# And no organization has met in April 2026 (a regular meeting) or in its second quarter (a thematic one).


def every_alert(*, org_a, cell_a1, org_b, by, system_user) -> None:
    MemberFactory(
        organization=cell_a1,
        full_name=PROBATIONER,
        admitted_on=D(2025, 3, 3),
        ceremony_on=D(2025, 3, 16),
        by=by,
    )
    person = candidate_services.create_candidate(
        organization=cell_a1, full_name=CANDIDATE, gender="nu", birth_date=D(1998, 8, 8), by=by
    )
    candidate_services.record_training(
        candidate=person, certificate_no="GCN-01", certificate_on=D(2021, 6, 1), by=by
    )
    veteran(cell_a1, D(1990, 1, 1), by=by, full_name=VETERAN)
    leaving = MemberFactory(organization=cell_a1, full_name=TRANSFERRED, official=True, by=by)
    member_services.transfer_out(member=leaving, destination="Đảng bộ tỉnh Đắk Lắk", on=D(2025, 11, 3), by=by)
    cell = OrganizationFactory(
        code="A2", name=NO_CHI_UY, kind=Organization.Kind.SUBORDINATE_CELL, parent=org_a, by=system_user
    )
    for _ in range(8):
        MemberFactory(organization=cell, official=True, by=by)
    absentee = MemberFactory(organization=cell, full_name=ABSENTEE, official=True, by=by)
    for month in (1, 2, 3):
        meeting = meeting_services.record_meeting(
            organization=cell, held_on=D(2026, month, 15), kind=Meeting.Kind.REGULAR, by=by
        )
        meeting_services.record_attendance(
            meeting=meeting, marks=[Mark(absentee.pk, Attendance.Status.ABSENT)], by=by
        )
    failed = MemberFactory(organization=cell, full_name=FAILED, official=True, by=by)
    for year in (2024, 2025):
        rating_services.record_decided_member(member=failed, year=year, level=Level.FAILED, by=by)
    MemberFactory(
        organization=org_b, full_name=IN_B, admitted_on=D(2025, 3, 3), ceremony_on=D(2025, 3, 16), by=by
    )


def organizations_of(section):
    """The organization each row of a hub section belongs to (the rows are the providers' own)."""
    for row in section.rows:
        if isinstance(row, Organization):
            yield row
        elif hasattr(row, "candidate"):
            yield row.candidate.organization
        elif hasattr(row, "event"):
            yield row.event.organization
        elif hasattr(row, "member"):
            yield row.member.organization
        else:
            yield row.organization


def names_in(section) -> set[str]:
    """The people and organizations a section lists."""
    names = set()
    for row in section.rows:
        for person in (getattr(row, "member", None), getattr(row, "candidate", None)):
            if person is not None:
                names.add(person.full_name)
        if hasattr(row, "event"):
            names.add(row.event.member.full_name)
    names.update(org.name for org in organizations_of(section))
    return names
