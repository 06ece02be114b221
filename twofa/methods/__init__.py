"""The methods seam: what a user can answer a challenge with, keyed by the method.

twofa.conf maps each key to its class (the built-in sms, call, totp and
recovery, plus the project's TWOFA_METHOD_CLASSES); adding a method is one
module under twofa/methods/ and one entry there. The way allauth's
`Authenticator.wrap()` picks the class for a type, `method_get(key)` picks ours.
"""

from functools import cache

from django.core.signals import setting_changed
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.exceptions import BadUserInput
from twofa.conf import twofa_settings
from twofa.methods.base import SecondFactorMethod


@cache
def methods_registered() -> dict[str, SecondFactorMethod]:
    """Every method by its key, in the order they are offered to the user."""
    return {key: import_string(path)() for key, path in twofa_settings.method_classes.items()}


def method_get(key: str) -> SecondFactorMethod:
    try:
        return methods_registered()[key]
    except KeyError:
        raise BadUserInput(_("Unknown method.")) from None


def _reset(*, setting, **kwargs):
    if setting == "TWOFA_METHOD_CLASSES":
        methods_registered.cache_clear()


setting_changed.connect(_reset)

__all__ = ["SecondFactorMethod", "method_get", "methods_registered"]
