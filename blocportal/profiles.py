"""The profile page's reads: who the user is in the portal and what they chose."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from .models import Assignment, UserPreference


@dataclass(frozen=True)
class Profile:
    user: AbstractBaseUser
    assignments: list[Assignment]
    preference: UserPreference


def profile_of(user: AbstractBaseUser) -> Profile:
    """The user's roles where they hold them (read-only: the administrator assigns them) and their
    preferences, the defaults when they never chose."""
    assignments = list(
        Assignment.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__path", "role")
    )
    preference = UserPreference.objects.filter(user=user).first() or UserPreference(user=user)
    return Profile(user, assignments, preference)
