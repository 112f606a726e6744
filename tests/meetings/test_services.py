"""Recording meetings and study sessions: what the services refuse, with a message and without a
write, and what they keep (a closed month, the history of who did what)."""

from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from blocportal import clock
from meetings import services
from meetings.models import Attendance, ClosedMonth, Meeting, Sheet, StudySession
from meetings.services.meetings import Mark
from organizations.models import Organization
from organizations.services import dissolve_organization
from tests.factories import MemberFactory, OrganizationFactory

from .conftest import A, D, E, P

pytestmark = pytest.mark.django_db


def _rows():
    return (
        list(Meeting.objects.values()),
        list(Sheet.objects.values()),
        list(Attendance.objects.order_by("pk").values()),
        Meeting.history.count(),
        Attendance.history.count(),
        list(StudySession.objects.values()),
    )


@contextmanager
def refused(*fragments):
    """A ValidationError whose messages contain each fragment, and nothing written."""
    before = _rows()
    with pytest.raises(ValidationError) as caught:
        yield
    text = " ".join(caught.value.messages)
    for fragment in fragments:
        assert fragment in text, text
    assert _rows() == before


def test_a_meeting_in_the_future_is_refused(people, cell_a1, staff_user):
    tomorrow = clock.today().replace(year=clock.today().year + 1)
    with refused(tomorrow.strftime("%d/%m/%Y")):
        services.record_meeting(
            organization=cell_a1, held_on=tomorrow, kind=Meeting.Kind.REGULAR, by=staff_user
        )


def test_a_meeting_before_the_organization_existed_is_refused(org_b, secretary_b, staff_user):
    MemberFactory(organization=org_b, full_name="Hồ Văn Tâm", official=True, by=staff_user)
    with refused("Chi bộ Báo Gia Lai", "01/05/2010"):
        services.record_meeting(
            organization=org_b, held_on=D(2010, 4, 20), kind=Meeting.Kind.REGULAR, by=staff_user
        )


def test_a_meeting_after_the_organization_was_dissolved_is_refused(org_a, staff_user, system_user):
    cell = OrganizationFactory(
        code="A9",
        name="Chi bộ Phòng Cũ",
        kind=Organization.Kind.SUBORDINATE_CELL,
        parent=org_a,
        by=system_user,
    )
    dissolve_organization(organization=cell, on=D(2024, 6, 30), by=staff_user, decision_no="5-QĐ/ĐU")
    with refused("Chi bộ Phòng Cũ", "30/06/2024"):
        services.record_meeting(
            organization=cell, held_on=D(2024, 7, 10), kind=Meeting.Kind.REGULAR, by=staff_user
        )


def test_marking_a_member_who_was_not_in_the_chi_bo_that_day_is_refused(quarter, people, staff_user):
    first = quarter["first"]
    # Phúc joined A1 on 15/3/2025, after the meeting of 10/3.
    with refused("Ngô Văn Phúc", "10/03/2025"):
        services.record_attendance(meeting=first, marks=[Mark(people["phuc"].pk, A)], by=staff_user)


def test_the_same_member_marked_twice_is_refused(quarter, people, staff_user):
    with refused("Nguyễn Văn An"):
        services.record_attendance(
            meeting=quarter["first"],
            marks=[Mark(people["an"].pk, A), Mark(people["an"].pk, P)],
            by=staff_user,
        )


def test_an_excused_absence_needs_its_reason(quarter, people, staff_user):
    with refused("Nguyễn Văn An"):
        services.record_attendance(
            meeting=quarter["first"], marks=[Mark(people["an"].pk, E, " ")], by=staff_user
        )


def test_a_chair_who_is_not_on_the_list_is_refused(people, cell_a1, staff_user):
    with refused("Hoàng Văn Minh"):
        services.record_meeting(
            organization=cell_a1,
            held_on=D(2025, 2, 10),
            kind=Meeting.Kind.REGULAR,
            chair=people["minh"],
            by=staff_user,
        )


