"""Running a prepared document: the body its outcome answers with, and whether
execution started (`data` and each field's error with its `extensions.code`), or
not (a bad variable or operation name: errors only). The status follows from
that and the media type (schema/negotiation.py)."""

from django.conf import settings
from graphql import DocumentNode, GraphQLSchema, execute

from schema.errors import ErrorCode, error_format


def operation_execute(
    schema: GraphQLSchema,
    document: DocumentNode,
    *,
    request,
    variables: dict | None,
    operation_name: str | None,
    middleware,
) -> tuple[dict, bool]:
    result = execute(
        schema,
        document,
        context_value=request,
        variable_values=variables,
        operation_name=operation_name,
        middleware=middleware,
        hide_suggestions=not settings.GRAPHIQL_ENABLED,
    )
    if result.data is None and result.errors and all(e.path is None for e in result.errors):
        # Raised before any field ran: a bad variable or operation name.
        return {
            "errors": [
                error_format(e, code=ErrorCode.BAD_USER_INPUT if e.nodes else ErrorCode.BAD_REQUEST)
                for e in result.errors
            ]
        }, False
    body: dict = {}
    if result.errors:
        body["errors"] = [error_format(e) for e in result.errors]
    body["data"] = result.data
    return body, True
