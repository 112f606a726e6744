from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # The organization picker of the report request form searches what the form accepts.
        from organizations import pickers

        from . import selectors

        pickers.register("report.request", selectors.requestable_organizations, permission="report.request")
        pickers.register("dashboard", selectors.dashboard_organizations, permission="dashboard.view")

        # The submission sections of the attention hub ("Việc cần làm", blocportal.attention): reports
        # returned for correction, awaiting the bloc's review, and late for the last quarter.
        from blocportal import attention

        from . import alerts

        for provider in alerts.PROVIDERS:
            attention.register(provider)
