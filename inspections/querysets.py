"""Scopes of the case work. Case files, letters and decisions are read by the ``inspector`` role only, in
the subtrees of their inspector assignments (a user who is staff elsewhere sees nothing more for it);
superusers see everything. Leaders get counts and outcomes through the statistics, staff and secretaries a
member's outcome through ``selectors.outcomes``, never these querysets."""

from django.db import models

from blocportal import access
from blocportal.models import Role

INSPECTORS = (Role.INSPECTOR,)


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CaseQuerySet":
        """Cases conducted by a body of an organization in the user's inspection subtrees."""
        return self.filter(access.scope_q(user, "organization__path", roles=INSPECTORS))

    def open(self) -> "CaseQuerySet":
        return self.filter(closed_on__isnull=True)


class ComplaintQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ComplaintQuerySet":
        """Letters received by an organization in the user's inspection subtrees."""
        return self.filter(access.scope_q(user, "organization__path", roles=INSPECTORS))

    def open(self) -> "ComplaintQuerySet":
        return self.filter(status__in=("moi_nhan", "dang_giai_quyet"))


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DecisionQuerySet":
        """Decisions taken by an organization in the user's inspection subtrees."""
        return self.filter(access.scope_q(user, "organization__path", roles=INSPECTORS))

    def in_force(self) -> "DecisionQuerySet":
        """Decisions not annulled on appeal (a changed one counts with its new form)."""
        return self.exclude(status="da_xoa_bo")
