from django.conf import settings

from . import access


def portal(request):
    """Navigation by role: what the signed-in user may reach."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_name": settings.PORTAL_NAME}
    return {
        "portal_name": settings.PORTAL_NAME,
        "portal_roles": access.roles_of(user),
        "can": {name: access.has_permission(user, name) for name in access.PERMISSIONS},
    }
