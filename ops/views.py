"""/metrics (for Prometheus, behind a bearer token) and /readyz (for an orchestrator)."""

import hmac

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core import metrics
from core.health import cache_ok, database_ok
from ops.conf import ops_settings
from twofa.providers import providers_unconfigured


@never_cache
@require_safe
def metrics_view(request):
    """The metrics in Prometheus' text format; 404 unless METRICS_TOKEN is set."""
    expected = ops_settings.METRICS_TOKEN
    if not expected:
        raise Http404()
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.strip().encode(), expected.encode()
    ):
        response = HttpResponse("Unauthorized.\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(metrics.exposition(), content_type=metrics.CONTENT_TYPE)


# Set once every migration is seen applied: a process's code and its
# database schema stay in step afterwards, so later probes needn't ask.
_migrations_applied = False


def _migrations_ok() -> bool:
    global _migrations_applied
    if not _migrations_applied:
        try:
            executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception:  # noqa: BLE001 - the database check reports why
            return False
        _migrations_applied = not plan
    return _migrations_applied


@never_cache
@require_safe
def readyz(request):
    """200 when this process can serve: /healthz's checks, every migration
    applied, and the delivery providers' settings present. 503 names the
    failing checks (names only: no setting's value)."""
    unconfigured = providers_unconfigured()
    checks = {
        "database": "ok" if database_ok() else "unavailable",
        "cache": "ok" if cache_ok() else "unavailable",
        "migrations": "ok" if _migrations_ok() else "pending",
        "providers": "ok" if not unconfigured else "unconfigured: " + ", ".join(unconfigured),
    }
    ready = all(v == "ok" for v in checks.values())
    body = {"status": "ok" if ready else "unavailable", **checks}
    return JsonResponse(body, status=200 if ready else 503)
