"""The member-side warnings an organization's page shows (the organizations app does not read
members: its page includes the members partial, which asks here)."""

from django import template

from members.selectors import attention

register = template.Library()


@register.simple_tag
def organization_warnings(organization, user) -> list:
    """The set-up warnings of this one organization (a chi bộ without chi ủy, a small đảng bộ)."""
    return attention.committee_warnings(user, only=organization)
