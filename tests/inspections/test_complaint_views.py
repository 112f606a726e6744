"""The letters' pages: the inspector records a letter, corrects it, opens a case from it and ends its
handling (settled, forwarded, filed) through the views; the services' refusals come back onto the
form's fields, an anonymous letter's among them; every opening of a letter's page is logged; the list
filters as the figures' drill-down asks and marks an open letter past its deadline; nobody else finds a
letter (404) or the list (403), an inspector of another subtree neither."""

import datetime

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from blocportal import clock
from blocportal.models import Role
from inspections.models import Case, Complaint, ReadLog
from inspections.services import cases as case_services
from inspections.services import complaints as services
from tests.factories import UserFactory, assign

pytestmark = pytest.mark.django_db

D = datetime.date


def _errors(response) -> dict[str, list[str]]:
    return {field: list(errors) for field, errors in response.context["form"].errors.items()}


def _messages(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


@pytest.fixture
def letter(org_a, official_member, inspector):
    """A denunciation received by đảng bộ A on 10/03/2025, from a named sender, about Trần Văn Chính."""
    return services.receive_complaint(
        organization=org_a,
        kind=Complaint.Kind.DENUNCIATION,
        received_on=D(2025, 3, 10),
        sender="Nguyễn Thị Tố",
        sender_address="Tổ 3, phường Hội Phú",
        subject_member=official_member,
        summary="Tố cáo đồng chí Chính vi phạm quy định về kê khai tài sản.",
        by=inspector,
    )


@pytest.fixture
def anonymous_letter(org_a, official_member, inspector):
    return services.receive_complaint(
        organization=org_a,
        kind=Complaint.Kind.DENUNCIATION,
        received_on=D(2025, 4, 2),
        anonymous=True,
        subject_member=official_member,
        summary="Đơn không ký tên phản ánh đồng chí Chính nhận quà biếu.",
        by=inspector,
    )


@pytest.fixture
def logged_in(client, inspector):
    client.force_login(inspector)
    return client


RECEIVED = {
    "kind": Complaint.Kind.DENUNCIATION,
    "received_on": "10/03/2025",
    "sender": "Nguyễn Thị Tố",
    "sender_address": "Tổ 3, phường Hội Phú",
    "summary": "Tố cáo đồng chí Chính vi phạm quy định về kê khai tài sản.",
}


# Recording and correcting ---------------------------------------------------------------------------


def test_the_inspector_records_a_letter_about_a_member_with_the_deadline_of_its_level(
    logged_in, org_a, official_member, inspector
):
    response = logged_in.post(
        reverse("inspections:complaint_create"),
        {**RECEIVED, "organization": org_a.pk, "subject_member": official_member.pk},
    )

    letter = Complaint.objects.get()
    assert response.status_code == 302 and response.url == letter.get_absolute_url()
    assert (letter.organization, letter.subject_member, letter.sender, letter.recorded_by) == (
        org_a,
        official_member,
        "Nguyễn Thị Tố",
        inspector,
    )
    # Received by a đảng bộ cơ sở: 60 days (rule complaint.handling_days).
    assert letter.due_on == D(2025, 5, 9)
    assert letter.status == Complaint.Status.RECEIVED


def test_a_letter_received_by_a_chi_bo_has_thirty_days(logged_in, cell_a1, official_member):
    logged_in.post(
        reverse("inspections:complaint_create"),
        {**RECEIVED, "organization": cell_a1.pk, "subject_member": official_member.pk},
    )

    assert Complaint.objects.get().due_on == D(2025, 4, 9)


def test_an_anonymous_letter_with_a_sender_is_refused_on_the_sender(logged_in, org_a, official_member):
    response = logged_in.post(
        reverse("inspections:complaint_create"),
        {**RECEIVED, "organization": org_a.pk, "subject_member": official_member.pk, "anonymous": "on"},
    )

    assert response.status_code == 200
    assert _errors(response) == {"sender": [_("An anonymous letter has no sender.")]}
    assert not Complaint.objects.exists()


def test_a_denunciation_names_whom_it_accuses(logged_in, org_a):
    response = logged_in.post(reverse("inspections:complaint_create"), {**RECEIVED, "organization": org_a.pk})

    assert _errors(response) == {
        "subject_member": [_("A denunciation names the member or organization it accuses.")]
    }
    assert not Complaint.objects.exists()


def test_a_letter_about_someone_outside_the_receiving_organization_is_refused(logged_in, org_a, member_of_b):
    response = logged_in.post(
        reverse("inspections:complaint_create"),
        {**RECEIVED, "organization": org_a.pk, "subject_member": member_of_b.pk},
    )

    assert list(_errors(response)) == ["subject_member"]
    assert not Complaint.objects.exists()


def test_correcting_the_receipt_date_moves_the_deadline_and_keeps_the_history(logged_in, letter, inspector):
    data = {
        **RECEIVED,
        "received_on": "20/03/2025",
        "subject_member": letter.subject_member_id,
    }

    response = logged_in.post(reverse("inspections:complaint_update", args=[letter.pk]), data)

    assert response.status_code == 302 and response.url == letter.get_absolute_url()
    letter.refresh_from_db()
    assert (letter.received_on, letter.due_on) == (D(2025, 3, 20), D(2025, 5, 19))
    assert letter.history.count() == 2
    page = logged_in.get(letter.get_absolute_url()).content.decode()
    assert 'data-due="2025-05-19"' in page


def test_a_form_sent_back_unchanged_saves_nothing(logged_in, letter):
    response = logged_in.post(
        reverse("inspections:complaint_update", args=[letter.pk]),
        {**RECEIVED, "subject_member": letter.subject_member_id},
    )

    assert response.status_code == 302
    assert letter.history.count() == 1


# Opening a case from the letter --------------------------------------------------------------------

OPENING = {
    "body": "uy_ban_kiem_tra",
    "kind": Case.Kind.DENUNCIATION,
    "decision_no": "05-QĐ/UBKTĐU",
    "opened_on": "20/03/2025",
    "due_on": "20/05/2025",
}


def test_the_open_case_page_presets_the_letters_subject(logged_in, letter):
    response = logged_in.get(reverse("inspections:complaint_open_case", args=[letter.pk]))

    form = response.context["form"]
    assert form["target_member"].value() == letter.subject_member_id
    assert form["organization"].value() == letter.organization_id
    assert form["kind"].value() == Case.Kind.DENUNCIATION


def test_a_case_opened_from_the_letter_is_on_its_subject_and_handles_it(
    logged_in, letter, org_a, official_member
):
    response = logged_in.post(
        reverse("inspections:complaint_open_case", args=[letter.pk]), {**OPENING, "organization": org_a.pk}
    )

    case = Case.objects.get()
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert (case.organization, case.kind, case.target_member, case.due_on) == (
        org_a,
        Case.Kind.DENUNCIATION,
        official_member,
        D(2025, 5, 20),
    )
    letter.refresh_from_db()
    assert (letter.case, letter.status) == (case, Complaint.Status.IN_PROGRESS)
    page = logged_in.get(letter.get_absolute_url()).content.decode()
    assert f'data-case="{case.pk}"' in page


def test_an_anonymous_letter_leads_only_to_an_inspection_on_signs_of_violation(
    logged_in, anonymous_letter, org_a
):
    url = reverse("inspections:complaint_open_case", args=[anonymous_letter.pk])

    response = logged_in.post(url, {**OPENING, "organization": org_a.pk})

    message = _(
        "An anonymous letter can only lead to an inspection on signs of violation (296-QĐ/TW Điều 19)."
    )
    assert response.status_code == 200
    assert _errors(response) == {"kind": [message]}
    assert message in response.content.decode()
    assert not Case.objects.exists()
    anonymous_letter.refresh_from_db()
    assert (anonymous_letter.case, anonymous_letter.status) == (None, Complaint.Status.RECEIVED)

    response = logged_in.post(
        url, {**OPENING, "organization": org_a.pk, "kind": Case.Kind.SIGNS_OF_VIOLATION}
    )

    assert response.status_code == 302
    assert Case.objects.get().kind == Case.Kind.SIGNS_OF_VIOLATION


def test_an_anonymous_letter_presets_an_inspection_on_signs_of_violation(logged_in, anonymous_letter):
    response = logged_in.get(reverse("inspections:complaint_open_case", args=[anonymous_letter.pk]))

    assert response.context["form"]["kind"].value() == Case.Kind.SIGNS_OF_VIOLATION


def _open_case(letter, organization, by) -> Case:
    return case_services.open_case(
        organization=organization,
        body="uy_ban_kiem_tra",
        kind=Case.Kind.DENUNCIATION,
        decision_no="05-QĐ/UBKTĐU",
        opened_on=D(2025, 3, 20),
        complaint=letter,
        by=by,
    )


def test_a_letter_already_handled_by_a_case_opens_no_other(logged_in, letter, org_a, inspector):
    _open_case(letter, org_a, inspector)

    response = logged_in.get(reverse("inspections:complaint_open_case", args=[letter.pk]), follow=True)

    assert response.redirect_chain == [(letter.get_absolute_url(), 302)]
    assert _messages(response)
    assert Case.objects.count() == 1


# Ending the handling -------------------------------------------------------------------------------


def _close(client, letter, **data):
    return client.post(reverse("inspections:complaint_close", args=[letter.pk]), data)


def test_a_letter_is_settled_with_its_result(logged_in, letter):
    response = _close(logged_in, letter, action="resolve", resolved_on="02/05/2025", result="Không có cơ sở.")

    assert response.status_code == 302 and response.url == letter.get_absolute_url()
    letter.refresh_from_db()
    assert (letter.status, letter.resolved_on, letter.result) == (
        Complaint.Status.RESOLVED,
        D(2025, 5, 2),
        "Không có cơ sở.",
    )


def test_a_letter_is_forwarded_to_a_named_body(logged_in, letter):
    response = _close(
        logged_in, letter, action="forward", resolved_on="15/03/2025", forwarded_to="Ủy ban Kiểm tra Tỉnh ủy"
    )

    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.status, letter.jurisdiction, letter.forwarded_to) == (
        Complaint.Status.FORWARDED,
        Complaint.Jurisdiction.FORWARDED,
        "Ủy ban Kiểm tra Tỉnh ủy",
    )


