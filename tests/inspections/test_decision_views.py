"""The discipline pages: the inspector records a decision through the form — from a case, from a member, or
afresh — and its effect is made; the rules of DOMAIN.md §5 come back onto the form's fields (a
probationary member, a chi bộ, cách chức without a post, the hearing, the member's circumstance); an
appeal is accepted within 30 days and refused after them with the reason; its settlement changes or
annuls the decision and undoes the effect. Every opening of a decision's page, and of an appeal's, is
logged; nobody but an inspector of the subtree finds them.

The people are those of tests/inspections/conftest.py; the Ban Thường vụ of the bloc decides on
10/07/2025 unless a test says otherwise, the member having been heard on 01/07/2025."""

import datetime

import pytest
from django.urls import reverse

from blocportal.dates import format_day
from blocportal.models import Role
from inspections.models import Appeal, Body, Case, DisciplineDecision, ReadLog
from inspections.services import cases as case_services
from inspections.services import discipline
from members.models import Member, Spell
from tests.factories import UserFactory, assign
from tests.import_page import msg

pytestmark = pytest.mark.django_db

D = datetime.date
Form, Outcome = DisciplineDecision.Form, Appeal.Outcome
DECIDED, HEARD = D(2025, 7, 10), D(2025, 7, 1)

PROBATIONARY = "%(name)s is a probationary member: only khiển trách or cảnh cáo (69-QĐ/TW Điều 7)."
CELL_FORMS = (
    "A Party cell gives only khiển trách or cảnh cáo (296-QĐ/TW Điều 10); propose the %(form)s upward."
)
NO_POST = "%(name)s held no post on %(date)s: cách chức is only for someone holding a post."
HEARING = "The member presents their view before the decision (296-QĐ/TW Điều 12): enter when."
CIRCUMSTANCE = (
    "No discipline while the member is %(circumstance)s (296-QĐ/TW Điều 8), unless the reason "
    "for deciding now is recorded."
)


def _errors(response) -> dict[str, list[str]]:
    return {field: list(errors) for field, errors in response.context["form"].errors.items()}


