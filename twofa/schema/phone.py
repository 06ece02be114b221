"""Enrolling a phone (a code sent to the number, then confirmed) and removing it."""

import graphene

from accounts.schema import SessionTokensPayload, TokensPayload, UserType
from schema.mutations import Access, BaseMutation
from twofa import services
from twofa.models import Channel
from twofa.phone import phone_mask
from twofa.schema.base import FactorRemoval
from twofa.schema.types import ChannelEnum, enum_value


class VerifyPhonePayload(graphene.ObjectType):
    sent = graphene.Boolean(required=True, description="True once the code is on its way.")
    phone_number = graphene.String(
        required=True, description="The number the code went to, masked."
    )
    channel = graphene.Field(ChannelEnum, required=True, description="How the code was sent.")
    expires_in = graphene.Int(required=True, description="Seconds the code stays valid.")


class RegisterPhonePayload(TokensPayload):
    user = graphene.Field(UserType, required=True, description="The user, now with 2FA on.")


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
            user, phone_number, channel=enum_value(channel), ip=ip
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


class RemovePhonePayload(SessionTokensPayload):
    user = graphene.Field(UserType, required=True, description="The user, without the phone.")


class RemovePhone(FactorRemoval):
    class Meta:
        description = (
            "Remove the phone (SMS and calls) and keep the other factors. Needs a recent "
            "2FA-verified token. Without another factor left (an authenticator app), 2FA is "
            "off, recovery codes included. Ends every session and returns a new pair for this "
            "one. BAD_USER_INPUT without a phone."
        )

    Output = RemovePhonePayload
    remove = staticmethod(services.phone_remove)
