"""The tables of the meetings' lists: cells by ``render_<column>`` with format_html, the chi bộ
named with its grassroots organization (members.tables.GrassrootsNames: one query for the page)."""

import django_tables2 as tables
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from blocportal.lists import DateColumn, ListTable
from blocportal.numbers import share
from members.tables import CellColumn, GrassrootsNames

from .models import Meeting, StudySession


def _rate(present: int | None, expected: int | None) -> str:
    if not expected:
        return "—"
    percent = number_format(share(present or 0, expected), 1)
    return format_html('{}/{} <span class="text-muted small">({}%)</span>', present or 0, expected, percent)


class MeetingTable(GrassrootsNames, ListTable):
    phone_columns = ("held_on", "organization", "attendance")
    count_kept_as = "meetings"  # counted again after a meeting is written (meetings.apps)

    held_on = DateColumn(
        verbose_name=_("meeting date"),
        linkify=("meetings:detail", {"pk": tables.A("pk")}),
        order_by=("held_on", "pk"),
    )
    organization = CellColumn(verbose_name=_("organization"), order_by=("organization__path", "held_on"))
    kind = tables.Column(verbose_name=_("kind of meeting"))
    topic = tables.Column(verbose_name=_("topic"))
    attendance = tables.Column(
        verbose_name=_("present / expected"),
        accessor="present",
        order_by=("present",),
        attrs={"td": {"class": "text-nowrap"}},
    )

    class Meta:
        model = Meeting
        fields = ("held_on", "organization", "kind", "topic")
        sequence = (*fields, "attendance")
        order_by = ("-held_on",)
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No meeting matches.")

    def render_kind(self, record):
        if record.online:
            return format_html(
                '{} <span class="badge text-bg-light border">{}</span>',
                record.get_kind_display(),
                _("online"),
            )
        return record.get_kind_display()

    def render_attendance(self, record):
        """Members present of the §4 denominator, summed over the meeting's lists."""
        return _rate(record.present, record.expected)


class StudyTable(GrassrootsNames, ListTable):
    phone_columns = ("held_on", "document_number", "members")

    held_on = DateColumn(
        verbose_name=_("date"),
        linkify=("meetings:study_detail", {"pk": tables.A("pk")}),
        order_by=("held_on", "pk"),
    )
    document_number = tables.Column(verbose_name=_("document number"))
    document_title = tables.Column(verbose_name=_("title"))
    organization = CellColumn(verbose_name=_("organization"), order_by=("organization__path", "held_on"))
    members = tables.Column(
        verbose_name=_("members present / expected"),
        accessor="members_present",
        order_by=("members_present",),
        attrs={"td": {"class": "text-nowrap"}},
    )
    non_members = tables.Column(
        verbose_name=_("non-members present / invited"),
        accessor="non_members_present",
        order_by=("non_members_present",),
        attrs={"td": {"class": "text-nowrap"}},
    )

    class Meta:
        model = StudySession
        fields = ("held_on", "document_number", "document_title", "organization")
        sequence = (*fields, "members", "non_members")
        order_by = ("-held_on",)
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No study session matches.")

    def render_members(self, record):
        return _rate(record.members_present, record.members_expected)

    def render_non_members(self, record):
        return _rate(record.non_members_present, record.non_members_invited)
