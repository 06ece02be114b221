"""accounts' GraphQL: the user type, sign-up, the password login, tokens, the
password change and the user's sessions. Thin: the services do the work,
schema.mutations says who may call what. The user's twoFactor and
securityEvents fields, tokenAuth's 2FA fields and its outcome are typed by name
(twofa.schema's types), so this module imports nothing of twofa."""

import graphene
from django.conf import settings
from graphene.types.generic import GenericScalar

from accounts import cookies, services, tokens
from accounts.exceptions import InvalidRefreshToken
from accounts.languages import language_supported
from accounts.models import RefreshToken as RefreshTokenRow
from accounts.models import User
from accounts.tokens import Claims, Session, TokenPair
from core.exceptions import NotFound
from schema.mutations import Access, BaseMutation, access_check


class UserFacet:
    """What UserType hands a field that another app types (twoFactor,
    securityEvents): the user and the field's arguments, in a holder made
    afresh for each answer, on which that app may keep what it read for the
    type's other fields."""

    def __init__(self, user: User, **arguments):
        self.user = user
        self.arguments = arguments


def user_own(info, user: User) -> User:
    """The user, if the caller is that user with a full login (Access.USER):
    what only its owner may read (sessions, security events). Raises
    Unauthenticated or TwoFactorRequired, or NotFound for someone else."""
    caller = access_check(info.context.auth, Access.USER)
    if caller.pk != user.pk:
        raise NotFound()
    return caller


class SessionClientKindEnum(graphene.Enum):
    class Meta:
        name = "SessionClientKind"
        description = "What received a session's tokens."

    BROWSER = RefreshTokenRow.ClientKind.BROWSER.value
    APP = RefreshTokenRow.ClientKind.APP.value

    @property
    def description(self):
        return {
            "BROWSER": "A page of this site, with the refresh token in the session cookie.",
            "APP": "A client that keeps the refresh token itself (a mobile app, a script).",
        }[self.name]


class SessionType(graphene.ObjectType):
    class Meta:
        name = "Session"
        description = (
            "One login that can still refresh its tokens (until it expires, is signed out, "
            "or every session ends)."
        )

    id = graphene.ID(required=True, description="Opaque; pass it to `revokeSession`.")
    started_at = graphene.DateTime(required=True, description="When the user signed in.")
    last_refreshed_at = graphene.DateTime(
        description="When its tokens were last refreshed; null if never."
    )
    expires_at = graphene.DateTime(
        required=True,
        description="When it ends unless signed out first (refreshing doesn't move it).",
    )
    client_kind = graphene.Field(
        SessionClientKindEnum, description="What received its tokens; null if not recorded."
    )
    client_network = graphene.String(
        description=(
            "The network its latest tokens went to, coarse (an IPv4 /24, an IPv6 /48), never "
            "the address; null if not recorded."
        )
    )
    current = graphene.Boolean(
        required=True, description="True for the session of the token making this request."
    )

    @staticmethod
    def resolve_last_refreshed_at(session: Session, info):
        return session.refreshed_at

    @staticmethod
    def resolve_client_kind(session: Session, info):
        return session.client_kind or None

    @staticmethod
    def resolve_client_network(session: Session, info):
        return session.client_network or None

    @staticmethod
    def resolve_current(session: Session, info):
        claims = info.context.auth.claims
        return claims is not None and claims.session == session.id


