"""What every list shares: the pagination in Vietnamese, a fixed choice of page sizes
(blocportal.lists.paginate), "Tất cả" as the empty choice of its filters; and words that mean
different things on different pages translated in their context."""

import pytest
from django.urls import reverse

from blocportal.lists import PAGE_SIZES
from reports import services as report_services
from tests.factories import MemberFactory

FILTERED_LISTS = [
    "members:list",
    "members:candidate_list",
    "members:badge_list",
    "members:badge_awarded",
    "organizations:list",
]


@pytest.fixture
def twenty_six_members(cell_a1, system_user):
    """One more than the smallest page."""
    return MemberFactory.create_batch(26, organization=cell_a1, by=system_user)


def _list(client, **query):
    return client.get(reverse("members:list"), query)


def test_pagination_speaks_vietnamese(client, staff_user, twenty_six_members):
    client.force_login(staff_user)

    first = _list(client, per_page=25).content.decode()
    second = _list(client, per_page=25, page=2).content.decode()

    assert "Trang sau" in first and "Trang trước" in second
    for body in (first, second):
        assert "bước tiếp theo" not in body  # the candidate's next step, another "next"
        assert "</span> previous" not in body and "next <span" not in body


@pytest.mark.parametrize("size", PAGE_SIZES)
def test_the_offered_page_sizes_are_honoured(client, staff_user, size):
    client.force_login(staff_user)
    assert _list(client, per_page=size).context["table"].paginator.per_page == size


@pytest.mark.parametrize("value", ["-1", "0", "7", "51", "100000", "abc", ""])
def test_any_other_page_size_falls_back_to_the_default(client, staff_user, value):
    client.force_login(staff_user)
    response = _list(client, per_page=value)
    assert response.status_code == 200
    assert response.context["table"].paginator.per_page == 50


def test_the_page_sizes_are_offered_on_a_long_list(client, staff_user, twenty_six_members):
    client.force_login(staff_user)

    body = _list(client).content.decode()

    assert "Số dòng mỗi trang" in body
    for size in (25, 100, 200):
        assert f"per_page={size}" in body
    assert "per_page=50" not in body  # the current size is not a link


def test_a_page_past_the_end_shows_the_last_page(client, staff_user, twenty_six_members):
    client.force_login(staff_user)
    response = _list(client, per_page=25, page=9)
    assert response.context["table"].page.number == 2


@pytest.mark.parametrize("name", FILTERED_LISTS)
def test_the_filters_empty_choice_reads_all(client, staff_user, name):
    client.force_login(staff_user)

    body = client.get(reverse(name)).content.decode()

    assert "---------" not in body
    assert '<option value="" selected>Tất cả</option>' in body


def test_the_report_page_names_the_kind_of_report(client, staff_user, org_a, system_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = report_services.create_draft(organization=org_a, period="2025-Q2", by=system_user)
    client.force_login(staff_user)

    body = client.get(reverse("reports:detail", args=[report.pk])).content.decode()

    assert '<dt class="col-5">loại báo cáo</dt>' in body
    assert "loại tổ chức" not in body


@pytest.fixture
def a_row_in_every_list(org_a, cell_a1, org_b, system_user, settings, tmp_path):
    """Members (one of them with 40 years of party age and its 30-year badge, one reaching 30 years,
    one former), a candidate, a report: rows for each list below."""
    import datetime

    from members import services as member_services
    from members.models import BadgeAward
    from tests.factories import CandidateFactory
    from tests.members.veterans import veteran

    settings.MEDIA_ROOT = tmp_path
    old_hand = veteran(cell_a1, datetime.date(1980, 3, 1), by=system_user)
    BadgeAward.objects.create(
        member=old_hand,
        years=30,
        awarded_on=datetime.date(2010, 5, 19),
        decision_no="1-QĐ",
        recorded_by=system_user,
    )
    veteran(org_b, datetime.date(1996, 5, 19), by=system_user)
    leaving = MemberFactory(organization=cell_a1, by=system_user)
    member_services.leave_party(
        member=leaving, on=datetime.date(2024, 1, 5), decision_no="2-QĐ", by=system_user
    )
    CandidateFactory(organization=cell_a1, by=system_user)
    draft = report_services.create_draft(organization=org_a, period="2025-Q2", by=system_user)
    report_services.finalize_report(report=draft, by=system_user, enqueue=False)


LIST_TABLES = [
    ("members:list", {}),
    ("members:list", {"exit": "all", "sort": "-situation"}),
    ("members:candidate_list", {}),
    ("members:badge_list", {}),
    ("members:badge_awarded", {}),
    ("organizations:list", {"status": "all"}),
    ("reports:list", {}),
]


@pytest.mark.parametrize(("name", "query"), LIST_TABLES)
def test_the_rows_a_list_writes_are_the_ones_django_tables2_writes(
    client, staff_user, a_row_in_every_list, name, query
):
    """ListTable.body_html writes the rows itself (far cheaper than the library's template loop):
    the same rows, cells and attributes, but for the whitespace between the tags."""
    import itertools
    import re

    from django.template.loader import get_template

    client.force_login(staff_user)
    response = client.get(reverse(name), query)
    table = response.context["table"]
    ours = table.body_html
    assert ours.count("<tr ") == len(table.page.object_list) >= 1
    table._counter = itertools.count()  # the rows' even/odd classes, counted afresh
    library = get_template("django_tables2/bootstrap5.html").render(
        {"table": table, "request": response.wsgi_request}
    )
    tbody = re.search(r"<tbody[^>]*>(.*)</tbody>", library, flags=re.S)[1]

    def squeezed(html):
        return re.sub(r">\s+<", "><", html).strip()

    assert squeezed(ours) == squeezed(tbody)
    assert squeezed(ours) in squeezed(response.content.decode())