def test_marks_update_the_counters_and_the_history_shows_who(quarter, people, cell_a1, secretary_a):
    meeting = quarter["first"]
    services.record_attendance(meeting=meeting, marks=[Mark(people["dung"].pk, P)], by=secretary_a)
    sheet = meeting.sheets.get(organization=cell_a1)
    assert (sheet.expected, sheet.present, sheet.absent) == (5, 4, 0)
    row = Attendance.objects.get(meeting=meeting, member=people["dung"])
    assert row.history.first().history_user == secretary_a
    assert sheet.history.first().history_user == secretary_a


def test_marking_nothing_new_writes_nothing(quarter, people, staff_user):
    before = Attendance.history.count(), Sheet.history.count()
    services.record_attendance(meeting=quarter["first"], marks=[Mark(people["dung"].pk, A)], by=staff_user)
    assert (Attendance.history.count(), Sheet.history.count()) == before


def test_a_closed_month_is_corrected_only_by_staff(quarter, people, secretary_a, staff_user):
    services.close_month(month=D(2025, 3, 1), by=staff_user)
    with refused("03/2025"):
        services.record_attendance(
            meeting=quarter["first"], marks=[Mark(people["dung"].pk, P)], by=secretary_a
        )
    with refused("03/2025"):
        services.record_meeting(
            organization=quarter["first"].organization,
            held_on=D(2025, 3, 28),
            kind=Meeting.Kind.THEMATIC,
            by=secretary_a,
        )
    services.record_attendance(meeting=quarter["first"], marks=[Mark(people["dung"].pk, P)], by=staff_user)
    assert Attendance.objects.get(meeting=quarter["first"], member=people["dung"]).status == P
    services.reopen_month(month=D(2025, 3, 1), by=staff_user)
    assert not ClosedMonth.objects.exists()
    services.record_attendance(meeting=quarter["first"], marks=[Mark(people["dung"].pk, A)], by=secretary_a)


def test_a_month_not_begun_cannot_be_closed(staff_user):
    next_year = clock.today().replace(day=1, year=clock.today().year + 1)
    with pytest.raises(ValidationError):
        services.close_month(month=next_year, by=staff_user)


def test_a_committee_meeting_expects_the_committee_members(people, cell_a1, staff_user):
    meeting = services.record_meeting(
        organization=cell_a1,
        held_on=D(2025, 2, 5),
        kind=Meeting.Kind.REGULAR,
        body=Meeting.Body.COMMITTEE,
        by=staff_user,
    )
    sheet = meeting.sheets.get()
    assert [row.member.full_name for row in sheet.rows.all()] == ["Nguyễn Văn An"]
    assert (sheet.expected, sheet.committee_expected) == (1, 1)


def test_members_of_a_grassroots_committee_do_not_meet_as_one_cell(people, org_a, staff_user):
    with refused():
        services.record_meeting(
            organization=org_a, held_on=D(2025, 2, 5), kind=Meeting.Kind.REGULAR, by=staff_user
        )


def test_a_party_group_meeting_expects_the_members_chosen_from_its_chi_bo(
    people, cell_a1, staff_user, system_user
):
    group = OrganizationFactory(
        code="A1T1", name="Tổ đảng số 1", kind=Organization.Kind.GROUP, parent=cell_a1, by=system_user
    )
    with refused():
        services.record_meeting(
            organization=group, held_on=D(2025, 2, 5), kind=Meeting.Kind.GROUP, by=staff_user
        )
    with refused("Hoàng Văn Minh"):
        services.record_meeting(
            organization=group,
            held_on=D(2025, 2, 5),
            kind=Meeting.Kind.GROUP,
            group_members=[people["an"].pk, people["minh"].pk],
            by=staff_user,
        )
    meeting = services.record_meeting(
        organization=group,
        held_on=D(2025, 2, 5),
        kind=Meeting.Kind.GROUP,
        group_members=[people["an"].pk, people["binh"].pk],
        by=staff_user,
    )
    assert meeting.sheets.get().expected == 2


