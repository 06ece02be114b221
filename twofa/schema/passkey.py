"""Passkeys: registering one, signing in with one alone, renaming and removing them.

The second-factor use of a passkey is verifyToken's (twofa.schema.login);
WebAuthn's JSON travels as the WebAuthnJSON scalar, as the browser's
`toJSON()` and `parse…OptionsFromJSON()` take and give it.
"""

import graphene

from accounts.schema import AuthTokensPayload, SessionTokensPayload, TokensPayload, UserType
from schema.mutations import Access, BaseMutation
from twofa import services
from twofa.schema.types import PasskeyType, WebAuthnJSON

CREDENTIAL_IN = "`credential.toJSON()` of the browser's answer (RegistrationResponseJSON)."
ASSERTION_IN = "`credential.toJSON()` of the browser's answer (AuthenticationResponseJSON)."


class PasskeyOptionsPayload(graphene.ObjectType):
    options = graphene.Field(
        WebAuthnJSON,
        required=True,
        description=(
            "PublicKeyCredentialCreationOptionsJSON for "
            "`PublicKeyCredential.parseCreationOptionsFromJSON` and "
            "`navigator.credentials.create`."
        ),
    )
    expires_in = graphene.Int(required=True, description="Seconds the options stay valid.")


class PasskeyRegistrationBegin(BaseMutation):
    class Meta:
        description = (
            "Start registering a passkey: options for `navigator.credentials.create` (user "
            "verification required, a discoverable credential preferred, no attestation, the "
            "user's passkeys excluded). Finish with `passkeyRegistrationComplete`. Needs a "
            "login; a recent 2FA-verified token once 2FA is on."
        )

    Output = PasskeyOptionsPayload
    access = Access.ENROLLMENT

    @classmethod
    def perform(cls, info, *, user, ip):
        begun = services.passkey_registration_begin(user, ip=ip)
        return PasskeyOptionsPayload(options=begun.options, expires_in=begun.expires_in)


class PasskeyRegistrationCompletePayload(TokensPayload):
    user = graphene.Field(UserType, required=True, description="The user, now with 2FA on.")
    passkey = graphene.Field(PasskeyType, required=True, description="The new passkey.")
    recovery_codes_needed = graphene.Boolean(
        required=True,
        description=(
            "True when the user has no unused recovery codes: offer "
            "`generateRecoveryCodes` now, or a lost passkey is a lost account."
        ),
    )


class PasskeyRegistrationComplete(BaseMutation):
    class Meta:
        description = (
            "Register the passkey the browser created with `passkeyRegistrationBegin`'s "
            "options. Turns 2FA on (the passkey becomes the preferred method), ends every "
            "other session and returns a new token pair. A credential that can't be "
            "verified answers PASSKEY_INVALID with `attemptsLeft`."
        )

    class Arguments:
        name = graphene.String(
            required=True, description="A name for the user to recognise it (1-64 characters)."
        )
        credential = WebAuthnJSON(required=True, description=CREDENTIAL_IN)

    Output = PasskeyRegistrationCompletePayload
    access = Access.ENROLLMENT

    @classmethod
    def perform(cls, info, *, user, ip, name, credential):
        done = services.passkey_registration_complete(user, name=name, credential=credential, ip=ip)
        answer = PasskeyRegistrationCompletePayload.answer(user, pair=done.tokens)
        answer.passkey = done.passkey
        answer.recovery_codes_needed = done.recovery_codes_remaining == 0
        return answer


class PasskeyLoginBeginPayload(graphene.ObjectType):
    handle = graphene.String(
        required=True, description="Opaque, single-use: send it back to `passkeyLoginComplete`."
    )
    options = graphene.Field(
        WebAuthnJSON,
        required=True,
        description=(
            "PublicKeyCredentialRequestOptionsJSON for "
            "`PublicKeyCredential.parseRequestOptionsFromJSON` and `navigator.credentials.get` "
            "(no allowCredentials: the browser offers the site's passkeys)."
        ),
    )
    expires_in = graphene.Int(required=True, description="Seconds the handle stays valid.")


class PasskeyLoginBegin(BaseMutation):
    class Meta:
        description = (
            "Sign in with a passkey and no password, step one: options for "
            "`navigator.credentials.get`. Limited per client network (RATE_LIMITED)."
        )

    Output = PasskeyLoginBeginPayload
    access = Access.ANONYMOUS

    @classmethod
    def perform(cls, info, *, user, ip):
        started = services.passkey_login_begin(ip=ip)
        return PasskeyLoginBeginPayload(
            handle=started.handle, options=started.options, expires_in=started.expires_in
        )


class PasskeyLoginComplete(BaseMutation):
    class Meta:
        description = (
            "Sign in with a passkey and no password, step two: the assertion for "
            "`passkeyLoginBegin`'s options gives tokens for the passkey's owner (browser "
            "sessions as for `tokenAuth`). The handle works once, right or wrong: "
            "PASSKEY_INVALID for any assertion that can't be verified (an unknown passkey "
            "alike), CODE_EXPIRED for an unknown, used or expired handle. Failures count "
            "as failed logins of the client network."
        )

    class Arguments:
        handle = graphene.String(required=True, description="The `handle` of passkeyLoginBegin.")
        credential = WebAuthnJSON(required=True, description=ASSERTION_IN)

    Output = AuthTokensPayload
    access = Access.ANONYMOUS

    @classmethod
    def perform(cls, info, *, user, ip, handle, credential):
        pair = services.passkey_login_complete(handle=handle, credential=credential, ip=ip)
        return AuthTokensPayload.from_pair(pair)


class PasskeyPayload(graphene.ObjectType):
    passkey = graphene.Field(PasskeyType, required=True, description="The passkey.")


class PasskeyRename(BaseMutation):
    class Meta:
        description = "Rename one of the user's passkeys. Needs a 2FA-verified token."

    class Arguments:
        id = graphene.ID(required=True, description="The passkey's `id`.")
        name = graphene.String(required=True, description="The new name (1-64 characters).")

    Output = PasskeyPayload
    access = Access.SECOND_FACTOR

    @classmethod
    def perform(cls, info, *, user, ip, id, name):  # noqa: A002 - the argument's name
        return PasskeyPayload(passkey=services.passkey_rename(user, id, name=name, ip=ip))


class PasskeyRemovePayload(SessionTokensPayload):
    user = graphene.Field(UserType, required=True, description="The user, without the passkey.")


class PasskeyRemove(BaseMutation):
    class Meta:
        description = (
            "Remove one of the user's passkeys. Needs a recent 2FA-verified token. Without "
            "another factor left, 2FA is off. Ends every session and returns a new pair for "
            "this one."
        )

    class Arguments:
        id = graphene.ID(required=True, description="The passkey's `id`.")

    Output = PasskeyRemovePayload
    access = Access.RECENT_SECOND_FACTOR

    @classmethod
    def perform(cls, info, *, user, ip, id):  # noqa: A002 - the argument's name
        services.passkey_remove(user, id, ip=ip)
        return PasskeyRemovePayload.answer(user, claims=info.context.auth.claims)
