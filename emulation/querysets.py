"""Scopes of the ratings and the emulation records: the subtrees of the user's assignments, by the
organization the record belongs to (a member's rating by the chi bộ it was given in)."""

from django.db import models

from blocportal import access


class RatingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RatingQuerySet":
        return self.filter(access.scope_q(user, "organization__path"))

    def annual(self) -> "RatingQuerySet":
        return self.filter(quarter=0)

    def decided(self) -> "RatingQuerySet":
        """The ratings the level above approved (imported ones are recorded as decided)."""
        return self.exclude(level="")


class ScoredQuerySet(models.QuerySet):
    """Scores, cluster places and awards of an organization in the user's scope."""

    def visible_to(self, user) -> "ScoredQuerySet":
        return self.filter(access.scope_q(user, "organization__path"))


class SheetQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SheetQuerySet":
        return self.filter(access.scope_q(user, "owner__path"))
