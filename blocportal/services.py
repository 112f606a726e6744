"""Role assignments: who holds which role over which organization's subtree."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from .models import Assignment


@transaction.atomic
def assign_role(
    *, user: AbstractBaseUser, role: str, organization, by: AbstractBaseUser | None
) -> Assignment:
    """Give ``user`` the ``role`` over ``organization``'s subtree (idempotent)."""
    assignment = Assignment.objects.filter(user=user, role=role, organization=organization).first()
    if assignment is not None:
        return assignment
    assignment = Assignment(user=user, role=role, organization=organization)
    assignment.full_clean()
    assignment._history_user = by
    assignment.save()
    return assignment


@transaction.atomic
def revoke_role(*, assignment: Assignment, by: AbstractBaseUser | None) -> None:
    assignment._history_user = by
    assignment.delete()
