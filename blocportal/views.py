from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import access
from .models import Assignment


class PortalLoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@require_safe
def home(request):
    """The landing page: the user's roles and the organizations they open onto."""
    assignments = Assignment.objects.filter(user=request.user).select_related("organization")
    return render(request, "home.html", {"assignments": assignments})


@require_safe
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


# Error pages. 403 and 404 use Django's handlers with the portal's 403.html and 404.html, rendered
# with the request (the menu of the user's roles). A 500 may come from a database that is down, and
# a 400 from a request that never reached the authentication: those two pages are rendered without
# the request, so no context processor reads the database.


def _error_page(template_name: str, response_class: type[HttpResponse], heading: str) -> HttpResponse:
    try:
        content = loader.render_to_string(template_name, {"portal_name": settings.PORTAL_NAME})
    except Exception:  # an error page must not fail in turn: its heading alone then
        content = format_html("<!doctype html><title>{}</title><h1>{}</h1>", settings.PORTAL_NAME, heading)
    return response_class(content)


def server_error(request):
    """handler500."""
    return _error_page("500.html", HttpResponseServerError, _("Server error"))


def bad_request(request, exception):
    """handler400."""
    return _error_page("400.html", HttpResponseBadRequest, _("Bad request"))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: mostly a form left open past the session's end, so the page says what to do."""
    return render(request, "403_csrf.html", status=403)
