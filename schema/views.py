"""The one GraphQL endpoint.

graphene-django's view is kept for GraphiQL; the request path is ours so that:
- every error carries an `extensions.code` (schema/errors.py), in the media
  type the client accepts, with the status GraphQL over HTTP gives it
  (schema/negotiation.py); malformed requests answer a 4xx, never a 500;
- the caller is authenticated once per request (accounts.auth.RequestAuth);
- messages are in the caller's language: Accept-Language (Django's
  LocaleMiddleware, which also sets Content-Language and Vary), or the
  signed-in user's own `language`, which wins;
- nothing runs inside a request-wide transaction that an error would roll
  back (attempt counters must persist), and no CSRF cookie or session is
  touched: this API authenticates with Bearer tokens only.

A request travels: the HTTP rules and its parameters (schema/request.py), a
persisted query looked up (schema/persisted_queries.py), the document parsed
and validated (cached: schema/document_cache.py), then run
(schema/execution.py); every refusal on the way is a RequestError, answered by
schema/responses.py in the media type negotiated first.
"""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView as GrapheneView
from graphql import DocumentNode, FieldNode, get_operation_ast

from accounts.auth import RequestAuth
from accounts.cookies import refresh_cookie_apply
from accounts.languages import language_supported
from core import metrics
from core.logs import operation_var, user_id_var
from schema.document_cache import document_prepare
from schema.errors import RequestError
from schema.execution import operation_execute
from schema.negotiation import MediaType, media_type_negotiate, response_status
from schema.persisted_queries import persisted_query_resolve, persisted_query_store
from schema.request import (
    operation_method_check,
    query_length_check,
    request_method_check,
    request_parse,
)
from schema.responses import graphql_response, request_error_response
from web.views import graphiql_render


class GraphQLView(GrapheneView):
    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        return transaction.non_atomic_requests(csrf_exempt(view))

    def dispatch(self, request, *args, **kwargs):
        request.auth = RequestAuth(request)
        self._user_language_activate(request)
        outcome = {"operation_type": "none", "field": "none", "outcome": "ok"}
        response = self._dispatch(request, outcome)
        if outcome:  # emptied for the GraphiQL page, which is no operation
            metrics.GRAPHQL_OPERATIONS.labels(**outcome).inc()
        return response

    def _dispatch(self, request, outcome: dict):
        media_type = media_type_negotiate(request.headers.get("Accept", ""))
        try:
            request_method_check(request)
            if self._wants_graphiql(request):
                # Our own page: assets from this server, no CDN, no inline script.
                outcome.clear()
                return graphiql_render(request)
            if media_type is None:
                raise RequestError(
                    _("This endpoint answers %(first)s or %(second)s: accept one of them.")
                    % {"first": MediaType.GRAPHQL_RESPONSE_JSON, "second": MediaType.JSON},
                    status=406,
                )
            params = request_parse(request)
            query, apq_hash = persisted_query_resolve(request, params.data, params.query)
            query_length_check(query)
            schema = self.schema.graphql_schema
            document, errors = document_prepare(schema, query)
            if errors is not None:
                outcome["outcome"] = errors["errors"][0]["extensions"]["code"]
                status = response_status(media_type, refused_status=400)
                return graphql_response(errors, status=status, media_type=media_type)
            operation_method_check(request, document, params.operation_name)
            _operation_context(request, document, params.operation_name, outcome)
            if apq_hash is not None:
                # Only documents that parse and validate are kept.
                persisted_query_store(request, sha=apq_hash, query=query)
            body, started = operation_execute(
                schema,
                document,
                request=request,
                variables=params.variables,
                operation_name=params.operation_name,
                middleware=self.get_middleware(request),
            )
        except RequestError as exc:
            outcome["outcome"] = str(exc.code)
            return request_error_response(exc, media_type=media_type or MediaType.JSON)
        if body.get("errors"):
            outcome["outcome"] = body["errors"][0]["extensions"]["code"]
        status = 200 if started else response_status(media_type, refused_status=400)
        # A browser session's refresh token, set or cleared by the mutations that ran.
        return refresh_cookie_apply(
            request, graphql_response(body, status=status, media_type=media_type)
        )

    @staticmethod
    def _user_language_activate(request) -> None:
        """A signed-in user's own language over Accept-Language, for this request
        (LocaleMiddleware reports it in Content-Language)."""
        if not request.auth.has_header:
            return
        user = request.auth.optional_user
        language = language_supported(user.language) if user is not None else None
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language

    def _wants_graphiql(self, request) -> bool:
        return (
            request.method == "GET"
            and settings.GRAPHIQL_ENABLED
            and self.request_wants_html(request)
            and "raw" not in request.GET
        )


def _operation_context(request, document: DocumentNode, operation_name, outcome: dict) -> None:
    """Name the operation for the logs and the metrics, and the caller for the logs.

    The log context takes the operation's name as the document spells it (a
    GraphQL name: letters, digits, underscores). The metrics take only what
    the schema bounds: the operation's type and its first root field's name.
    """
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return
    if operation.name is not None:
        operation_var.set(operation.name.value)
    outcome["operation_type"] = operation.operation.value
    first = operation.selection_set.selections[0]
    outcome["field"] = first.name.value if isinstance(first, FieldNode) else "other"
    user = request.auth.optional_user
    if user is not None:
        user_id_var.set(user.pk)
