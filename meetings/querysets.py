from django.db import models

from blocportal import access


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MeetingQuerySet":
        """Meetings with a list of an organization in the user's subtrees: those held there, and
        the joint meetings in which one of their chi bộ took part."""
        if user.is_authenticated and user.is_superuser:
            return self.all()
        sheets = self.model._meta.get_field("sheets").related_model.objects
        return self.filter(
            models.Exists(
                sheets.filter(access.scope_q(user, "organization__path"), meeting=models.OuterRef("pk"))
            )
        )


class SheetQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SheetQuerySet":
        return self.filter(access.scope_q(user, "organization__path"))

    def regular(self) -> "SheetQuerySet":
        return self.filter(kind__in=("thuong_ky", "thuong_ky_chuyen_de"))

    def thematic(self) -> "SheetQuerySet":
        return self.filter(kind__in=("chuyen_de", "thuong_ky_chuyen_de"))


class StudySessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "StudySessionQuerySet":
        return self.filter(access.scope_q(user, "organization__path"))
