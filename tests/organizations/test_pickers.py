"""The organization pickers' search (issue 7): scoped to the user and to the picker's purpose,
without tone marks, each organization named with its grassroots organization, a bounded answer in
a fixed number of queries; and the organization forms that ship only the chosen option."""

import re

import pytest
from django.urls import reverse

from blocportal.models import Role
from organizations import pickers
from organizations.models import Organization
from tests.factories import OrganizationFactory, UserFactory, assign

Kind = Organization.Kind


def _unit(bloc, system_user, code, name, **extra):
    return OrganizationFactory(
        code=code, name=name, kind=Kind.GRASSROOTS_COMMITTEE, parent=bloc, by=system_user, **extra
    )


def _cell(parent, system_user, code, name="Chi bộ Văn phòng"):
    return OrganizationFactory(
        code=code, name=name, kind=Kind.SUBORDINATE_CELL, parent=parent, sector="", by=system_user
    )


@pytest.fixture
def offices(bloc, org_a, system_user):
    """A "Chi bộ Văn phòng" under the Đảng bộ Sở Tài chính (org_a) and under two other đảng bộ,
    one of them on the Kho bạc, whose host agency is not in its name."""
    justice = _unit(bloc, system_user, "TP", "Đảng bộ Sở Tư pháp", host_unit="Sở Tư pháp")
    treasury = _unit(bloc, system_user, "KB", "Đảng bộ KBNN khu vực XIV", host_unit="Kho bạc Nhà nước")
    return {
        "finance": _cell(org_a, system_user, "A-VP"),
        "justice": _cell(justice, system_user, "TP-VP"),
        "treasury": _cell(treasury, system_user, "KB-VP"),
    }


def _search(client, **query):
    response = client.get(reverse("organizations:search"), query)
    assert response.status_code == 200, response.status_code
    return response.json()


def _labels(answer) -> list[str]:
    return [result["label"] for result in answer["results"]]


def test_chi_bo_van_phong_is_found_without_tone_marks_and_named_with_its_dang_bo(client, staff_user, offices):
    client.force_login(staff_user)

    answer = _search(client, q="chi bo van phong")

    assert _labels(answer) == [
        "Chi bộ Văn phòng — Đảng bộ Sở Tài chính",
        "Chi bộ Văn phòng — Đảng bộ Sở Tư pháp",
        "Chi bộ Văn phòng — Đảng bộ KBNN khu vực XIV",
    ]
    first = answer["results"][0]
    assert first["id"] == offices["finance"].pk
    assert first["name"] == "Chi bộ Văn phòng"
    assert first["context"] == "Đảng bộ Sở Tài chính"
    assert answer["more"] is False


def test_the_words_of_the_dang_bo_tell_the_chi_bo_apart(client, staff_user, offices):
    client.force_login(staff_user)

    assert _labels(_search(client, q="van phong tai chinh")) == ["Chi bộ Văn phòng — Đảng bộ Sở Tài chính"]
    assert _labels(_search(client, q="Văn phòng TƯ PHÁP")) == ["Chi bộ Văn phòng — Đảng bộ Sở Tư pháp"]


def test_the_host_agency_finds_its_organizations(client, staff_user, offices):
    client.force_login(staff_user)

    assert _labels(_search(client, q="kho bac")) == [
        "Đảng bộ KBNN khu vực XIV",
        "Chi bộ Văn phòng — Đảng bộ KBNN khu vực XIV",
    ]


def test_d_with_stroke_is_searched_as_d_and_the_code_is_searched(client, staff_user, org_a, cell_a1):
    client.force_login(staff_user)

    # The đảng bộ by its own name first, then what lies under it.
    assert _labels(_search(client, q="dang bo so tai chinh")) == [
        "Đảng bộ Sở Tài chính",
        "Chi bộ Phòng Ngân sách — Đảng bộ Sở Tài chính",
    ]
    assert [r["id"] for r in _search(client, q="a1")["results"]] == [cell_a1.pk]


def test_a_secretary_never_sees_organizations_outside_their_subtree(
    client, secretary_a, org_a, cell_a1, org_b, offices
):
    client.force_login(secretary_a)

    everything = _search(client)
    assert {r["id"] for r in everything["results"]} == {org_a.pk, cell_a1.pk, offices["finance"].pk}
    assert _labels(_search(client, q="van phong")) == ["Chi bộ Văn phòng — Đảng bộ Sở Tài chính"]
    assert _search(client, q="bao gia lai")["results"] == []
    assert _search(client, q="tu phap")["results"] == []


