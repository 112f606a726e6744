"""The quality-rating rules (blocportal/rules.py DEFAULTS, DOMAIN.md §6) as rows of the rule table, in force
since the Party's founding (the checks themselves apply only after ``rating.legacy_until_year``). The values
are copied here, so later edits of DEFAULTS do not change this migration."""

from datetime import date

from django.db import migrations

SINCE = date(1930, 2, 3)

RULES = [
    ("rating.legacy_until_year", 2017, "HD 16-HD/BTCTW 2018; HD 20, HD 27", True),
    ("rating.excellent_quota", [1, 5], "124-QĐ/TW; 366-QĐ/TW (U)", False),
    ("rating.disciplined_member_max", "kht", "HD 16-HD/BTCTW 2018", False),
    (
        "rating.organization_caps",
        {"good_min_done_percent": 100, "good_min_good_percent": 50, "failed_over_percent": 20},
        "HD 16-HD/BTCTW; HD 21, HD 25; HD 43-HD/BTCTW (U)",
        False,
    ),
    ("rating.failed_years_for_removal", 2, "Điều lệ Đảng Điều 8; 294-QĐ/TW §7", True),
    ("rating.quarterly_from_year", 2025, "366-QĐ/TW (2025)", False),
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
    dependencies = [("blocportal", "0007_seed_inspection_rules")]

    operations = [migrations.RunPython(seed, unseed)]