def test_a_correction_cannot_name_a_chair_off_the_list(quarter, people, staff_user):
    with refused("Hoàng Văn Minh"):
        services.correct_meeting(meeting=quarter["first"], chair=people["minh"], by=staff_user)
    services.correct_meeting(
        meeting=quarter["first"], chair=people["an"], recorder=people["binh"], by=staff_user
    )
    assert Meeting.objects.get(pk=quarter["first"].pk).chair == people["an"]


def test_changing_the_kind_changes_the_sheets(quarter, staff_user):
    services.correct_meeting(meeting=quarter["first"], kind=Meeting.Kind.COMBINED, by=staff_user)
    assert set(quarter["first"].sheets.values_list("kind", flat=True)) == {Meeting.Kind.COMBINED}


def test_deleting_a_meeting_removes_its_lists_and_keeps_the_history(quarter, staff_user):
    joint = quarter["joint"]
    services.delete_meeting(meeting=joint, by=staff_user)
    assert not Meeting.objects.filter(pk=joint.pk).exists()
    assert not Attendance.objects.filter(meeting_id=joint.pk).exists()
    assert Meeting.history.filter(id=joint.pk, history_type="-").get().history_user == staff_user


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("bien-ban.pdf", b"%PDF-1.7\n...", True),
        ("anh.jpg", b"\xff\xd8\xff\xe0rest", True),
        ("anh.png", b"\x89PNG\r\n\x1a\nrest", True),
        ("bien-ban.pdf", b"MZ\x90\x00 not a pdf", False),
        ("bien-ban.docx", b"PK\x03\x04 not a zip", False),
    ],
)
def test_the_minutes_file_is_checked_by_its_content(people, cell_a1, staff_user, name, content, accepted):
    upload = SimpleUploadedFile(name, content)
    kwargs = {
        "organization": cell_a1,
        "held_on": D(2025, 2, 10),
        "kind": Meeting.Kind.REGULAR,
        "by": staff_user,
    }
    if accepted:
        assert services.record_meeting(minutes_file=upload, **kwargs).minutes_file
    else:
        with refused("PDF"):
            services.record_meeting(minutes_file=upload, **kwargs)


def test_a_minutes_file_over_the_limit_is_refused(people, cell_a1, staff_user, settings):
    settings.MEETING_MINUTES_MAX_BYTES = 100
    with refused("100"):
        services.record_meeting(
            organization=cell_a1,
            held_on=D(2025, 2, 10),
            kind=Meeting.Kind.REGULAR,
            minutes_file=SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 200),
            by=staff_user,
        )


def test_a_docx_is_accepted_when_it_is_a_word_document(people, cell_a1, staff_user):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    meeting = services.record_meeting(
        organization=cell_a1,
        held_on=D(2025, 2, 10),
        kind=Meeting.Kind.REGULAR,
        minutes_file=SimpleUploadedFile("bien-ban.docx", buffer.getvalue()),
        by=staff_user,
    )
    assert meeting.minutes_file.name.endswith(".docx")


def test_study_sessions_refuse_more_present_than_expected(org_a, staff_user):
    kwargs = {
        "organization": org_a,
        "held_on": D(2025, 3, 5),
        "document_number": "57-NQ/TW",
        "document_title": "Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo",
        "by": staff_user,
    }
    with refused("31", "30"):
        services.record_study(members_expected=30, members_present=31, **kwargs)
    with refused("12", "10"):
        services.record_study(
            members_expected=30, members_present=30, non_members_invited=10, non_members_present=12, **kwargs
        )
    session = services.record_study(
        members_expected=30, members_present=30, non_members_invited=40, non_members_present=37, **kwargs
    )
    services.correct_study(session=session, members_present=29, by=staff_user)
    session.refresh_from_db()
    assert session.members_present == 29
    assert session.history.first().history_user == staff_user