def test_forwarding_names_the_body(logged_in, letter):
    response = _close(logged_in, letter, action="forward", resolved_on="15/03/2025")

    assert _errors(response) == {"forwarded_to": [_("Name the body the letter is forwarded to.")]}
    letter.refresh_from_db()
    assert letter.status == Complaint.Status.RECEIVED


def test_a_letter_is_filed_without_handling_only_with_the_reason(logged_in, anonymous_letter):
    response = _close(logged_in, anonymous_letter, action="file", resolved_on="10/04/2025")

    assert _errors(response) == {"result": [_("Give the reason the letter is filed without handling.")]}

    response = _close(
        logged_in,
        anonymous_letter,
        action="file",
        resolved_on="10/04/2025",
        result="Đơn nặc danh, không có nội dung cụ thể.",
    )

    assert response.status_code == 302
    anonymous_letter.refresh_from_db()
    assert (anonymous_letter.status, anonymous_letter.resolved_on) == (Complaint.Status.FILED, D(2025, 4, 10))


def test_a_letter_whose_case_is_open_is_not_settled_yet(logged_in, letter, org_a, inspector):
    _open_case(letter, org_a, inspector)

    response = _close(logged_in, letter, action="resolve", resolved_on="02/05/2025", result="Đã kết luận.")

    assert response.context["form"].non_field_errors() == [
        _("The case opened for this letter is not concluded yet.")
    ]
    # A letter handled by a case is only settled: neither forwarded nor filed.
    assert [value for value, _label in response.context["form"].fields["action"].choices] == ["resolve"]
    letter.refresh_from_db()
    assert letter.status == Complaint.Status.IN_PROGRESS


