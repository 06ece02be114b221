"""The user's own security events (me.securityEvents): a cursor connection
over the audit trail, read through twofa.events."""

import graphene

from schema.pagination import PageInfo
from twofa import events
from twofa.models import AuditEvent, Challenge
from twofa.schema.types import TwoFactorMethodEnum

SecurityEventKindEnum = graphene.Enum.from_enum(
    AuditEvent.Kind,
    name="SecurityEventKind",
    description=lambda value: value.label if value else "What happened.",
)

ChallengePurposeEnum = graphene.Enum.from_enum(
    Challenge.Purpose,
    name="ChallengePurpose",
    description=lambda value: value.label if value else "What a code was asked for.",
)


class SecurityEvent(graphene.ObjectType):
    class Meta:
        description = (
            "One security event of the user's: masked as staff see it, the client address "
            "only as its coarse network."
        )

    kind = graphene.Field(SecurityEventKindEnum, required=True, description="What happened.")
    occurred_at = graphene.DateTime(required=True, description="When it happened.")
    method = graphene.Field(
        TwoFactorMethodEnum, description="The second factor involved, if one was."
    )
    purpose = graphene.Field(
        ChallengePurposeEnum, description="What the code was for (a login, an enrollment), if any."
    )
    phone_number = graphene.String(description="The phone involved, masked; null if none.")
    network = graphene.String(
        description=(
            "The network the request came from, coarse (an IPv4 /24, an IPv6 /48); null if "
            "not known."
        )
    )


class SecurityEventEdge(graphene.ObjectType):
    class Meta:
        description = "One event of a page, with its place in the order."

    cursor = graphene.String(required=True, description="Pass as `after` to read on from here.")
    node = graphene.Field(SecurityEvent, required=True, description="The event.")

    @staticmethod
    def resolve_cursor(event, info):
        return event.cursor

    @staticmethod
    def resolve_node(event, info):
        return event


class SecurityEventConnection(graphene.ObjectType):
    class Meta:
        description = "A page of the user's security events, newest first (ties by id)."

    edges = graphene.List(
        graphene.NonNull(SecurityEventEdge), required=True, description="The events of this page."
    )
    page_info = graphene.Field(PageInfo, required=True, description="Where this page sits.")

    # The parent is an accounts.schema.UserFacet whose user the caller was
    # checked to be (UserType.resolve_security_events); the page is read once.
    @staticmethod
    def _page(facet) -> events.SecurityEventsPage:
        if not hasattr(facet, "events_page"):
            facet.events_page = events.security_events_page(facet.user, **facet.arguments)
        return facet.events_page

    @staticmethod
    def resolve_edges(facet, info):
        return SecurityEventConnection._page(facet).events

    @staticmethod
    def resolve_page_info(facet, info):
        page = SecurityEventConnection._page(facet)
        return PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=False,
            start_cursor=page.events[0].cursor if page.events else None,
            end_cursor=page.events[-1].cursor if page.events else None,
        )
