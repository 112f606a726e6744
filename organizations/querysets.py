from django.db import models
from django.db.models.functions import Coalesce, Length, NullIf, Substr

from blocportal import access


def grassroots_name(path_field: str = "path", user=None) -> models.Subquery:
    """The short name (else the name) of the tổ chức cơ sở đảng whose subtree holds the
    organization at ``path_field`` — the organization itself when it is one — among those the user
    may see (all of them without a user); NULL above the grassroots level. Several đảng bộ have a
    "Chi bộ Văn phòng": this names which one, in the same query as the list (a correlated subquery
    on the few grassroots organizations, never a query per row)."""
    from .models import Organization

    ancestors = Organization.objects.grassroots().filter(
        path=Substr(models.OuterRef(path_field), 1, Length("path"))
    )
    if user is not None:
        ancestors = ancestors.filter(access.scope_q(user, "path"))
    names = ancestors.annotate(label=Coalesce(NullIf("short_name", models.Value("")), "name"))
    return models.Subquery(names.values("label")[:1], output_field=models.CharField())


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OrganizationQuerySet":
        """The subtrees under the user's assignments; everything for superusers."""
        return self.filter(access.scope_q(user, "path"))

    def changeable_by(self, user) -> "OrganizationQuerySet":
        """The subtrees where the user holds a role that may change organizations."""
        return self.filter(access.scope_q(user, "path", roles=access.PERMISSIONS["organization.change"]))

    def with_grassroots(self, user=None) -> "OrganizationQuerySet":
        """Each organization with ``grassroots_name`` (see ``grassroots_name``)."""
        return self.annotate(grassroots_name=grassroots_name("path", user))

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