def test_a_closed_letter_has_no_close_page(logged_in, letter):
    _close(logged_in, letter, action="resolve", resolved_on="02/05/2025", result="Không có cơ sở.")

    response = logged_in.get(reverse("inspections:complaint_close", args=[letter.pk]))

    assert response.status_code == 302 and response.url == letter.get_absolute_url()


# The page and its log ------------------------------------------------------------------------------


def test_opening_a_letters_page_writes_one_read_log_row(logged_in, letter, inspector):
    url = letter.get_absolute_url()

    response = logged_in.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nguyễn Thị Tố" in page and f'data-subject-member="{letter.subject_member_id}"' in page
    row = ReadLog.objects.get()
    assert (row.user, row.what, row.object_id, row.path) == (inspector, "complaint", letter.pk, url)


def test_the_list_writes_no_read_and_each_change_page_one(logged_in, letter):
    logged_in.get(reverse("inspections:complaints"))
    assert not ReadLog.objects.exists()

    # The change pages show the letter (their forms are filled with it): each opening is a read.
    for name in ("inspections:complaint_update", "inspections:complaint_close"):
        logged_in.get(reverse(name, args=[letter.pk]))
    assert list(ReadLog.objects.order_by("pk").values_list("what", "object_id")) == [
        ("complaint", letter.pk),
        ("complaint", letter.pk),
    ]


