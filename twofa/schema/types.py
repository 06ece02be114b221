"""twofa's GraphQL types: the enums, the user's 2FA status, and how an enum
argument becomes the value twofa stores."""

import graphene

from twofa import services
from twofa.models import Channel, Method
from twofa.phone import phone_mask
from twofa.selectors import TwoFactorState


class ChannelEnum(graphene.Enum):
    class Meta:
        name = "Channel"
        description = "How a code is delivered."

    SMS = Channel.SMS.value
    CALL = Channel.CALL.value


class TwoFactorMethodEnum(graphene.Enum):
    class Meta:
        name = "TwoFactorMethod"
        description = (
            "A second factor: a code by SMS or voice call, a code from an authenticator "
            "app (TOTP), or a one-time recovery code."
        )

    SMS = Method.SMS.value
    CALL = Method.CALL.value
    TOTP = Method.TOTP.value
    RECOVERY_CODE = Method.RECOVERY_CODE.value


class CodeNotSentReasonEnum(graphene.Enum):
    class Meta:
        name = "CodeNotSentReason"
        description = "Why a login challenge was created without sending a code."

    RATE_LIMITED = services.CodeNotSentReason.RATE_LIMITED.value
    PROVIDER_UNAVAILABLE = services.CodeNotSentReason.PROVIDER_UNAVAILABLE.value
    PHONE_REFUSED = services.CodeNotSentReason.PHONE_REFUSED.value

    @property
    def description(self):
        return {
            "RATE_LIMITED": (
                "A send limit, the back-off after too many wrong codes, or another code "
                "being sent to the number: see `retryAfter`."
            ),
            "PROVIDER_UNAVAILABLE": "The SMS/voice providers could not be reached.",
            "PHONE_REFUSED": "The number was refused for this kind of message.",
        }[self.name]


def enum_value(value) -> str | None:
    """Our stored value ("sms", "totp", ...) from a GraphQL enum argument."""
    if value is None:
        return None
    return getattr(value, "value", value)


class TwoFactorStatus(graphene.ObjectType):
    class Meta:
        description = "A user's two-factor authentication state."

    enabled = graphene.Boolean(
        required=True, description="True once a phone number or an authenticator app is verified."
    )
    phone_number = graphene.String(description="The verified phone number, masked.")
    methods = graphene.List(
        graphene.NonNull(TwoFactorMethodEnum),
        required=True,
        description="The methods the user can sign in with.",
    )
    preferred_method = graphene.Field(
        TwoFactorMethodEnum, description="The method a login starts with; null without 2FA."
    )
    recovery_codes_remaining = graphene.Int(
        required=True, description="Unused recovery codes (see `generateRecoveryCodes`)."
    )

    # The parent is an accounts.schema.UserFacet, new for each answer: the
    # TwoFactorState kept on it reads each fact once for all these fields.
    @staticmethod
    def _state(facet) -> TwoFactorState:
        if not hasattr(facet, "twofa_state"):
            facet.twofa_state = TwoFactorState(facet.user)
        return facet.twofa_state

    @staticmethod
    def resolve_enabled(facet, info):
        return TwoFactorStatus._state(facet).enabled

    @staticmethod
    def resolve_phone_number(facet, info):
        state = TwoFactorStatus._state(facet)
        return phone_mask(state.phone.number) if state.phone else None

    @staticmethod
    def resolve_methods(facet, info):
        return TwoFactorStatus._state(facet).methods

    @staticmethod
    def resolve_preferred_method(facet, info):
        return TwoFactorStatus._state(facet).preferred_method

    @staticmethod
    def resolve_recovery_codes_remaining(facet, info):
        return TwoFactorStatus._state(facet).recovery_codes_remaining
