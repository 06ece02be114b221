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
