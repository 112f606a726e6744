from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Party cell meetings")

    def ready(self):
        # The organization pickers of the meetings' forms and filters search the queryset their
        # field checks (organizations.pickers).
        from meetings.selectors import choices
        from organizations import pickers

        pickers.register("meeting.view", choices.viewable_organizations, permission="meeting.view")
        pickers.register(
            "meeting.organizations", choices.recordable_organizations, permission="meeting.change"
        )
        pickers.register("meeting.joint", choices.joinable_cells, permission="meeting.change")

        # The meetings' sections of the attention hub ("Việc cần làm", blocportal.attention).
        from blocportal import attention
        from meetings import alerts

        for provider in alerts.PROVIDERS:
            attention.register(provider)

        # The count of the meeting list is kept a while (ListTable.count_kept_as): a meeting
        # recorded or deleted makes the next page count again.
        from django.db.models.signals import post_delete, post_save

        from blocportal.lists import forget_counts
        from meetings.models import Meeting

        def forget_list_counts(**kwargs):
            forget_counts("meetings")

        post_save.connect(
            forget_list_counts, sender=Meeting, dispatch_uid="list-counts-Meeting-save", weak=False
        )
        post_delete.connect(
            forget_list_counts, sender=Meeting, dispatch_uid="list-counts-Meeting-delete", weak=False
        )