# The supported languages (settings.LANGUAGES) as an enum: "en" is EN, "pt-br" PT_BR.
LanguageCode = graphene.Enum(
    "LanguageCode",
    [(code.replace("-", "_").upper(), code) for code, _ in settings.LANGUAGES],
    description=(
        "A language Pollstr writes messages and SMS in (Accept-Language picks among the same ones)."
    ),
)


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
    language = graphene.Field(
        LanguageCode,
        description=(
            "The language of the user's messages and SMS; null follows each "
            "request's Accept-Language."
        ),
    )

    @staticmethod
    def resolve_language(user, info):
        return language_supported(user.language)

    sessions = graphene.List(
        graphene.NonNull(SessionType),
        required=True,
        description=(
            "The user's sessions (one per login), the most recently active first. Only the "
            "user may read them, with a full login (a 2FA-verified token once 2FA is on)."
        ),
    )
    security_events = graphene.Field(
        "twofa.schema.SecurityEventConnection",
        required=True,
        first=graphene.Int(description="How many events (default 20, at most 100)."),
        after=graphene.String(description="Read on after this cursor (`pageInfo.endCursor`)."),
        description=(
            "The user's own security events (codes sent and checked at sign-in, factors added "
            "or removed, sessions signed out), newest first, page by page. Only the user may "
            "read them, with a full login."
        ),
    )

    @staticmethod
    def resolve_email(user, info):
        return user.email or None

    @staticmethod
    def resolve_two_factor(user, info):
        return UserFacet(user)

    @staticmethod
    def resolve_sessions(user, info):
        return tokens.sessions_active(user_own(info, user))

    @staticmethod
    def resolve_security_events(user, info, first=None, after=None):
        return UserFacet(user_own(info, user), first=first, after=after)


class TokenClaims(graphene.ObjectType):
    class Meta:
        description = "The access token's claims, typed: no need to decode the JWT."

    username = graphene.String(required=True, description="The user the token is for.")
    exp = graphene.Int(required=True, description="When the access token expires (Unix time).")
    iat = graphene.Int(required=True, description="When the access token was issued (Unix time).")
    amr = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description=(
            'How the user signed in (RFC 8176): "pwd", plus "sms", "tel", "otp" or "rec" '
            'once a second factor was checked. A passkey: "hwk" (one device) or "swk" '
            '(synced), plus "user" and "mfa" when it verified the user; without "pwd" '
            "after a passwordless sign-in."
        ),
    )
    auth_time = graphene.Int(
        description="When the second factor was checked (Unix time); null without one."
    )

    @classmethod
    def from_payload(cls, payload: dict) -> "TokenClaims":
        return cls(
            username=payload["username"],
            exp=payload["exp"],
            iat=payload["origIat"],
            amr=payload["amr"],
            auth_time=payload.get("auth_time"),
        )


PAYLOAD_DEPRECATION = "Untyped: read `claims`."


class ClaimsField:
    """`claims` for every answer that carries a token pair, read from its `payload`."""

    claims = graphene.Field(
        TokenClaims, required=True, description="The access token's claims, typed."
    )

    @staticmethod
    def resolve_claims(answer, info):
        return TokenClaims.from_payload(answer.payload)


class AuthTokensPayload(ClaimsField, graphene.ObjectType):
    class Meta:
        description = "A new token pair: after the second step of a login, or a refresh."

    token = graphene.String(
        required=True, description="Access token (JWT) for 'Authorization: Bearer'."
    )
    refresh_token = graphene.String(
        description=(
            "Opaque token for `refreshToken`; null for a browser session (it's in the cookie)."
        )
    )
    payload = GenericScalar(
        required=True,
        description="The access token's claims, decoded.",
        deprecation_reason=PAYLOAD_DEPRECATION,
    )
    refresh_expires_at = graphene.Int(
        required=True,
        description=(
            "When the refresh token expires, as a Unix time: the login's end, which "
            "refreshing doesn't move."
        ),
    )
    refresh_expires_in = graphene.Int(
        required=True,
        description="When the refresh token expires, as a Unix time (not seconds).",
        deprecation_reason=(
            "Holds a Unix time, not seconds, despite its name: read `refreshExpiresAt`."
        ),
    )

    @classmethod
    def from_pair(cls, pair: TokenPair) -> "AuthTokensPayload":
        return cls(
            token=pair.token,
            refresh_token=pair.refresh_token,
            payload=pair.payload,
            refresh_expires_in=pair.refresh_expires_in,
        )

    @staticmethod
    def resolve_refresh_expires_at(answer, info):
        return answer.refresh_expires_in


# The flat fields of tokenAuth's answer, kept for the clients that read them.
FLAT_DEPRECATION = "Read `outcome`, which says which of its two shapes this is."


