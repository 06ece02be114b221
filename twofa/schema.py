"""twofa's GraphQL: the 2FA types, the second step of login and the changes to
a user's factors. Thin: twofa.services does the work; each mutation's `access`
(schema.mutations) says who may call it."""

import graphene
import segno

from accounts.schema import AuthTokensPayload, SessionTokensPayload, TokensPayload, UserType
from schema.mutations import Access, BaseMutation
from twofa import services
from twofa.models import Channel, Method
from twofa.phone import phone_mask
from twofa.selectors import TwoFactorState

CHALLENGE = "The `challenge` from `tokenAuth`."


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


def _enum_value(value) -> str | None:
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


class ResendCodePayload(graphene.ObjectType):
    sent = graphene.Boolean(required=True, description="True once the new code is on its way.")
    channel = graphene.Field(ChannelEnum, required=True, description="How the code was sent.")
    expires_in = graphene.Int(required=True, description="Seconds until the challenge expires.")


class VerifyPhonePayload(graphene.ObjectType):
    sent = graphene.Boolean(required=True, description="True once the code is on its way.")
    phone_number = graphene.String(
        required=True, description="The number the code went to, masked."
    )
    channel = graphene.Field(ChannelEnum, required=True, description="How the code was sent.")
    expires_in = graphene.Int(required=True, description="Seconds the code stays valid.")


class RegisterPhonePayload(TokensPayload):
    user = graphene.Field(UserType, required=True, description="The user, now with 2FA on.")


class DisableTwoFactorPayload(SessionTokensPayload):
    user = graphene.Field(UserType, required=True, description="The user, now without 2FA.")


class VerifyToken(BaseMutation):
    class Meta:
        description = "Finish a 2FA login: send the challenge from `tokenAuth` and the code."

    class Arguments:
        challenge = graphene.String(required=True, description=CHALLENGE)
        code = graphene.String(
            required=True, description="The code from the phone, the app, or a recovery code."
        )
        method = TwoFactorMethodEnum(
            description=(
                "What the code is; default: the method of the challenge's latest send. "
                "Any method of the user's may be used, e.g. RECOVERY_CODE."
            )
        )

    Output = AuthTokensPayload
    access = Access.ANONYMOUS

    @classmethod
    def perform(cls, info, *, user, ip, challenge, code, method=None):
        return AuthTokensPayload.from_pair(
            services.login_challenge_verify(challenge, code, method=_enum_value(method), ip=ip)
        )


class ResendCode(BaseMutation):
    class Meta:
        description = (
            "Send the code again for a login challenge, optionally by another channel. "
            "Usually a new code (the previous one stops working); Twilio Verify re-sends "
            "the same code. A challenge that began with the authenticator app switches to "
            "the phone. Attempts and expiry carry over."
        )

    class Arguments:
        challenge = graphene.String(required=True, description=CHALLENGE)
        channel = ChannelEnum(description="How to send it; default: as the last time, or SMS.")

    Output = ResendCodePayload
    access = Access.ANONYMOUS

    @classmethod
    def perform(cls, info, *, user, ip, challenge, channel=None):
        sent = services.challenge_resend(challenge, channel=_enum_value(channel), ip=ip)
        return ResendCodePayload(sent=True, channel=sent.channel, expires_in=sent.expires_in)


class VerifyPhone(BaseMutation):
    class Meta:
        description = (
            "Send an enrollment code to a phone number (E.164, e.g. +14155552671). "
            "Changing an existing phone needs a recent 2FA-verified token. Premium-rate, "
            "toll-free and other special numbers, landlines by SMS and numbers outside the "
            "allowed countries are refused with INVALID_PHONE."
        )

    class Arguments:
        phone_number = graphene.String(
            required=True, description="The number, in E.164 form (e.g. +14155552671)."
        )
        channel = ChannelEnum(default_value=Channel.SMS.value, description="How to send the code.")

    Output = VerifyPhonePayload
    access = Access.ENROLLMENT

    @classmethod
    def perform(cls, info, *, user, ip, phone_number, channel=Channel.SMS.value):
        challenge = services.enrollment_start(
            user, phone_number, channel=_enum_value(channel), ip=ip
        )
        return VerifyPhonePayload(
            sent=True,
            phone_number=phone_mask(challenge.phone_number),
            channel=challenge.channel,
            expires_in=challenge.expires_in,
        )


class RegisterPhone(BaseMutation):
    class Meta:
        description = (
            "Confirm a phone number with the code from `verifyPhone`. Turns 2FA on and "
            "returns a new 2FA-verified token pair."
        )

    class Arguments:
        phone_number = graphene.String(
            required=True, description="The number given to `verifyPhone`."
        )
        code = graphene.String(required=True, description="The code sent to it.")

    Output = RegisterPhonePayload
    access = Access.ENROLLMENT

    @classmethod
    def perform(cls, info, *, user, ip, phone_number, code):
        pair = services.enrollment_confirm(user, phone_number, code, ip=ip)
        return RegisterPhonePayload.answer(user, pair=pair)


