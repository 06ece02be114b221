"""twofa's GraphQL types: the enums, the WebAuthn JSON scalar, the user's 2FA
status and passkeys, tokenAuth's two outcomes, and how an enum argument becomes
the value twofa stores."""

import graphene
from graphene.types.generic import GenericScalar

from accounts.schema import AuthTokensPayload
from twofa import services
from twofa.models import Channel, Method
from twofa.phone import phone_mask
from twofa.selectors import TwoFactorState, passkeys_for


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
            "app (TOTP), a passkey (WebAuthn), or a one-time recovery code."
        )

    SMS = Method.SMS.value
    CALL = Method.CALL.value
    TOTP = Method.TOTP.value
    PASSKEY = Method.PASSKEY.value
    RECOVERY_CODE = Method.RECOVERY_CODE.value


class WebAuthnJSON(GenericScalar):
    """WebAuthn's JSON, as an object (not a string), in the shapes the WebAuthn
    Level 3 spec names: PublicKeyCredentialCreationOptionsJSON and
    PublicKeyCredentialRequestOptionsJSON out (for
    `PublicKeyCredential.parseCreationOptionsFromJSON` /
    `parseRequestOptionsFromJSON`, or @simplewebauthn/browser), and
    RegistrationResponseJSON and AuthenticationResponseJSON in (what
    `credential.toJSON()` gives). Binary fields are base64url strings."""

    class Meta:
        name = "WebAuthnJSON"


class PasskeyType(graphene.ObjectType):
    class Meta:
        name = "Passkey"
        description = "A passkey (WebAuthn credential) of the user's. No key material is shown."

    id = graphene.ID(required=True, description="Pass it to `passkeyRename` / `passkeyRemove`.")
    name = graphene.String(required=True, description="The name the user gave it.")
    created_at = graphene.DateTime(required=True, description="When it was registered.")
    last_used_at = graphene.DateTime(description="When it last signed in; null if never.")


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


class PhoneFacts(graphene.ObjectType):
    class Meta:
        name = "TwoFactorPhone"
        description = "The user's verified phone."

    number = graphene.String(required=True, description="The number, masked.")
    added_at = graphene.DateTime(required=True, description="When it was verified.")
    last_used_at = graphene.DateTime(
        description="When a code to it last answered a login or a step-up; null if never."
    )

    @staticmethod
    def resolve_number(phone, info):
        return phone_mask(phone.number)

    @staticmethod
    def resolve_added_at(phone, info):
        return phone.verified_at


class AuthenticatorAppFacts(graphene.ObjectType):
    class Meta:
        name = "AuthenticatorApp"
        description = "The user's authenticator app (TOTP)."

    added_at = graphene.DateTime(
        description="When it was set up; null for an app set up before this was recorded."
    )
    last_used_at = graphene.DateTime(
        description="When a code from it last answered a login or a step-up; null if never."
    )


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
    passkeys = graphene.List(
        graphene.NonNull(PasskeyType), required=True, description="The user's passkeys."
    )
    phone = graphene.Field(PhoneFacts, description="The verified phone; null without one.")
    authenticator_app = graphene.Field(
        AuthenticatorAppFacts, description="The authenticator app; null without one."
    )
    recovery_codes_created_at = graphene.DateTime(
        description="When the current recovery codes were made; null without any."
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

    @staticmethod
    def resolve_passkeys(facet, info):
        return passkeys_for(facet.user)

    @staticmethod
    def resolve_phone(facet, info):
        return TwoFactorStatus._state(facet).phone

    @staticmethod
    def resolve_authenticator_app(facet, info):
        state = TwoFactorStatus._state(facet)
        if not state.has_totp_app:
            return None
        return AuthenticatorAppFacts(
            added_at=state.app_added_at, last_used_at=state.app_last_used_at
        )

    @staticmethod
    def resolve_recovery_codes_created_at(facet, info):
        return TwoFactorStatus._state(facet).recovery_codes_created_at


class LoginChallenge(graphene.ObjectType):
    class Meta:
        description = (
            "tokenAuth's answer when a second factor is needed: answer it with `verifyToken`. "
            "Also stepUpBegin's: answer that one with `stepUpComplete`."
        )

    challenge = graphene.String(
        required=True,
        description=(
            "Opaque, single-use handle for `verifyToken` (`stepUpComplete`) and `resendCode`."
        ),
    )
    method = graphene.Field(
        TwoFactorMethodEnum,
        required=True,
        description=(
            "The method the challenge started with (the user's preferred one, or stepUpBegin's "
            "`method`)."
        ),
    )
    methods = graphene.List(
        graphene.NonNull(TwoFactorMethodEnum),
        required=True,
        description=(
            "The methods that can answer this challenge now (see verifyToken's `method`); "
            "SMS and CALL only once a code went to the phone."
        ),
    )
    channel = graphene.Field(
        ChannelEnum, description="How the code was (or would have been) sent; null for the app."
    )
    phone_number = graphene.String(description="The masked number the code went to.")
    code_sent = graphene.Boolean(
        description=(
            "True when a code went to the phone; false when none could be sent (see "
            "`codeNotSentReason`: answer with another of `methods`, or `resendCode` "
            "later); null for the app."
        )
    )
    code_not_sent_reason = graphene.Field(
        CodeNotSentReasonEnum,
        description="Why no code was sent; null when one was, or for the app.",
    )
    retry_after = graphene.Int(
        description="Seconds before `resendCode` can send, when a limit stopped the code."
    )
    expires_in = graphene.Int(required=True, description="Seconds until the challenge expires.")
    message = graphene.String(required=True, description="A sentence to show the user.")
    passkey_options = graphene.Field(
        WebAuthnJSON,
        description=(
            "When PASSKEY is among `methods`: PublicKeyCredentialRequestOptionsJSON for "
            "`navigator.credentials.get` (the user's passkeys allowed); answer with "
            "`verifyToken(challenge, method: PASSKEY, credential: …)`. Null otherwise."
        ),
    )


class TokenAuthOutcome(graphene.Union):
    class Meta:
        description = "What a right password gets: tokens, or a challenge for the second factor."
        types = (AuthTokensPayload, LoginChallenge)

    @classmethod
    def resolve_type(cls, instance, info):
        # accounts hands over its token answer, or the login stage's answer (a
        # dict: twofa.stages) without knowing it is ours.
        if isinstance(instance, AuthTokensPayload):
            return AuthTokensPayload
        return LoginChallenge
