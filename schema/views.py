"""The one GraphQL endpoint.

graphene-django's view is kept for GraphiQL; the request path is ours so that:
- every error carries an `extensions.code` (schema/errors.py), and malformed
  requests answer 400 with JSON, never a 500;
- the caller is authenticated once per request (accounts.auth.RequestAuth);
- nothing runs inside a request-wide transaction that an error would roll
  back (attempt counters must persist), and no CSRF cookie or session is
  touched: this API authenticates with Bearer tokens only.
"""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView as GrapheneView
from graphql import (
    GraphQLError,
    NoSchemaIntrospectionCustomRule,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)

from accounts.auth import RequestAuth
from schema.errors import ErrorCode, error_format, request_error_format
from schema.validation import (
    ComplexityLimitRule,
    QueryTooComplex,
    StorableTextRule,
    variables_are_storable,
)


class RequestError(Exception):
    """The HTTP request can't be run as GraphQL at all."""

    def __init__(self, message: str, *, status: int = 400, code: ErrorCode = ErrorCode.BAD_REQUEST):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


class GraphQLView(GrapheneView):
    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        return transaction.non_atomic_requests(csrf_exempt(view))

    def dispatch(self, request, *args, **kwargs):
        request.auth = RequestAuth(request)
        try:
            if request.method not in ("GET", "POST"):
                raise RequestError("GraphQL accepts GET and POST requests only.", status=405)
            if (
                request.method == "GET"
                and settings.GRAPHIQL_ENABLED
                and self.request_wants_html(request)
                and "raw" not in request.GET
            ):
                return self._graphiql(request)
            data = self._body(request)
            query, variables, operation_name = self._params(request, data)
            body, status = self._run(request, query, variables, operation_name)
        except RequestError as exc:
            response = JsonResponse(
                {"errors": [request_error_format(exc.code, exc.message)]},
                status=exc.status,
                json_dumps_params={"separators": (",", ":")},
            )
            if exc.status == 405:
                response["Allow"] = "GET, POST"
            return response
        return HttpResponse(
            json.dumps(body, separators=(",", ":")), status=status, content_type="application/json"
        )

    def _graphiql(self, request):
        return self.render_graphiql(
            request,
            graphiql_version=self.graphiql_version,
            graphiql_sri=self.graphiql_sri,
            graphiql_css_sri=self.graphiql_css_sri,
            react_version=self.react_version,
            react_sri=self.react_sri,
            react_dom_sri=self.react_dom_sri,
            whatwg_fetch_version=self.whatwg_fetch_version,
            whatwg_fetch_sri=self.whatwg_fetch_sri,
            subscriptions_transport_ws_version=self.subscriptions_transport_ws_version,
            subscriptions_transport_ws_sri=self.subscriptions_transport_ws_sri,
            graphiql_plugin_explorer_version=self.graphiql_plugin_explorer_version,
            graphiql_plugin_explorer_sri=self.graphiql_plugin_explorer_sri,
            graphiql_plugin_explorer_css_sri=self.graphiql_plugin_explorer_css_sri,
            subscription_path=None,
            graphiql_header_editor_enabled=graphene_settings.GRAPHIQL_HEADER_EDITOR_ENABLED,
            graphiql_should_persist_headers=graphene_settings.GRAPHIQL_SHOULD_PERSIST_HEADERS,
            graphiql_input_value_deprecation=graphene_settings.GRAPHIQL_INPUT_VALUE_DEPRECATION,
        )

    @staticmethod
    def _body(request) -> dict:
        if request.method == "GET":
            return {}
        try:
            body = request.body
        except RequestDataTooBig as exc:
            raise RequestError("The request body is too large.", status=413) from exc
        if not body:
            raise RequestError("The request body is empty. Send a JSON object with a 'query'.")
        content_type = request.content_type
        if content_type == "application/graphql":
            try:
                return {"query": body.decode("utf-8")}
            except UnicodeDecodeError as exc:
                raise RequestError("The body is not valid UTF-8.") from exc
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return request.POST.dict()
        if content_type != "application/json":
            raise RequestError("Send the request as application/json.", status=415)
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as exc:
            raise RequestError("The request body is not valid JSON.") from exc
        if isinstance(data, list):
            raise RequestError(
                "Batched requests are not supported. Send one operation per request."
            )
        if not isinstance(data, dict):
            raise RequestError("The request body must be a JSON object with a 'query'.")
        return data

    @staticmethod
    def _params(request, data: dict) -> tuple[str, dict | None, str | None]:
        query = request.GET.get("query") or data.get("query")
        variables = request.GET.get("variables") or data.get("variables")
        operation_name = request.GET.get("operationName") or data.get("operationName")
        if not query:
            raise RequestError("The request has no GraphQL query.")
        if not isinstance(query, str):
            raise RequestError("'query' must be a string.")
        if isinstance(variables, str):
            try:
                variables = json.loads(variables) if variables.strip() else None
            except (ValueError, RecursionError) as exc:
                raise RequestError("'variables' is not valid JSON.") from exc
        if variables is not None and not isinstance(variables, dict):
            raise RequestError("'variables' must be a JSON object.")
        if operation_name is not None and not isinstance(operation_name, str):
            raise RequestError("'operationName' must be a string.")
        if variables and not variables_are_storable(variables):
            raise RequestError(
                "Variables must not contain NUL characters or lone surrogates.",
                code=ErrorCode.BAD_USER_INPUT,
            )
        return query, variables, operation_name or None

    def _run(self, request, query, variables, operation_name) -> tuple[dict, int]:
        if len(query) > settings.GRAPHQL_MAX_DOCUMENT_LENGTH:
            error = QueryTooComplex(
                f"The document is longer than {settings.GRAPHQL_MAX_DOCUMENT_LENGTH} characters."
            )
            return {"errors": [error_format(error, code=ErrorCode.QUERY_TOO_COMPLEX)]}, 400
        try:
            document = parse(query, max_tokens=settings.GRAPHQL_MAX_TOKENS)
        except GraphQLError as exc:
            # graphql-core aborts a document with too many tokens with a syntax error.
            too_many = "Parsing aborted" in exc.message
            code = ErrorCode.QUERY_TOO_COMPLEX if too_many else ErrorCode.GRAPHQL_PARSE_FAILED
            return {"errors": [error_format(exc, code=code)]}, 400

        operation = get_operation_ast(document, operation_name)
        if (
            request.method == "GET"
            and operation is not None
            and operation.operation != OperationType.QUERY
        ):
            raise RequestError("Mutations must be sent with POST.", status=405)

        schema = self.schema.graphql_schema
        rules = [*specified_rules, ComplexityLimitRule, StorableTextRule]
        if not settings.GRAPHIQL_ENABLED:
            rules.append(NoSchemaIntrospectionCustomRule)
        errors = validate(schema, document, rules)
        if errors:
            return {"errors": [_validation_error_format(e) for e in errors]}, 400

        result = execute(
            schema,
            document,
            context_value=request,
            variable_values=variables,
            operation_name=operation_name,
            middleware=self.get_middleware(request),
        )
        if result.data is None and result.errors and all(e.path is None for e in result.errors):
            # Raised before any field ran: a bad variable or operation name.
            return {
                "errors": [
                    error_format(
                        e, code=ErrorCode.BAD_USER_INPUT if e.nodes else ErrorCode.BAD_REQUEST
                    )
                    for e in result.errors
                ]
            }, 400
        body: dict = {}
        if result.errors:
            body["errors"] = [error_format(e) for e in result.errors]
        body["data"] = result.data
        return body, 200


def _validation_error_format(error: GraphQLError) -> dict:
    if isinstance(error, QueryTooComplex):
        return error_format(error, code=ErrorCode.QUERY_TOO_COMPLEX)
    return error_format(error, code=ErrorCode.GRAPHQL_VALIDATION_FAILED)
