from core.exceptions import DomainError


class InvalidCredentials(DomainError):
    # One answer for an unknown user, a wrong password and an inactive account.
    default_message = "Invalid username or password."


class Unauthenticated(DomainError):
    default_message = "Authentication required."


class TwoFactorRequired(DomainError):
    default_message = "A token verified with a second factor is required."


class InvalidRefreshToken(DomainError):
    default_message = "The refresh token is invalid, expired or revoked."
