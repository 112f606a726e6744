from datetime import date

from django.db import models
from django.db.models import Q

from blocportal import access
from blocportal.text import search_key


class MemberQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MemberQuerySet":
        """Members whose chi bộ lies in the user's subtrees; everything for superusers. A former
        member stays visible where they left from."""
        return self.filter(access.scope_q(user, "organization__path"))

    def current(self) -> "MemberQuerySet":
        """Members still on the register (no exit)."""
        return self.filter(exit_reason="")

    def registered(self) -> "MemberQuerySet":
        """Current members on the bloc's own register: without those attached to one of its chi bộ
        temporarily from outside the bloc ("tạm thời đến"), whose own organization keeps them."""
        return self.current().exclude(activity="tam_thoi_den")

    def in_subtree(self, organization) -> "MemberQuerySet":
        """Members whose (current or last) chi bộ lies under ``organization``: one prefix filter."""
        return self.filter(organization__path__startswith=organization.path)

    def search(self, text: str) -> "MemberQuerySet":
        """Tone-insensitive search on the full name, or an exact CCCD or Party card number."""
        key = search_key(text)
        if not key:
            return self
        value = text.strip()
        return self.filter(Q(search_name__contains=key) | Q(cccd=value) | Q(card_number=value))


class SpellQuerySet(models.QuerySet):
    """Spells answer dated questions in one query: ``Spell.objects.official().on(D).in_subtree(X)``
    is "the members of X on D"."""

    def official(self) -> "SpellQuerySet":
        return self.filter(kind="chinh_thuc")

    def temporary(self) -> "SpellQuerySet":
        return self.filter(kind="tam_thoi")

    def open(self) -> "SpellQuerySet":
        return self.filter(ends_on__isnull=True)

    def on(self, day: date) -> "SpellQuerySet":
        """Spells running on ``day``: started on or before it, not ended by it (a spell that ends on
        a transfer date belongs to the day before; the new one starts that day)."""
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day), starts_on__lte=day)

    def in_subtree(self, organization) -> "SpellQuerySet":
        return self.filter(organization__path__startswith=organization.path)


class CandidateQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CandidateQuerySet":
        """Candidates of the chi bộ in the user's subtrees; everything for superusers."""
        return self.filter(access.scope_q(user, "organization__path"))

    def open(self) -> "CandidateQuerySet":
        """Candidates still on their way: neither admitted nor withdrawn."""
        return self.exclude(stage__in=["da_ket_nap", "dung"])

    def search(self, text: str) -> "CandidateQuerySet":
        key = search_key(text)
        if not key:
            return self
        return self.filter(Q(search_name__contains=key) | Q(cccd=text.strip()))


class AdmissionTargetQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AdmissionTargetQuerySet":
        return self.filter(access.scope_q(user, "organization__path"))


class BadgeAwardQuerySet(models.QuerySet):
    def visible_to(self, user) -> "BadgeAwardQuerySet":
        """Badges of the members in the user's subtrees; everything for superusers."""
        return self.filter(access.scope_q(user, "member__organization__path"))
