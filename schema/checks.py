"""System checks for the GraphQL edge's settings that a deployment can get wrong."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def check_persisted_queries_store(app_configs, **kwargs):
    """Persisted queries in the Redis of the rate limits could evict or block counters."""
    if not settings.GRAPHQL_APQ_REDIS_URL or not settings.REDIS_URL:
        return []
    if _server(settings.GRAPHQL_APQ_REDIS_URL) != _server(settings.REDIS_URL):
        return []
    return [
        checks.Warning(
            "Persisted queries are stored in the Redis server that counts the rate limits: "
            "under a flood of registrations it evicts counters (allkeys-lru) or refuses "
            "their writes (noeviction), and limits fail.",
            hint="Point GRAPHQL_APQ_REDIS_URL at another Redis server (maxmemory, "
            "allkeys-lru), or leave it empty to keep persisted queries in each process.",
            id="schema.W001",
        )
    ]


def _server(url: str) -> tuple:
    # A different database number on the same server shares its memory and eviction.
    parts = urlsplit(url)
    return parts.hostname, parts.port or 6379


# Input coercion recurses once per level: beyond this a variable could exhaust
# Python's recursion limit again, which is what the depth limit is for.
MAX_VARIABLE_DEPTH_CEILING = 100


@checks.register()
def check_graphql_settings(app_configs, **kwargs):
    errors = []
    depth = settings.GRAPHQL_MAX_VARIABLE_DEPTH
    if not 1 <= depth <= MAX_VARIABLE_DEPTH_CEILING:
        errors.append(
            checks.Error(
                f"GRAPHQL_MAX_VARIABLE_DEPTH is {depth}; it must be between 1 and "
                f"{MAX_VARIABLE_DEPTH_CEILING}.",
                hint="Deeper variables crash input coercion; 0 would refuse every list.",
                id="schema.E001",
            )
        )
    if settings.GRAPHQL_APQ_LIMIT_PER_IP > 0 and settings.GRAPHQL_APQ_LIMIT_WINDOW <= 0:
        errors.append(
            checks.Error(
                "GRAPHQL_APQ_LIMIT_WINDOW must be a positive number of seconds.",
                id="schema.E002",
            )
        )
    for name in ("GRAPHQL_MAX_FIELD_REPEATS", "GRAPHQL_APQ_LIMIT_PER_IP"):
        if getattr(settings, name) < 0:
            errors.append(checks.Error(f"{name} must be 0 (no limit) or more.", id="schema.E003"))
    return errors


# Without these, no browser on another origin can send a JSON body or a Bearer token.
CORS_REQUIRED_HEADERS = ("content-type", "authorization")


@checks.register(checks.Tags.security)
def check_cors_headers(app_configs, **kwargs):
    """CORS_ALLOW_HEADERS replaces the whole list: one set without the basics locks SPAs out."""
    if not settings.CORS_ALLOWED_ORIGINS:
        return []
    allowed = {name.lower() for name in settings.CORS_ALLOW_HEADERS}
    missing = [name for name in CORS_REQUIRED_HEADERS if name not in allowed]
    if not missing:
        return []
    return [
        checks.Warning(
            f"CORS_ALLOW_HEADERS leaves out {', '.join(missing)}: browsers on "
            "CORS_ALLOWED_ORIGINS can't send a JSON body or a Bearer token to /graphql.",
            hint="CORS_ALLOW_HEADERS replaces the default list: include content-type and "
            "authorization (and the defaults your clients send).",
            id="schema.W002",
        )
    ]
