"""The tables of the rating lists: cells by ``render_<column>`` with format_html (blocportal/lists.py). The
level is a badge coloured by rank; an approval let through a broken rule, or a decided rating that breaks
one, is marked beside it."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from blocportal.links import pk_url
from blocportal.lists import DateTimeColumn, ListTable

from .models import RANK, Level, MemberRating, OrganizationRating

BADGES = {0: "text-bg-success", 1: "text-bg-primary", 2: "text-bg-secondary", 3: "text-bg-danger"}


def level_badge(level: str) -> str:
    if not level:
        return "—"
    return format_html(
        '<span class="badge {}" data-level="{}">{}</span>',
        BADGES.get(RANK.get(level, 2), "text-bg-light"),
        level,
        Level(level).label,
    )


def marks(record) -> str:
    """ "overridden" / "rules broken" beside a level."""
    parts = []
    if record.override_reason:
        parts.append(
            format_html(
                ' <span class="badge text-bg-warning" data-override title="{}">{}</span>',
                record.override_reason,
                _("approved with an override"),
            )
        )
    if record.flags:
        parts.append(
            format_html(
                ' <span class="badge text-bg-light border border-warning" data-flags title="{}">{}</span>',
                " ".join(record.flags),
                _("rules broken"),
            )
        )
    if record.imported:
        parts.append(format_html(' <span class="badge text-bg-light border">{}</span>', _("imported")))
    return "".join(parts)


class MemberRatingTable(ListTable):
    phone_columns = ("member", "level")

    member = tables.Column(verbose_name=_("Party member"), order_by=("member__sort_name", "pk"))
    organization = tables.Column(verbose_name=_("Party cell"), order_by=("organization__path",))
    year = tables.Column(verbose_name=_("year"))
    level = tables.Column(verbose_name=_("approved level"), order_by=("level",))
    approved_at = DateTimeColumn(verbose_name=_("approved at"))

    class Meta:
        model = MemberRating
        fields = ("year", "approved_at")
        sequence = ("member", "organization", "year", "level", "approved_at")
        order_by = ("-year", "organization", "member")
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No rating matches.")

    def render_member(self, record):
        return format_html(
            '<a href="{}" data-rating="{}">{}</a>',
            pk_url("emulation:member_rating", record.pk),
            record.pk,
            record.member.full_name,
        )

    def render_organization(self, record):
        return record.organization.short_name or record.organization.name

    def render_level(self, record):
        return format_html("{}{}", level_badge(record.level), marks(record))


class OrganizationRatingTable(ListTable):
    phone_columns = ("organization", "level")

    organization = tables.Column(verbose_name=_("Party organization"), order_by=("organization__path",))
    year = tables.Column(verbose_name=_("year"))
    level = tables.Column(verbose_name=_("approved level"), order_by=("level",))
    approver = tables.Column(verbose_name=_("approved by the committee of"), order_by=("approver__path",))
    approved_at = DateTimeColumn(verbose_name=_("approved at"))

    class Meta:
        model = OrganizationRating
        fields = ("year", "approved_at")
        sequence = ("organization", "year", "level", "approver", "approved_at")
        order_by = ("-year", "organization")
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No rating matches.")

    def render_organization(self, record):
        return format_html(
            '<a href="{}" data-rating="{}">{}</a>',
            pk_url("emulation:organization_rating", record.pk),
            record.pk,
            record.organization.name,
        )

    def render_level(self, record):
        return format_html("{}{}", level_badge(record.level), marks(record))

    def render_approver(self, record):
        return record.approver.short_name or record.approver.name
