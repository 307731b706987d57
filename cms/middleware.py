from csp.constants import SELF
from django.conf import settings
from django.utils import translation


class PreferredLanguageMiddleware:
    """Polish unless the visitor chose otherwise with the language switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language and greet most
    visitors of a Polish public service in English; here only the explicit choice counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class FramingPolicyMiddleware:
    """The CSP's frame-ancestors follows a view that lets its own site frame it.

    Nothing is framed by default (X-Frame-Options DENY, frame-ancestors 'none'). A view
    that answers `X-Frame-Options: SAMEORIGIN` on purpose (Wagtail's preview, shown in
    the editor's side panel) gets `frame-ancestors 'self'` to match. It sits inside
    django-csp's middleware, which reads `_csp_replace` when it writes the header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            replace = dict(getattr(response, "_csp_replace", None) or {})
            replace["frame-ancestors"] = [SELF]
            response._csp_replace = replace
        return response
