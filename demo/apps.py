from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data: the top layer. It may import every app; no app imports it."""

    name = "demo"
    verbose_name = "Demo data"