def _messages(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


@pytest.fixture
def logged_in(client, inspector):
    client.force_login(inspector)
    return client


def _posted(bloc, member, form, **values) -> dict:
    """The decision form as the Ban Thường vụ of the bloc fills it for ``member``."""
    return {
        "body": Body.STANDING,
        "organization": bloc.pk,
        "decision_no": "101-QĐ/ĐUK",
        "decided_on": format_day(DECIDED),
        "target_member": member.pk,
        "form": form,
        "heard_on": format_day(HEARD),
        "violation": "Vi phạm quy định về kê khai tài sản, thu nhập.",
        "violation_on": "15/03/2025",
        **values,
    }


def _decide(logged_in, data):
    return logged_in.post(reverse("inspections:decision_create"), data)


def _decision(bloc, inspector, target_member=None, form=Form.WARNING, **values) -> DisciplineDecision:
    values.setdefault("heard_on", HEARD if target_member is not None else None)
    return discipline.decide(
        organization=values.pop("organization", bloc),
        body=values.pop("body", Body.STANDING),
        decision_no=values.pop("decision_no", "101-QĐ/ĐUK"),
        decided_on=DECIDED,
        form=form,
        target_member=target_member,
        by=inspector,
        **values,
    )


# Deciding through the form -------------------------------------------------------------------------


def test_the_inspector_records_a_warning_and_lands_on_its_page(logged_in, bloc, official_member, inspector):
    response = _decide(logged_in, _posted(bloc, official_member, Form.WARNING))

    decision = DisciplineDecision.objects.get()
    assert response.status_code == 302 and response.url == decision.get_absolute_url()
    assert (decision.organization, decision.body, decision.form, decision.target_member) == (
        bloc,
        Body.STANDING,
        Form.WARNING,
        official_member,
    )
    assert (decision.effective_on, decision.heard_on, decision.recorded_by) == (DECIDED, HEARD, inspector)
    assert decision.target_cell.code == "A1"


def test_expelling_through_the_form_ends_the_membership_and_the_page_says_so(
    logged_in, bloc, official_member
):
    response = _decide(logged_in, _posted(bloc, official_member, Form.EXPULSION))

    assert response.status_code == 302
    official_member.refresh_from_db()
    assert (official_member.exit_reason, official_member.exited_on) == (Member.Exit.EXPELLED, DECIDED)
    assert not Spell.objects.filter(member=official_member, ends_on__isnull=True).exists()
    page = logged_in.get(response.url).content.decode()
    assert 'data-effect="membership"' in page and "data-undone" not in page


def test_dismissal_offers_the_posts_the_member_holds_and_ends_the_chosen_one(
    logged_in, bloc, secretary_of_a, seat_of
):
    seat = seat_of(secretary_of_a)
    page = logged_in.get(reverse("inspections:decision_create"), {"member": secretary_of_a.pk})
    assert list(page.context["form"].fields["seat"].queryset) == [seat]

    response = _decide(logged_in, _posted(bloc, secretary_of_a, Form.DISMISSAL, seat=seat.pk))

    assert response.status_code == 302
    decision = DisciplineDecision.objects.get()
    seat.refresh_from_db()
    assert (decision.seat, seat.ends_on) == (seat, DECIDED)
    assert 'data-effect="seat"' in logged_in.get(response.url).content.decode()


def test_the_seat_field_is_asked_again_when_the_member_changes(logged_in, secretary_of_a, seat_of):
    response = logged_in.get(
        reverse("inspections:decision_create"),
        {"target_member": secretary_of_a.pk, "decided_on": format_day(DECIDED)},
        headers={"HX-Request": "true"},
    )

    assert [template.name for template in response.templates][0] == "inspections/decisions/_seat_field.html"
    assert f'value="{seat_of(secretary_of_a).pk}"' in response.content.decode()


def test_a_case_presets_the_target_and_the_decision_comes_from_it(
    logged_in, bloc, official_member, inspector
):
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
        findings="Kê khai tài sản không trung thực.",
        by=inspector,
    )

    form = logged_in.get(reverse("inspections:decision_create"), {"case": case.pk}).context["form"]
    assert (form["case"].value(), form["target_member"].value(), form["organization"].value()) == (
        case.pk,
        official_member.pk,
        bloc.pk,
    )

    response = _decide(logged_in, _posted(bloc, official_member, Form.WARNING, case=case.pk))

    assert response.status_code == 302
    assert DisciplineDecision.objects.get().case == case
    assert f'data-case="{case.pk}"' in logged_in.get(response.url).content.decode()


def test_a_member_presets_the_target(logged_in, official_member):
    form = logged_in.get(reverse("inspections:decision_create"), {"member": official_member.pk}).context[
        "form"
    ]

    assert form["target_member"].value() == official_member.pk


def test_a_preset_outside_the_inspectors_subtree_is_a_404(client, org_b, official_member):
    other = UserFactory()
    assign(other, Role.INSPECTOR, org_b)
    client.force_login(other)

    response = client.get(reverse("inspections:decision_create"), {"member": official_member.pk})

    assert response.status_code == 404


# The rules, refused on the form --------------------------------------------------------------------


def test_a_probationary_member_is_not_expelled(logged_in, bloc, probationary_member, unchanged):
    response = _decide(logged_in, _posted(bloc, probationary_member, Form.EXPULSION))

    assert response.status_code == 200
    assert msg(PROBATIONARY, name="Phạm Thị Dự") in _errors(response)["form"]
    assert msg(PROBATIONARY, name="Phạm Thị Dự") in response.content.decode()


def test_a_chi_bo_does_not_dismiss(logged_in, cell_a1, secretary_of_a, unchanged):
    data = _posted(cell_a1, secretary_of_a, Form.DISMISSAL, body=Body.CELL)

    response = _decide(logged_in, data)

    expected = msg(CELL_FORMS, form=str(Form.DISMISSAL.label).lower())
    assert expected in _errors(response)["form"]
    assert expected in response.content.decode()


def test_dismissal_needs_a_post(logged_in, bloc, official_member, unchanged):
    response = _decide(logged_in, _posted(bloc, official_member, Form.DISMISSAL))

    assert msg(NO_POST, name="Trần Văn Chính", date=format_day(DECIDED)) in _errors(response)["form"]


def test_the_member_is_heard_first(logged_in, bloc, official_member, unchanged):
    response = _decide(logged_in, _posted(bloc, official_member, Form.WARNING, heard_on=""))

    assert _errors(response) == {"heard_on": [msg(HEARING)]}


