"""The media type of an answer and the status it carries, as the GraphQL-over-HTTP
specification (current draft) has them, decided here and nowhere else.

Two media types, picked from the client's `Accept`:
- application/graphql-response+json: the status says what happened. 200 once
  execution started (field errors included), 4xx when nothing ran; clients of
  this type read the body of a 4xx, so the codes reach them (Apollo Client 4
  asks for it first and turns its errors into CombinedGraphQLErrors).
- application/json, also for no Accept or `*/*` as the spec asks: a well-formed
  request answers 200 even when its document doesn't parse or validate or its
  variables don't coerce, because clients of this type may not read a 4xx body
  (Apollo Client 4 turns it into a bare ServerError, without the codes).
A request that isn't a GraphQL-over-HTTP request at all (bad JSON, no query,
wrong method or content type, too large) keeps its 4xx in both.
"""

from enum import StrEnum


class MediaType(StrEnum):
    GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
    JSON = "application/json"


def media_type_negotiate(accept: str) -> MediaType | None:
    """The type to answer in for this `Accept` header, or None when it allows neither.

    A missing header, or one that allows anything, gets application/json:
    that is what legacy clients that send no Accept understand.
    """
    if not accept.strip():
        return MediaType.JSON
    best: tuple[float, int, bool] | None = None
    chosen: MediaType | None = None
    for media_type in MediaType:
        quality, specificity = _quality(media_type, accept)
        if quality <= 0:
            continue
        # Both named with equal weight: the type whose status says what happened.
        # Reached only through a wildcard (`*/*`, `application/*`): application/json,
        # as the spec asks of `*/*`.
        if specificity == 2:
            tiebreak = media_type is MediaType.GRAPHQL_RESPONSE_JSON
        else:
            tiebreak = media_type is MediaType.JSON
        rank = (quality, specificity, tiebreak)
        if best is None or rank > best:
            best, chosen = rank, media_type
    return chosen


def _quality(media_type: MediaType, accept: str) -> tuple[float, int]:
    """RFC 9110's quality of `media_type` in `accept`: the most specific range
    that matches it decides (2 exact, 1 `type/*`, 0 `*/*`)."""
    kind = media_type.split("/")[0]
    found: tuple[int, float] | None = None
    for item in accept.split(","):
        media_range, *params = (part.strip() for part in item.split(";"))
        media_range = media_range.lower()
        if media_range == media_type:
            specificity = 2
        elif media_range == f"{kind}/*":
            specificity = 1
        elif media_range == "*/*":
            specificity = 0
        else:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = 0.0
        if found is None or specificity > found[0]:
            found = (specificity, quality)
    if found is None:
        return 0.0, -1
    return found[1], found[0]


def response_status(media_type: MediaType, *, refused_status: int) -> int:
    """The status of an answer where GraphQL refused the document or its variables
    (nothing ran): `refused_status` (400) in the GraphQL response type, 200 in JSON."""
    return refused_status if media_type is MediaType.GRAPHQL_RESPONSE_JSON else 200
