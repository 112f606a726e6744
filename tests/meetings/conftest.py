"""The hand-counted meetings of chi bộ A1 and A2 (both under đảng bộ A) in the first quarter of 2025.

Members of A1, official since 15/3/2024: An (the secretary of A1), Bình, Cường, Dũng; Hà, exempted from
10/01/2025, who attends the joint meeting; Khoa, exempted from 10/01/2025, who never attends; Lan, in
temporary activity at A2 from 01/02/2025 (expected there, not at home). Members of A2: Minh, Nga; and
Phúc, transferred from A2 to A1 on 15/3/2025.

- 10/3/2025, A1, regular. Listed: An, Bình, Cường, Dũng, Hà, Khoa, Lan (away). Cường excused, Dũng
  absent, Hà present, Khoa absent. Counted (§4): An, Bình, Cường, Dũng, Hà = 5; present An, Bình,
  Hà = 3. Committee: An, 1 of 1.
- 10/3/2025, A2, regular. Listed: Minh, Nga, Phúc, Lan (here). All present: 4 of 4.
- 20/3/2025, A1 with A2, joint, regular combined with thematic. A1's list: An, Bình, Cường, Dũng, Hà,
  Khoa, Phúc (Lan is on A2's list, where she is expected). Bình absent, Hà absent (not counted),
  Khoa absent (not counted). Counted: An, Bình, Cường, Dũng, Phúc = 5; present An, Cường, Dũng,
  Phúc = 4. Committee 1 of 1. A2's list: Minh, Nga, Lan: Nga excused; 2 of 3.

So in 2025-Q1: A1 7 of 10 (70.0%), A2 6 of 7 (85.7%), đảng bộ A 13 of 17 (76.5%); committee members
2 of 2 (100.0%). A1 and A2 held a regular meeting in March only (1 of 3 months each), and a thematic
one in the quarter; đảng bộ A's committee never met (0 of 3).
"""

import datetime

import pytest

from meetings import services
from meetings.models import Attendance, Meeting
from meetings.services.meetings import Mark
from members import services as member_services
from members.models import Member, Movement
from members.services import committees
from organizations.models import Organization
from tests.factories import MemberFactory, OrganizationFactory

D = datetime.date
P, E, A = Attendance.Status.PRESENT, Attendance.Status.EXCUSED, Attendance.Status.ABSENT


@pytest.fixture
def cell_a2(org_a, system_user):
    return OrganizationFactory(
        code="A2",
        name="Chi bộ Phòng Tổng hợp",
        kind=Organization.Kind.SUBORDINATE_CELL,
        parent=org_a,
        by=system_user,
    )


def _member(cell, name, by):
    return MemberFactory(organization=cell, full_name=name, official=True, by=by)


@pytest.fixture
def people(cell_a1, cell_a2, staff_user):
    names = {
        "an": ("Nguyễn Văn An", cell_a1),
        "binh": ("Trần Thị Bình", cell_a1),
        "cuong": ("Lê Văn Cường", cell_a1),
        "dung": ("Phạm Văn Dũng", cell_a1),
        "ha": ("Võ Thị Hà", cell_a1),
        "khoa": ("Đặng Văn Khoa", cell_a1),
        "lan": ("Bùi Thị Lan", cell_a1),
        "minh": ("Hoàng Văn Minh", cell_a2),
        "nga": ("Đỗ Thị Nga", cell_a2),
        "phuc": ("Ngô Văn Phúc", cell_a2),
    }
    found = {key: _member(cell, name, staff_user) for key, (name, cell) in names.items()}
    for key in ("ha", "khoa"):
        member_services.exempt(
            member=found[key], on=D(2025, 1, 10), ground=Movement.ExemptionGround.AGE_HEALTH, by=staff_user
        )
    member_services.send_temporary(member=found["lan"], on=D(2025, 2, 1), to=cell_a2, by=staff_user)
    member_services.transfer(member=found["phuc"], to=cell_a1, on=D(2025, 3, 15), by=staff_user)
    term = committees.create_term(
        organization=cell_a1, label="2022–2025", starts_on=D(2022, 9, 1), ends_on=D(2025, 9, 1), by=staff_user
    )
    committees.appoint(
        term=term,
        member=found["an"],
        position="bi_thu",
        starts_on=D(2024, 3, 20),
        by=staff_user,
    )
    return {key: Member.objects.get(pk=member.pk) for key, member in found.items()}


def mark(meeting, by, **statuses):
    """Mark members of ``people`` by key: ``dung=A``, ``cuong=(E, "Công tác")``."""
    marks = []
    for member_id, value in statuses.items():
        status, reason = value if isinstance(value, tuple) else (value, "")
        marks.append(Mark(member_id, status, reason))
    return services.record_attendance(meeting=meeting, marks=marks, by=by)


@pytest.fixture
def quarter(people, cell_a1, cell_a2, staff_user):
    """The three meetings of the first quarter of 2025, marked as the module docstring says."""
    p = people
    first = services.record_meeting(
        organization=cell_a1,
        held_on=D(2025, 3, 10),
        kind=Meeting.Kind.REGULAR,
        topic="Tháng 3",
        by=staff_user,
    )
    services.record_attendance(
        meeting=first,
        marks=[
            Mark(p["cuong"].pk, E, "Đi công tác"),
            Mark(p["dung"].pk, A),
            Mark(p["khoa"].pk, A),
        ],
        by=staff_user,
    )
    second = services.record_meeting(
        organization=cell_a2, held_on=D(2025, 3, 10), kind=Meeting.Kind.REGULAR, by=staff_user
    )
    joint = services.record_meeting(
        organization=cell_a1,
        held_on=D(2025, 3, 20),
        kind=Meeting.Kind.COMBINED,
        joint_with=[cell_a2],
        topic="Chuyên đề học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        by=staff_user,
    )
    services.record_attendance(
        meeting=joint,
        marks=[
            Mark(p["binh"].pk, A),
            Mark(p["ha"].pk, A),
            Mark(p["khoa"].pk, A),
            Mark(p["nga"].pk, E, "Ốm"),
        ],
        by=staff_user,
    )
    return {"first": first, "second": second, "joint": joint}
