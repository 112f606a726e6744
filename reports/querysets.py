from django.db import models

from blocportal import access


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReportQuerySet":
        """Reports of the organizations in the subtrees where the user holds report.view; everything
        for superusers. A role without it (the inspection committee) sees none: 404, not 403."""
        roles = access.PERMISSIONS["report.view"]
        return self.filter(access.scope_q(user, "organization__path", roles=roles))

    def of(self, organization, period) -> "ReportQuerySet":
        """Every version of one organization's report for one period, newest first."""
        return self.filter(organization=organization, period=str(period)).order_by("-version")
