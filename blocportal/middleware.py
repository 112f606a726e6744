import time

from django.conf import settings

# Where the session keeps the time (seconds since the epoch) its expiry was last pushed forward.
SESSION_REFRESHED_KEY = "_refreshed_at"


def start_idle_timer(sender, request, user, **kwargs) -> None:
    """A log-in writes the session anyway: it starts the idle timer there (receiver of
    ``user_logged_in``), so the first page after it writes nothing. (Session bookkeeping, not
    business logic.)"""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_REFRESHED_KEY] = int(time.time())


class SessionRefreshMiddleware:
    """Idle sessions expire after SESSION_COOKIE_AGE without a session write on every request
    (SESSION_SAVE_EVERY_REQUEST would cost three queries a page): a session is saved again — its
    expiry pushed SESSION_COOKIE_AGE ahead — when its last refresh is older than
    SESSION_REFRESH_SECONDS. A session idle for the whole timeout therefore always expires; an
    active one lives on, and one left idle expires between the timeout minus the refresh interval
    and the timeout after its last request.

    Runs after SessionMiddleware (below it in MIDDLEWARE), on the way out: a session written by the
    view anyway (a message, a log-in: ``start_idle_timer``) is stamped for free, and an empty one
    (no cookie, a log-out) is left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session this request loaded (never a load for it) that holds something.
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(time.time())
        refreshed = session.get(SESSION_REFRESHED_KEY)
        stale = not isinstance(refreshed, int) or not 0 <= now - refreshed < settings.SESSION_REFRESH_SECONDS
        if session.modified or stale:
            session[SESSION_REFRESHED_KEY] = now
        return response


class NoStoreMiddleware:
    """Nothing a signed-in user receives is kept by a browser or a proxy: the pages and files hold
    personal data of Party members, and a shared computer's cache or back button must not show
    them to the next person. A response that chose its own Cache-Control keeps it; static files
    never reach here (WhiteNoise serves them first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