class DisableTwoFactor(BaseMutation):
    class Meta:
        description = (
            "Turn 2FA off. Needs a recent 2FA-verified token. Ends every session (access and "
            "refresh tokens) and returns a new pair for this one."
        )

    Output = DisableTwoFactorPayload
    access = Access.RECENT_SECOND_FACTOR

    @classmethod
    def perform(cls, info, *, user, ip):
        services.twofa_disable(user, ip=ip)
        return DisableTwoFactorPayload.answer(user, claims=info.context.auth.claims)


class SetupTotpPayload(graphene.ObjectType):
    secret = graphene.String(required=True, description="The shared secret, base32.")
    otpauth_uri = graphene.String(
        required=True, description="otpauth://totp/... for apps that take a link or a QR code."
    )
    qr_code_svg = graphene.String(required=True, description="The otpauthUri as a QR code (SVG).")


class SetupTotp(BaseMutation):
    class Meta:
        description = (
            "Start setting up an authenticator app: a new secret, not yet active. Confirm it "
            "with `confirmTotp`. Needs a login; a recent 2FA-verified token once 2FA is on."
        )

    Output = SetupTotpPayload
    access = Access.ENROLLMENT

    @classmethod
    def perform(cls, info, *, user, ip):
        setup = services.totp_setup(user, ip=ip)
        qr = segno.make(setup.otpauth_uri, error="m")
        return SetupTotpPayload(
            secret=setup.secret,
            otpauth_uri=setup.otpauth_uri,
            qr_code_svg=qr.svg_inline(scale=4, title="Authenticator app setup"),
        )


class ConfirmTotpPayload(TokensPayload):
    user = graphene.Field(UserType, required=True, description="The user, now with the app on.")


class ConfirmTotp(BaseMutation):
    class Meta:
        description = (
            "Confirm the authenticator app from `setupTotp` with a code it shows. Turns 2FA "
            "on (the app becomes the preferred method) and returns a new token pair."
        )

    class Arguments:
        code = graphene.String(required=True, description="A code the app shows now.")

    Output = ConfirmTotpPayload
    access = Access.ENROLLMENT

    @classmethod
    def perform(cls, info, *, user, ip, code):
        pair = services.totp_confirm(user, code, ip=ip)
        return ConfirmTotpPayload.answer(user, pair=pair)


class UserPayload(graphene.ObjectType):
    user = graphene.Field(UserType, required=True)


class RemoveTotpPayload(SessionTokensPayload):
    user = graphene.Field(UserType, required=True, description="The user, without the app.")


class RemoveTotp(BaseMutation):
    class Meta:
        description = (
            "Remove the authenticator app. Needs a recent 2FA-verified token. Without a "
            "phone left, 2FA is off. Ends every session and returns a new pair for this one."
        )

    Output = RemoveTotpPayload
    access = Access.RECENT_SECOND_FACTOR

    @classmethod
    def perform(cls, info, *, user, ip):
        services.totp_remove(user, ip=ip)
        return RemoveTotpPayload.answer(user, claims=info.context.auth.claims)


class GenerateRecoveryCodesPayload(graphene.ObjectType):
    codes = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Single-use codes, shown this once: the user should store them safely.",
    )


class GenerateRecoveryCodes(BaseMutation):
    class Meta:
        description = (
            "Create 10 one-time recovery codes, replacing any earlier ones. Needs a recent "
            "2FA-verified token."
        )

    Output = GenerateRecoveryCodesPayload
    access = Access.RECENT_SECOND_FACTOR

    @classmethod
    def perform(cls, info, *, user, ip):
        return GenerateRecoveryCodesPayload(codes=services.recovery_codes_generate(user, ip=ip))


class SetPreferredMethod(BaseMutation):
    class Meta:
        description = "Choose the method a login starts with. Needs a 2FA-verified token."

    class Arguments:
        method = TwoFactorMethodEnum(
            required=True, description="One of the user's methods, not RECOVERY_CODE."
        )

    Output = UserPayload
    access = Access.SECOND_FACTOR

    @classmethod
    def perform(cls, info, *, user, ip, method):
        services.preferred_method_set(user, _enum_value(method), ip=ip)
        return UserPayload(user=user)


class Mutation(graphene.ObjectType):
    verify_token = VerifyToken.Field()
    resend_code = ResendCode.Field()
    verify_phone = VerifyPhone.Field()
    register_phone = RegisterPhone.Field()
    disable_two_factor = DisableTwoFactor.Field()
    setup_totp = SetupTotp.Field()
    confirm_totp = ConfirmTotp.Field()
    remove_totp = RemoveTotp.Field()
    generate_recovery_codes = GenerateRecoveryCodes.Field()
    set_preferred_method = SetPreferredMethod.Field()
