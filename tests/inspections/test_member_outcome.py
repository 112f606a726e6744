"""A member's discipline outcome on their profile (issue 11: "A member's discipline outcome shows on their
profile"; staff and secretaries "see a member's discipline outcome, never the case file"). After a cảnh
cáo decided from a case, the staff sees the form and the decision's number on the member's page, not the
violation, the findings or a way to the case or the decision, and gets a 404 there; the inspector of the
subtree sees the same section with a link to the decision."""

import datetime

import pytest
from django.urls import reverse

from inspections.models import Body, Case, DisciplineDecision
from inspections.services import cases as case_services
from inspections.services import discipline

pytestmark = pytest.mark.django_db

D = datetime.date
FINDINGS = "Kê khai tài sản không trung thực, che giấu thu nhập."
VIOLATION = "Vi phạm Quy định 37-QĐ/TW về những điều đảng viên không được làm."


@pytest.fixture
def warning(bloc, official_member, inspector) -> DisciplineDecision:
    """A case of the bloc's inspection commission on Trần Văn Chính, concluded with a violation that
    warrants discipline, and the cảnh cáo of the Ban Thường vụ that followed (101-QĐ/ĐUK, 10/07/2025)."""
    case = case_services.open_case(
        organization=bloc,
        body=Body.COMMISSION,
        kind=Case.Kind.SIGNS_OF_VIOLATION,
        decision_no="15-QĐ/UBKTĐUK",
        opened_on=D(2025, 5, 2),
        target_member=official_member,
        by=inspector,
    )
    case_services.conclude_case(
        case=case,
        conclusion=Case.Conclusion.DISCIPLINE,
        closed_on=D(2025, 6, 30),
        findings=FINDINGS,
        by=inspector,
    )
    return discipline.decide(
        organization=bloc,
        body=Body.STANDING,
        decision_no="101-QĐ/ĐUK",
        decided_on=D(2025, 7, 10),
        form=DisciplineDecision.Form.WARNING,
        target_member=official_member,
        case=case,
        violation=VIOLATION,
        violation_on=D(2025, 3, 15),
        heard_on=D(2025, 7, 1),
        by=inspector,
    )


def _discipline_section(page: str) -> str:
    start = page.index('id="member-discipline"')
    return page[start : page.index("</table>", start)]


def test_the_staff_sees_the_outcome_on_the_members_page_and_nothing_of_the_case(
    client, staff_user, official_member, warning
):
    client.force_login(staff_user)

    response = client.get(reverse("members:detail", args=[official_member.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    section = _discipline_section(page)
    assert str(DisciplineDecision.Form.WARNING.label) in section
    assert "101-QĐ/ĐUK" in section and "10/07/2025" in section
    for secret in (FINDINGS, VIOLATION, "15-QĐ/UBKTĐUK"):
        assert secret not in page
    assert warning.get_absolute_url() not in page
    assert warning.case.get_absolute_url() not in page
    assert "/inspections/" not in page


def test_the_staff_gets_404_on_the_decision_and_the_case(client, staff_user, warning):
    client.force_login(staff_user)

    assert client.get(warning.get_absolute_url()).status_code == 404
    assert client.get(warning.case.get_absolute_url()).status_code == 404


def test_the_inspector_sees_the_outcome_with_a_link_to_the_decision(
    client, inspector, official_member, warning
):
    client.force_login(inspector)

    page = client.get(reverse("members:detail", args=[official_member.pk])).content.decode()

    section = _discipline_section(page)
    assert f'href="{warning.get_absolute_url()}"' in section
    assert client.get(warning.get_absolute_url()).status_code == 200


def test_a_changed_form_shows_with_the_one_first_decided(
    client, staff_user, bloc, official_member, warning, inspector
):
    appeal = discipline.file_appeal(
        decision=warning,
        organization=bloc,
        decision_received_on=D(2025, 7, 12),
        filed_on=D(2025, 7, 20),
        by=inspector,
    )
    discipline.settle_appeal(
        appeal=appeal,
        outcome="thay_doi",
        new_form=DisciplineDecision.Form.REPRIMAND,
        settled_on=D(2025, 9, 1),
        by=inspector,
    )
    client.force_login(staff_user)

    section = _discipline_section(
        client.get(reverse("members:detail", args=[official_member.pk])).content.decode()
    )

    assert str(DisciplineDecision.Form.REPRIMAND.label) in section
    assert str(DisciplineDecision.Form.WARNING.label) in section
    assert str(DisciplineDecision.Status.CHANGED.label) in section


def test_a_member_without_a_decision_has_no_discipline_section(client, staff_user, official_member):
    client.force_login(staff_user)

    page = client.get(reverse("members:detail", args=[official_member.pk])).content.decode()

    assert 'id="member-discipline"' not in page
