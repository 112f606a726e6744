"""The attention hub ("Việc cần làm") and the navigation's count of it (blocportal.attention)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from . import attention, clock


@require_safe
def attention_hub(request):
    """Every registered section the user's roles may see, in their scope. No permission of its
    own: each provider names the one its rows need, and a user without a role sees empty
    sections."""
    on = clock.today()
    sections = attention.sections(request.user, on)
    total = attention.keep_total(request.user, on, sections)
    return render(request, "attention/hub.html", {"sections": sections, "total": total, "on": on})


@require_safe
def attention_count(request):
    """The badge of the navigation, fetched by htmx once the page is shown: counts only, kept a
    minute per user (attention.COUNT_SECONDS), and no context processor."""
    html = render_to_string("attention/_count.html", {"total": attention.total(request.user)})
    return HttpResponse(html)
