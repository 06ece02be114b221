"""Every request: its id (echoed in X-Request-ID), its log context, its HTTP metrics.

First in MIDDLEWARE, so the id and the count cover every answer, the
redirects and refusals of the middleware after it included.
"""

import time

from core import metrics
from core.logs import (
    REQUEST_ID_HEADER,
    operation_var,
    request_id_accept,
    request_id_new,
    request_id_var,
    user_id_var,
)
from ops.conf import ops_settings


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = None
        if ops_settings.TRUSTED_PROXY_COUNT > 0:
            # Only a proxy we trust may name the request (so its id and ours match).
            request_id = request_id_accept(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id or request_id_new()
        tokens = [
            (request_id_var, request_id_var.set(request.request_id)),
            (user_id_var, user_id_var.set(None)),
            (operation_var, operation_var.set(None)),
        ]
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            for var, token in reversed(tokens):
                var.reset(token)
        match = getattr(request, "resolver_match", None)
        # The URL pattern's name: one of ours, never the path a client chose.
        view = (match.view_name if match else "") or "unmatched"
        metrics.HTTP_REQUESTS.labels(view, metrics.status_class(response.status_code)).inc()
        metrics.HTTP_LATENCY.labels(view).observe(time.perf_counter() - started)
        response[REQUEST_ID_HEADER] = request.request_id
        return response
