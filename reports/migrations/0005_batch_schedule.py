"""The periodic task of the report batches, which a superuser then edits in the admin (Periodic
tasks): every day at 06:00 in Hà Nội, ``reports.tasks.start_due_batches`` starts the batches owed
``report.batch_days_after`` days after each period ends (reports.services.batches)."""

from django.db import migrations
from django.utils import timezone

TASK_NAME = "Báo cáo định kỳ theo lô"
TIME_ZONE = "Asia/Ho_Chi_Minh"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="6",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=TIME_ZONE,
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "reports.tasks.start_due_batches",
            "crontab": crontab,
            "enabled": True,
            "description": (
                "Mỗi ngày: bắt đầu lô báo cáo của kỳ (quý, 6 tháng, 9 tháng, năm) đã kết thúc "
                "được số ngày của quy định report.batch_days_after."
            ),
        },
    )
    # Tell a running beat that its schedule changed (what PeriodicTask.save() does in the app).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def delete_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_lifecycle_submission_batches"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, delete_schedule)]
