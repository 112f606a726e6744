"""The periodic reports' rules (blocportal/rules.py DEFAULTS, DOMAIN.md §9) as rows of the rule table, in
force since the Party's founding: when a grassroots organization's report is due at the bloc, and when the
scheduled batch makes a period's reports. The values are copied here, so later edits of DEFAULTS do not
change this migration."""

from datetime import date

from django.db import migrations

SINCE = date(1930, 2, 3)

RULES = [
    ("report.submission_days", 10, "BlocPortal (DOMAIN.md §9, the bloc's practice)", False),
    ("report.batch_days_after", 5, "BlocPortal (DOMAIN.md §9, the bloc's practice)", False),
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
    dependencies = [("blocportal", "0008_seed_rating_rules")]

    operations = [migrations.RunPython(seed, unseed)]
