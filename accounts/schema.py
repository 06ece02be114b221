import graphene
from graphene.types.generic import GenericScalar

from accounts import services, tokens
from accounts.tokens import TokenPair
from core.http import client_ip
from twofa.models import PHONE_METHODS
from twofa.phone import phone_mask
from twofa.selectors import TwoFactorState, twofa_enabled


class UserType(graphene.ObjectType):
    class Meta:
        name = "User"
        description = "A Pollstr user."

    id = graphene.ID(required=True, description="The user's id.")
    username = graphene.String(required=True, description="The name the user signs in with.")
    email = graphene.String(description="The user's email address, if they gave one.")
    two_factor = graphene.Field(
        "twofa.schema.TwoFactorStatus",
        required=True,
        description="Whether two-factor authentication is on, and with which methods.",
    )

    @staticmethod
    def resolve_email(user, info):
        return user.email or None

    @staticmethod
    def resolve_two_factor(user, info):
        return TwoFactorState(user)


class AuthTokensPayload(graphene.ObjectType):
    token = graphene.String(
        required=True, description="Access token (JWT) for 'Authorization: Bearer'."
    )
    refresh_token = graphene.String(required=True, description="Opaque token for `refreshToken`.")
    payload = GenericScalar(required=True, description="The access token's claims, decoded.")
    refresh_expires_in = graphene.Int(
        required=True, description="When the refresh token expires, as a Unix time."
    )

    @classmethod
    def from_pair(cls, pair: TokenPair) -> "AuthTokensPayload":
        return cls(
            token=pair.token,
            refresh_token=pair.refresh_token,
            payload=pair.payload,
            refresh_expires_in=pair.refresh_expires_in,
        )


class TokenAuthPayload(graphene.ObjectType):
    class Meta:
        description = (
            "The result of a password login: tokens for a user without 2FA, "
            "or a challenge for the second step."
        )

    two_factor_required = graphene.Boolean(
        required=True,
        description="True when a second factor is needed: `verifyToken` must follow.",
    )
    token = graphene.String(description="Access token; null when 2FA is required.")
    refresh_token = graphene.String(description="Refresh token; null when 2FA is required.")
    payload = GenericScalar(description="The access token's claims; null when 2FA is required.")
    refresh_expires_in = graphene.Int(
        description="Refresh token expiry (Unix time); null when 2FA is required."
    )
    challenge = graphene.String(
        description="Opaque, single-use handle for `verifyToken` and `resendCode`."
    )
    channel = graphene.Field(
        "twofa.schema.ChannelEnum",
        description="How the code was (or would have been) sent; null for the app.",
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
        "twofa.schema.CodeNotSentReasonEnum",
        description="Why no code was sent; null when one was, or for the app.",
    )
    retry_after = graphene.Int(
        description="Seconds before `resendCode` can send, when a limit stopped the code."
    )
    method = graphene.Field(
        "twofa.schema.TwoFactorMethodEnum",
        description="The method the challenge started with (the user's preferred one).",
    )
    methods = graphene.List(
        graphene.NonNull("twofa.schema.TwoFactorMethodEnum"),
        description=(
            "The methods that can answer this challenge now (see verifyToken's `method`); "
            "SMS and CALL only once a code went to the phone."
        ),
    )
    expires_in = graphene.Int(description="Seconds until the challenge expires.")
    message = graphene.String(description="A sentence to show the user.")


class RegisterPayload(graphene.ObjectType):
    user = graphene.Field(UserType, required=True, description="The new user.")


class RevokeTokenPayload(graphene.ObjectType):
    revoked = graphene.Boolean(required=True, description="True once the refresh token is revoked.")


class Register(graphene.Mutation):
    class Meta:
        description = (
            "Create an account. Sign in with `tokenAuth` afterwards. Attempts are limited "
            "per client network (RATE_LIMITED), whatever their answer."
        )

    class Arguments:
        username = graphene.String(required=True)
        password = graphene.String(required=True)
        email = graphene.String()

    Output = RegisterPayload

    @staticmethod
    def mutate(root, info, username, password, email=None):
        return RegisterPayload(
            user=services.user_register(
                username=username, password=password, email=email, ip=client_ip(info.context)
            )
        )


_OTHER_WAYS = {"totp": "your authenticator app", "recovery": "a recovery code"}


def _challenge_message(issued, masked: str | None) -> str:
    if issued.code_sent is None:
        return "Enter the code from your authenticator app."
    if issued.code_sent:
        return f"A verification code was sent to {masked}."
    later = f"in {issued.retry_after} seconds" if issued.retry_after else "shortly"
    message = f"No code could be sent to {masked} just now; you can request one {later}."
    others = [_OTHER_WAYS[m] for m in issued.methods if m in _OTHER_WAYS]
    if others:
        message += f" Or sign in with {' or '.join(others)}."
    return message


