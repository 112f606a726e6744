from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    name = "emulation"
    verbose_name = _("Quality ratings and emulation")

    def ready(self):
        # Clusters and awards: the organization pickers of their forms search the queryset their field
        # checks (organizations.pickers); a member's decided ratings and awards show on the member's page
        # (members.panels).
        from emulation.selectors import awards
        from members import panels
        from organizations import pickers

        pickers.register("emulation.clusters", awards.cluster_organizations, permission="emulation.change")
        pickers.register("emulation.awards", awards.award_organizations, permission="emulation.change")
        panels.register("ratings", awards.ratings_panel)
        panels.register("awards", awards.awards_panel)

        # The rating sections of the attention hub ("Việc cần làm", blocportal.attention): members rated
        # "không hoàn thành" years in a row, and proposals awaiting approval.
        from blocportal import attention
        from emulation import alerts

        for provider in alerts.PROVIDERS:
            attention.register(provider)

        # The scores' import format registers itself with the importer (which discovers ``resources``
        # modules only).
        from emulation import score_resources  # noqa: F401
