from django.contrib.auth import views as auth_views
from django.shortcuts import render

from . import access
from .models import Assignment


class PortalLoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def home(request):
    """The landing page: the user's roles and the organizations they open onto."""
    assignments = Assignment.objects.filter(user=request.user).select_related("organization")
    return render(request, "home.html", {"assignments": assignments})


def assignment_list(request):
    """Who holds which role where, within the viewer's scope (bloc staff and superusers)."""
    access.require(request.user, "assignment.view")
    assignments = (
        Assignment.objects.filter(
            access.scope_q(request.user, "organization__path", roles=access.PERMISSIONS["assignment.view"])
        )
        .select_related("user", "organization")
        .order_by("organization__path", "role", "user__username")
    )
    return render(request, "access/assignments.html", {"assignments": assignments})
