from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspection and discipline")

    def ready(self):
        # A member's discipline outcome on the member's page (members.panels): the form and the
        # decision, never the case file.
        from inspections.selectors import outcomes
        from members import panels

        panels.register("discipline", outcomes.discipline_panel)
