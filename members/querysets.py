from datetime import date

from django.db import models
from django.db.models import Exists, OuterRef, Q

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

    # Dated questions, asked of the spells (the drill-down of the dashboard's figures). ``within``
    # (an organization) and ``sector`` narrow to where the member was on that day, not where they are.

    def on_register(self, day: date, *, within=None, sector: str = "") -> "MemberQuerySet":
        """Members on the bloc's register on ``day``: an official spell covering it. Members attached
        from outside the bloc have none and are not counted."""
        return self._with_official_spell_on(day, within=within, sector=sector)

    def admitted_between(
        self, start: date | None, end: date | None, *, within=None, sector: str = ""
    ) -> "MemberQuerySet":
        """Admitted (the decision's date) in ``start``…``end`` while in the bloc: an official spell
        covering that day, whether the admission was recorded here or entered from a file (as
        ``members.selectors.figures.entries_between`` counts them)."""
        return self._dated_in_bloc("admitted_on", start, end, within=within, sector=sector)

    def made_official_between(
        self, start: date | None, end: date | None, *, within=None, sector: str = ""
    ) -> "MemberQuerySet":
        """Made official in ``start``…``end`` while in the bloc (an official spell covering that day)."""
        return self._dated_in_bloc("official_on", start, end, within=within, sector=sector)

    def _dated_in_bloc(self, field: str, start, end, *, within, sector: str) -> "MemberQuerySet":
        queryset = self.filter(**{f"{field}__isnull": False})
        if start is not None:
            queryset = queryset.filter(**{f"{field}__gte": start})
        if end is not None:
            queryset = queryset.filter(**{f"{field}__lte": end})
        return queryset._with_official_spell_on(OuterRef(field), within=within, sector=sector)

    def _with_official_spell_on(self, day, *, within, sector: str) -> "MemberQuerySet":
        """One EXISTS on the spells: no join, so no member is listed twice and the list's count
        stays one query."""
        from .models import Spell  # here: the models import this module

        spells = Spell.objects.official().on(day).filter(member=OuterRef("pk"))
        if within is not None:
            spells = spells.in_subtree(within)
        if sector:
            spells = spells.filter(organization__sector=sector)
        return self.filter(Exists(spells))


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
