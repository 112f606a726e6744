"""Every read of a case file is logged (issue 11, confidentiality): each opening of a case's page and each
download of one of its documents writes one ReadLog row — who, when, what, which record, the address —
once the scope check has passed; a 404 writes none, nor does a list. Superusers read the log in the
admin, and nobody edits it there."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blocportal.models import Role
from inspections.models import Case, ReadLog
from inspections.services import cases as services
from tests.factories import MemberFactory, UserFactory, assign

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def case(bloc, cell_a1, inspector_user, system_user) -> Case:
    member = MemberFactory(organization=cell_a1, full_name="Phạm Văn Dũng", official=True, by=system_user)
    return services.open_case(
        organization=bloc,
        body="uy_ban_kiem_tra",
        kind=Case.Kind.SIGNS_OF_VIOLATION,
        decision_no="21-QĐ/UBKTĐUK",
        opened_on=D(2025, 8, 4),
        target_member=member,
        by=inspector_user,
    )


@pytest.fixture
def document(case, inspector_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return services.add_document(
        case=case,
        title="Kết luận kiểm tra",
        file=SimpleUploadedFile("ket-luan.pdf", b"%PDF-1.4 ket luan"),
        by=inspector_user,
    )


def test_opening_a_case_page_writes_one_row(client, inspector_user, case):
    client.force_login(inspector_user)
    url = case.get_absolute_url()

    assert client.get(url, {"from": "list"}).status_code == 200

    row = ReadLog.objects.get()
    assert (row.user, row.what, row.object_id) == (inspector_user, "case", case.pk)
    assert row.path == f"{url}?from=list"
    assert row.label == str(case) and "21-QĐ/UBKTĐUK" in row.label
    assert row.at is not None


def test_each_opening_is_a_row(client, inspector_user, case):
    client.force_login(inspector_user)
    for _ in range(3):
        client.get(case.get_absolute_url())
    assert ReadLog.objects.filter(what="case", object_id=case.pk, user=inspector_user).count() == 3


def test_downloading_a_document_writes_one_row(client, inspector_user, document):
    client.force_login(inspector_user)
    url = reverse("inspections:case_document", args=[document.pk])

    response = client.get(url)
    assert response.status_code == 200
    b"".join(response.streaming_content)

    row = ReadLog.objects.get()
    assert (row.user, row.what, row.object_id, row.path, row.label) == (
        inspector_user,
        "document",
        document.pk,
        url,
        "Kết luận kiểm tra",
    )


@pytest.mark.parametrize("persona", ["staff", "leader", "secretary_a", "secretary_b"])
def test_a_refused_read_writes_nothing(client, personas, persona, case, document):
    client.force_login(personas[persona])
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get(reverse("inspections:case_document", args=[document.pk])).status_code == 404
    assert not ReadLog.objects.exists()


def test_an_inspector_of_another_subtree_writes_nothing(client, org_b, case, document):
    outsider = UserFactory(username="inspector-b")
    assign(outsider, Role.INSPECTOR, org_b)
    client.force_login(outsider)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get(reverse("inspections:case_document", args=[document.pk])).status_code == 404
    assert client.get(reverse("inspections:case", args=[case.pk + 1000])).status_code == 404
    assert not ReadLog.objects.exists()


def test_the_list_and_a_saved_change_are_not_reads_of_a_case(client, inspector_user, case):
    client.force_login(inspector_user)
    client.get(reverse("inspections:cases"))
    client.post(reverse("inspections:case_stage", args=[case.pk]), {"stage": "tham_tra"})
    assert not ReadLog.objects.exists()


def test_each_change_page_shows_the_case_and_is_a_read(client, inspector_user, case):
    client.force_login(inspector_user)
    names = ("inspections:case_update", "inspections:case_conclude", "inspections:case_delete")
    for name in names:
        assert client.get(reverse(name, args=[case.pk])).status_code == 200
    assert list(ReadLog.objects.values_list("what", flat=True)) == ["case"] * len(names)


def test_a_superusers_read_is_logged_too(client, superuser, case):
    client.force_login(superuser)
    client.get(case.get_absolute_url())
    assert ReadLog.objects.get().user == superuser


def test_superusers_read_the_log_in_the_admin_and_nobody_edits_it(client, superuser, inspector_user, case):
    client.force_login(inspector_user)
    client.get(case.get_absolute_url())
    row = ReadLog.objects.get()

    client.force_login(superuser)
    listing = client.get(reverse("admin:inspections_readlog_changelist"))
    assert listing.status_code == 200
    assert case.get_absolute_url() in listing.content.decode()
    assert client.get(reverse("admin:inspections_readlog_change", args=[row.pk])).status_code == 200
    assert client.get(reverse("admin:inspections_readlog_add")).status_code == 403
    assert (
        client.post(reverse("admin:inspections_readlog_delete", args=[row.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert ReadLog.objects.filter(pk=row.pk).exists()


def test_a_staff_account_of_the_admin_does_not_see_the_log(client, case):
    admin_staff = UserFactory(username="admin-staff", is_staff=True)
    admin_staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="inspections"))
    client.force_login(admin_staff)
    assert client.get(reverse("admin:inspections_readlog_changelist")).status_code in (302, 403)
    assert client.get(reverse("admin:inspections_case_changelist")).status_code in (302, 403)
