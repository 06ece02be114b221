"""The second step of login: answering a challenge, and sending its code again."""

import graphene
from django.utils.translation import gettext as _

from accounts.schema import AuthTokensPayload
from core.exceptions import BadUserInput
from schema.mutations import Access, BaseMutation
from twofa import services
from twofa.models import Method
from twofa.schema.types import ChannelEnum, TwoFactorMethodEnum, WebAuthnJSON, enum_value

CHALLENGE = "The `challenge` from `tokenAuth`."
RESEND_CHALLENGE = "The `challenge` from `tokenAuth` or `stepUpBegin`."


def challenge_answer(*, code, method, credential) -> tuple[str | None, str]:
    """The method and the "code" of an answer to a challenge (a passkey's
    assertion as text), from verifyToken's or stepUpComplete's arguments."""
    method = enum_value(method)
    if credential is not None:
        if method not in (None, Method.PASSKEY):
            raise BadUserInput(_("A `credential` answers only with method PASSKEY."))
        return Method.PASSKEY.value, services.passkey_credential_text(credential)
    if method == Method.PASSKEY:
        raise BadUserInput(_("Method PASSKEY needs the assertion as `credential`."))
    if code is None:
        raise BadUserInput(_("Send the `code` (or a passkey's `credential`)."))
    return method, code


class ResendCodePayload(graphene.ObjectType):
    sent = graphene.Boolean(required=True, description="True once the new code is on its way.")
    channel = graphene.Field(ChannelEnum, required=True, description="How the code was sent.")
    expires_in = graphene.Int(required=True, description="Seconds until the challenge expires.")


class VerifyToken(BaseMutation):
    class Meta:
        description = (
            "Finish a 2FA login: send the challenge from `tokenAuth` and the code, or a "
            "passkey's assertion as `credential`."
        )

    class Arguments:
        challenge = graphene.String(required=True, description=CHALLENGE)
        code = graphene.String(
            description=(
                "The code from the phone, the app, or a recovery code; required unless "
                "`credential` is given."
            )
        )
        method = TwoFactorMethodEnum(
            description=(
                "What the code is; default: the method of the challenge's latest send "
                "(PASSKEY when `credential` is given). Any method of the user's may be "
                "used, e.g. RECOVERY_CODE."
            )
        )
        credential = WebAuthnJSON(
            description=(
                "For PASSKEY: the AuthenticationResponseJSON of `navigator.credentials.get` "
                "with tokenAuth's `passkeyOptions` (`credential.toJSON()`)."
            )
        )

    Output = AuthTokensPayload
    access = Access.ANONYMOUS

    @classmethod
    def perform(cls, info, *, user, ip, challenge, code=None, method=None, credential=None):
        method, code = challenge_answer(code=code, method=method, credential=credential)
        return AuthTokensPayload.from_pair(
            services.login_challenge_verify(challenge, code, method=method, ip=ip)
        )


class ResendCode(BaseMutation):
    class Meta:
        description = (
            "Send the code again for a login (or step-up) challenge, optionally by another "
            "channel. "
            "Usually a new code (the previous one stops working); Twilio Verify re-sends "
            "the same code. A challenge that began with the authenticator app switches to "
            "the phone. Attempts and expiry carry over."
        )

    class Arguments:
        challenge = graphene.String(required=True, description=RESEND_CHALLENGE)
        channel = ChannelEnum(description="How to send it; default: as the last time, or SMS.")

    Output = ResendCodePayload
    access = Access.ANONYMOUS

    @classmethod
    def perform(cls, info, *, user, ip, challenge, channel=None):
        sent = services.challenge_resend(challenge, channel=enum_value(channel), ip=ip)
        return ResendCodePayload(sent=True, channel=sent.channel, expires_in=sent.expires_in)
