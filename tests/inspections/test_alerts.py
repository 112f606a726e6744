"""The inspectors' sections of the attention hub ("Việc cần làm"): letters near their handling deadline
and past it, cases past their due date and not concluded, appeals accepted and not settled, each row
linking to its page, in the inspector's scope only; staff, leaders and secretaries never get them.

The day is today: letters, cases and appeals are recorded on days counted back from it (the services
refuse a future date), so the deadlines fall where each test puts them at any clock."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from blocportal import attention, clock, rules
from blocportal.models import Role
from inspections.models import Appeal, Body, Case, Complaint, DisciplineDecision
from inspections.selectors import alerts
from inspections.services import cases, complaints, discipline
from tests.factories import UserFactory, assign

pytestmark = pytest.mark.django_db

KEYS = [
    "inspections-letters-overdue",
    "inspections-letters-due",
    "inspections-cases-overdue",
    "inspections-appeals",
]


def ago(days: int) -> datetime.date:
    return clock.today() - datetime.timedelta(days=days)


def hub(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("attention"))
    assert response.status_code == 200
    return {section.key: section for section in response.context["sections"]}


def letter(organization, received_days_ago: int, by, **fields) -> Complaint:
    fields.setdefault("sender", "Nguyễn Văn Gửi")
    fields.setdefault("kind", Complaint.Kind.REPORT)
    return complaints.receive_complaint(
        organization=organization,
        received_on=ago(received_days_ago),
        summary="Phản ánh việc chấp hành quy chế làm việc",
        by=by,
        **fields,
    )


def case_on(target, *, opened_days_ago: int, due_days_ago: int | None, by, number: str, bloc) -> Case:
    return cases.open_case(
        organization=bloc,
        body=Body.COMMISSION,
        kind=Case.Kind.THEMATIC_SUPERVISION,
        decision_no=number,
        opened_on=ago(opened_days_ago),
        due_on=ago(due_days_ago) if due_days_ago is not None else None,
        target_organization=target,
        subject="Giám sát việc thực hiện quy chế dân chủ",
        by=by,
    )


def reprimand(member, organization, *, number: str, by) -> DisciplineDecision:
    return discipline.decide(
        organization=organization,
        body=Body.COMMISSION,
        decision_no=number,
        decided_on=ago(40),
        heard_on=ago(45),
        form=DisciplineDecision.Form.REPRIMAND,
        target_member=member,
        violation="Vi phạm quy chế làm việc",
        by=by,
    )


def appeal_against(decision, organization, by, *, filed_days_ago: int = 30) -> Appeal:
    return discipline.file_appeal(
        decision=decision,
        organization=organization,
        decision_received_on=ago(38),
        filed_on=ago(filed_days_ago),
        by=by,
    )


# Letters ----------------------------------------------------------------------------------------


def test_letters_near_and_past_their_deadline_are_listed_until_handled(
    client, bloc, org_a, cell_a1, inspector
):
    # The bloc handles a letter in 90 days, a đảng bộ cơ sở in 60, a chi bộ in 30.
    near = letter(bloc, 85, inspector)  # five days left
    late = letter(cell_a1, 40, inspector)  # ten days late
    fresh = letter(org_a, 3, inspector)  # 57 days left: not yet
    handled = letter(cell_a1, 45, inspector)
    complaints.file_complaint(complaint=handled, on=ago(2), result="Đơn trùng nội dung", by=inspector)

    sections = hub(client, inspector)

    assert [row.complaint for row in sections["inspections-letters-due"].rows] == [near]
    assert [row.complaint for row in sections["inspections-letters-overdue"].rows] == [late]
    assert (
        sections["inspections-letters-due"].rows[0].days,
        sections["inspections-letters-overdue"].rows[0].days,
    ) == (
        5,
        10,
    )
    html = client.get(reverse("attention")).content.decode()
    for shown in (near, late):
        assert f'href="{reverse("inspections:complaint", args=[shown.pk])}"' in html
    for hidden in (fresh, handled):
        assert f'href="{reverse("inspections:complaint", args=[hidden.pk])}"' not in html
    # The list behind each section, filtered on the day as the section is.
    today = clock.today().isoformat()
    assert (
        sections["inspections-letters-overdue"].url
        == f"{reverse('inspections:complaints')}?overdue_on={today}"
    )
    assert (
        sections["inspections-letters-due"].url == f"{reverse('inspections:complaints')}?pending_on={today}"
    )

    listed = client.get(sections["inspections-letters-overdue"].url).content.decode()
    assert f'href="{reverse("inspections:complaint", args=[late.pk])}"' in listed
    assert f'href="{reverse("inspections:complaint", args=[near.pk])}"' not in listed

    complaints.resolve_complaint(complaint=near, on=clock.today(), result="Đã trả lời", by=inspector)
    complaints.forward_complaint(
        complaint=late, on=clock.today(), forwarded_to="Ủy ban Kiểm tra Tỉnh ủy", by=inspector
    )

    sections = hub(client, inspector)
    assert sections["inspections-letters-due"].count == sections["inspections-letters-overdue"].count == 0


def test_the_window_of_a_letter_near_its_deadline_is_the_rule(bloc, cell_a1, inspector):
    """``alert.complaint_due_days`` (10): a chi bộ's letter received 20 days ago (due in 10 days) is
    near; one received 19 days ago (due in 11) is not yet; one due today is near, not late."""
    assert rules.get("alert.complaint_due_days") == 10
    edge = letter(cell_a1, 20, inspector)
    letter(cell_a1, 19, inspector)
    today = letter(cell_a1, 30, inspector)

    near = alerts.letters_due_soon_section(inspector, clock.today())
    assert [(row.complaint, row.days) for row in near.rows] == [(today, 0), (edge, 10)]
    assert alerts.letters_overdue_count(inspector, clock.today()) == 0


# Cases ------------------------------------------------------------------------------------------


def test_cases_past_their_due_date_are_listed_until_concluded(client, bloc, org_a, org_b, cell_a1, inspector):
    late = case_on(org_a, opened_days_ago=60, due_days_ago=10, by=inspector, number="12-QĐ/UBKT", bloc=bloc)
    on_time = case_on(
        org_b, opened_days_ago=20, due_days_ago=-10, by=inspector, number="13-QĐ/UBKT", bloc=bloc
    )
    undated = case_on(
        cell_a1, opened_days_ago=90, due_days_ago=None, by=inspector, number="14-QĐ/UBKT", bloc=bloc
    )
    done = case_on(org_b, opened_days_ago=90, due_days_ago=30, by=inspector, number="15-QĐ/UBKT", bloc=bloc)
    cases.conclude_case(case=done, conclusion=Case.Conclusion.NO_VIOLATION, closed_on=ago(25), by=inspector)

    section = hub(client, inspector)["inspections-cases-overdue"]

    assert [(row.case, row.days) for row in section.rows] == [(late, 10)]
    html = client.get(reverse("attention")).content.decode()
    assert f'href="{reverse("inspections:case", args=[late.pk])}"' in html
    for other in (on_time, undated, done):
        assert f'href="{reverse("inspections:case", args=[other.pk])}"' not in html
    assert section.url == f"{reverse('inspections:cases')}?open=1"

    cases.conclude_case(
        case=late,
        conclusion=Case.Conclusion.MINOR,
        closed_on=clock.today(),
        findings="Chưa ban hành quy chế dân chủ cơ sở",
        by=inspector,
    )
    assert hub(client, inspector)["inspections-cases-overdue"].count == 0


# Appeals ----------------------------------------------------------------------------------------


def test_accepted_appeals_are_listed_until_settled(client, bloc, official_member, member_of_b, inspector):
    accepted = appeal_against(
        reprimand(official_member, bloc, number="21-QĐ/UBKT", by=inspector), bloc, inspector
    )
    late = appeal_against(
        reprimand(member_of_b, bloc, number="22-QĐ/UBKT", by=inspector), bloc, inspector, filed_days_ago=1
    )
    assert (accepted.status, late.status) == (Appeal.Status.ACCEPTED, Appeal.Status.REFUSED)

    section = hub(client, inspector)["inspections-appeals"]

    assert [(row.appeal, row.days) for row in section.rows] == [(accepted, 30)]
    html = client.get(reverse("attention")).content.decode()
    assert f'href="{reverse("inspections:decision", args=[accepted.decision_id])}"' in html

    discipline.settle_appeal(
        appeal=accepted,
        outcome=Appeal.Outcome.UPHELD,
        settled_on=clock.today(),
        settlement_no="30-QĐ/UBKT",
        by=inspector,
    )
    assert hub(client, inspector)["inspections-appeals"].count == 0


# Who sees them ----------------------------------------------------------------------------------


@pytest.fixture
def one_of_each(bloc, org_a, cell_a1, official_member, inspector):
    letter(cell_a1, 40, inspector)
    letter(org_a, 55, inspector)
    case_on(cell_a1, opened_days_ago=60, due_days_ago=5, by=inspector, number="31-QĐ/UBKT", bloc=bloc)
    appeal_against(reprimand(official_member, org_a, number="32-QĐ/UBKT", by=inspector), org_a, inspector)


def test_inspectors_and_superusers_see_the_sections_in_order(client, one_of_each, inspector, superuser):
    for user in (inspector, superuser):
        sections = hub(client, user)
        assert [key for key in sections if key.startswith("inspections-")] == KEYS
        assert {key: sections[key].count for key in KEYS} == dict.fromkeys(KEYS, 1)


def test_staff_leaders_and_secretaries_never_see_an_inspection_section(
    client, one_of_each, staff_user, leader_user, secretary_a
):
    for user in (staff_user, leader_user, secretary_a):
        sections = hub(client, user)
        assert not [key for key in sections if key.startswith("inspections-")], user.username
        assert not any(provider.key in KEYS for provider in attention.providers(user))
        assert set(attention.kept_counts(user)).isdisjoint(KEYS)


def test_an_inspector_sees_only_their_own_subtree(
    client, one_of_each, bloc, org_a, org_b, member_of_b, inspector
):
    letter(org_b, 25, inspector)  # chi bộ B's letter: five days left
    case_on(org_b, opened_days_ago=60, due_days_ago=5, by=inspector, number="33-QĐ/UBKT", bloc=bloc)
    of_a = UserFactory(username="ubkt.a")
    assign(of_a, Role.INSPECTOR, org_a)
    of_b = UserFactory(username="ubkt.b")
    assign(of_b, Role.INSPECTOR, org_b)

    counts_a = {key: section.count for key, section in hub(client, of_a).items() if key in KEYS}
    counts_b = {key: section.count for key, section in hub(client, of_b).items() if key in KEYS}

    # A's two letters and the appeal A settles, B's letter; never the cases the bloc conducts in them.
    assert counts_a == dict.fromkeys(KEYS, 1) | {"inspections-cases-overdue": 0}
    assert counts_b == dict.fromkeys(KEYS, 0) | {"inspections-letters-due": 1}
    assert {key: section.count for key, section in hub(client, inspector).items() if key in KEYS} == (
        dict.fromkeys(KEYS, 1) | {"inspections-letters-due": 2, "inspections-cases-overdue": 2}
    )
    # An inspector assignment elsewhere adds nothing for a staff assignment over the bloc.
    assign(of_b, Role.STAFF, bloc)
    counts_b = {key: section.count for key, section in hub(client, of_b).items() if key in KEYS}
    assert counts_b == dict.fromkeys(KEYS, 0) | {"inspections-letters-due": 1}


# Cheap counts -----------------------------------------------------------------------------------


def test_the_hub_counts_as_the_sections_show(one_of_each, inspector):
    today = clock.today()
    for provider in attention.providers(inspector):
        if provider.key in KEYS:
            assert provider.count(inspector, today) == provider.build(inspector, today).count == 1, (
                provider.key
            )


@pytest.mark.parametrize("rows", [2, 60])
def test_each_section_costs_one_query_however_many_rows(
    bloc, org_a, cell_a1, inspector, django_assert_num_queries, rows
):
    for number in range(rows):
        letter(cell_a1, 40, inspector)  # late
        letter(bloc, 85, inspector)  # near
        case_on(
            org_a, opened_days_ago=60, due_days_ago=5, by=inspector, number=f"{number}-QĐ/UBKT", bloc=bloc
        )
    today = clock.today()
    providers = [provider for provider in attention.providers(inspector) if provider.key in KEYS]
    attention.sections(inspector, today)  # the user's scope and the rules, read once

    for provider in providers:
        with django_assert_num_queries(1):
            section = provider.build(inspector, today)
        with django_assert_num_queries(1):
            assert provider.count(inspector, today) == section.count
        shown = min(section.count, attention.SECTION_ROWS)
        assert len(section.rows) == shown
    counts = {provider.key: provider.count(inspector, today) for provider in providers}
    assert counts == {
        "inspections-letters-overdue": rows,
        "inspections-letters-due": rows,
        "inspections-cases-overdue": rows,
        "inspections-appeals": 0,
    }


# The digest -------------------------------------------------------------------------------------


def test_the_digest_names_letters_and_cases_without_naming_anyone(bloc, org_a, official_member, inspector):
    inspector.email = "ubkt@example.org"
    inspector.save()
    letter(org_a, 55, inspector, subject_member=official_member, kind=Complaint.Kind.DENUNCIATION)
    case = cases.open_case(
        organization=bloc,
        body=Body.COMMISSION,
        kind=Case.Kind.SIGNS_OF_VIOLATION,
        decision_no="41-QĐ/UBKT",
        opened_on=ago(60),
        due_on=ago(5),
        target_member=official_member,
        by=inspector,
    )

    call_command("send_attention_digest", stdout=io.StringIO(), stderr=io.StringIO())

    (message,) = [message for message in mail.outbox if message.to == [inspector.email]]
    assert case.decision_no in message.body and org_a.name in message.body
    assert official_member.full_name not in message.body
    assert "Nguyễn Văn Gửi" not in message.body
