"""The case pages: the inspector records a case on a member or an organization, corrects it, records its
stage, concludes it, keeps its file and deletes it through the views; the services' refusals come back
onto the form's fields; nobody else finds a case (404) or the list (403), and an inspector of another
subtree does not find it either; the list filters as the figures' drill-down asks, and costs the same
for many cases."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blocportal.models import Role
from inspections.models import Case, CaseDocument
from inspections.services import cases as services
from members.services import committees
from tests.factories import MemberFactory, UserFactory, assign

pytestmark = pytest.mark.django_db

D = datetime.date
PDF = b"%PDF-1.4 bien ban kiem tra"


def _errors(response) -> dict[str, list[str]]:
    return {field: list(errors) for field, errors in response.context["form"].errors.items()}


def _messages(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


@pytest.fixture
def secretary_an(cell_a1, org_a, system_user):
    """Trần Văn An, of chi bộ A1, bí thư of đảng bộ A since 10/06/2024."""
    member = MemberFactory(organization=cell_a1, full_name="Trần Văn An", official=True, by=system_user)
    term = committees.create_term(
        organization=org_a, label="2020–2025", starts_on=D(2024, 6, 1), ends_on=D(2029, 6, 30), by=system_user
    )
    committees.appoint(term=term, member=member, position="bi_thu", starts_on=D(2024, 6, 10), by=system_user)
    return member


def _case(by, *, organization, target_organization=None, target_member=None, **kwargs) -> Case:
    values = {
        "body": "uy_ban_kiem_tra",
        "kind": Case.Kind.SIGNS_OF_VIOLATION,
        "decision_no": "15-QĐ/UBKTĐUK",
        "opened_on": D(2025, 7, 1),
        **kwargs,
    }
    return services.open_case(
        organization=organization,
        target_organization=target_organization,
        target_member=target_member,
        by=by,
        **values,
    )


@pytest.fixture
def case_on_an(bloc, secretary_an, inspector_user) -> Case:
    return _case(inspector_user, organization=bloc, target_member=secretary_an)


def _create_data(**changes) -> dict:
    return {
        "body": "uy_ban_kiem_tra",
        "kind": Case.Kind.SIGNS_OF_VIOLATION,
        "decision_no": "20-QĐ/UBKTĐUK",
        "opened_on": "01/07/2025",
        "plan_year": "",
        "due_on": "30/09/2025",
        "subject": "Kiểm tra việc kê khai tài sản",
        **changes,
    }


# Recording a case ---------------------------------------------------------------------------------


def test_inspector_records_a_case_on_a_secretary_who_stays_one_on_the_case(
    client, inspector_user, bloc, secretary_an, org_a, cell_a1
):
    client.force_login(inspector_user)
    response = client.post(
        reverse("inspections:case_create"), _create_data(organization=bloc.pk, target_member=secretary_an.pk)
    )

    case = Case.objects.get(decision_no="20-QĐ/UBKTĐUK")
    assert response.status_code == 302 and response.url == reverse("inspections:case", args=[case.pk])
    assert (case.organization, case.body, case.target_member, case.target_organization) == (
        bloc,
        "uy_ban_kiem_tra",
        secretary_an,
        None,
    )
    assert (case.target_cell, case.target_position, case.target_position_organization) == (
        cell_a1,
        "bi_thu",
        org_a,
    )
    assert (case.due_on, case.recorded_by, case.stage) == (D(2025, 9, 30), inspector_user, Case.Stage.DECIDED)


def test_inspector_records_a_supervision_of_an_organization(client, inspector_user, bloc, org_b):
    client.force_login(inspector_user)
    client.post(
        reverse("inspections:case_create"),
        _create_data(
            organization=bloc.pk,
            body="ban_thuong_vu",
            kind=Case.Kind.THEMATIC_SUPERVISION,
            plan_year="2025",
            target_organization=org_b.pk,
        ),
    )

    case = Case.objects.get()
    assert (case.kind, case.target_organization, case.plan_year) == ("giam_sat_chuyen_de", org_b, 2025)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        # Staff bodies never conduct an inspection on signs of violation (296-QĐ/TW Điều 5).
        ({"body": "co_quan_tham_muu"}, "kind"),
        # A chi bộ cơ sở has no Ban Thường vụ.
        ({"body": "ban_thuong_vu", "organization": "org_b", "target_member": None}, "body"),
        # The target lies under the conducting organization.
        (
            {"organization": "org_a", "target_member": None, "target_organization": "bloc"},
            "target_organization",
        ),
        # A member outside the conducting organization's subtree.
        ({"organization": "org_b", "body": "chi_bo"}, "target_member"),
        # Decided in the future.
        ({"opened_on": "01/07/2099"}, "opened_on"),
        # Due before the decision.
        ({"due_on": "30/06/2025"}, "due_on"),
        # Exactly one target.
        ({"target_organization": "org_b"}, None),
        ({"target_member": None}, None),
    ],
)
def test_the_services_refusals_show_on_the_form_and_nothing_is_recorded(
    client, inspector_user, bloc, org_a, org_b, secretary_an, changes, field
):
    places = {"bloc": bloc.pk, "org_a": org_a.pk, "org_b": org_b.pk}
    data = _create_data(organization=bloc.pk, target_member=secretary_an.pk)
    for name, value in changes.items():
        if value is None:
            data.pop(name)
        else:
            data[name] = places.get(value, value)
    client.force_login(inspector_user)

    response = client.post(reverse("inspections:case_create"), data)

    assert response.status_code == 200
    errors = _errors(response)
    assert list(errors) == ["__all__" if field is None else field]
    assert all(message.strip() for message in errors[list(errors)[0]])
    assert not Case.objects.exists()


def test_a_second_case_of_the_same_decision_on_the_same_target_is_refused_on_the_number(
    client, inspector_user, bloc, secretary_an, case_on_an
):
    client.force_login(inspector_user)
    response = client.post(
        reverse("inspections:case_create"),
        _create_data(organization=bloc.pk, target_member=secretary_an.pk, decision_no=case_on_an.decision_no),
    )
    assert list(_errors(response)) == ["decision_no"]
    assert Case.objects.count() == 1


def test_the_body_chosen_narrows_the_organization_search(client, inspector_user, bloc):
    client.force_login(inspector_user)
    response = client.get(
        reverse("inspections:case_create"),
        {"body": "chi_bo", "organization": bloc.pk},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert 'id="conducting-organization"' in page and "<form" not in page
    assert "for=case.organizations" in page
    assert (
        "kind=chi_bo_co_so" in page and "kind=chi_bo_truc_thuoc" in page and "kind=dang_bo_khoi" not in page
    )
    assert f'value="{bloc.pk}" selected' in page


def test_the_organization_search_offers_the_inspectors_subtree(client, inspector_user, org_a, org_b, cell_a1):
    outsider = UserFactory(username="inspector-b")
    assign(outsider, Role.INSPECTOR, org_b)
    client.force_login(outsider)
    response = client.get(reverse("organizations:search"), {"for": "case.organizations"})
    assert [row["id"] for row in response.json()["results"]] == [org_b.pk]
    response = client.get(reverse("organizations:search"), {"for": "case.targets", "q": "ngan sach"})
    assert response.json()["results"] == []


# The member picker --------------------------------------------------------------------------------


def test_the_member_search_finds_members_of_the_inspectors_subtree_only(
    client, inspector_user, secretary_an, org_b, system_user
):
    other = MemberFactory(organization=org_b, full_name="Trần Thị Bình", official=True, by=system_user)
    client.force_login(inspector_user)
    answer = client.get(reverse("inspections:member_search"), {"q": "tran"}).json()
    assert {row["id"] for row in answer["results"]} == {secretary_an.pk, other.pk}
    assert answer["more"] is False
    by_id = {row["id"]: row for row in answer["results"]}
    assert by_id[secretary_an.pk]["name"] == "Trần Văn An"
    assert "Chi bộ Phòng Ngân sách" in by_id[secretary_an.pk]["context"]

    outsider = UserFactory(username="inspector-b")
    assign(outsider, Role.INSPECTOR, org_b)
    client.force_login(outsider)
    answer = client.get(reverse("inspections:member_search"), {"q": "tran"}).json()
    assert [row["id"] for row in answer["results"]] == [other.pk]


def test_a_member_outside_the_inspectors_subtree_is_not_a_choice(client, org_b, secretary_an, bloc):
    outsider = UserFactory(username="inspector-b")
    assign(outsider, Role.INSPECTOR, org_b)
    client.force_login(outsider)
    response = client.post(
        reverse("inspections:case_create"),
        _create_data(organization=org_b.pk, body="chi_bo", target_member=secretary_an.pk),
    )
    assert "target_member" in _errors(response)
    assert not Case.objects.exists()


# Correcting, the stage, the conclusion, deleting ----------------------------------------------------


def test_inspector_corrects_the_decision_and_the_history_shows_it(client, inspector_user, case_on_an):
    client.force_login(inspector_user)
    url = reverse("inspections:case_update", args=[case_on_an.pk])
    assert client.get(url).context["form"].initial["decision_no"] == "15-QĐ/UBKTĐUK"

    response = client.post(
        url,
        {
            "kind": case_on_an.kind,
            "decision_no": "16-QĐ/UBKTĐUK",
            "opened_on": "02/07/2025",
            "plan_year": "",
            "due_on": "",
            "subject": "",
        },
    )

    assert response.status_code == 302
    case_on_an.refresh_from_db()
    assert (case_on_an.decision_no, case_on_an.opened_on) == ("16-QĐ/UBKTĐUK", D(2025, 7, 2))
    history = client.get(case_on_an.get_absolute_url()).context["history"]
    changed = [entry for entry in history if entry.get("changes")]
    assert changed and changed[0]["who"] == inspector_user
    assert {str(old) for _label, old, _new in changed[0]["changes"]} >= {"15-QĐ/UBKTĐUK"}


def test_a_correction_refused_by_the_service_shows_on_its_field(client, inspector_user, case_on_an):
    client.force_login(inspector_user)
    response = client.post(
        reverse("inspections:case_update", args=[case_on_an.pk]),
        {
            "kind": case_on_an.kind,
            "decision_no": "15-QĐ/UBKTĐUK",
            "opened_on": "01/07/2025",
            "plan_year": "2020",
        },
    )
    assert list(_errors(response)) == ["plan_year"]
    case_on_an.refresh_from_db()
    assert case_on_an.plan_year is None


def test_inspector_records_the_stage_then_concludes_with_a_violation(client, inspector_user, case_on_an):
    client.force_login(inspector_user)
    response = client.post(reverse("inspections:case_stage", args=[case_on_an.pk]), {"stage": "tham_tra"})
    assert response.status_code == 302
    case_on_an.refresh_from_db()
    assert case_on_an.stage == Case.Stage.VERIFYING

    url = reverse("inspections:case_conclude", args=[case_on_an.pk])
    data = {"conclusion": "vi_pham_ky_luat", "closed_on": "15/09/2025", "findings": ""}
    response = client.post(url, data)
    assert list(_errors(response)) == ["findings"]  # a violation found is described
    case_on_an.refresh_from_db()
    assert case_on_an.closed_on is None

    response = client.post(url, {**data, "findings": "Không kê khai đầy đủ tài sản."})
    assert response.status_code == 302
    case_on_an.refresh_from_db()
    assert (case_on_an.conclusion, case_on_an.closed_on, case_on_an.stage) == (
        "vi_pham_ky_luat",
        D(2025, 9, 15),
        Case.Stage.CONCLUDED,
    )
    page = client.get(case_on_an.get_absolute_url()).content.decode()
    assert 'data-conclusion="vi_pham_ky_luat"' in page
    assert f"{reverse('inspections:decision_create')}?case={case_on_an.pk}" in page
    assert reverse("inspections:case_stage", args=[case_on_an.pk]) not in page


def test_a_conclusion_before_the_decision_is_refused_on_its_date(client, inspector_user, case_on_an):
    client.force_login(inspector_user)
    response = client.post(
        reverse("inspections:case_conclude", args=[case_on_an.pk]),
        {"conclusion": "khong_vi_pham", "closed_on": "30/06/2025"},
    )
    assert list(_errors(response)) == ["closed_on"]


def test_a_concluded_case_has_no_stage_to_record(client, inspector_user, case_on_an):
    services.conclude_case(
        case=case_on_an, conclusion="khong_vi_pham", closed_on=D(2025, 8, 1), by=inspector_user
    )
    client.force_login(inspector_user)
    response = client.post(reverse("inspections:case_stage", args=[case_on_an.pk]), {"stage": "tham_tra"})
    assert response.status_code == 302
    case_on_an.refresh_from_db()
    assert case_on_an.stage == Case.Stage.CONCLUDED


def test_inspector_deletes_a_case_after_confirming(client, inspector_user, case_on_an):
    client.force_login(inspector_user)
    url = reverse("inspections:case_delete", args=[case_on_an.pk])
    assert client.get(url).status_code == 200
    assert Case.objects.filter(pk=case_on_an.pk).exists()

    response = client.post(url)

    assert response.status_code == 302 and response.url == reverse("inspections:cases")
    assert not Case.objects.filter(pk=case_on_an.pk).exists()


# The case file --------------------------------------------------------------------------------------


def test_inspector_adds_downloads_and_deletes_a_document(
    client, inspector_user, case_on_an, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(inspector_user)
    response = client.post(
        reverse("inspections:case_document_add", args=[case_on_an.pk]),
        {"title": "Báo cáo thẩm tra", "file": SimpleUploadedFile("bao-cao.pdf", PDF)},
    )
    assert response.status_code == 302
    document = CaseDocument.objects.get(case=case_on_an)
    assert (document.title, document.uploaded_by) == ("Báo cáo thẩm tra", inspector_user)

    download = client.get(reverse("inspections:case_document", args=[document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert download["Content-Type"] == "application/pdf"
    assert "no-store" in download["Cache-Control"]  # never kept by a browser or a proxy

    page = client.get(case_on_an.get_absolute_url()).content.decode()
    assert reverse("inspections:case_document", args=[document.pk]) in page

    url = reverse("inspections:case_document_delete", args=[document.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not CaseDocument.objects.exists()
    assert not any(tmp_path.rglob("bao-cao*.pdf"))
    history = client.get(case_on_an.get_absolute_url()).context["history"]
    assert [entry["document"].added for entry in history if "document" in entry] == [False, True]


def test_a_file_that_is_not_a_document_is_refused_on_the_file_field(
    client, inspector_user, case_on_an, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(inspector_user)
    response = client.post(
        reverse("inspections:case_document_add", args=[case_on_an.pk]),
        {"title": "Kịch bản", "file": SimpleUploadedFile("kich-ban.pdf", b"#!/bin/sh\nrm -rf /")},
    )
    assert list(_errors(response)) == ["file"]
    assert not CaseDocument.objects.exists()


def test_the_case_files_are_not_published_under_the_media_address(
    client, inspector_user, case_on_an, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    document = services.add_document(
        case=case_on_an, title="Quyết định", file=SimpleUploadedFile("qd.pdf", PDF), by=inspector_user
    )
    client.force_login(inspector_user)
    assert client.get(f"/{settings.MEDIA_URL}{document.file.name}").status_code == 404


# Who finds a case -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["staff", "leader", "secretary_a", "secretary_b"])
def test_other_roles_find_no_case_nor_file_and_may_not_list_them(
    client, personas, persona, case_on_an, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    document = services.add_document(
        case=case_on_an, title="Quyết định", file=SimpleUploadedFile("qd.pdf", PDF), by=personas["inspector"]
    )
    client.force_login(personas[persona])
    assert client.get(reverse("inspections:cases")).status_code == 403
    assert client.get(reverse("inspections:case_create")).status_code == 403
    assert client.get(case_on_an.get_absolute_url()).status_code == 404
    assert client.get(reverse("inspections:case_document", args=[document.pk])).status_code == 404
    assert client.post(reverse("inspections:case_delete", args=[case_on_an.pk])).status_code == 404
    assert Case.objects.filter(pk=case_on_an.pk).exists()
    assert 'data-nav="inspections"' not in client.get(reverse("home")).content.decode()


def test_an_inspector_of_another_subtree_finds_no_case_of_the_bloc(client, org_b, case_on_an):
    outsider = UserFactory(username="inspector-b")
    assign(outsider, Role.INSPECTOR, org_b)
    client.force_login(outsider)
    assert client.get(reverse("inspections:cases")).status_code == 200
    assert client.get(case_on_an.get_absolute_url()).status_code == 404
    assert client.get(reverse("inspections:case_update", args=[case_on_an.pk])).status_code == 404
    assert client.post(reverse("inspections:case_delete", args=[case_on_an.pk])).status_code == 404
    listed = client.get(reverse("inspections:cases")).context["table"].page.object_list
    assert [row.record for row in listed] == []
    assert Case.objects.filter(pk=case_on_an.pk).exists()


def test_the_inspector_sees_the_menu_entry(client, inspector_user):
    client.force_login(inspector_user)
    assert 'data-nav="inspections"' in client.get(reverse("home")).content.decode()


# The list -------------------------------------------------------------------------------------------


@pytest.fixture
def year(bloc, org_a, org_b, cell_a1, cell_a2, secretary_an, inspector_user, system_user):
    """Cases of 2025: the bloc's UBKT on An (bí thư of A, concluded with a violation), the bloc's Ban
    Thường vụ supervising đảng bộ A (a grassroots organization) and chi bộ A2, and A's UBKT on a member
    of A2 (open)."""
    other = MemberFactory(organization=cell_a2, full_name="Lê Thị Cúc", official=True, by=system_user)
    on_an = _case(inspector_user, organization=bloc, target_member=secretary_an, opened_on=D(2025, 3, 10))
    services.conclude_case(
        case=on_an,
        conclusion="vi_pham_chua_ky_luat",
        closed_on=D(2025, 5, 20),
        findings="Chậm kê khai.",
        by=inspector_user,
    )
    on_a = _case(
        inspector_user,
        organization=bloc,
        body="ban_thuong_vu",
        kind=Case.Kind.THEMATIC_SUPERVISION,
        decision_no="30-QĐ/ĐUK",
        opened_on=D(2025, 6, 2),
        target_organization=org_a,
    )
    services.conclude_case(case=on_a, conclusion="khong_vi_pham", closed_on=D(2025, 9, 1), by=inspector_user)
    on_a2 = _case(
        inspector_user,
        organization=bloc,
        body="ban_thuong_vu",
        kind=Case.Kind.THEMATIC_SUPERVISION,
        decision_no="30-QĐ/ĐUK",
        opened_on=D(2025, 6, 2),
        target_organization=cell_a2,
    )
    on_cuc = _case(
        inspector_user,
        organization=org_a,
        decision_no="05-QĐ/UBKT",
        opened_on=D(2025, 10, 1),
        target_member=other,
    )
    return {"an": on_an, "a": on_a, "a2": on_a2, "cuc": on_cuc}


def _listed(client, **query) -> set[Case]:
    response = client.get(reverse("inspections:cases"), query)
    assert response.status_code == 200
    return {row.record for row in response.context["table"].page.object_list}


def test_the_list_filters_as_the_figures_drill_down_asks(client, inspector_user, year, org_a, cell_a2):
    client.force_login(inspector_user)
    every = set(year.values())
    assert _listed(client) == every
    assert _listed(client, kind="giam_sat_chuyen_de") == {year["a"], year["a2"]}
    assert _listed(client, within=org_a.pk) == {year["cuc"]}
    assert _listed(client, organization=org_a.pk) == {year["cuc"]}
    assert _listed(client, opened_from="2025-06-01", opened_to="30/06/2025") == {year["a"], year["a2"]}
    assert _listed(client, closed_from="01/05/2025", closed_to="2025-08-31") == {year["an"]}
    assert _listed(client, target="member") == {year["an"], year["cuc"]}
    assert _listed(client, target="organization") == {year["a"], year["a2"]}
    assert _listed(client, grassroots=1) == {year["a"]}
    assert _listed(client, secretary=1) == {year["an"]}
    assert _listed(client, violation=1) == {year["an"]}
    assert _listed(client, open=1) == {year["a2"], year["cuc"]}
    assert _listed(client, open=0) == {year["an"], year["a"]}
    assert _listed(client, q="30-QĐ") == {year["a"], year["a2"]}
    assert _listed(client, q="tran van an") == {year["an"]}
    assert _listed(client, q="tổng hợp") == {year["a2"]}
    # An organization outside the inspector's subtrees lists nothing; a value that does not read is ignored.
    assert _listed(client, within=999999) == set()
    assert _listed(client, grassroots="yes", opened_from="2025-99-99") == every


def test_the_drill_down_filters_show_as_chips_that_remove_them(client, inspector_user, year, org_a):
    client.force_login(inspector_user)
    response = client.get(
        reverse("inspections:cases"), {"within": org_a.pk, "secretary": 1, "kind": "dau_hieu_vi_pham"}
    )
    page = response.content.decode()
    assert page.count("data-filter-chip") == 2
    assert "Đảng bộ Sở Tài chính" in page
    chips = response.context["filter"].form.cleaned_data
    assert chips["within"] == org_a.pk and chips["secretary"] == "1"


def test_the_list_names_the_member_with_the_post_of_that_day(client, inspector_user, year):
    client.force_login(inspector_user)
    page = client.get(reverse("inspections:cases"), {"secretary": 1}).content.decode()
    assert "Trần Văn An" in page and "Đảng bộ Sở Tài chính" in page
    assert reverse("inspections:case", args=[year["an"].pk]) in page


def _many_cases(count, bloc, cell_a1, by, system_user):
    for number in range(count):
        member = MemberFactory(organization=cell_a1, official=True, by=system_user)
        _case(by, organization=bloc, decision_no=f"{number + 1}-QĐ/UBKTĐUK", target_member=member)


@pytest.mark.parametrize("count", [3, 12])
def test_the_list_costs_the_same_for_many_cases(
    client, inspector_user, bloc, cell_a1, system_user, count, django_assert_max_num_queries
):
    _many_cases(count, bloc, cell_a1, inspector_user, system_user)
    client.force_login(inspector_user)
    # The session and the user, the user's assignments, the count of the cases, the page's cases with
    # their organizations and members (joined).
    with django_assert_max_num_queries(5):
        response = client.get(reverse("inspections:cases"))
    assert len(response.context["table"].page.object_list) == count


def test_the_case_page_costs_the_same_for_a_full_file(
    client, inspector_user, case_on_an, settings, tmp_path, django_assert_max_num_queries
):
    settings.MEDIA_ROOT = tmp_path
    for number in range(6):
        services.add_document(
            case=case_on_an,
            title=f"Tài liệu {number}",
            file=SimpleUploadedFile(f"tl-{number}.pdf", PDF),
            by=inspector_user,
        )
    client.force_login(inspector_user)
    # The session, the user, the assignments, the case, the read logged, the documents, letters,
    # decisions and appeals, the documents' history and the case's.
    with django_assert_max_num_queries(11):
        response = client.get(case_on_an.get_absolute_url())
    assert len(response.context["file"].documents) == 6


CASE_PARAMETERS = [
    "q",
    "organization",
    "kind",
    "target",
    "open",
    "opened_from",
    "opened_to",
    "within",
    "closed_from",
    "closed_to",
    "grassroots",
    "secretary",
    "violation",
    "body",
    "page",
    "per_page",
]


@pytest.mark.parametrize("value", ["abc\x00def", "é" * 5000, "9" * 30, "-1", "2025-13-45", "0000"])
@pytest.mark.parametrize("name", ["cases", "case_create", "member_search"])
def test_hostile_query_strings_never_give_a_server_error(client, inspector_user, case_on_an, name, value):
    client.force_login(inspector_user)
    client.raise_request_exception = False
    response = client.get(reverse(f"inspections:{name}"), dict.fromkeys(CASE_PARAMETERS, value))
    assert response.status_code < 500
    if name == "member_search":
        assert json.loads(response.content)["results"] == []


def test_the_rows_the_list_writes_are_the_ones_django_tables2_writes(client, inspector_user, year):
    """ListTable.body_html writes the rows itself: the same cells as the library's template
    (tests/core/test_lists.py), for every kind of cell of this table."""
    import itertools
    import re

    from django.template.loader import get_template

    client.force_login(inspector_user)
    response = client.get(reverse("inspections:cases"))
    table = response.context["table"]
    ours = table.body_html
    assert ours.count("<tr ") == len(year)
    table._counter = itertools.count()
    library = get_template("django_tables2/bootstrap5.html").render(
        {"table": table, "request": response.wsgi_request}
    )
    tbody = re.search(r"<tbody[^>]*>(.*)</tbody>", library, flags=re.S)[1]

    def squeezed(html):
        return re.sub(r">\s+<", "><", html).strip()

    assert squeezed(ours) == squeezed(tbody)
