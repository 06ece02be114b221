"""Step-up in place: check a second factor again within a session, for the
changes that want a recent one (`extensions.stepUp` on their TWO_FACTOR_REQUIRED)."""

import graphene

from accounts.schema import AuthTokensPayload
from schema.mutations import Access, BaseMutation
from twofa import services
from twofa.schema.login import challenge_answer
from twofa.schema.types import LoginChallenge, TwoFactorMethodEnum, WebAuthnJSON, enum_value
from twofa.stages import challenge_answer as challenge_shown


class StepUpBegin(BaseMutation):
    class Meta:
        description = (
            "Start checking a second factor again, without signing in anew: for the changes "
            "that answer TWO_FACTOR_REQUIRED with `extensions.stepUp`. Sends a code for SMS "
            "or CALL (the limits of a login apply); nothing for TOTP, RECOVERY_CODE or "
            "PASSKEY (`passkeyOptions`). Answer with `stepUpComplete`; `resendCode` works "
            "on it. Replaces the caller's earlier step-up challenge. Needs a 2FA-verified "
            "token."
        )

    class Arguments:
        method = TwoFactorMethodEnum(
            description="How to check; default: the user's preferred method. One of theirs."
        )

    Output = LoginChallenge
    access = Access.SECOND_FACTOR

    @classmethod
    def perform(cls, info, *, user, ip, method=None):
        issued = services.step_up_start(user, method=enum_value(method), ip=ip)
        return LoginChallenge(**challenge_shown(issued))


class StepUpComplete(BaseMutation):
    class Meta:
        description = (
            "Answer the caller's step-up challenge: a new token pair for the same session "
            "(same `sid`), `authTime` now, the verified method added to `amr`; the "
            "session's earlier refresh token stops working. Attempts, errors and back-off "
            "as in `verifyToken`. Needs a 2FA-verified token."
        )

    class Arguments:
        challenge = graphene.String(
            required=True, description="The `challenge` from `stepUpBegin`."
        )
        code = graphene.String(
            description=(
                "The code from the phone, the app, or a recovery code; required unless "
                "`credential` is given."
            )
        )
        method = TwoFactorMethodEnum(
            description=(
                "What the code is; default: the method the challenge began with (PASSKEY "
                "when `credential` is given)."
            )
        )
        credential = WebAuthnJSON(
            description=(
                "For PASSKEY: the AuthenticationResponseJSON of `navigator.credentials.get` "
                "with stepUpBegin's `passkeyOptions`."
            )
        )

    Output = AuthTokensPayload
    access = Access.SECOND_FACTOR

    @classmethod
    def perform(cls, info, *, user, ip, challenge, code=None, method=None, credential=None):
        method, code = challenge_answer(code=code, method=method, credential=credential)
        claims = info.context.auth.claims
        pair = services.step_up_complete(user, claims, challenge, code, method=method, ip=ip)
        return AuthTokensPayload.from_pair(pair)
