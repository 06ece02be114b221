from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class InvalidCredentials(DomainError):
    # One answer for an unknown user, a wrong password and an inactive account.
    default_message = _("Invalid username or password.")


class Unauthenticated(DomainError):
    default_message = _("Authentication required.")


class TwoFactorRequired(DomainError):
    default_message = _("A token verified with a second factor is required.")


class InvalidRefreshToken(DomainError):
    default_message = _("The refresh token is invalid, expired or revoked.")
