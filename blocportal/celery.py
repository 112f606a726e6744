"""Celery application. Without CELERY_BROKER_URL tasks run eagerly in-process (same code path)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blocportal.settings")

app = Celery("blocportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
