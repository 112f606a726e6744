from django.contrib.auth import views as auth_views
from django.shortcuts import render

from . import access
from .models import Assignment


class PortalLoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def home(request):
    """The landing page: the user's assignments and what they can reach from here."""
    from organizations.models import Organization

    roots = (
        Organization.objects.visible_to(request.user)
        .active()
        .filter(pk__in=Assignment.objects.filter(user=request.user).values("organization"))
        if not request.user.is_superuser
        else Organization.objects.active().filter(parent__isnull=True)
    )
    return render(
        request,
        "home.html",
        {
            "assignments": Assignment.objects.filter(user=request.user).select_related("organization"),
            "roots": roots,
        },
    )


def assignment_list(request):
    """Who holds which role where, within the viewer's scope (bloc staff and superusers)."""
    access.require(request.user, "assignment.view")
    assignments = (
        Assignment.objects.filter(access.scope_q(request.user, "organization__path"))
        .select_related("user", "organization")
        .order_by("organization__path", "role", "user__username")
    )
    return render(request, "access/assignments.html", {"assignments": assignments})
