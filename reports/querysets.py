from django.db import models

from blocportal import access


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReportQuerySet":
        """Reports of the organizations in the user's subtrees; everything for superusers."""
        return self.filter(access.scope_q(user, "organization__path"))

    def of(self, organization, period) -> "ReportQuerySet":
        """Every version of one organization's report for one period, newest first."""
        return self.filter(organization=organization, period=str(period)).order_by("-version")
