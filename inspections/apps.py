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

        # The organization pickers of the case pages search the queryset their field checks
        # (organizations.pickers): the inspector's subtrees only.
        from inspections.selectors import case_pages
        from organizations import pickers

        pickers.register("case.view", case_pages.inspected_organizations, permission="case.view")
        pickers.register("case.organizations", case_pages.conducting_organizations, permission="case.change")
        pickers.register("case.targets", case_pages.inspected_organizations, permission="case.change")

        # The count of the case list is kept a while (ListTable.count_kept_as): a case recorded or
        # deleted makes the next page count again.
        from django.db.models.signals import post_delete, post_save

        from blocportal.lists import forget_counts
        from inspections.models import Case

        def forget_case_counts(**kwargs):
            forget_counts("cases")

        post_save.connect(forget_case_counts, sender=Case, dispatch_uid="list-counts-Case-save", weak=False)
        post_delete.connect(
            forget_case_counts, sender=Case, dispatch_uid="list-counts-Case-delete", weak=False
        )

        # The inspectors' sections of the attention hub ("Việc cần làm", blocportal.attention).
        from blocportal import attention
        from inspections import alerts

        for provider in alerts.PROVIDERS:
            attention.register(provider)
