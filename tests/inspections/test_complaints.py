"""Letters (đơn thư, ``inspections.services.complaints``): received with the deadline of the receiving
level, and the case they open (``cases.open_case(complaint=…)``). An anonymous letter can only lead to
an inspection on signs of violation (296-QĐ/TW Điều 19).

The people are those of tests/inspections/conftest.py; the Ủy ban Kiểm tra of the bloc receives.
"""

import datetime

import pytest

from inspections.models import Body, Case, Complaint
from inspections.services import cases, complaints
from tests.import_page import msg

D = datetime.date
ANONYMOUS_ONLY = (
    "An anonymous letter can only lead to an inspection on signs of violation (296-QĐ/TW Điều 19)."
)


@pytest.fixture
def receive(bloc, inspector):
    def call(**values):
        values.setdefault("organization", bloc)
        values.setdefault("kind", Complaint.Kind.DENUNCIATION)
        values.setdefault("received_on", D(2025, 2, 3))
        values.setdefault("summary", "Tố cáo lợi dụng chức vụ trong mua sắm tài sản.")
        return complaints.receive_complaint(by=inspector, **values)

    return call


@pytest.fixture
def anonymous_letter(receive, official_member):
    return receive(anonymous=True, subject_member=official_member)


def open_from(letter, kind, by, *, decision_no="20-QĐ/UBKTĐUK"):
    return cases.open_case(
        organization=letter.organization,
        body=Body.COMMISSION,
        kind=kind,
        decision_no=decision_no,
        opened_on=D(2025, 2, 20),
        complaint=letter,
        by=by,
    )


def test_an_anonymous_letter_leads_only_to_an_inspection_on_signs_of_violation(
    anonymous_letter, inspector, snapshot, refusal
):
    before = snapshot()

    errors = refusal(open_from, anonymous_letter, Case.Kind.DENUNCIATION, inspector)

    assert errors == {"kind": [msg(ANONYMOUS_ONLY)]}
    assert snapshot() == before
    anonymous_letter.refresh_from_db()
    assert (anonymous_letter.status, anonymous_letter.case) == (Complaint.Status.RECEIVED, None)


def test_an_anonymous_letter_opens_an_inspection_on_signs_of_violation_of_its_subject(
    anonymous_letter, inspector, official_member
):
    case = open_from(anonymous_letter, Case.Kind.SIGNS_OF_VIOLATION, inspector)

    anonymous_letter.refresh_from_db()
    assert case.target_member == official_member and case.kind == "dau_hieu_vi_pham"
    assert (anonymous_letter.status, anonymous_letter.case) == (Complaint.Status.IN_PROGRESS, case)


def test_a_named_letter_opens_the_settlement_of_a_denunciation(receive, inspector, official_member):
    letter = receive(sender="Nguyễn Thị Hoa", subject_member=official_member)

    case = open_from(letter, Case.Kind.DENUNCIATION, inspector)

    assert case.kind == "giai_quyet_to_cao" and case.complaints.get() == letter


def test_a_letter_opens_one_case(anonymous_letter, inspector, refusal):
    open_from(anonymous_letter, Case.Kind.SIGNS_OF_VIOLATION, inspector)

    errors = refusal(open_from, anonymous_letter, Case.Kind.SIGNS_OF_VIOLATION, inspector, decision_no="21")

    assert errors == {"__all__": [msg("This letter is no longer waiting to be handled.")]}


def test_an_anonymous_letter_has_no_sender(receive, official_member, unchanged, refusal):
    errors = refusal(receive, anonymous=True, sender="Nguyễn Thị Hoa", subject_member=official_member)

    assert list(errors) == ["sender"]


def test_a_letter_about_someone_outside_the_receiver_is_refused(
    receive, org_a, member_of_b, unchanged, refusal
):
    errors = refusal(receive, organization=org_a, sender="Nguyễn Thị Hoa", subject_member=member_of_b)

    assert list(errors) == ["subject_member"]


def test_a_letter_cannot_be_received_in_the_future(receive, official_member, unchanged, refusal):
    errors = refusal(
        receive, sender="Nguyễn Thị Hoa", subject_member=official_member, received_on=D(2099, 1, 1)
    )

    assert list(errors) == ["received_on"]


@pytest.mark.parametrize(
    ("receiver", "days"), [("bloc", 90), ("org_a", 60), ("cell_a1", 30)], ids=["cap_tren", "co_so", "chi_bo"]
)
def test_the_handling_deadline_is_that_of_the_receiving_level(
    receive, official_member, request, receiver, days
):
    letter = receive(
        organization=request.getfixturevalue(receiver),
        sender="Nguyễn Thị Hoa",
        subject_member=official_member,
    )

    assert letter.due_on == D(2025, 2, 3) + datetime.timedelta(days=days)


def test_a_letter_is_resolved_once_its_case_is_concluded(anonymous_letter, inspector, refusal):
    case = open_from(anonymous_letter, Case.Kind.SIGNS_OF_VIOLATION, inspector)

    early = refusal(
        complaints.resolve_complaint,
        complaint=anonymous_letter,
        on=D(2025, 3, 1),
        result="Xong",
        by=inspector,
    )
    cases.conclude_case(
        case=case, conclusion=Case.Conclusion.NO_VIOLATION, closed_on=D(2025, 3, 20), by=inspector
    )
    resolved = complaints.resolve_complaint(
        complaint=anonymous_letter, on=D(2025, 3, 25), result="Không có vi phạm.", by=inspector
    )

    assert list(early) == ["__all__"]
    assert (resolved.status, resolved.resolved_on) == (Complaint.Status.RESOLVED, D(2025, 3, 25))
