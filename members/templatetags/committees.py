"""The committee panel of an organization's page (the organizations app does not read the
committees: its page loads this library, which asks members.selectors.committees)."""

from django import template

from blocportal import access
from members.selectors import committees

register = template.Library()


@register.inclusion_tag("members/_committee.html")
def committee_panel(organization, user) -> dict:
    """The current term and the former ones, with their seats (two queries), and the buttons of the
    users who may record them (``seat.change``). Nothing shows for a kind that elects no committee."""
    return {
        "organization": organization,
        "committee": committees.committee(organization),
        "can_change_seats": access.has_permission(user, "seat.change", organization),
    }
