from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlocPortalConfig(AppConfig):
    name = "blocportal"
    verbose_name = _("Users and roles")