class TokenAuthPayload(graphene.ObjectType):
    class Meta:
        description = (
            "The result of a password login: tokens for a user without 2FA, "
            "or a challenge for the second step."
        )

    outcome = graphene.Field(
        "twofa.schema.TokenAuthOutcome",
        required=True,
        description=(
            "AuthTokensPayload for a user without 2FA; LoginChallenge when `verifyToken` "
            "must follow. Narrow on `__typename`."
        ),
    )
    two_factor_required = graphene.Boolean(
        required=True,
        description="True when a second factor is needed: `verifyToken` must follow.",
        deprecation_reason=FLAT_DEPRECATION,
    )
    token = graphene.String(
        description="Access token; null when 2FA is required.", deprecation_reason=FLAT_DEPRECATION
    )
    refresh_token = graphene.String(
        description="Refresh token; null when 2FA is required, or for a browser session.",
        deprecation_reason=FLAT_DEPRECATION,
    )
    payload = GenericScalar(
        description="The access token's claims; null when 2FA is required.",
        deprecation_reason=FLAT_DEPRECATION,
    )
    refresh_expires_in = graphene.Int(
        description="Refresh token expiry (Unix time); null when 2FA is required.",
        deprecation_reason=FLAT_DEPRECATION,
    )
    challenge = graphene.String(
        description="Opaque, single-use handle for `verifyToken` and `resendCode`.",
        deprecation_reason=FLAT_DEPRECATION,
    )
    channel = graphene.Field(
        "twofa.schema.ChannelEnum",
        description="How the code was (or would have been) sent; null for the app.",
        deprecation_reason=FLAT_DEPRECATION,
    )
    phone_number = graphene.String(
        description="The masked number the code went to.", deprecation_reason=FLAT_DEPRECATION
    )
    code_sent = graphene.Boolean(
        description=(
            "True when a code went to the phone; false when none could be sent (see "
            "`codeNotSentReason`: answer with another of `methods`, or `resendCode` "
            "later); null for the app."
        ),
        deprecation_reason=FLAT_DEPRECATION,
    )
    code_not_sent_reason = graphene.Field(
        "twofa.schema.CodeNotSentReasonEnum",
        description="Why no code was sent; null when one was, or for the app.",
        deprecation_reason=FLAT_DEPRECATION,
    )
    retry_after = graphene.Int(
        description="Seconds before `resendCode` can send, when a limit stopped the code.",
        deprecation_reason=FLAT_DEPRECATION,
    )
    method = graphene.Field(
        "twofa.schema.TwoFactorMethodEnum",
        description="The method the challenge started with (the user's preferred one).",
        deprecation_reason=FLAT_DEPRECATION,
    )
    methods = graphene.List(
        graphene.NonNull("twofa.schema.TwoFactorMethodEnum"),
        description=(
            "The methods that can answer this challenge now (see verifyToken's `method`); "
            "SMS and CALL only once a code went to the phone."
        ),
        deprecation_reason=FLAT_DEPRECATION,
    )
    expires_in = graphene.Int(
        description="Seconds until the challenge expires.", deprecation_reason=FLAT_DEPRECATION
    )
    message = graphene.String(
        description="A sentence to show the user.", deprecation_reason=FLAT_DEPRECATION
    )


class RegisterPayload(graphene.ObjectType):
    user = graphene.Field(UserType, required=True, description="The new user.")


class RevokeTokenPayload(graphene.ObjectType):
    revoked = graphene.Boolean(required=True, description="True once the refresh token is revoked.")


class TokensPayload(ClaimsField, graphene.ObjectType):
    """The user and a new token pair: the one answer of every change that issues
    tokens. Subclasses keep their own type names and say what the user now is."""

    class Meta:
        abstract = True

    user = graphene.Field(UserType, required=True, description="The user.")
    token = graphene.String(required=True, description="A new 2FA-verified access token.")
    refresh_token = graphene.String(
        description="A new refresh token; null for a browser session (it's in the cookie)."
    )
    payload = GenericScalar(
        required=True,
        description="The access token's claims, decoded.",
        deprecation_reason=PAYLOAD_DEPRECATION,
    )

    @classmethod
    def answer(cls, user: User, *, pair: TokenPair | None = None, claims: Claims | None = None):
        """The payload for `user` as the change left it: with `pair`, or a new pair
        that carries on the caller's session (`claims`) after sessions_end()."""
        user.refresh_from_db()
        if pair is None:
            pair = tokens.token_pair_continue(user, claims)
        return cls(
            user=user, token=pair.token, refresh_token=pair.refresh_token, payload=pair.payload
        )


