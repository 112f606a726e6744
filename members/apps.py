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

        # The register's sections of the attention hub ("Việc cần làm", blocportal.attention).
        from blocportal import attention
        from members import alerts

        for provider in alerts.PROVIDERS:
            attention.register(provider)

        # The counts of the member list and of the awarded badges are kept a while
        # (ListTable.count_kept_as): a member or a badge written makes the next page count again.
        from django.db.models.signals import post_delete, post_save

        from blocportal.lists import forget_counts
        from members.models import BadgeAward, Member

        def forget_list_counts(**kwargs):
            forget_counts("members")
            forget_counts("badges")

        for model in (Member, BadgeAward):
            uid = f"list-counts-{model.__name__}"
            post_save.connect(forget_list_counts, sender=model, dispatch_uid=f"{uid}-save", weak=False)
            post_delete.connect(forget_list_counts, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
