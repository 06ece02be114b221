"""/healthz: 200 when the database and the cache answer, 503 otherwise (for a load balancer).

Cheap on purpose (one query, one cache round trip): probed every few seconds.
Readiness, which also asks about migrations and providers, is ops.views.readyz.
"""

import logging
import secrets

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("core")


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy"
        logger.warning("healthz: database check failed: %s", type(exc).__name__)
        return False


def cache_ok() -> bool:
    key, value = f"healthz:{secrets.token_hex(8)}", secrets.token_hex(8)
    try:
        cache.set(key, value, 10)
        ok = cache.get(key) == value
        cache.delete(key)
        return ok
    except Exception as exc:  # noqa: BLE001
        logger.warning("healthz: cache check failed: %s", type(exc).__name__)
        return False


@never_cache
@require_safe
def healthz(request):
    checks = {
        "database": "ok" if database_ok() else "unavailable",
        "cache": "ok" if cache_ok() else "unavailable",
    }
    healthy = all(v == "ok" for v in checks.values())
    body = {"status": "ok" if healthy else "unavailable", **checks}
    return JsonResponse(body, status=200 if healthy else 503)