class SessionTokensPayload(TokensPayload):
    """TokensPayload after a change that ended every session but the caller's."""

    class Meta:
        abstract = True

    token = graphene.String(
        required=True,
        description="A new access token for this session: every earlier token stopped working.",
    )
    payload = GenericScalar(
        required=True,
        description="The new access token's claims, decoded.",
        deprecation_reason=PAYLOAD_DEPRECATION,
    )


class Register(BaseMutation):
    class Meta:
        description = (
            "Create an account. Sign in with `tokenAuth` afterwards. Attempts are limited "
            "per client network (RATE_LIMITED), whatever their answer."
        )

    class Arguments:
        username = graphene.String(
            required=True, description="The name to sign in with (letters, digits and @.+-_)."
        )
        password = graphene.String(
            required=True, description="The password; it must pass the password rules."
        )
        email = graphene.String(description="An email address, optional.")

    Output = RegisterPayload
    access = Access.ANONYMOUS

    @classmethod
    def perform(cls, info, *, user, ip, username, password, email=None):
        return RegisterPayload(
            user=services.user_register(username=username, password=password, email=email, ip=ip)
        )


class TokenAuth(BaseMutation):
    class Meta:
        description = (
            "Sign in with a password. Without 2FA this returns tokens; with 2FA it returns "
            "a challenge for `verifyToken`, and sends a code when the user prefers SMS or "
            "a call. The right password always gets a challenge: when no code could be "
            "sent, `codeSent` is false and `codeNotSentReason` says why."
        )

    class Arguments:
        username = graphene.String(required=True, description="The username.")
        password = graphene.String(required=True, description="The password.")

    Output = TokenAuthPayload
    access = Access.ANONYMOUS

    @classmethod
    def perform(cls, info, *, user, ip, username, password):
        result = services.login_start(info.context, username=username, password=password)
        if result.pending is not None:
            # The login stage (twofa's challenge) says what the client is told;
            # twofa's TokenAuthOutcome shows it as a LoginChallenge.
            answer = result.pending.answer
            # The flat fields are frozen: what the stage added since lives on `outcome` only.
            flat = {k: v for k, v in answer.items() if k in TokenAuthPayload._meta.fields}
            return TokenAuthPayload(two_factor_required=True, outcome=answer, **flat)
        pair = result.tokens
        return TokenAuthPayload(
            outcome=AuthTokensPayload.from_pair(pair),
            two_factor_required=False,
            token=pair.token,
            refresh_token=pair.refresh_token,
            payload=pair.payload,
            refresh_expires_in=pair.refresh_expires_in,
        )


class RefreshToken(BaseMutation):
    class Meta:
        description = (
            "Swap a refresh token for a new token pair with the same authentication "
            "methods. The old refresh token stops working; presented again more than a "
            "few seconds later, it ends the whole login (every refresh token of it)."
        )

    class Arguments:
        refresh_token = graphene.String(
            description=(
                "The refresh token of the latest pair. Omitted by a browser session: "
                "the cookie's is used (header 'X-Pollstr-Session: browser' required)."
            )
        )

    Output = AuthTokensPayload
    access = Access.ANONYMOUS

    @classmethod
    def perform(cls, info, *, user, ip, refresh_token=None):
        if refresh_token is not None:
            return AuthTokensPayload.from_pair(tokens.token_refresh(refresh_token, ip=ip))
        from_cookie = cookies.refresh_token_from_cookie(info.context)
        try:
            pair = tokens.token_refresh(from_cookie, ip=ip)
        except InvalidRefreshToken:
            # Revoked, expired or replayed: the browser may as well forget it.
            cookies.refresh_cookie_clear(info.context)
            raise
        return AuthTokensPayload.from_pair(pair)


