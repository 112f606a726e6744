"""The attention hub ("Việc cần làm", blocportal.attention): every app's sections on one page, in
the user's scope, at a fixed number of queries; its count in the navigation, fetched after the
page; and the registry that the modules add their sections through."""

import copy

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocportal import attention
from tests.core import alerts
from tests.factories import MemberFactory, UserFactory

MEMBER_SECTIONS = [
    "probations",
    "certificates",
    "small-cells",
    "transfers",
    "personal-histories",
    "committees",
    "badges",
]
MEETING_SECTIONS = ["meetings-regular", "meetings-thematic", "meetings-absences"]
RATING_SECTIONS = ["ratings-failed"]  # and "ratings-awaiting" for those who approve (staff)
# and "reports-awaiting" for those who review, "reports-late" for staff and leaders
REPORT_SECTIONS = ["reports-returned"]


@pytest.fixture(autouse=True)
def _on(settings):
    settings.PORTAL_NOW = alerts.PORTAL_NOW


@pytest.fixture
def every_alert(org_a, cell_a1, org_b, staff_user, system_user):
    alerts.every_alert(org_a=org_a, cell_a1=cell_a1, org_b=org_b, by=staff_user, system_user=system_user)


def hub(client, user):
    client.force_login(user)
    response = client.get(reverse("attention"))
    assert response.status_code == 200
    return response, {section.key: section for section in response.context["sections"]}


