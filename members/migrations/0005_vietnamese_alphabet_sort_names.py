"""Recompute the stored name sort keys: they now follow the Vietnamese alphabet (Dũng before Đức,
Anh before Ân) instead of the letters stripped of their marks."""

from django.db import migrations

from blocportal.text import name_sort_key


def resort(apps, schema_editor):
    for model_name in ("Member", "Candidate"):
        model = apps.get_model("members", model_name)
        rows = list(model.objects.only("pk", "full_name"))
        for row in rows:
            row.sort_name = name_sort_key(row.full_name)
        model.objects.bulk_update(rows, ["sort_name"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("members", "0004_temporary_arrival")]

    operations = [migrations.RunPython(resort, migrations.RunPython.noop)]
