"""Ids in templates are never localized. The portal formats numbers the Vietnamese way
(USE_THOUSAND_SEPARATOR: 1.234), so ``{{ case.pk }}`` renders "3.102" once the ids pass a thousand — as
they do on PostgreSQL, at province scale — and a link ``?case=3.102`` or an attribute ``data-member``
then names no record. Every id printed by a template goes through ``|unlocalize`` (or ``{% url %}``,
which never localizes)."""

import re
from pathlib import Path

from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# {{ something.pk }}, {{ something_id }}, {{ something.id }} printed as they are (an element's id, a
# string, is not a record's).
BARE_ID = re.compile(r"\{\{\s*(?![\w.]*(?:element|spec)_id\b)[\w.]*(?:\.pk|_id|\.id)\s*\}\}")


def test_no_template_prints_an_id_without_unlocalize():
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}: {match.group(0)}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for match in BARE_ID.finditer(line)
    ]
    assert not found, "Ids printed without |unlocalize:\n" + "\n".join(found)


@override_settings(USE_THOUSAND_SEPARATOR=True)
def test_an_unlocalized_id_keeps_its_digits_where_a_bare_one_would_not():
    # The reason for the rule above, in the portal's language.
    with translation.override("vi"):
        context = Context({"case": {"pk": 3102}})
        assert Template("{{ case.pk }}").render(context) == "3.102"
        assert Template("{% load l10n %}{{ case.pk|unlocalize }}").render(context) == "3102"