def test_a_member_in_a_protected_circumstance_is_disciplined_only_with_the_reason(
    logged_in, bloc, official_member
):
    circumstance = DisciplineDecision.Circumstance.ILL
    data = _posted(bloc, official_member, Form.WARNING, circumstance=circumstance)

    response = _decide(logged_in, data)

    expected = msg(CIRCUMSTANCE, circumstance=str(circumstance.label).lower())
    assert _errors(response) == {"form": [expected]}
    assert not DisciplineDecision.objects.exists()

    response = _decide(logged_in, {**data, "override_reason": "Vi phạm nghiêm trọng, cần xử lý ngay."})

    assert response.status_code == 302
    page = logged_in.get(response.url).content.decode()
    assert 'id="decision-override"' in page


def test_exactly_one_target(logged_in, bloc, official_member, org_b, unchanged):
    response = _decide(logged_in, _posted(bloc, official_member, Form.WARNING, target_organization=org_b.pk))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


# The decision's page -------------------------------------------------------------------------------


def test_opening_a_decisions_page_writes_one_read_log_row(logged_in, bloc, official_member, inspector):
    decision = _decision(bloc, inspector, official_member, violation="Kê khai không trung thực.")
    url = decision.get_absolute_url()

    response = logged_in.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-target-member="{official_member.pk}"' in page and "Kê khai không trung thực." in page
    row = ReadLog.objects.get()
    assert (row.user, row.what, row.object_id, row.path) == (inspector, "decision", decision.pk, url)


def test_the_list_filters_the_decisions(logged_in, bloc, official_member, member_of_b, org_b, inspector):
    warning = _decision(bloc, inspector, official_member)
    expulsion = _decision(bloc, inspector, member_of_b, Form.EXPULSION, decision_no="102-QĐ/ĐUK")
    of_b = discipline.decide(
        organization=bloc,
        body=Body.STANDING,
        decision_no="103-QĐ/ĐUK",
        decided_on=D(2025, 8, 1),
        form=Form.REPRIMAND,
        target_organization=org_b,
        by=inspector,
    )

    def listed(**query) -> set[int]:
        response = logged_in.get(reverse("inspections:decisions"), query)
        assert response.status_code == 200
        return {record.pk for record in response.context["table"].page.object_list.data}

    assert listed() == {warning.pk, expulsion.pk, of_b.pk}
    assert listed(form="khai_tru") == {expulsion.pk}
    assert listed(target="organization") == {of_b.pk}
    assert listed(target="member") == {warning.pk, expulsion.pk}
    assert listed(decided_from="2025-07-20") == {of_b.pk}
    assert listed(decided_to="31/07/2025") == {warning.pk, expulsion.pk}
    assert listed(q="tran van chinh") == {warning.pk}
    assert listed(q="102-QĐ") == {expulsion.pk}
    assert listed(within=bloc.pk) == {warning.pk, expulsion.pk, of_b.pk}
    assert listed(within=org_b.pk) == set()  # decided by the bloc, not by B


def test_an_annulled_decision_is_left_out_of_those_in_force(logged_in, bloc, official_member, inspector):
    decision = _decision(bloc, inspector, official_member)
    appeal = discipline.file_appeal(
        decision=decision,
        organization=bloc,
        decision_received_on=D(2025, 7, 12),
        filed_on=D(2025, 7, 20),
        by=inspector,
    )
    discipline.settle_appeal(appeal=appeal, outcome=Outcome.ANNULLED, settled_on=D(2025, 9, 1), by=inspector)

    response = logged_in.get(reverse("inspections:decisions"), {"in_force": "1"})

    assert list(response.context["table"].page.object_list.data) == []
    assert len(logged_in.get(reverse("inspections:decisions")).context["table"].page.object_list.data) == 1


# Appeals -------------------------------------------------------------------------------------------


def _appeal(logged_in, decision, follow=False, **data):
    return logged_in.post(reverse("inspections:appeal_create", args=[decision.pk]), data, follow=follow)


