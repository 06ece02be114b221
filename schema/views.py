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
from graphene_django.views import GraphQLView as GrapheneView
from graphql import OperationType, execute, get_operation_ast

from accounts.auth import RequestAuth
from schema.document_cache import document_prepare
from schema.errors import ErrorCode, RequestError, error_format, request_error_format
from schema.persisted_queries import persisted_query_resolve, persisted_query_store
from schema.validation import QueryTooComplex, variables_are_storable, variables_too_deep
from web.views import graphiql_render


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
            query, apq_hash = persisted_query_resolve(request, data, query)
            body, status = self._run(request, query, variables, operation_name, apq_hash)
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
        # Our own page: assets from this server, no CDN, no inline script.
        return graphiql_render(request)

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
        # Only types a browser can't send cross-site without a CORS preflight: a
        # form (urlencoded, multipart) or text/plain would let any page fire
        # anonymous mutations (register, tokenAuth) from its visitors' browsers.
        if content_type != "application/json":
            raise RequestError(
                "Send the request as application/json (or application/graphql).", status=415
            )
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
    def _params(request, data: dict) -> tuple[str | None, dict | None, str | None]:
        query = request.GET.get("query") or data.get("query")
        variables = request.GET.get("variables") or data.get("variables")
        operation_name = request.GET.get("operationName") or data.get("operationName")
        if query is not None and not isinstance(query, str):
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
        if variables and variables_too_deep(variables, limit=settings.GRAPHQL_MAX_VARIABLE_DEPTH):
            raise RequestError(
                "Variables are nested too deep: at most "
                f"{settings.GRAPHQL_MAX_VARIABLE_DEPTH} levels of lists and objects.",
                code=ErrorCode.BAD_USER_INPUT,
            )
        if variables and not variables_are_storable(variables):
            raise RequestError(
                "Variables must not contain NUL characters or lone surrogates.",
                code=ErrorCode.BAD_USER_INPUT,
            )
        return query, variables, operation_name or None

    def _run(self, request, query, variables, operation_name, apq_hash=None) -> tuple[dict, int]:
        if len(query) > settings.GRAPHQL_MAX_DOCUMENT_LENGTH:
            error = QueryTooComplex(
                f"The document is longer than {settings.GRAPHQL_MAX_DOCUMENT_LENGTH} characters."
            )
            return {"errors": [error_format(error, code=ErrorCode.QUERY_TOO_COMPLEX)]}, 400
        schema = self.schema.graphql_schema
        document, errors = document_prepare(schema, query)
        if errors is not None:
            return errors, 400

        operation = get_operation_ast(document, operation_name)
        if (
            request.method == "GET"
            and operation is not None
            and operation.operation != OperationType.QUERY
        ):
            raise RequestError("Mutations must be sent with POST.", status=405)
        if apq_hash is not None:
            # Only documents that parse and validate are kept.
            persisted_query_store(request, sha=apq_hash, query=query)

        result = execute(
            schema,
            document,
            context_value=request,
            variable_values=variables,
            operation_name=operation_name,
            middleware=self.get_middleware(request),
            hide_suggestions=not settings.GRAPHIQL_ENABLED,
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
