"""The meetings' pages: a secretary records a meeting and marks its sheet on the portal, the other
chi bộ's secretary does not find it, the inspector may not open it, a closed month is the staff's,
and the pages cost the same however many members there are."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import services
from meetings.models import Attendance, Meeting, Sheet
from organizations.models import Organization
from tests.factories import MemberFactory, OrganizationFactory

from .conftest import A, D, E, P

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def sheet_data(meeting, marks=None) -> dict:
    """The sheet's form: every row as stored, with ``marks`` ({member: status or (status, reason)})."""
    data = {}
    for row in Attendance.objects.filter(meeting=meeting):
        data[f"status_{row.member_id}"] = row.status
        data[f"reason_{row.member_id}"] = row.reason
    for member, value in (marks or {}).items():
        status, reason = value if isinstance(value, tuple) else (value, "")
        data[f"status_{member.pk}"] = status
        data[f"reason_{member.pk}"] = reason
    return data


def _errors(response) -> str:
    form = response.context["form"]
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _messages(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


APRIL = {
    "body": Meeting.Body.MEMBERS,
    "held_on": "10/04/2025",
    "kind": Meeting.Kind.REGULAR,
    "place": "Phòng họp tầng 2",
    "topic": "Sinh hoạt tháng 4",
}


@pytest.fixture
def april(people, cell_a1, staff_user):
    """The meeting of A1 on 10/04/2025, everyone marked present."""
    return services.record_meeting(
        organization=cell_a1, held_on=D(2025, 4, 10), kind=Meeting.Kind.REGULAR, by=staff_user
    )


# Recording a meeting through the pages -----------------------------------------------------------


def test_a_secretary_records_a_meeting_then_marks_its_sheet(client, secretary_a, people, cell_a1):
    p = people
    _login(client, secretary_a)

    response = client.post(reverse("meetings:create"), {**APRIL, "organization": cell_a1.pk})

    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == reverse("meetings:sheet", args=[meeting.pk])
    assert (meeting.organization, meeting.held_on, meeting.recorded_by) == (
        cell_a1,
        D(2025, 4, 10),
        secretary_a,
    )

    body = client.get(response.url).content.decode()
    # One radio group per member listed (A1 on 10/04: An, Bình, Cường, Dũng, Hà, Khoa, Lan, Phúc),
    # the stored mark (present) chosen, every radio with its label.
    assert body.count('value="co_mat"') == body.count('value="vang_khong_ly_do"') == 8
    assert body.count("checked") == 8
    assert f'<input type="radio" name="status_{p["dung"].pk}" value="vang_khong_ly_do"' in body
    assert f'for="id_status_{p["dung"].pk}_2"' in body

    marks = {p["cuong"]: (E, "Đi công tác"), p["dung"]: A, p["ha"]: A, p["khoa"]: A}
    response = client.post(
        reverse("meetings:sheet", args=[meeting.pk]), sheet_data(meeting, marks), follow=True
    )

    assert response.redirect_chain == [(meeting.get_absolute_url(), 302)]
    sheet = Sheet.objects.get(meeting=meeting)
    # Counted (§4): An, Bình, Cường, Dũng, Phúc (Hà and Khoa exempted and absent, Lan away).
    assert (sheet.expected, sheet.present, sheet.excused, sheet.absent) == (5, 3, 1, 1)
    assert Attendance.objects.get(meeting=meeting, member=p["cuong"]).reason == "Đi công tác"
    assert _messages(response)
    page = response.content.decode()
    assert 'data-total="expected">5<' in page and 'data-total="present">3<' in page
    assert 'data-total="rate">60,0%<' in page
    assert page.count("data-mark-change") == 4  # Cường, Dũng, Hà and Khoa, by the secretary


def test_the_history_shows_a_staff_member_who_marked_on_the_secretarys_behalf(
    client, staff_user, april, people
):
    staff_user.first_name, staff_user.last_name = "Lê Thị", "Văn Phòng"
    staff_user.save()
    _login(client, staff_user)

    client.post(reverse("meetings:sheet", args=[april.pk]), sheet_data(april, {people["binh"]: A}))

    page = client.get(april.get_absolute_url()).content.decode()
    change = page[page.index("data-mark-change") :].split("</tr>")[0]
    assert "Lê Thị Văn Phòng" in change and "Trần Thị Bình" in change


def test_an_excused_absence_without_a_reason_is_refused_and_nothing_changes(
    client, secretary_a, april, people
):
    _login(client, secretary_a)

    response = client.post(
        reverse("meetings:sheet", args=[april.pk]), sheet_data(april, {people["cuong"]: E, people["dung"]: A})
    )

    assert response.status_code == 200
    assert "Lê Văn Cường" in _errors(response)
    assert set(Attendance.objects.filter(meeting=april).values_list("status", flat=True)) == {P}
    assert Sheet.objects.get(meeting=april).present == 7  # everyone, the exempted who attend included


def test_a_refusal_of_the_service_comes_back_on_the_form(client, secretary_a, people, cell_a1):
    _login(client, secretary_a)

    before = client.post(
        reverse("meetings:create"), {**APRIL, "organization": cell_a1.pk, "held_on": "10/04/2009"}
    )
    future = client.post(
        reverse("meetings:create"), {**APRIL, "organization": cell_a1.pk, "held_on": "10/04/2999"}
    )

    assert before.status_code == future.status_code == 200
    assert "01/01/2015" in str(before.context["form"].errors["organization"])  # established then
    assert "10/04/2999" in str(future.context["form"].errors["held_on"])
    assert not Meeting.objects.exists()


def test_the_create_form_preselects_the_organization_and_offers_its_members_as_chair(
    client, secretary_a, people, cell_a1
):
    _login(client, secretary_a)

    response = client.get(reverse("meetings:create"), {"organization": cell_a1.pk})

    form = response.context["form"]
    assert form["organization"].value() == cell_a1.pk
    offered = set(form.fields["chair"].queryset.values_list("full_name", flat=True))
    assert "Nguyễn Văn An" in offered and "Ngô Văn Phúc" in offered
    assert "Bùi Thị Lan" not in offered  # in temporary activity elsewhere


def test_a_party_group_meeting_lists_the_members_ticked(client, secretary_a, people, cell_a1, system_user):
    group = OrganizationFactory(
        code="A1-T1", name="Tổ đảng số 1", kind=Organization.Kind.GROUP, parent=cell_a1, by=system_user
    )
    _login(client, secretary_a)

    fields = client.get(
        reverse("meetings:create"), {"organization": group.pk}, headers={"HX-Request": "true"}
    )
    assert 'id="group-members"' in fields.content.decode()
    assert [t.name for t in fields.templates][0] == "meetings/_organization_fields.html"

    response = client.post(
        reverse("meetings:create"),
        {
            **APRIL,
            "organization": group.pk,
            "kind": Meeting.Kind.GROUP,
            "group_members": [people["an"].pk, people["binh"].pk],
        },
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    names = set(Attendance.objects.filter(meeting=meeting).values_list("member__full_name", flat=True))
    assert names == {"Nguyễn Văn An", "Trần Thị Bình"}


def test_a_joint_meeting_recorded_on_the_page_has_a_list_per_cell(
    client, secretary_a, people, cell_a1, cell_a2
):
    _login(client, secretary_a)

    response = client.post(
        reverse("meetings:create"),
        {**APRIL, "organization": cell_a1.pk, "kind": Meeting.Kind.COMBINED, "joint_with": [cell_a2.pk]},
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert set(meeting.sheets.values_list("organization__code", flat=True)) == {"A1", "A2"}
    sheet_page = client.get(response.url).content.decode()
    assert sheet_page.count("data-sheet=") == 2


def test_the_minutes_file_is_checked_by_its_content_and_kept_for_those_who_read(
    client, secretary_a, secretary_b, people, cell_a1, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _login(client, secretary_a)
    url = reverse("meetings:create")

    refused = client.post(
        url,
        {
            **APRIL,
            "organization": cell_a1.pk,
            "minutes_file": SimpleUploadedFile("bien-ban.pdf", b"not a pdf"),
        },
    )
    assert "minutes_file" in refused.context["form"].errors and not Meeting.objects.exists()

    client.post(
        url,
        {
            **APRIL,
            "organization": cell_a1.pk,
            "minutes_file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 x"),
        },
    )
    meeting = Meeting.objects.get()
    download = client.get(reverse("meetings:minutes_file", args=[meeting.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 x"
    assert download["Content-Type"] == "application/pdf"
    _login(client, secretary_b)
    assert client.get(reverse("meetings:minutes_file", args=[meeting.pk])).status_code == 404


def test_the_details_are_corrected_and_the_chair_chosen_afterwards(client, secretary_a, april, people):
    _login(client, secretary_a)

    response = client.post(
        reverse("meetings:edit", args=[april.pk]),
        {
            "kind": Meeting.Kind.COMBINED,
            "topic": "Chuyên đề quý II",
            "chair": people["an"].pk,
            "recorder": people["binh"].pk,
            "conclusions": "Chi bộ thống nhất.",
        },
    )

    assert response.status_code == 302
    april.refresh_from_db()
    assert (april.kind, april.chair, april.recorder) == (Meeting.Kind.COMBINED, people["an"], people["binh"])
    assert Sheet.objects.get(meeting=april).kind == Meeting.Kind.COMBINED


def test_a_meeting_is_deleted_after_its_confirmation(client, secretary_a, april):
    _login(client, secretary_a)

    assert client.get(reverse("meetings:delete", args=[april.pk])).status_code == 200
    assert Meeting.objects.filter(pk=april.pk).exists()

    response = client.post(reverse("meetings:delete", args=[april.pk]))

    assert response.status_code == 302 and response.url == reverse("meetings:list")
    assert not Meeting.objects.filter(pk=april.pk).exists()


# Who sees what -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["detail", "sheet", "edit", "delete", "print_sheet", "print_minutes"])
def test_the_secretary_of_another_cell_gets_404(client, secretary_b, april, name):
    _login(client, secretary_b)
    assert client.get(reverse(f"meetings:{name}", args=[april.pk])).status_code == 404
    assert client.post(reverse("meetings:sheet", args=[april.pk]), sheet_data(april)).status_code == 404


@pytest.mark.parametrize("name", ["detail", "sheet", "print_minutes"])
def test_the_inspector_gets_403(client, inspector_user, april, name):
    _login(client, inspector_user)
    assert client.get(reverse(f"meetings:{name}", args=[april.pk])).status_code == 403
    assert client.get(reverse("meetings:list")).status_code == 403


def test_the_other_secretary_does_not_find_the_meeting_in_the_list(client, secretary_b, secretary_a, april):
    _login(client, secretary_b)
    assert list(client.get(reverse("meetings:list")).context["table"].page.object_list) == []
    _login(client, secretary_a)
    assert [row.record for row in client.get(reverse("meetings:list")).context["table"].page.object_list] == [
        april
    ]


def test_a_leader_reads_but_is_offered_no_change(client, leader_user, april):
    _login(client, leader_user)
    page = client.get(april.get_absolute_url()).content.decode()
    assert 'data-action="print-minutes"' in page
    assert 'data-action="sheet"' not in page and 'data-action="delete"' not in page
    assert client.get(reverse("meetings:sheet", args=[april.pk])).status_code == 403


# A closed month ----------------------------------------------------------------------------------


def test_a_closed_month_refuses_a_secretary_with_the_message_and_lets_staff_correct(
    client, secretary_a, staff_user, quarter, people
):
    first = quarter["first"]
    _login(client, staff_user)
    response = client.post(reverse("meetings:months"), {"month": "2025-03", "action": "close"})
    assert response.status_code == 302

    _login(client, secretary_a)
    detail = client.get(first.get_absolute_url()).content.decode()
    assert 'id="month-closed"' in detail and 'data-action="sheet"' not in detail
    warned = client.get(reverse("meetings:sheet", args=[first.pk])).content.decode()
    assert "03/2025" in warned.split('id="month-closed"')[1].split("</div>")[0]
    response = client.post(reverse("meetings:sheet", args=[first.pk]), sheet_data(first, {people["binh"]: A}))
    assert response.status_code == 200
    assert "03/2025" in _errors(response)
    response = client.post(reverse("meetings:edit", args=[first.pk]), {"kind": first.kind, "topic": "Sửa"})
    assert response.status_code == 200 and "03/2025" in _errors(response)
    response = client.post(reverse("meetings:delete", args=[first.pk]), follow=True)
    assert "03/2025" in _messages(response) and Meeting.objects.filter(pk=first.pk).exists()
    assert Sheet.objects.get(meeting=first, organization=first.organization).present == 3

    _login(client, staff_user)
    assert 'id="month-closed"' not in client.get(reverse("meetings:sheet", args=[first.pk])).content.decode()
    response = client.post(reverse("meetings:sheet", args=[first.pk]), sheet_data(first, {people["binh"]: A}))
    assert response.status_code == 302
    assert Sheet.objects.get(meeting=first, organization=first.organization).present == 2


@pytest.mark.clock  # the months shown and the default quarter are today's
def test_staff_close_and_reopen_a_month(client, staff_user):
    _login(client, staff_user)

    client.post(reverse("meetings:months"), {"month": "2025-03", "action": "close"})
    page = client.get(reverse("meetings:months")).content.decode()
    assert 'data-month="2025-03" data-closed' in page

    client.post(reverse("meetings:months"), {"month": "2025-03", "action": "reopen"})
    assert not services.months.is_closed(D(2025, 3, 1))

    response = client.post(reverse("meetings:months"), {"month": "2999-01", "action": "close"})
    assert response.status_code == 200 and not services.months.is_closed(D(2999, 1, 1))


# The printables ----------------------------------------------------------------------------------


def test_the_minutes_start_with_the_attendance_by_name_and_the_recorder_signs_on_the_left(
    client, secretary_a, staff_user, quarter, people
):
    first = quarter["first"]
    services.correct_meeting(meeting=first, chair=people["an"], recorder=people["binh"], by=staff_user)
    _login(client, secretary_a)

    page = client.get(reverse("meetings:print_minutes", args=[first.pk])).content.decode()

    # 10/3/2025, A1: listed 7, counted 5, present 3 (An, Bình, Hà), Cường excused, Dũng absent.
    for figure, value in {"listed": 7, "expected": 5, "present": 3, "excused": 1, "absent": 1}.items():
        assert f'data-figure="{figure}">{value}<' in page, figure
    assert page.index("THÀNH PHẦN DỰ") < page.index("NỘI DUNG") < page.index("KẾT LUẬN")
    absences = page[page.index('id="absences"') : page.index("</ul>", page.index('id="absences"'))]
    assert "Lê Văn Cường: vắng có lý do – Đi công tác" in absences
    assert "Phạm Văn Dũng: vắng không lý do" in absences
    assert "Đặng Văn Khoa" not in absences  # exempted: not counted
    signatures = page[page.index('class="signatures"') :]
    left, right = signatures.split('class="signature-right"')
    assert "NGƯỜI GHI BIÊN BẢN" in left and "Trần Thị Bình" in left
    assert "CHỦ TRÌ HỘI NGHỊ" in right and "Nguyễn Văn An" in right
    assert "CHI BỘ PHÒNG NGÂN SÁCH" in page and "ĐẢNG BỘ SỞ TÀI CHÍNH" in page


def test_the_attendance_sheet_for_signatures_lists_each_member_once_per_list(client, leader_user, quarter):
    _login(client, leader_user)

    page = client.get(reverse("meetings:print_sheet", args=[quarter["joint"].pk])).content.decode()

    assert "<th>STT</th><th>Họ và tên</th><th>Chức vụ, cấp ủy</th><th>Ký tên</th>" in page
    assert page.count('data-sheet="A1"') == page.count('data-sheet="A2"') == 1
    assert page.count("data-member=") == 10  # A1: 7 listed; A2: Minh, Nga, Lan
    an = page[page.index("Nguyễn Văn An") :].split("</tr>")[0]
    assert "Bí thư" in an


# Compliance ----------------------------------------------------------------------------------------


def _compliance(client, **query):
    response = client.get(reverse("meetings:compliance"), query)
    assert response.status_code == 200
    return {line.row.organization.code: line for line in response.context["lines"]}


def test_the_compliance_page_counts_the_hand_counted_quarter(client, staff_user, quarter, org_a):
    _login(client, staff_user)

    lines = _compliance(client, organization=org_a.pk, period="2025-Q1")

    a1, a2, a = lines["A1"], lines["A2"], lines["A"]
    assert (a1.row.regular.held, a1.row.regular.due) == (a2.row.regular.held, a2.row.regular.due) == (1, 3)
    assert a1.missing_regular == a2.missing_regular == ["01/2025", "02/2025"]
    assert (a1.row.thematic.held, a1.row.thematic.due) == (1, 1)
    assert (a1.row.present, a1.row.expected, a1.row.attendance_percent) == (7, 10, 70.0)
    assert (a2.row.present, a2.row.expected, a2.row.attendance_percent) == (6, 7, 85.7)
    assert (a.row.regular.held, a.row.regular.due, a.row.thematic) == (0, 3, None)
    assert all(line.row.behind for line in lines.values())


def test_the_compliance_page_shows_those_behind_first_and_only_them_on_request(
    client, secretary_a, quarter, org_a
):
    _login(client, secretary_a)

    # March alone: A1 and A2 met (a quarter's thematic meeting is not due in a month); A's committee did not.
    lines = _compliance(client, organization=org_a.pk, period="2025-03")
    assert list(lines) == ["A", "A1", "A2"]
    assert [line.row.behind for line in lines.values()] == [True, False, False]
    assert list(_compliance(client, organization=org_a.pk, period="2025-03", behind=1)) == ["A"]


@pytest.mark.clock  # the months shown and the default quarter are today's
def test_the_compliance_page_opens_on_the_users_organization_and_this_quarter(client, secretary_a, org_a):
    _login(client, secretary_a)
    response = client.get(reverse("meetings:compliance"))
    assert response.context["organization"] == org_a
    assert response.context["period"].kind == "quarterly"


def test_the_compliance_page_costs_the_same_for_many_organizations(
    client, staff_user, quarter, org_a, system_user, django_assert_max_num_queries
):
    for number in range(12):
        OrganizationFactory(
            code=f"A9{number:02d}",
            name=f"Chi bộ số {number}",
            kind=Organization.Kind.SUBORDINATE_CELL,
            parent=org_a,
            by=system_user,
        )
    _login(client, staff_user)

    with django_assert_max_num_queries(7):
        lines = _compliance(client, organization=org_a.pk, period="2025-Q1")
    assert len(lines) == 15


# Lists and their cost ------------------------------------------------------------------------------


def test_the_list_filters_by_organization_month_and_the_drill_down(
    client, staff_user, quarter, cell_a2, org_a
):
    _login(client, staff_user)
    url = reverse("meetings:list")

    def listed(**query):
        return {row.record for row in client.get(url, query).context["table"].page.object_list}

    assert listed() == set(quarter.values())
    assert listed(organization=cell_a2.pk) == {quarter["second"], quarter["joint"]}  # joint counts for each
    assert listed(kind=Meeting.Kind.COMBINED) == {quarter["joint"]}
    assert listed(month="2025-02") == set()
    assert listed(held_from="15/03/2025") == {quarter["joint"]}
    assert listed(within=org_a.pk, period="2025-Q1") == set(quarter.values())
    assert listed(period="2024") == set()
    page = client.get(url, {"within": org_a.pk, "period": "2025-Q1"}).content.decode()
    assert "data-filter-chip" in page and "Đảng bộ Sở Tài chính" in page


def _many_meetings(cell, by, count):
    members = MemberFactory.create_batch(3, organization=cell, official=True, by=by)
    for day in range(1, count + 1):
        services.record_meeting(organization=cell, held_on=D(2025, 5, day), kind=Meeting.Kind.REGULAR, by=by)
    return members


def test_the_list_costs_the_same_for_many_meetings(
    client, staff_user, cell_a1, django_assert_max_num_queries
):
    _many_meetings(cell_a1, staff_user, 12)
    _login(client, staff_user)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("meetings:list"))
    assert len(response.context["table"].page.object_list) == 12


@pytest.mark.parametrize(
    ("name", "queries"), [("detail", 10), ("sheet", 8), ("print_minutes", 6), ("print_sheet", 6)]
)
def test_a_meetings_pages_cost_the_same_for_many_members(
    client, staff_user, cell_a1, django_assert_max_num_queries, name, queries
):
    MemberFactory.create_batch(25, organization=cell_a1, official=True, by=staff_user)
    meeting = services.record_meeting(
        organization=cell_a1, held_on=D(2025, 5, 6), kind=Meeting.Kind.REGULAR, by=staff_user
    )
    rows = Attendance.objects.filter(meeting=meeting)
    services.record_attendance(
        meeting=meeting,
        marks=[services.meetings.Mark(row.member_id, A) for row in rows[:10]],
        by=staff_user,
    )
    _login(client, staff_user)

    with django_assert_max_num_queries(queries):
        response = client.get(reverse(f"meetings:{name}", args=[meeting.pk]))
    assert response.status_code == 200


MEETING_PARAMETERS = ["organization", "within", "period", "month", "kind", "held_from", "held_to", "behind"]


@pytest.mark.parametrize("value", ["abc\x00def", "é" * 5000, "9" * 30, "-1", "2025-13", "2025-Q5", "0000"])
@pytest.mark.parametrize("name", ["list", "compliance", "study_list", "create", "study_create"])
def test_hostile_query_strings_never_give_a_server_error(client, staff_user, quarter, name, value):
    _login(client, staff_user)
    client.raise_request_exception = False
    response = client.get(reverse(f"meetings:{name}"), dict.fromkeys(MEETING_PARAMETERS, value))
    assert response.status_code < 500