def test_an_appeal_within_thirty_days_is_accepted(logged_in, bloc, official_member, inspector):
    decision = _decision(bloc, inspector, official_member)
    page = logged_in.get(reverse("inspections:appeal_create", args=[decision.pk]))
    assert page.context["days"] == 30 and 'id="appeal-rule"' in page.content.decode()

    response = _appeal(
        logged_in, decision, organization=bloc.pk, decision_received_on="12/07/2025", filed_on="11/08/2025"
    )

    assert response.status_code == 302 and response.url == decision.get_absolute_url()
    appeal = Appeal.objects.get()
    assert (appeal.status, appeal.refusal_ground) == (Appeal.Status.ACCEPTED, "")
    page = logged_in.get(response.url).content.decode()
    assert f'data-appeal="{appeal.pk}" data-status="thu_ly"' in page
    assert reverse("inspections:appeal_settle", args=[appeal.pk]) in page


def test_a_late_appeal_is_not_accepted_and_the_page_says_why(logged_in, bloc, official_member, inspector):
    decision = _decision(bloc, inspector, official_member)

    response = _appeal(
        logged_in,
        decision,
        organization=bloc.pk,
        decision_received_on="12/07/2025",
        filed_on="12/08/2025",
        follow=True,
    )

    appeal = Appeal.objects.get()
    assert (appeal.status, appeal.refusal_ground) == (Appeal.Status.REFUSED, Appeal.RefusalGround.LATE)
    assert "31" in appeal.refusal_note and "30" in appeal.refusal_note
    assert appeal.refusal_note in _messages(response)
    page = response.content.decode()
    assert 'data-refusal="qua_han"' in page
    assert reverse("inspections:appeal_settle", args=[appeal.pk]) not in page


def test_another_ground_of_article_23_needs_its_reason(logged_in, bloc, official_member, inspector):
    decision = _decision(bloc, inspector, official_member)

    response = _appeal(
        logged_in,
        decision,
        organization=bloc.pk,
        decision_received_on="12/07/2025",
        filed_on="20/07/2025",
        refusal_ground=Appeal.RefusalGround.OTHER,
    )

    assert _errors(response) == {"refusal_note": [msg("Give the reason the appeal is not accepted.")]}
    assert not Appeal.objects.exists()


@pytest.fixture
def accepted(bloc, inspector):
    def call(decision) -> Appeal:
        return discipline.file_appeal(
            decision=decision,
            organization=bloc,
            decision_received_on=D(2025, 7, 12),
            filed_on=D(2025, 7, 20),
            by=inspector,
        )

    return call


def test_opening_the_settlement_page_logs_a_read_of_the_appeal(
    logged_in, bloc, official_member, inspector, accepted
):
    appeal = accepted(_decision(bloc, inspector, official_member))
    url = reverse("inspections:appeal_settle", args=[appeal.pk])

    assert logged_in.get(url).status_code == 200

    row = ReadLog.objects.get()
    assert (row.what, row.object_id, row.path) == ("appeal", appeal.pk, url)


def test_settling_with_a_lighter_form_changes_the_decision(
    logged_in, bloc, official_member, inspector, accepted
):
    decision = _decision(bloc, inspector, official_member)
    appeal = accepted(decision)

    response = logged_in.post(
        reverse("inspections:appeal_settle", args=[appeal.pk]),
        {
            "outcome": Outcome.CHANGED,
            "new_form": Form.REPRIMAND,
            "settled_on": "01/09/2025",
            "settlement_no": "7-QĐ",
        },
    )

    assert response.status_code == 302 and response.url == decision.get_absolute_url()
    decision.refresh_from_db()
    appeal.refresh_from_db()
    assert (decision.form, decision.original_form, decision.status) == (
        Form.REPRIMAND,
        Form.WARNING,
        DisciplineDecision.Status.CHANGED,
    )
    assert (appeal.status, appeal.outcome, appeal.new_form) == (
        Appeal.Status.SETTLED,
        Outcome.CHANGED,
        Form.REPRIMAND,
    )
    page = logged_in.get(response.url).content.decode()
    assert 'data-original-form="canh_cao"' in page and 'data-outcome="thay_doi"' in page


def test_a_change_needs_a_new_form(logged_in, bloc, official_member, inspector, accepted):
    appeal = accepted(_decision(bloc, inspector, official_member))

    response = logged_in.post(
        reverse("inspections:appeal_settle", args=[appeal.pk]),
        {"outcome": Outcome.CHANGED, "settled_on": "01/09/2025"},
    )

    assert list(_errors(response)) == ["new_form"]
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.ACCEPTED


