"""Parsed and validated documents, cached per process, bounded by entries and bytes.

Apollo-style clients send the same few documents over and over; parsing and
validating one costs about as much as running it. The outcome (a valid
document, or the error body to answer) is kept in an LRU per process, keyed by
the document text, the schema and whether introspection is allowed.

A stranger chooses the documents, so the cache is bounded three ways: at most
GRAPHQL_DOCUMENT_CACHE_SIZE entries, none longer than
GRAPHQL_DOCUMENT_CACHE_MAX_LENGTH characters, and at most
GRAPHQL_DOCUMENT_CACHE_BYTES in all (each entry's size estimated when it is
stored; a flood of distinct documents only evicts). A kept document drops its
lexer tokens (a linked list of every token, most of a parsed document's
memory); its nodes keep their character offsets and source, which is all an
error's `locations` need.
"""

import sys
import threading
from collections import OrderedDict

from django.conf import settings
from django.core.signals import setting_changed
from django.utils import translation
from graphql import (
    DocumentNode,
    GraphQLError,
    NoSchemaIntrospectionCustomRule,
    parse,
    specified_rules,
    validate,
)
from graphql.language import Location, Node, Source

from schema.errors import ErrorCode, error_format
from schema.validation import QueryTooComplex, StorableTextRule, document_limits_check

Prepared = tuple[DocumentNode | None, dict | None]

# The cache's own bookkeeping per entry (the key and outcome tuples, the
# OrderedDict's link and slot), which the walk below doesn't reach.
ENTRY_OVERHEAD = 300


def _document_prepare(schema, query: str, introspection: bool) -> Prepared:
    """Parse and validate: (document, None), or (None, the error body to answer)."""
    try:
        document = parse(query, max_tokens=settings.GRAPHQL_MAX_TOKENS)
    except GraphQLError as exc:
        # graphql-core aborts a document with too many tokens with a syntax error.
        too_many = "Parsing aborted" in exc.message
        code = ErrorCode.QUERY_TOO_COMPLEX if too_many else ErrorCode.GRAPHQL_PARSE_FAILED
        return None, {"errors": [error_format(exc, code=code)]}
    # The limits first, on their own: linear in the document, and a document
    # over one never meets the standard rules (overlapping fields is quadratic).
    errors = document_limits_check(document, introspection=introspection)
    if not errors:
        rules = [*specified_rules, StorableTextRule]
        if not introspection:
            rules.append(NoSchemaIntrospectionCustomRule)
        # "Did you mean ...?" names fields, arguments and types: with introspection
        # off, a word list would rebuild the schema from the suggestions.
        errors = validate(schema, document, rules, hide_suggestions=not introspection)
    if errors:
        return None, {"errors": [_validation_error_format(e) for e in errors]}
    return document, None


def _validation_error_format(error: GraphQLError) -> dict:
    if isinstance(error, QueryTooComplex):
        return error_format(error, code=ErrorCode.QUERY_TOO_COMPLEX)
    return error_format(error, code=ErrorCode.GRAPHQL_VALIDATION_FAILED)


def _tokens_drop(value) -> None:
    """Unlink a validated document's nodes from the lexer's tokens."""
    if isinstance(value, Node):
        if value.loc is not None:
            value.loc.start_token = value.loc.end_token = None
        for key in value.keys:
            if key != "loc":
                _tokens_drop(getattr(value, key, None))
    elif isinstance(value, tuple | list):
        for item in value:
            _tokens_drop(item)


def entry_size(query: str, prepared: Prepared) -> int:
    """Bytes one entry holds, the way sys.getsizeof counts them (the schema is shared)."""
    seen: set[int] = set()
    total = ENTRY_OVERHEAD
    stack = [query, prepared]
    while stack:
        value = stack.pop()
        if id(value) in seen or value is None or isinstance(value, bool):
            continue
        seen.add(id(value))
        total += sys.getsizeof(value)
        if isinstance(value, Node | Location | Source):
            stack.extend(getattr(value, slot, None) for slot in _slots(type(value)))
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, tuple | list):
            stack.extend(value)
    return total


def _slots(cls) -> list[str]:
    return [s for klass in cls.__mro__ for s in getattr(klass, "__slots__", ())]


class DocumentCache:
    """An LRU of prepared documents with an entry count and a byte budget."""

    def __init__(self, *, max_entries: int, max_bytes: int):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[tuple, tuple[Prepared, int]] = OrderedDict()
        self._lock = threading.Lock()  # gunicorn's threads share a process's cache

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple) -> Prepared | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: tuple, prepared: Prepared, size: int) -> None:
        if size > self.max_bytes:
            return  # larger than the whole budget: answered, not kept
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (prepared, size)
            self.bytes += size
            while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
                _, (_, evicted) = self._entries.popitem(last=False)
                self.bytes -= evicted


def _cache_build() -> DocumentCache:
    return DocumentCache(
        max_entries=settings.GRAPHQL_DOCUMENT_CACHE_SIZE,
        max_bytes=settings.GRAPHQL_DOCUMENT_CACHE_BYTES,
    )


_cache = _cache_build()


def document_prepare(schema, query: str) -> Prepared:
    """The parsed and validated document, or the error body, from the cache when kept."""
    introspection = settings.GRAPHIQL_ENABLED
    if (
        not settings.GRAPHQL_DOCUMENT_CACHE_SIZE
        or not settings.GRAPHQL_DOCUMENT_CACHE_BYTES
        or len(query) > settings.GRAPHQL_DOCUMENT_CACHE_MAX_LENGTH
    ):
        return _document_prepare(schema, query, introspection)
    # Per language: an error body holds messages in the language it was made in.
    key = (schema, query, introspection, translation.get_language())
    prepared = _cache.get(key)
    if prepared is None:
        prepared = _document_prepare(schema, query, introspection)
        _tokens_drop(prepared[0])
        _cache.put(key, prepared, entry_size(query, prepared))
    return prepared


def document_cache_clear() -> None:
    global _cache
    _cache = _cache_build()


def document_cache() -> DocumentCache:
    return _cache


def _document_cache_reset(*, setting, **kwargs):
    if setting.startswith("GRAPHQL_") or setting == "GRAPHIQL_ENABLED":
        document_cache_clear()


setting_changed.connect(_document_cache_reset)
