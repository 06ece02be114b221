"""Automatic persisted queries (Apollo's protocol).

With `extensions.persistedQuery {version: 1, sha256Hash}` and no query, the
document stored under that hash runs; an unknown hash answers
PersistedQueryNotFound, and the client retries with the query, which is
stored once it validates.

Stored documents live in their own cache, CACHES["persisted_queries"]
(GRAPHQL_APQ_REDIS_URL, or each process's memory), never in the cache that
counts the rate limits: a flood of registrations can then only evict other
persisted queries, which clients register again, never a limit's counter. What
one client network may store is bounded: GRAPHQL_APQ_LIMIT_PER_IP new
documents per GRAPHQL_APQ_LIMIT_WINDOW, each at most
GRAPHQL_MAX_DOCUMENT_LENGTH characters. Over that budget the query still runs;
it just isn't kept.
"""

import hashlib
import json
import re

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import gettext as _

from core.exceptions import RateLimited
from core.http import client_network_of
from core.ratelimit import rate_limit_hit
from schema.errors import ErrorCode, RequestError

CACHE_ALIAS = "persisted_queries"

_SHA256 = re.compile(r"[0-9a-f]{64}")


def persisted_query_resolve(request, data: dict, query: str | None) -> tuple[str, str | None]:
    """The query to run, and the hash to store it under once it validates (or None)."""
    extensions = request.GET.get("extensions") or data.get("extensions")
    if isinstance(extensions, str):
        try:
            extensions = json.loads(extensions)
        except (ValueError, RecursionError) as exc:
            raise RequestError(_("'extensions' is not valid JSON.")) from exc
    if extensions is None:
        extensions = {}
    if not isinstance(extensions, dict):
        raise RequestError(_("'extensions' must be a JSON object."))
    persisted = extensions.get("persistedQuery")
    if persisted is None:
        if not query:
            raise RequestError(_("The request has no GraphQL query."))
        return query, None
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise RequestError(_("Unsupported persisted query version: send version 1."))
    sha = persisted.get("sha256Hash")
    if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
        raise RequestError(_("'sha256Hash' must be 64 lowercase hex digits."))
    if query:
        if hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest() != sha:
            raise RequestError(_("provided sha does not match query"))
        return query, sha
    stored = caches[CACHE_ALIAS].get(_key(sha))
    if stored is None:
        raise RequestError(
            # Not translated: Apollo's link knows this message as well as the code.
            "PersistedQueryNotFound",
            status=200,
            code=ErrorCode.PERSISTED_QUERY_NOT_FOUND,
        )
    return stored, None


def persisted_query_store(request, *, sha: str, query: str) -> None:
    """Keep a validated document under its hash, within the client network's budget."""
    store = caches[CACHE_ALIAS]
    key = _key(sha)
    if store.get(key) is not None:
        return  # already kept: costs the client nothing
    try:
        rate_limit_hit(
            "graphql.apq",
            client_network_of(request),
            limit=settings.GRAPHQL_APQ_LIMIT_PER_IP,
            period=settings.GRAPHQL_APQ_LIMIT_WINDOW,
        )
    except RateLimited:
        return  # the query ran; the client sends it in full again next time
    store.set(key, query, settings.GRAPHQL_APQ_TTL)


def _key(sha: str) -> str:
    return f"apq:v1:{sha}"
