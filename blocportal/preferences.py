"""What users choose for themselves on their profile page (the reads are blocportal.profiles)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from .models import UserPreference


@transaction.atomic
def set_weekly_digest(*, user: AbstractBaseUser, enabled: bool, by: AbstractBaseUser) -> UserPreference:
    """Turn the weekly digest of the attention hub (blocportal.digest) on or off for ``user``."""
    preference = UserPreference.objects.select_for_update().filter(user=user).first()
    if preference is None:
        preference = UserPreference(user=user)
    elif preference.weekly_digest == enabled:
        return preference
    preference.weekly_digest = enabled
    preference._history_user = by
    preference.save()
    return preference
