"""The user's own page: who they are in the portal, and their choices."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import preferences, profiles
from .profile_forms import PreferenceForm


@require_http_methods(["GET", "HEAD", "POST"])
def profile(request):
    """Name, roles (read-only: the administrator assigns them), the password, and the weekly
    digest of the attention hub, turned on or off."""
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            enabled = form.cleaned_data["weekly_digest"]
            preferences.set_weekly_digest(user=request.user, enabled=enabled, by=request.user)
            messages.success(request, _("Your preferences are saved."))
            return redirect("profile")
    current = profiles.profile_of(request.user)
    if request.method != "POST":
        form = PreferenceForm(initial={"weekly_digest": current.preference.weekly_digest})
    return render(request, "registration/profile.html", {"profile": current, "form": form})
