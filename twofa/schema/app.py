"""Enrolling and removing an authenticator app (TOTP)."""

import graphene
import segno

from accounts.schema import SessionTokensPayload, TokensPayload, UserType
from schema.mutations import Access, BaseMutation
from twofa import services
from twofa.schema.base import FactorRemoval


class SetupTotpPayload(graphene.ObjectType):
    secret = graphene.String(required=True, description="The shared secret, base32.")
    otpauth_uri = graphene.String(
        required=True, description="otpauth://totp/... for apps that take a link or a QR code."
    )
    qr_code_svg = graphene.String(required=True, description="The otpauthUri as a QR code (SVG).")


class SetupTotp(BaseMutation):
    class Meta:
        description = (
            "Start setting up an authenticator app: a new secret, not yet active. Confirm it "
            "with `confirmTotp`. Needs a login; a recent 2FA-verified token once 2FA is on."
        )

    Output = SetupTotpPayload
    access = Access.ENROLLMENT

    @classmethod
    def perform(cls, info, *, user, ip):
        setup = services.totp_setup(user, ip=ip)
        qr = segno.make(setup.otpauth_uri, error="m")
        return SetupTotpPayload(
            secret=setup.secret,
            otpauth_uri=setup.otpauth_uri,
            qr_code_svg=qr.svg_inline(scale=4, title="Authenticator app setup"),
        )


class ConfirmTotpPayload(TokensPayload):
    user = graphene.Field(UserType, required=True, description="The user, now with the app on.")


class ConfirmTotp(BaseMutation):
    class Meta:
        description = (
            "Confirm the authenticator app from `setupTotp` with a code it shows. Turns 2FA "
            "on (the app becomes the preferred method) and returns a new token pair."
        )

    class Arguments:
        code = graphene.String(required=True, description="A code the app shows now.")

    Output = ConfirmTotpPayload
    access = Access.ENROLLMENT

    @classmethod
    def perform(cls, info, *, user, ip, code):
        pair = services.totp_confirm(user, code, ip=ip)
        return ConfirmTotpPayload.answer(user, pair=pair)


class RemoveTotpPayload(SessionTokensPayload):
    user = graphene.Field(UserType, required=True, description="The user, without the app.")


class RemoveTotp(FactorRemoval):
    class Meta:
        description = (
            "Remove the authenticator app. Needs a recent 2FA-verified token. Without a "
            "phone left, 2FA is off. Ends every session and returns a new pair for this one."
        )

    Output = RemoveTotpPayload
    remove = staticmethod(services.totp_remove)