class TokenAuth(graphene.Mutation):
    class Meta:
        description = (
            "Sign in with a password. Without 2FA this returns tokens; with 2FA it returns "
            "a challenge for `verifyToken`, and sends a code when the user prefers SMS or "
            "a call. The right password always gets a challenge: when no code could be "
            "sent, `codeSent` is false and `codeNotSentReason` says why."
        )

    class Arguments:
        username = graphene.String(required=True)
        password = graphene.String(required=True)

    Output = TokenAuthPayload

    @staticmethod
    def mutate(root, info, username, password):
        result = services.login_start(info.context, username=username, password=password)
        if result.tokens is not None:
            pair = result.tokens
            return TokenAuthPayload(
                two_factor_required=False,
                token=pair.token,
                refresh_token=pair.refresh_token,
                payload=pair.payload,
                refresh_expires_in=pair.refresh_expires_in,
            )
        issued = result.challenge
        challenge = issued.challenge
        by_phone = challenge.channel in PHONE_METHODS
        masked = phone_mask(challenge.phone_number) if by_phone else None
        return TokenAuthPayload(
            two_factor_required=True,
            challenge=issued.token,
            channel=challenge.channel if by_phone else None,
            phone_number=masked,
            code_sent=issued.code_sent,
            code_not_sent_reason=getattr(issued.not_sent_reason, "value", None),
            retry_after=issued.retry_after,
            method=challenge.channel,
            methods=list(issued.methods),
            expires_in=challenge.expires_in,
            message=_challenge_message(issued, masked),
        )


class RefreshToken(graphene.Mutation):
    class Meta:
        description = (
            "Swap a refresh token for a new token pair with the same authentication "
            "methods. The old refresh token stops working; presented again more than a "
            "few seconds later, it ends the whole login (every refresh token of it)."
        )

    class Arguments:
        refresh_token = graphene.String(required=True)

    Output = AuthTokensPayload

    @staticmethod
    def mutate(root, info, refresh_token):
        return AuthTokensPayload.from_pair(
            tokens.token_refresh(refresh_token, ip=client_ip(info.context))
        )


class RevokeToken(graphene.Mutation):
    class Meta:
        description = "Sign out: revoke a current refresh token and every other one of its login."

    class Arguments:
        refresh_token = graphene.String(required=True)

    Output = RevokeTokenPayload

    @staticmethod
    def mutate(root, info, refresh_token):
        tokens.token_revoke(refresh_token)
        return RevokeTokenPayload(revoked=True)


class ChangePasswordPayload(graphene.ObjectType):
    user = graphene.Field(UserType, required=True, description="The user, with the new password.")
    token = graphene.String(
        required=True,
        description="A new access token for this session: every earlier token stopped working.",
    )
    refresh_token = graphene.String(required=True, description="A new refresh token.")
    payload = GenericScalar(required=True, description="The new access token's claims, decoded.")


class ChangePassword(graphene.Mutation):
    class Meta:
        description = (
            "Change the password. Needs a login (a 2FA-verified token once 2FA is on). "
            "Ends every session (access and refresh tokens) and returns a new pair for "
            "this one: sign in again on other devices."
        )

    class Arguments:
        old_password = graphene.String(required=True)
        new_password = graphene.String(required=True)

    Output = ChangePasswordPayload

    @staticmethod
    def mutate(root, info, old_password, new_password):
        auth = info.context.auth
        user = auth.require_user()
        if twofa_enabled(user):
            auth.require_second_factor()
        services.password_change(
            user, old_password=old_password, new_password=new_password, ip=client_ip(info.context)
        )
        pair = tokens.token_pair_continue(user, auth.claims)
        return ChangePasswordPayload(
            user=user, token=pair.token, refresh_token=pair.refresh_token, payload=pair.payload
        )


class Query(graphene.ObjectType):
    me = graphene.Field(
        UserType,
        description=(
            "The signed-in user; null without an Authorization header. "
            "A bad or expired token answers UNAUTHENTICATED."
        ),
    )

    @staticmethod
    def resolve_me(root, info):
        return info.context.auth.user


class Mutation(graphene.ObjectType):
    register = Register.Field()
    token_auth = TokenAuth.Field()
    refresh_token = RefreshToken.Field()
    revoke_token = RevokeToken.Field()
    change_password = ChangePassword.Field()
