"""The user's 2FA as a whole: recovery codes, the method a login starts with,
and turning 2FA off."""

import graphene

from accounts.schema import SessionTokensPayload, UserType
from schema.mutations import Access, BaseMutation
from twofa import services
from twofa.schema.base import FactorRemoval
from twofa.schema.types import TwoFactorMethodEnum, enum_value


class UserPayload(graphene.ObjectType):
    user = graphene.Field(UserType, required=True)


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
        services.preferred_method_set(user, enum_value(method), ip=ip)
        return UserPayload(user=user)


class DisableTwoFactorPayload(SessionTokensPayload):
    user = graphene.Field(UserType, required=True, description="The user, now without 2FA.")


class DisableTwoFactor(FactorRemoval):
    class Meta:
        description = (
            "Turn 2FA off. Needs a recent 2FA-verified token. Ends every session (access and "
            "refresh tokens) and returns a new pair for this one."
        )

    Output = DisableTwoFactorPayload
    remove = staticmethod(services.twofa_disable)