def count_badge(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("attention_count"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


# Every kind of alert, in scope ------------------------------------------------------------------


def test_each_kind_of_alert_has_its_section_on_the_hub(client, every_alert, secretary_a):
    response, sections = hub(client, secretary_a)

    # in their registered order
    assert list(sections) == MEMBER_SECTIONS + MEETING_SECTIONS + RATING_SECTIONS + REPORT_SECTIONS
    expected = {
        "probations": alerts.PROBATIONER,
        "certificates": alerts.CANDIDATE,
        "small-cells": alerts.SMALL_CELL,
        "transfers": alerts.TRANSFERRED,
        "personal-histories": alerts.PROBATIONER,
        "committees": alerts.NO_CHI_UY,
        "badges": alerts.VETERAN,
        "meetings-regular": alerts.NO_CHI_UY,
        "meetings-thematic": alerts.NO_CHI_UY,
        "meetings-absences": alerts.ABSENTEE,
        "ratings-failed": alerts.FAILED,
    }
    html = response.content.decode()
    for key, name in expected.items():
        assert name in alerts.names_in(sections[key]), key
        assert f'id="{key}"' in html
    for name in expected.values():
        assert name in html


def test_a_secretary_sees_nothing_out_of_their_organization(client, every_alert, org_a, org_b, secretary_a):
    response, sections = hub(client, secretary_a)

    shown = {key: section for key, section in sections.items() if section.count}
    assert len(shown) == 11, shown.keys()  # every kind of alert of the fixture's A is there ...
    for key, section in shown.items():  # ... and nothing of B
        assert all(org.path.startswith(org_a.path) for org in alerts.organizations_of(section)), key
    assert alerts.IN_B not in response.content.decode()


def test_the_other_secretary_sees_only_their_own(client, every_alert, org_b, secretary_b):
    response, sections = hub(client, secretary_b)

    assert {key: section.count for key, section in sections.items() if section.count} == {
        "probations": 1,  # Người Ở Báo
        "small-cells": 1,  # Chi bộ Báo Gia Lai itself: one member, probationary
        "personal-histories": 1,
        "meetings-regular": 1,  # Chi bộ Báo Gia Lai has not met in April
        "meetings-thematic": 1,
    }
    html = response.content.decode()
    assert alerts.IN_B in html
    for name in (
        alerts.PROBATIONER,
        alerts.CANDIDATE,
        alerts.VETERAN,
        alerts.TRANSFERRED,
        alerts.NO_CHI_UY,
        alerts.ABSENTEE,
        alerts.FAILED,
    ):
        assert name not in html


def test_inspectors_get_no_candidate_section(client, every_alert, inspector_user):
    _response, sections = hub(client, inspector_user)
    assert "certificates" not in sections and "probations" in sections


def test_a_user_without_a_role_sees_nothing(client, every_alert):
    _response, sections = hub(client, UserFactory(username="nobody"))
    assert sections == {}


def test_each_section_counts_what_it_shows(every_alert, staff_user):
    """The navigation counts with each provider's cheap count: it must agree with the section."""
    for provider in attention.providers(staff_user):
        assert provider.count(staff_user, alerts.ON) == provider.build(staff_user, alerts.ON).count, (
            provider.key
        )


@pytest.mark.parametrize("extra", [1, 15])
def test_the_hub_costs_a_fixed_number_of_queries(
    client, every_alert, cell_a1, staff_user, django_assert_max_num_queries, extra
):
    for _ in range(extra):
        MemberFactory(
            organization=cell_a1,
            admitted_on=alerts.D(2025, 3, 3),
            ceremony_on=alerts.D(2025, 3, 16),
            by=staff_user,
        )
    client.force_login(staff_user)
    # One query a section (fifteen), and the session, the user and the assignments.
    with django_assert_max_num_queries(18):
        response = client.get(reverse("attention"))
    sections = {section.key: section for section in response.context["sections"]}
    assert sections["probations"].count == extra + 2  # and Trịnh Văn Dự Bị, Người Ở Báo


# The navigation ---------------------------------------------------------------------------------


def test_every_page_loads_the_count_after_it_is_shown(client, every_alert, staff_user):
    client.force_login(staff_user)
    with CaptureQueriesContext(connection) as page:
        html = client.get(reverse("home")).content.decode()

    assert f'hx-get="{reverse("attention_count")}"' in html and 'hx-trigger="load"' in html
    assert reverse("attention") in html
    assert not [query for query in page.captured_queries if "members_" in query["sql"]]


def test_the_count_is_the_total_of_the_hub(client, every_alert, staff_user, secretary_a, secretary_b):
    for user in (staff_user, secretary_a, secretary_b):
        total = sum(section.count for section in hub(client, user)[1].values())
        cache.clear()  # the hub kept its total: count afresh
        assert f">{total}<" in count_badge(client, user)


def test_the_count_is_scoped(client, every_alert, secretary_b):
    # Người Ở Báo twice, the small chi bộ B, and its meetings of April and of the quarter not held.
    assert ">5<" in count_badge(client, secretary_b)


def test_nothing_to_do_shows_no_badge(client, db):
    assert "badge" not in count_badge(client, UserFactory(username="nobody"))


def test_the_count_is_cheap_and_kept_a_while(
    client, every_alert, cell_a1, staff_user, django_assert_max_num_queries
):
    client.force_login(staff_user)
    # The session, the user, the assignments and one COUNT a section (fifteen).
    with django_assert_max_num_queries(18):
        first = client.get(reverse("attention_count")).content.decode()
    MemberFactory(
        organization=cell_a1,
        admitted_on=alerts.D(2025, 3, 3),
        ceremony_on=alerts.D(2025, 3, 16),
        by=staff_user,
    )
    with django_assert_max_num_queries(2):  # kept: the session and the user only
        assert client.get(reverse("attention_count")).content.decode() == first

    # Opening the hub counts afresh and keeps its total for the navigation.
    total = sum(section.count for section in hub(client, staff_user)[1].values())
    assert f">{total}<" in client.get(reverse("attention_count")).content.decode()
    assert f">{total}<" not in first


# The registry -----------------------------------------------------------------------------------


@pytest.fixture
def module_section(settings):
    """A section registered as a later module (meetings) would: its own template, rows and count."""
    template = "{% for row in section.rows %}<p class='meeting'>{{ row }}</p>{% endfor %}"
    engine = copy.deepcopy(settings.TEMPLATES[0])
    engine["APP_DIRS"] = False
    engine["OPTIONS"]["loaders"] = [
        ("django.template.loaders.locmem.Loader", {"meetings/attention/overdue.html": template}),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    settings.TEMPLATES = [engine]

    def build(user, on):
        rows = ["Chi bộ Báo Gia Lai: tháng 3"] if user.username == "secretary2" else []
        return attention.Section(rows, len(rows))

    provider = attention.register(
        attention.Provider(
            key="meetings-overdue",
            title="Meetings not held",
            order=5,
            build=build,
            template="meetings/attention/overdue.html",
            url="/meetings/",
        )
    )
    yield provider
    attention.unregister(provider.key)


def test_a_module_adds_its_section_through_the_registry(client, module_section, secretary_a, secretary_b):
    response, sections = hub(client, secretary_b)
    assert list(sections)[0] == "meetings-overdue"  # order 5: before the members' sections
    html = response.content.decode()
    assert "<p class='meeting'>Chi bộ Báo Gia Lai: tháng 3</p>" in html and 'href="/meetings/"' in html
    cache.clear()
    # The meeting, chi bộ B without members, and its meetings of April and of the quarter not held.
    assert ">4<" in count_badge(client, secretary_b)

    _response, sections = hub(client, secretary_a)
    assert sections["meetings-overdue"].count == 0


def test_a_key_is_registered_once(db):
    probations = next(p for p in attention.providers() if p.key == "probations")
    attention.register(probations)  # ready() run again: the same provider is ignored
    with pytest.raises(ImproperlyConfigured):
        attention.register(attention.Provider("probations", "Other", 1, lambda user, on: None, "x.html"))
