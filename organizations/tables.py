import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from blocportal.lists import DateColumn, ListTable

from .models import Organization


class OrganizationTable(ListTable):
    phone_columns = ("name", "kind")

    code = tables.Column(verbose_name=_("code"))
    name = tables.Column(linkify=True, verbose_name=_("name"))
    kind = tables.Column(verbose_name=_("kind"))
    sector = tables.Column(verbose_name=_("sector"))
    parent = tables.Column(verbose_name=_("parent organization"), order_by=("parent__name",))
    established_on = DateColumn(verbose_name=_("established on"))
    dissolved_on = DateColumn(verbose_name=_("dissolved on"))

    class Meta:
        model = Organization
        fields = ("code", "name", "kind", "sector", "parent", "established_on", "dissolved_on")
        order_by = ("path",)
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No organization matches.")
