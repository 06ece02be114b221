"""The Content-Security-Policy of the admin's pages.

Django's admin (5.2) loads only its own static files, with no inline script
or style, so it runs under the same policy as the pages of web/
(CONTENT_SECURITY_POLICY). A middleware, so that every admin page has it: the
login pages and error answers as well as the views AdminSite wraps.
"""

from django.conf import settings
from django.urls import reverse


class AdminContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(reverse("admin:index")):
            response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