def test_an_open_letter_past_its_deadline_is_marked_overdue(logged_in, letter):
    today = clock.today()
    page = logged_in.get(letter.get_absolute_url()).content.decode()
    assert "data-overdue" in page
    assert response_days(page) == (today - letter.due_on).days

    listing = logged_in.get(reverse("inspections:complaints")).content.decode()
    assert listing.count("data-overdue") == 1


def response_days(page: str) -> int:
    """The number of days the overdue badge of the page says (written the Vietnamese way: 1.026)."""
    import re

    badge = re.search(r"data-overdue>(.*?)</span>", page, re.S).group(1)
    return int(re.search(r"\d[\d.]*", badge).group(0).replace(".", ""))


# The list's filters --------------------------------------------------------------------------------


@pytest.fixture
def letters(letter, anonymous_letter, cell_a1, org_b, member_of_b, inspector):
    """Besides the two letters of đảng bộ A: one of chi bộ B received 01/06/2025 and settled 20/06/2025,
    and one of chi bộ A1 received 01/09/2025, filed 05/09/2025."""
    of_b = services.receive_complaint(
        organization=org_b,
        kind=Complaint.Kind.REPORT,
        received_on=D(2025, 6, 1),
        sender="Trần Văn Phản",
        subject_member=member_of_b,
        summary="Phản ánh việc sinh hoạt chi bộ không đều.",
        by=inspector,
    )
    services.resolve_complaint(complaint=of_b, on=D(2025, 6, 20), result="Đã chấn chỉnh.", by=inspector)
    of_a1 = services.receive_complaint(
        organization=cell_a1,
        kind=Complaint.Kind.COMPLAINT,
        received_on=D(2025, 9, 1),
        sender="Lê Thị Khiếu",
        summary="Khiếu nại về kết quả xếp loại.",
        by=inspector,
    )
    services.file_complaint(
        complaint=of_a1, on=D(2025, 9, 5), result="Trùng đơn đã giải quyết.", by=inspector
    )
    return {"a": letter, "anonymous": anonymous_letter, "b": of_b, "a1": of_a1}


def _listed(client, **query) -> set[int]:
    response = client.get(reverse("inspections:complaints"), query)
    assert response.status_code == 200
    return {record.pk for record in response.context["table"].page.object_list.data}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"a", "anonymous", "b", "a1"}),
        ({"kind": "to_cao"}, {"a", "anonymous"}),
        ({"status": "da_giai_quyet"}, {"b"}),
        ({"q": "Trần Văn Phản"}, {"b"}),
        ({"q": "phản ánh"}, {"anonymous", "b"}),
        ({"q": "dong chi chinh"}, set()),
        ({"q": "tran van chinh"}, {"a", "anonymous"}),
        ({"received_from": "2025-04-01", "received_to": "30/06/2025"}, {"anonymous", "b"}),
        ({"resolved_from": "2025-06-01", "resolved_to": "2025-06-30"}, {"b"}),
        # Received by 30/06 and not closed by then: A's two letters (B's was settled 20/06).
        ({"pending_on": "2025-06-30"}, {"a", "anonymous"}),
        ({"pending_on": "2025-06-15"}, {"a", "anonymous", "b"}),
        ({"pending_on": "2025-09-03"}, {"a", "anonymous", "a1"}),
        # Pending on 10/05 and past the deadline then: the letter of 10/03 (due 09/05), not that of 02/04.
        ({"overdue_on": "2025-05-10"}, {"a"}),
        ({"overdue_on": "2025-05-09"}, set()),
    ],
)
def test_the_list_filters_as_the_figures_count(logged_in, letters, query, expected):
    assert _listed(logged_in, **query) == {letters[key].pk for key in expected}


