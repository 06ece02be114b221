"""The endpoint's HTTP answers: a GraphQL body as compact JSON, or an error
about the request itself (always JSON, never Django's HTML error pages)."""

import json

from django.http import HttpResponse, JsonResponse

from schema.errors import RequestError, request_error_format

_COMPACT = (",", ":")


def graphql_response(body: dict, status: int) -> HttpResponse:
    return HttpResponse(
        json.dumps(body, separators=_COMPACT), status=status, content_type="application/json"
    )


def request_error_response(error: RequestError) -> JsonResponse:
    response = JsonResponse(
        {"errors": [request_error_format(error.code, error.message)]},
        status=error.status,
        json_dumps_params={"separators": _COMPACT},
    )
    if error.status == 405:
        response["Allow"] = "GET, POST"
    return response
