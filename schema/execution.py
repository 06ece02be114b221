"""Running a prepared document, and the body and status its outcome answers
with: 400 when nothing ran (a bad variable or operation name), else 200 with
`data` and each field's error carrying its `extensions.code`."""

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
) -> tuple[dict, int]:
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
        }, 400
    body: dict = {}
    if result.errors:
        body["errors"] = [error_format(e) for e in result.errors]
    body["data"] = result.data
    return body, 200
