"""The meeting rules (blocportal/rules.py DEFAULTS, DOMAIN.md §4 and §2) as rows of the rule table,
in force since the Party's founding. The values are copied here, so later edits of DEFAULTS do not
change this migration."""

from datetime import date

from django.db import migrations

SINCE = date(1930, 2, 3)

RULES = [
    ("meeting.regular_every_months", 1, "Điều lệ Đảng Điều 24.2; QB Q20, Q57", True),
    ("meeting.thematic_every_months", 3, "HD 12-HD/BTCTW 2018; HD 42-HD/BTCTW 28/10/2025", False),
    ("meeting.absence_months_in_year", 3, "24-QĐ/TW; 294-QĐ/TW (xóa tên)", False),
]


def seed(apps, schema_editor):
    RuleValue = apps.get_model("blocportal", "RuleValue")
    for name, value, regulation, confirmed in RULES:
        RuleValue.objects.get_or_create(
            name=name,
            effective_on=SINCE,
            defaults={"value": value, "regulation": regulation, "confirmed": confirmed},
        )


def unseed(apps, schema_editor):
    apps.get_model("blocportal", "RuleValue").objects.filter(
        name__in=[row[0] for row in RULES], effective_on=SINCE
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("blocportal", "0005_user_preferences")]

    operations = [migrations.RunPython(seed, unseed)]