class RevokeToken(BaseMutation):
    class Meta:
        description = (
            "Sign out: revoke a current refresh token and every other one of its login "
            "(a browser session's: its cookie's, and the cookie is cleared)."
        )

    class Arguments:
        refresh_token = graphene.String(
            description=(
                "A current refresh token of the login to end. Omitted by a browser "
                "session: the cookie's login ends and the cookie is cleared."
            )
        )

    Output = RevokeTokenPayload
    access = Access.ANONYMOUS

    @classmethod
    def perform(cls, info, *, user, ip, refresh_token=None):
        if refresh_token is None:
            refresh_token = cookies.refresh_token_from_cookie(info.context)
            cookies.refresh_cookie_clear(info.context)
        tokens.token_revoke(refresh_token)
        return RevokeTokenPayload(revoked=True)


class ChangePasswordPayload(SessionTokensPayload):
    user = graphene.Field(UserType, required=True, description="The user, with the new password.")


class ChangePassword(BaseMutation):
    class Meta:
        description = (
            "Change the password. Needs a login (a 2FA-verified token once 2FA is on). "
            "Ends every session (access and refresh tokens) and returns a new pair for "
            "this one: sign in again on other devices."
        )

    class Arguments:
        old_password = graphene.String(required=True, description="The current password.")
        new_password = graphene.String(
            required=True, description="The new password; it must pass the password rules."
        )

    Output = ChangePasswordPayload
    access = Access.USER

    @classmethod
    def perform(cls, info, *, user, ip, old_password, new_password):
        services.password_change(user, old_password=old_password, new_password=new_password, ip=ip)
        return ChangePasswordPayload.answer(user, claims=info.context.auth.claims)


class SetLanguagePayload(graphene.ObjectType):
    user = graphene.Field(UserType, required=True, description="The user, with the language.")


class SetLanguage(BaseMutation):
    class Meta:
        description = (
            "Choose the language of your messages (errors, tokenAuth's answers) and of "
            "your SMS and voice codes. Null goes back to following Accept-Language."
        )

    class Arguments:
        language = LanguageCode(
            description="One of the supported languages; null follows Accept-Language."
        )

    Output = SetLanguagePayload
    access = Access.USER

    @classmethod
    def perform(cls, info, *, user, ip, language=None):
        services.user_language_set(user, language=getattr(language, "value", language))
        return SetLanguagePayload(user=user)


class RevokeSessionPayload(graphene.ObjectType):
    revoked = graphene.Boolean(required=True, description="True once the session has ended.")


class RevokeSession(BaseMutation):
    class Meta:
        description = (
            "Sign out one session (see `me.sessions`): its refresh tokens stop working; its "
            "access tokens live out their few minutes. Needs a full login. An id that is not "
            "one of the caller's current sessions answers NOT_FOUND. Ending the caller's own "
            "browser session clears its cookie."
        )

    class Arguments:
        id = graphene.ID(required=True, description="The session's `id`.")

    Output = RevokeSessionPayload
    access = Access.USER

    @classmethod
    def perform(cls, info, *, user, ip, id):
        tokens.session_revoke(user, id, ip=ip)
        claims = info.context.auth.claims
        if claims.session == str(id).strip() and cookies.session_is_browser(info.context):
            cookies.refresh_cookie_clear(info.context)
        return RevokeSessionPayload(revoked=True)


class SignOutEverywherePayload(graphene.ObjectType):
    sessions_ended = graphene.Int(
        required=True, description="How many sessions could still refresh and now can't."
    )


class SignOutEverywhere(BaseMutation):
    class Meta:
        description = (
            "Sign out every session, this one included: every refresh token is revoked and "
            "every access token stops working at once. Needs a full login. A browser "
            "session's cookie is cleared. Sign in again afterwards."
        )

    Output = SignOutEverywherePayload
    access = Access.USER

    @classmethod
    def perform(cls, info, *, user, ip):
        ended = services.sign_out_everywhere(user, ip=ip)
        if cookies.session_is_browser(info.context):
            cookies.refresh_cookie_clear(info.context)
        return SignOutEverywherePayload(sessions_ended=ended)


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
    set_language = SetLanguage.Field()
    revoke_session = RevokeSession.Field()
    sign_out_everywhere = SignOutEverywhere.Field()
