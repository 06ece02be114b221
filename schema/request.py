"""What a GraphQL request over HTTP may be: GET or POST, a JSON (or
application/graphql) body, the query, variables and operation name checked
before any GraphQL runs, and mutations only by POST. A request that breaks a
rule of HTTP raises a RequestError (a 4xx); one whose document or variables are
over a limit raises a GraphQLRequestError, whose status follows the media type
(schema/negotiation.py)."""

import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from graphql import DocumentNode, OperationType, get_operation_ast

from schema.errors import ErrorCode, GraphQLRequestError, RequestError
from schema.validation import variables_are_storable, variables_too_deep


@dataclass(frozen=True)
class GraphQLParams:
    """A request's operation, as the client sent it."""

    data: dict  # the JSON body (empty for GET): the persisted-query extension lives there too
    query: str | None
    variables: dict | None
    operation_name: str | None


def request_method_check(request) -> None:
    if request.method not in ("GET", "POST"):
        raise RequestError(_("GraphQL accepts GET and POST requests only."), status=405)


def request_parse(request) -> GraphQLParams:
    """The operation from the query string and the body."""
    data = _body(request)
    query = request.GET.get("query") or data.get("query")
    variables = request.GET.get("variables") or data.get("variables")
    operation_name = request.GET.get("operationName") or data.get("operationName")
    if query is not None and not isinstance(query, str):
        raise RequestError(_("'query' must be a string."))
    if isinstance(variables, str):
        try:
            variables = json.loads(variables) if variables.strip() else None
        except (ValueError, RecursionError) as exc:
            raise RequestError(_("'variables' is not valid JSON.")) from exc
    if variables is not None and not isinstance(variables, dict):
        raise RequestError(_("'variables' must be a JSON object."))
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError(_("'operationName' must be a string."))
    if variables and variables_too_deep(variables, limit=settings.GRAPHQL_MAX_VARIABLE_DEPTH):
        raise GraphQLRequestError(
            _("Variables are nested too deep: at most %(limit)s levels of lists and objects.")
            % {"limit": settings.GRAPHQL_MAX_VARIABLE_DEPTH},
            code=ErrorCode.BAD_USER_INPUT,
        )
    if variables and not variables_are_storable(variables):
        raise GraphQLRequestError(
            _("Variables must not contain NUL characters or lone surrogates."),
            code=ErrorCode.BAD_USER_INPUT,
        )
    return GraphQLParams(
        data=data, query=query, variables=variables, operation_name=operation_name or None
    )


def _body(request) -> dict:
    if request.method == "GET":
        return {}
    try:
        body = request.body
    except RequestDataTooBig as exc:
        raise RequestError(_("The request body is too large."), status=413) from exc
    if not body:
        raise RequestError(_("The request body is empty. Send a JSON object with a 'query'."))
    content_type = request.content_type
    if content_type == "application/graphql":
        try:
            return {"query": body.decode("utf-8")}
        except UnicodeDecodeError as exc:
            raise RequestError(_("The body is not valid UTF-8.")) from exc
    # Only types a browser can't send cross-site without a CORS preflight: a
    # form (urlencoded, multipart) or text/plain would let any page fire
    # anonymous mutations (register, tokenAuth) from its visitors' browsers.
    if content_type != "application/json":
        raise RequestError(
            _("Send the request as application/json (or application/graphql)."), status=415
        )
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise RequestError(_("The request body is not valid JSON.")) from exc
    if isinstance(data, list):
        raise RequestError(_("Batched requests are not supported. Send one operation per request."))
    if not isinstance(data, dict):
        raise RequestError(_("The request body must be a JSON object with a 'query'."))
    return data


def query_length_check(query: str) -> None:
    """Refuse a document too long to parse, before it is parsed (or cached)."""
    if len(query) > settings.GRAPHQL_MAX_DOCUMENT_LENGTH:
        raise GraphQLRequestError(
            _("The document is longer than %(limit)s characters.")
            % {"limit": settings.GRAPHQL_MAX_DOCUMENT_LENGTH},
            code=ErrorCode.QUERY_TOO_COMPLEX,
        )


def operation_method_check(request, document: DocumentNode, operation_name: str | None) -> None:
    """A GET may only read: a link or an image tag must not change anything."""
    operation = get_operation_ast(document, operation_name)
    if (
        request.method == "GET"
        and operation is not None
        and operation.operation != OperationType.QUERY
    ):
        raise RequestError(_("Mutations must be sent with POST."), status=405)
