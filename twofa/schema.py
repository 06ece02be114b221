import graphene
from django.conf import settings
from graphene.types.generic import GenericScalar

from accounts.schema import AuthTokensPayload, UserType
from core.http import client_ip
from twofa import services
from twofa.models import Channel
from twofa.phone import phone_mask
from twofa.selectors import phone_number_for


class ChannelEnum(graphene.Enum):
    class Meta:
        name = "Channel"
        description = "How a code is delivered."

    SMS = Channel.SMS.value
    CALL = Channel.CALL.value


def _channel(value) -> str | None:
    """Our channel value ("sms"/"call") from a GraphQL enum argument."""
    if value is None:
        return None
    return getattr(value, "value", value)


class TwoFactorStatus(graphene.ObjectType):
    class Meta:
        description = "A user's two-factor authentication state."

    enabled = graphene.Boolean(required=True, description="True once a phone number is verified.")
    phone_number = graphene.String(description="The verified phone number, masked.")

    @staticmethod
    def resolve_enabled(user, info):
        return phone_number_for(user) is not None

    @staticmethod
    def resolve_phone_number(user, info):
        phone = phone_number_for(user)
        return phone_mask(phone.number) if phone else None


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


class RegisterPhonePayload(graphene.ObjectType):
    user = graphene.Field(UserType, required=True, description="The user, now with 2FA on.")
    token = graphene.String(required=True, description="A new 2FA-verified access token.")
    refresh_token = graphene.String(required=True, description="A new refresh token.")
    payload = GenericScalar(required=True, description="The access token's claims, decoded.")


class DisableTwoFactorPayload(graphene.ObjectType):
    user = graphene.Field(UserType, required=True, description="The user, now without 2FA.")


def _require_enrollment_rights(info):
    """Login is enough to add a first phone; changing one needs a recent second factor."""
    user = info.context.auth.require_user()
    if phone_number_for(user) is not None:
        user = info.context.auth.require_second_factor(max_age=settings.TWOFA_STEP_UP_MAX_AGE)
    return user


class VerifyToken(graphene.Mutation):
    class Meta:
        description = "Finish a 2FA login: send the challenge from `tokenAuth` and the code."

    class Arguments:
        challenge = graphene.String(required=True)
        code = graphene.String(required=True)

    Output = AuthTokensPayload

    @staticmethod
    def mutate(root, info, challenge, code):
        return AuthTokensPayload.from_pair(
            services.login_challenge_verify(challenge, code, ip=client_ip(info.context))
        )


class ResendCode(graphene.Mutation):
    class Meta:
        description = (
            "Send the code again for a login challenge, optionally by another channel. "
            "Usually a new code (the previous one stops working); Twilio Verify re-sends "
            "the same code. Attempts and expiry carry over."
        )

    class Arguments:
        challenge = graphene.String(required=True)
        channel = ChannelEnum()

    Output = ResendCodePayload

    @staticmethod
    def mutate(root, info, challenge, channel=None):
        sent = services.challenge_resend(
            challenge, channel=_channel(channel), ip=client_ip(info.context)
        )
        return ResendCodePayload(sent=True, channel=sent.channel, expires_in=sent.expires_in)


class VerifyPhone(graphene.Mutation):
    class Meta:
        description = (
            "Send an enrollment code to a phone number (E.164, e.g. +14155552671). "
            "Changing an existing phone needs a recent 2FA-verified token."
        )

    class Arguments:
        phone_number = graphene.String(required=True)
        channel = ChannelEnum(default_value=Channel.SMS.value)

    Output = VerifyPhonePayload

    @staticmethod
    def mutate(root, info, phone_number, channel=Channel.SMS.value):
        user = _require_enrollment_rights(info)
        challenge = services.enrollment_start(
            user, phone_number, channel=_channel(channel), ip=client_ip(info.context)
        )
        return VerifyPhonePayload(
            sent=True,
            phone_number=phone_mask(challenge.phone_number),
            channel=challenge.channel,
            expires_in=challenge.expires_in,
        )


class RegisterPhone(graphene.Mutation):
    class Meta:
        description = (
            "Confirm a phone number with the code from `verifyPhone`. Turns 2FA on and "
            "returns a new 2FA-verified token pair."
        )

    class Arguments:
        phone_number = graphene.String(required=True)
        code = graphene.String(required=True)

    Output = RegisterPhonePayload

    @staticmethod
    def mutate(root, info, phone_number, code):
        user = _require_enrollment_rights(info)
        pair = services.enrollment_confirm(user, phone_number, code, ip=client_ip(info.context))
        user.refresh_from_db()
        return RegisterPhonePayload(
            user=user, token=pair.token, refresh_token=pair.refresh_token, payload=pair.payload
        )


class DisableTwoFactor(graphene.Mutation):
    class Meta:
        description = "Turn 2FA off. Needs a recent 2FA-verified token; revokes refresh tokens."

    Output = DisableTwoFactorPayload

    @staticmethod
    def mutate(root, info):
        user = info.context.auth.require_second_factor(max_age=settings.TWOFA_STEP_UP_MAX_AGE)
        services.twofa_disable(user, ip=client_ip(info.context))
        user.refresh_from_db()
        return DisableTwoFactorPayload(user=user)


class Mutation(graphene.ObjectType):
    verify_token = VerifyToken.Field()
    resend_code = ResendCode.Field()
    verify_phone = VerifyPhone.Field()
    register_phone = RegisterPhone.Field()
    disable_two_factor = DisableTwoFactor.Field()
