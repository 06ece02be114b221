"""The staff login's own domain error (the others come from accounts and twofa)."""

from django.utils.translation import gettext as _

from core.exceptions import DomainError


class SecondFactorMissing(DomainError):
    """A staff member with the right password but no second factor (DEBUG off)."""

    def __init__(self, *, username: str):
        super().__init__(
            _(
                "This staff account has no second factor, and the admin needs one. Set up an "
                "authenticator app through the API (setupTotp, confirmTotp), or ask an "
                "operator to run `manage.py staff_totp %(username)s` on the server."
            )
            % {"username": username}
        )