def test_within_keeps_the_letters_received_in_a_subtree_and_shows_a_chip(logged_in, letters, org_a):
    response = logged_in.get(reverse("inspections:complaints"), {"within": org_a.pk})

    assert {record.pk for record in response.context["table"].page.object_list.data} == {
        letters[key].pk for key in ("a", "anonymous", "a1")
    }
    assert "data-filter-chip" in response.content.decode() and org_a.name in response.content.decode()


def test_the_list_costs_the_same_for_many_letters(client, inspector, org_a, cell_a1, official_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def receive(count: int) -> None:
        for day in range(1, count + 1):
            services.receive_complaint(
                organization=cell_a1 if day % 2 else org_a,
                kind=Complaint.Kind.DENUNCIATION,
                received_on=D(2025, 5, day),
                sender=f"Người gửi {day}",
                subject_member=official_member,
                summary="Nội dung",
                by=inspector,
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("inspections:complaints")).status_code == 200
        return len(captured)

    client.force_login(inspector)
    receive(2)
    few = queries()
    receive(30)

    assert queries() == few <= 8


# Who finds the letters -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["staff", "leader", "secretary_a", "secretary_b"])
def test_nobody_but_the_inspector_finds_a_letter(client, personas, persona, letter):
    client.force_login(personas[persona])

    assert client.get(letter.get_absolute_url()).status_code == 404
    assert client.get(reverse("inspections:complaint_close", args=[letter.pk])).status_code == 404
    assert client.get(reverse("inspections:complaints")).status_code == 403
    assert client.get(reverse("inspections:complaint_create")).status_code == 403
    assert not ReadLog.objects.exists()


def test_an_inspector_of_another_subtree_does_not_find_the_letter(client, org_b, letter):
    other = UserFactory()
    assign(other, Role.INSPECTOR, org_b)
    client.force_login(other)

    assert client.get(letter.get_absolute_url()).status_code == 404
    assert client.get(reverse("inspections:complaint_update", args=[letter.pk])).status_code == 404
    assert client.get(reverse("inspections:complaint_open_case", args=[letter.pk])).status_code == 404
    assert letter.pk not in _listed(client)
    assert not ReadLog.objects.exists()


def test_an_inspector_of_another_subtree_cannot_record_a_letter_there(client, org_a, org_b, official_member):
    other = UserFactory()
    assign(other, Role.INSPECTOR, org_b)
    client.force_login(other)

    response = client.post(
        reverse("inspections:complaint_create"),
        {**RECEIVED, "organization": org_a.pk, "subject_member": official_member.pk},
    )

    assert set(_errors(response)) >= {"organization", "subject_member"}
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("count", [2, 12])
def test_the_letter_list_costs_the_same_for_many_letters(
    logged_in, org_a, official_member, inspector, count, django_assert_max_num_queries
):
    for number in range(count):
        services.receive_complaint(
            organization=org_a,
            kind=Complaint.Kind.DENUNCIATION,
            received_on=D(2025, 3, 1) + datetime.timedelta(days=number),
            summary=f"Đơn số {number}",
            sender=f"Người gửi {number}",
            subject_member=official_member,
            by=inspector,
        )
    # The session and the user, the user's assignments, the count, the page's letters with their
    # organizations and subjects (joined), the grassroots names of the subjects' chi bộ (one query).
    with django_assert_max_num_queries(6):
        response = logged_in.get(reverse("inspections:complaints"))
    assert len(response.context["table"].page.object_list) == count
