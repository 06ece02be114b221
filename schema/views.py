"""The one GraphQL endpoint.

graphene-django's view is kept for GraphiQL; the request path is ours so that:
- every error carries an `extensions.code` (schema/errors.py), and malformed
  requests answer 400 with JSON, never a 500;
- the caller is authenticated once per request (accounts.auth.RequestAuth);
- nothing runs inside a request-wide transaction that an error would roll
  back (attempt counters must persist), and no CSRF cookie or session is
  touched: this API authenticates with Bearer tokens only.

A request travels: the HTTP rules and its parameters (schema/request.py), a
persisted query looked up (schema/persisted_queries.py), the document parsed
and validated (cached, below), then run (schema/execution.py); every refusal
on the way is a RequestError, answered by schema/responses.py.
"""

from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.db import transaction
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView as GrapheneView
from graphql import (
    DocumentNode,
    GraphQLError,
    NoSchemaIntrospectionCustomRule,
    parse,
    specified_rules,
    validate,
)

from accounts.auth import RequestAuth
from accounts.cookies import refresh_cookie_apply
from schema.errors import ErrorCode, RequestError, error_format
from schema.execution import operation_execute
from schema.persisted_queries import persisted_query_resolve, persisted_query_store
from schema.request import (
    operation_method_check,
    query_length_check,
    request_method_check,
    request_parse,
)
from schema.responses import graphql_response, request_error_response
from schema.validation import QueryTooComplex, StorableTextRule, document_limits_check
from web.views import graphiql_render


class GraphQLView(GrapheneView):
    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        return transaction.non_atomic_requests(csrf_exempt(view))

    def dispatch(self, request, *args, **kwargs):
        request.auth = RequestAuth(request)
        try:
            request_method_check(request)
            if self._wants_graphiql(request):
                # Our own page: assets from this server, no CDN, no inline script.
                return graphiql_render(request)
            params = request_parse(request)
            query, apq_hash = persisted_query_resolve(request, params.data, params.query)
            query_length_check(query)
            schema = self.schema.graphql_schema
            document, errors = document_prepare(schema, query)
            if errors is not None:
                return graphql_response(errors, 400)
            operation_method_check(request, document, params.operation_name)
            if apq_hash is not None:
                # Only documents that parse and validate are kept.
                persisted_query_store(request, sha=apq_hash, query=query)
            body, status = operation_execute(
                schema,
                document,
                request=request,
                variables=params.variables,
                operation_name=params.operation_name,
                middleware=self.get_middleware(request),
            )
        except RequestError as exc:
            return request_error_response(exc)
        # A browser session's refresh token, set or cleared by the mutations that ran.
        return refresh_cookie_apply(request, graphql_response(body, status))

    def _wants_graphiql(self, request) -> bool:
        return (
            request.method == "GET"
            and settings.GRAPHIQL_ENABLED
            and self.request_wants_html(request)
            and "raw" not in request.GET
        )


# --- Parsed and validated documents, cached -------------------------------------
# Apollo-style clients send the same few documents over and over; parsing and
# validating one costs about as much as running it. The outcome (a valid
# document, or the error body) is kept in a bounded LRU per process, keyed by
# the document text, the schema and whether introspection is allowed. Documents
# longer than GRAPHQL_DOCUMENT_CACHE_MAX_LENGTH are not kept, which bounds the
# memory the cache can hold (a flood of distinct documents only evicts).


Prepared = tuple[DocumentNode | None, dict | None]


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


def _document_cache_build():
    return lru_cache(maxsize=settings.GRAPHQL_DOCUMENT_CACHE_SIZE)(_document_prepare)


_document_cached = _document_cache_build()


def document_prepare(schema, query: str) -> Prepared:
    introspection = settings.GRAPHIQL_ENABLED
    if settings.GRAPHQL_DOCUMENT_CACHE_SIZE and len(query) <= (
        settings.GRAPHQL_DOCUMENT_CACHE_MAX_LENGTH
    ):
        return _document_cached(schema, query, introspection)
    return _document_prepare(schema, query, introspection)


def _document_cache_reset(*, setting, **kwargs):
    global _document_cached
    if setting.startswith("GRAPHQL_") or setting == "GRAPHIQL_ENABLED":
        _document_cached = _document_cache_build()


setting_changed.connect(_document_cache_reset)


def _validation_error_format(error: GraphQLError) -> dict:
    if isinstance(error, QueryTooComplex):
        return error_format(error, code=ErrorCode.QUERY_TOO_COMPLEX)
    return error_format(error, code=ErrorCode.GRAPHQL_VALIDATION_FAILED)
