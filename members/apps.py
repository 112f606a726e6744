from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Party members")

    def ready(self):
        # The organization pickers of the register's forms search the queryset their field checks.
        from members import selectors
        from organizations import pickers

        pickers.register("member.cells", selectors.cells_for_change, permission="member.change")
        pickers.register("member.sources", selectors.bulk_transfer_sources, permission="member.change")
