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
