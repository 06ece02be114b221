"""The second step of login: answering a challenge, and sending its code again."""

import graphene

from accounts.schema import AuthTokensPayload
from schema.mutations import Access, BaseMutation
from twofa import services
from twofa.schema.types import ChannelEnum, TwoFactorMethodEnum, enum_value

CHALLENGE = "The `challenge` from `tokenAuth`."


class ResendCodePayload(graphene.ObjectType):
    sent = graphene.Boolean(required=True, description="True once the new code is on its way.")
    channel = graphene.Field(ChannelEnum, required=True, description="How the code was sent.")
    expires_in = graphene.Int(required=True, description="Seconds until the challenge expires.")


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
            services.login_challenge_verify(challenge, code, method=enum_value(method), ip=ip)
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
        sent = services.challenge_resend(challenge, channel=enum_value(channel), ip=ip)
        return ResendCodePayload(sent=True, channel=sent.channel, expires_in=sent.expires_in)
