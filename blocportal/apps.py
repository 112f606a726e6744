from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _forget_rules(**kwargs) -> None:
    """A rule or a day off changed: this process reads the tables again on the next question, and
    again once the change commits, so that a read inside the transaction does not keep the new
    rows cached beyond it. (Cache invalidation, not business logic.)"""
    from django.db import transaction

    from . import rules, workdays

    def forget() -> None:
        rules.clear_cache()
        workdays.clear_cache()

    forget()
    transaction.on_commit(forget)


class BlocPortalConfig(AppConfig):
    name = "blocportal"
    verbose_name = _("Users and roles")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_idle_timer
        from .models import DayOff, RuleValue

        user_logged_in.connect(start_idle_timer, dispatch_uid="start-idle-timer")
        for model in (RuleValue, DayOff):
            post_save.connect(_forget_rules, sender=model, dispatch_uid=f"forget-rules-{model.__name__}")
            post_delete.connect(
                _forget_rules, sender=model, dispatch_uid=f"forget-rules-del-{model.__name__}"
            )
