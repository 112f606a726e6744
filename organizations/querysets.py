from django.db import models

from blocportal import access


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OrganizationQuerySet":
        """The subtrees under the user's assignments; everything for superusers."""
        return self.filter(access.scope_q(user, "path"))

    def changeable_by(self, user) -> "OrganizationQuerySet":
        """The subtrees where the user holds a role that may change organizations."""
        return self.filter(access.scope_q(user, "path", roles=access.PERMISSIONS["organization.change"]))

    def active(self, on=None) -> "OrganizationQuerySet":
        """Organizations not dissolved (on a date, when given; established by then)."""
        if on is None:
            return self.filter(dissolved_on__isnull=True)
        return self.filter(
            models.Q(established_on__isnull=True) | models.Q(established_on__lte=on),
            models.Q(dissolved_on__isnull=True) | models.Q(dissolved_on__gt=on),
        )

    def subtree(self, organization, *, include_self: bool = True) -> "OrganizationQuerySet":
        """One indexed prefix filter on the materialized path."""
        qs = self.filter(path__startswith=organization.path)
        return qs if include_self else qs.exclude(pk=organization.pk)

    def grassroots(self) -> "OrganizationQuerySet":
        """Tổ chức cơ sở đảng: đảng bộ cơ sở and chi bộ cơ sở (Điều lệ Điều 21)."""
        from .models import Organization

        return self.filter(kind__in=Organization.GRASSROOTS_KINDS)

    def search(self, text: str) -> "OrganizationQuerySet":
        """Tone-insensitive search on name, short name and code."""
        from blocportal.text import search_key

        key = search_key(text)
        if not key:
            return self
        return self.filter(models.Q(search_name__contains=key) | models.Q(code__iexact=text.strip()))
