"""The page info every cursor connection shares (Relay's cursor connections;
the cursors themselves: core.keyset)."""

import graphene


class PageInfo(graphene.ObjectType):
    class Meta:
        description = "Where a page of a connection sits (Relay's cursor connections)."

    has_next_page = graphene.Boolean(
        required=True, description="Whether more items follow; ask again with `after: endCursor`."
    )
    has_previous_page = graphene.Boolean(
        required=True,
        description="Always false: pages go forward only (the Relay spec allows this).",
    )
    start_cursor = graphene.String(description="The first edge's cursor; null on an empty page.")
    end_cursor = graphene.String(description="The last edge's cursor; null on an empty page.")
