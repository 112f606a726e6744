"""Names pasted with invisible characters (a zero-width space, a right-to-left override) are stored
without them, whether typed in the member form or imported from a file, and the search finds them.
"""

import pytest
from django.urls import reverse

from blocportal import imports
from blocportal.text import nfc, search_key
from members.models import Member
from members.resources import MemberResource
from tests.factories import MemberFactory
from tests.members.import_columns import csv_file, member_row

PASTED = "Nguyễn\u200b Văn\u202e Tèo"
CLEAN = "Nguyễn Văn Tèo"


@pytest.mark.parametrize(
    "char",
    ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u202a", "\u2066", "\x00"],
)
def test_nfc_drops_invisible_characters(char):
    assert nfc(f"Ng{char}uyễn Văn{char} Tèo{char}") == CLEAN
    assert search_key(f"Ng{char}uyễn") == "nguyen"


def test_nfc_keeps_the_text_and_its_spaces():
    decomposed = "Nguye\u0302\u0303n\tVăn\n  Tèo "
    assert nfc(decomposed) == CLEAN


def _found(client, query) -> list[str]:
    response = client.get(reverse("members:list"), {"q": query})
    return [row.record.full_name for row in response.context["table"].page.object_list]


def test_a_name_typed_in_the_member_form_is_stored_without_invisible_characters(
    client, staff_user, cell_a1, system_user
):
    member = MemberFactory(organization=cell_a1, full_name="Nguyễn Văn Tẻo", by=system_user)
    client.force_login(staff_user)
    data = {
        "full_name": PASTED,
        "gender": member.gender,
        "birth_date": member.birth_date.strftime("%d/%m/%Y"),
        "theory_level": member.theory_level,
    }

    response = client.post(reverse("members:update", args=[member.pk]), data)

    assert response.status_code == 302, response.context["form"].errors
    member.refresh_from_db()
    assert member.full_name == CLEAN
    assert _found(client, "nguyen van teo") == [CLEAN]
    assert _found(client, PASTED) == [CLEAN]


def test_an_imported_name_is_stored_without_invisible_characters(
    client, staff_user, cell_a1, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    data = csv_file(member_row(name=PASTED))

    result = imports.run_import(
        data, filename="dang-vien.csv", user=staff_user, dry_run=False, resource_class=MemberResource
    )

    assert not result.sorted_errors()
    assert list(Member.objects.values_list("full_name", flat=True)) == [CLEAN]
    client.force_login(staff_user)
    assert _found(client, "Tèo") == [CLEAN]
