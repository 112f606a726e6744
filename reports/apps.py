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
