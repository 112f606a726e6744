"""Sinh hoạt tạm thời đến: a member of a Party organization outside the bloc attends one of its chi bộ
for a while. The host chi bộ lists them; the bloc's register of official members does not count
them; only the end of the attachment is recorded here."""

import datetime

from django.urls import reverse

from members import services
from members.models import Member, Movement, Spell
from members.selectors import attention, badges

from .conftest import refused

D = datetime.date
ARRIVAL = D(2025, 9, 2)
ORIGIN = "Đảng bộ xã Ia Grai, tỉnh Gia Lai"


def _visitor(cell, by, **extra):
    data = {
        "organization": cell,
        "origin": ORIGIN,
        "on": ARRIVAL,
        "full_name": "Rơ Mah Thuyên",
        "gender": Member.Gender.MALE,
        "birth_date": D(1988, 2, 10),
        "admitted_on": D(2012, 5, 19),
        "official_on": D(2013, 6, 1),
        "card_number": "64009911",
        "decision_no": "12-GGT/ĐU",
        "by": by,
    }
    return services.receive_temporary(**{**data, **extra})


def test_a_temporary_arrival_has_a_temporary_spell_only(cell_a1, staff_user):
    member = _visitor(cell_a1, staff_user)

    assert member.activity == Member.Activity.VISITING and member.organization == cell_a1
    spell = member.spells.get()
    assert (spell.kind, spell.organization, spell.starts_on, spell.ends_on) == (
        Spell.Kind.TEMPORARY,
        cell_a1,
        ARRIVAL,
        None,
    )
    event = member.events.get()
    assert (event.kind, event.origin, event.to_organization, event.on) == (
        Movement.Kind.TEMPORARY_ARRIVED,
        ORIGIN,
        cell_a1,
        ARRIVAL,
    )
    # The bloc's register (official spells, registered members) leaves them out.
    assert not Spell.objects.official().on(ARRIVAL).filter(member=member).exists()
    assert not Member.objects.registered().filter(pk=member.pk).exists()
    assert member.history.get().history_user == staff_user


def test_only_the_end_of_the_attachment_is_recorded_here(cell_a1, org_b, staff_user, system_user):
    member = _visitor(cell_a1, system_user)

    with refused(None, "Rơ Mah Thuyên"):
        services.transfer(member=member, to=org_b, on=D(2025, 10, 1), by=staff_user)
    with refused(None, "Rơ Mah Thuyên"):
        services.record_death(member=member, on=D(2025, 10, 1), by=staff_user)

    ended = services.end_temporary(member=member, on=D(2026, 3, 2), by=staff_user)

    assert (ended.exit_reason, ended.exited_on) == (Member.Exit.VISIT_ENDED, D(2026, 3, 2))
    assert ended.spells.get().ends_on == D(2026, 3, 2)
    assert ended.events.latest("on").kind == Movement.Kind.TEMPORARY_ENDED
    assert ended.history.latest("history_date").history_user == staff_user


def test_a_temporary_arrival_needs_its_origin_and_a_past_date(cell_a1, staff_user):
    with refused("origin"):
        _visitor(cell_a1, staff_user, origin="  ")
    with refused("on"):
        _visitor(cell_a1, staff_user, on=D(2099, 1, 1))


def test_visitors_are_left_out_of_badges_and_small_cell_counts(cell_a1, staff_user):
    member = _visitor(
        cell_a1, staff_user, admitted_on=D(1990, 1, 5), official_on=D(1991, 2, 1), birth_date=D(1965, 1, 1)
    )

    assert not badges.badge_due(Member.objects.filter(pk=member.pk), D(2026, 2, 3)).exists()
    cell = next(row for row in attention.small_cells(staff_user) if row.pk == cell_a1.pk)
    assert cell.official_count == 0


def test_staff_record_a_temporary_arrival_in_the_browser(client, cell_a1, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("members:receive_temporary"),
        {
            "organization": cell_a1.pk,
            "origin": ORIGIN,
            "on": "02/09/2025",
            "full_name": "Rơ Mah Thuyên",
            "gender": "nam",
            "birth_date": "10/02/1988",
            "admitted_on": "19/05/2012",
            "ceremony_on": "01/06/2012",
            "official_on": "01/06/2013",
            "card_number": "64009911",
            "theory_level": "chua",
        },
    )

    member = Member.objects.get(card_number="64009911")
    assert response.status_code == 302 and response.url == reverse("members:detail", args=[member.pk])
    assert member.activity == Member.Activity.VISITING
    page = client.get(response.url).content.decode()
    assert reverse("members:move", args=[member.pk, "end_temporary"]) in page
    assert reverse("members:move", args=[member.pk, "transfer"]) not in page


def test_secretaries_cannot_record_a_temporary_arrival(client, cell_a1, secretary_a):
    client.force_login(secretary_a)
    assert client.get(reverse("members:receive_temporary")).status_code == 403