def test_annulling_an_expulsion_reinstates_the_member(
    logged_in, bloc, official_member, inspector, accepted, still_member
):
    decision = _decision(bloc, inspector, official_member, Form.EXPULSION)
    appeal = accepted(decision)

    response = logged_in.post(
        reverse("inspections:appeal_settle", args=[appeal.pk]),
        {"outcome": Outcome.ANNULLED, "settled_on": "01/09/2025", "settlement_no": "8-QĐ"},
    )

    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DisciplineDecision.Status.ANNULLED
    still_member(official_member)
    page = logged_in.get(response.url).content.decode()
    assert 'data-effect="membership" data-undone' in page
    # Annulled: nothing left to appeal.
    assert reverse("inspections:appeal_create", args=[decision.pk]) not in page
    assert logged_in.get(reverse("inspections:appeal_create", args=[decision.pk])).status_code == 302


def test_a_settled_appeal_is_not_settled_again(logged_in, bloc, official_member, inspector, accepted):
    appeal = accepted(_decision(bloc, inspector, official_member))
    discipline.settle_appeal(appeal=appeal, outcome=Outcome.UPHELD, settled_on=D(2025, 9, 1), by=inspector)

    response = logged_in.get(reverse("inspections:appeal_settle", args=[appeal.pk]))

    assert response.status_code == 302
    assert not ReadLog.objects.exists()


# Who finds the decisions ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["staff", "leader", "secretary_a", "secretary_b"])
def test_nobody_but_the_inspector_finds_a_decision(
    client, personas, persona, bloc, official_member, inspector, accepted
):
    decision = _decision(bloc, inspector, official_member)
    appeal = accepted(decision)
    client.force_login(personas[persona])

    assert client.get(decision.get_absolute_url()).status_code == 404
    assert client.get(reverse("inspections:appeal_create", args=[decision.pk])).status_code == 404
    assert client.get(reverse("inspections:appeal_settle", args=[appeal.pk])).status_code == 404
    assert client.get(reverse("inspections:decisions")).status_code == 403
    assert client.get(reverse("inspections:decision_create")).status_code == 403
    assert not ReadLog.objects.exists()


def test_an_inspector_of_another_subtree_does_not_find_the_decision(
    client, org_a, org_b, official_member, inspector, accepted, bloc
):
    decision = _decision(org_a, inspector, official_member, body=Body.STANDING)
    other = UserFactory()
    assign(other, Role.INSPECTOR, org_b)
    client.force_login(other)

    assert client.get(decision.get_absolute_url()).status_code == 404
    assert client.get(reverse("inspections:appeal_create", args=[decision.pk])).status_code == 404
    response = client.get(reverse("inspections:decisions"))
    assert list(response.context["table"].page.object_list.data) == []
    assert not ReadLog.objects.exists()


def test_an_inspector_of_the_deciding_subtree_may_not_settle_the_blocs_appeal(
    client, org_a, official_member, inspector, accepted
):
    """The appeal against đảng ủy A's decision is settled by the bloc: A's own inspector reads the decision
    but the settlement is the bloc's."""
    decision = _decision(org_a, inspector, official_member)
    appeal = accepted(decision)
    of_a = UserFactory()
    assign(of_a, Role.INSPECTOR, org_a)
    client.force_login(of_a)

    assert client.get(decision.get_absolute_url()).status_code == 200
    assert client.get(reverse("inspections:appeal_settle", args=[appeal.pk])).status_code == 403


@pytest.mark.parametrize("count", [2, 12])
def test_the_decision_list_costs_the_same_for_many_decisions(
    client, bloc, cell_a1, inspector, system_user, count, django_assert_max_num_queries
):
    from tests.factories import MemberFactory

    for number in range(count):
        member = MemberFactory(organization=cell_a1, official=True, by=system_user)
        discipline.decide(
            organization=bloc,
            body=Body.STANDING,
            decision_no=f"{300 + number}-QĐ/ĐUK",
            decided_on=D(2025, 6, 10),
            form=DisciplineDecision.Form.REPRIMAND,
            target_member=member,
            heard_on=D(2025, 6, 1),
            by=inspector,
        )
    client.force_login(inspector)
    # The session and the user, the user's assignments, the count, the page's decisions with their
    # organizations and targets (joined).
    with django_assert_max_num_queries(5):
        response = client.get(reverse("inspections:decisions"))
    assert len(response.context["table"].page.object_list) == count
