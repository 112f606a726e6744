"""The study of resolutions on the portal: a secretary records a session of their organization, with
the members on its register offered as those expected, corrects and deletes it; the list narrows to
an organization and a period; the other chi bộ's secretary does not find it."""

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import StudySession
from tests.factories import MemberFactory

from .conftest import D

pytestmark = pytest.mark.django_db

NQ57 = {
    "held_on": "20/06/2025",
    "document_number": "57-NQ/TW",
    "document_title": "Nghị quyết về đột phá phát triển khoa học, công nghệ",
    "issuer": "Bộ Chính trị",
    "members_expected": 4,
    "members_present": 4,
    "non_members_invited": 10,
    "non_members_present": 9,
}


@pytest.fixture
def session(org_a, staff_user):
    return services.record_study(
        organization=org_a,
        held_on=D(2025, 6, 20),
        document_number="57-NQ/TW",
        document_title="Nghị quyết về đột phá phát triển khoa học, công nghệ",
        members_expected=4,
        members_present=3,
        by=staff_user,
    )


def test_a_secretary_records_a_study_session_of_their_organization(
    client, secretary_a, org_a, cell_a1, staff_user
):
    MemberFactory.create_batch(3, organization=cell_a1, official=True, by=staff_user)
    client.force_login(secretary_a)

    form = client.get(reverse("meetings:study_create"), {"organization": org_a.pk}).context["form"]
    assert form["members_expected"].value() == 3  # on the register of đảng bộ A's subtree today

    response = client.post(reverse("meetings:study_create"), {**NQ57, "organization": org_a.pk})

    study = StudySession.objects.get()
    assert response.status_code == 302 and response.url == study.get_absolute_url()
    assert (study.organization, study.members_present, study.non_members_present) == (org_a, 4, 9)
    page = client.get(response.url).content.decode()
    assert "data-members>4/4<" in page and "data-non-members>9/10<" in page


def test_more_present_than_expected_is_refused_on_its_field(client, secretary_a, org_a):
    client.force_login(secretary_a)

    response = client.post(
        reverse("meetings:study_create"), {**NQ57, "organization": org_a.pk, "members_present": 5}
    )

    assert response.status_code == 200
    assert "members_present" in response.context["form"].errors
    assert not StudySession.objects.exists()


def test_a_correction_shows_in_the_history_with_who_made_it(client, secretary_a, session):
    secretary_a.first_name, secretary_a.last_name = "Phạm Thị", "Bí Thư"
    secretary_a.save()
    client.force_login(secretary_a)

    response = client.post(
        reverse("meetings:study_edit", args=[session.pk]), {**NQ57, "members_present": 4}, follow=True
    )

    session.refresh_from_db()
    assert session.members_present == 4
    changes = response.content.decode().split('id="study-changes"')[1]
    assert "Phạm Thị Bí Thư" in changes and "3 → 4" in changes


def test_a_study_session_is_deleted_after_its_confirmation(client, secretary_a, session):
    client.force_login(secretary_a)
    assert client.get(reverse("meetings:study_delete", args=[session.pk])).status_code == 200
    response = client.post(reverse("meetings:study_delete", args=[session.pk]))
    assert response.url == reverse("meetings:study_list")
    assert not StudySession.objects.exists()


def test_the_list_narrows_to_an_organization_and_a_period(client, staff_user, session, org_b):
    other = services.record_study(
        organization=org_b,
        held_on=D(2025, 2, 3),
        document_number="18-NQ/TW",
        document_title="Nghị quyết về tiếp tục đổi mới, sắp xếp tổ chức bộ máy",
        members_expected=5,
        members_present=5,
        by=staff_user,
    )
    client.force_login(staff_user)

    def listed(**query):
        response = client.get(reverse("meetings:study_list"), query)
        return {row.record for row in response.context["table"].page.object_list}

    assert listed() == {session, other}
    assert listed(organization=org_b.pk) == {other}
    assert listed(period="2025-Q2") == {session}
    assert listed(period="2025-06") == {session}
    assert listed(period="2024") == set()


def test_the_other_secretary_gets_404_and_the_inspector_403(client, secretary_b, inspector_user, session):
    client.force_login(secretary_b)
    assert client.get(session.get_absolute_url()).status_code == 404
    assert client.get(reverse("meetings:study_list")).context["table"].paginator.count == 0
    client.force_login(inspector_user)
    assert client.get(session.get_absolute_url()).status_code == 403