def test_a_secretary_of_a_chi_bo_is_not_shown_the_dang_bo_above_it(client, cell_a1, system_user):
    secretary = UserFactory(username="cell-secretary")
    assign(secretary, Role.SECRETARY, cell_a1)
    client.force_login(secretary)

    answer = _search(client)

    assert _labels(answer) == ["Chi bộ Phòng Ngân sách"]
    assert "Tài chính" not in answer["results"][0]["context"]


def test_change_pickers_answer_from_the_forms_queryset(
    client, staff_user, secretary_a, org_a, cell_a1, org_b
):
    client.force_login(staff_user)
    cells = _search(client, **{"for": "member.cells"})
    assert {r["id"] for r in cells["results"]} == {cell_a1.pk, org_b.pk}  # chi bộ only, no đảng bộ

    client.force_login(secretary_a)  # may not record movements anywhere
    response = client.get(reverse("organizations:search"), {"for": "member.cells"})
    assert response.status_code == 403


def test_an_unknown_purpose_is_not_found(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("organizations:search"), {"for": "everything"}).status_code == 404


def test_kind_and_exclude_narrow_and_a_hostile_kind_is_ignored(client, staff_user, org_a, cell_a1, org_b):
    client.force_login(staff_user)

    cells = _search(client, kind=[Kind.SUBORDINATE_CELL, Kind.GRASSROOTS_CELL])
    assert {r["id"] for r in cells["results"]} == {cell_a1.pk, org_b.pk}
    not_a = _search(client, **{"for": "organization.parent", "exclude": org_a.pk})
    assert org_a.pk not in {r["id"] for r in not_a["results"]}
    assert cell_a1.pk not in {r["id"] for r in not_a["results"]}
    assert org_b.pk in {r["id"] for r in not_a["results"]}
    assert len(_search(client, kind="abc\x00def")["results"]) == 4  # ignored: bloc, A, A1, B


@pytest.fixture
def many_offices(bloc, system_user):
    """31 đảng bộ cơ sở, each with its "Chi bộ Văn phòng" and nine other chi bộ, as in the demo."""
    for number in range(31):
        unit = _unit(bloc, system_user, f"U{number:02d}", f"Đảng bộ Sở số {number}")
        _cell(unit, system_user, f"U{number:02d}.VP")
        for other in range(1, 10):
            _cell(unit, system_user, f"U{number:02d}.{other:02d}", f"Chi bộ Phòng {other}")


def test_the_answer_is_bounded_and_its_queries_do_not_grow(
    client, staff_user, many_offices, django_assert_max_num_queries, django_assert_num_queries
):
    client.force_login(staff_user)
    # The session and the user (2), the user's assignments, the units, the search (1 each), and
    # the session's save (3).
    with django_assert_max_num_queries(8) as few:
        _search(client, q="van phong so 3")  # the Văn phòng of Sở số 3, 30…: 2 organizations
    with django_assert_num_queries(len(few.captured_queries)):
        answer = _search(client, q="van phong")  # 31, of which 20 are sent

    assert len(answer["results"]) == pickers.LIMIT
    assert answer["more"] is True
    assert all(re.fullmatch(r"Chi bộ Văn phòng — Đảng bộ Sở số \d+", label) for label in _labels(answer))


# The organization forms ------------------------------------------------------------------------


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select named {name}"
    return re.findall(r"<option[^>]*>[^<]*</option>", select.group(1))


def test_the_parent_picker_ships_only_the_chosen_organization(client, staff_user, org_a, many_offices):
    client.force_login(staff_user)

    html = client.get(reverse("organizations:create"), {"parent": org_a.pk}).content.decode()

    options = _options(html, "parent")
    assert options == [
        '<option value="">---------</option>',
        f'<option value="{org_a.pk}" selected>Đảng bộ Sở Tài chính</option>',
    ]
    assert f'data-search-url="{reverse("organizations:search")}?for=organization.parent"' in html
    move = client.get(reverse("organizations:move", args=[org_a.pk])).content.decode()
    assert _options(move, "new_parent") == ['<option value="" selected>---------</option>']
    assert f"for=organization.parent&amp;exclude={org_a.pk}" in move


def test_a_merge_searches_organizations_of_the_same_kind(client, staff_user, org_a, cell_a1):
    client.force_login(staff_user)
    html = client.get(reverse("organizations:merge", args=[cell_a1.pk])).content.decode()
    assert f"for=organization.parent&amp;exclude={cell_a1.pk}&amp;kind={Kind.SUBORDINATE_CELL}" in html
