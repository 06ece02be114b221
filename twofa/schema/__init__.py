"""twofa's GraphQL: the 2FA types, the second step of login and the changes to
a user's factors, one module each. Thin: twofa.services does the work; each
mutation's `access` (schema.mutations) says who may call it. The types are
named here too: accounts' schema refers to them by name ("twofa.schema.…")."""

import graphene

from twofa.schema.account import DisableTwoFactor, GenerateRecoveryCodes, SetPreferredMethod
from twofa.schema.app import ConfirmTotp, RemoveTotp, SetupTotp
from twofa.schema.events import SecurityEventConnection
from twofa.schema.login import ResendCode, VerifyToken
from twofa.schema.passkey import (
    PasskeyLoginBegin,
    PasskeyLoginComplete,
    PasskeyRegistrationBegin,
    PasskeyRegistrationComplete,
    PasskeyRemove,
    PasskeyRename,
)
from twofa.schema.phone import RegisterPhone, RemovePhone, VerifyPhone
from twofa.schema.step_up import StepUpBegin, StepUpComplete
from twofa.schema.types import (
    ChannelEnum,
    CodeNotSentReasonEnum,
    LoginChallenge,
    PasskeyType,
    TokenAuthOutcome,
    TwoFactorMethodEnum,
    TwoFactorStatus,
    WebAuthnJSON,
)

__all__ = [
    "ChannelEnum",
    "CodeNotSentReasonEnum",
    "LoginChallenge",
    "Mutation",
    "PasskeyType",
    "SecurityEventConnection",
    "TokenAuthOutcome",
    "TwoFactorMethodEnum",
    "TwoFactorStatus",
    "WebAuthnJSON",
]


class Mutation(graphene.ObjectType):
    verify_token = VerifyToken.Field()
    resend_code = ResendCode.Field()
    verify_phone = VerifyPhone.Field()
    register_phone = RegisterPhone.Field()
    remove_phone = RemovePhone.Field()
    disable_two_factor = DisableTwoFactor.Field()
    setup_totp = SetupTotp.Field()
    confirm_totp = ConfirmTotp.Field()
    remove_totp = RemoveTotp.Field()
    generate_recovery_codes = GenerateRecoveryCodes.Field()
    set_preferred_method = SetPreferredMethod.Field()
    passkey_registration_begin = PasskeyRegistrationBegin.Field()
    passkey_registration_complete = PasskeyRegistrationComplete.Field()
    passkey_login_begin = PasskeyLoginBegin.Field()
    passkey_login_complete = PasskeyLoginComplete.Field()
    passkey_rename = PasskeyRename.Field()
    passkey_remove = PasskeyRemove.Field()
    step_up_begin = StepUpBegin.Field()
    step_up_complete = StepUpComplete.Field()
