"""Phone numbers: reading them, showing them masked, and which ones we send codes to.

The send policy refuses numbers that cost more than an ordinary message or call
(premium-rate, shared-cost, toll-free and the other special ranges that SMS
pumping and toll fraud use), landlines by SMS, countries outside
TWOFA_ALLOWED_COUNTRIES, and the countries and prefixes staff blocked
(twofa.blocks): a number must be allowed by the setting and not blocked. It
runs before any send is counted or made.
"""

import phonenumbers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from phonenumbers import PhoneNumberType

from twofa.blocks import block_covering
from twofa.conf import twofa_settings
from twofa.exceptions import InvalidPhone

# phonenumbers' type names (MOBILE, FIXED_LINE, ...), as TWOFA_NUMBER_TYPES spells them.
NUMBER_TYPE_NAMES = frozenset(PhoneNumberType.to_string(t) for t in PhoneNumberType.values())
_OTHER_CHANNEL = {
    "sms": ("call", gettext_lazy("a voice call")),
    "call": ("sms", gettext_lazy("a text message")),
}


def phone_normalise(raw: str) -> str:
    """A phone number in E.164 form ("+14155552671"), or InvalidPhone.

    A leading "+" is required unless TWOFA_DEFAULT_REGION names a region.
    """
    raw = (raw or "").strip()
    if len(raw) > 32:
        raise InvalidPhone()
    region = twofa_settings.TWOFA_DEFAULT_REGION
    if not raw.startswith("+") and not region:
        raise InvalidPhone(_("Use international format: a leading + and the country code."))
    try:
        parsed = phonenumbers.parse(raw, None if raw.startswith("+") else region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone() from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhone()
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_mask(e164: str) -> str:
    """The country code and the last four digits: "+1******2671"."""
    try:
        parsed = phonenumbers.parse(e164, None)
        country = f"+{parsed.country_code}"
    except phonenumbers.NumberParseException:
        country = "+"
    rest = e164[len(country) :]
    hidden = max(0, len(rest) - 4)
    return country + "*" * hidden + rest[hidden:]


def phone_send_allow(*, number: str, channel: str) -> None:
    """Refuse (InvalidPhone) to send a code to `number` (E.164) by `channel` ("sms"
    or "call") unless its country and its number type are allowed for that channel
    and staff have not blocked its country or a prefix of it."""
    parsed = phonenumbers.parse(number, None)
    region = phonenumbers.region_code_for_number(parsed)
    countries = twofa_settings.TWOFA_ALLOWED_COUNTRIES
    if countries and region not in countries:
        raise InvalidPhone(_("Codes can't be sent to numbers in this country."))
    blocked = block_covering(number, region)
    if blocked == "country":
        raise InvalidPhone(_("Codes can't be sent to numbers in this country."))
    if blocked == "prefix":
        raise InvalidPhone(_("Codes can't be sent to this number."))
    kind = PhoneNumberType.to_string(phonenumbers.number_type(parsed))
    if kind in twofa_settings.TWOFA_NUMBER_TYPES.get(channel, ()):
        return
    other, other_name = _OTHER_CHANNEL[channel]
    if kind in twofa_settings.TWOFA_NUMBER_TYPES.get(other, ()):
        raise InvalidPhone(
            _("This number can't receive a code this way: choose %(other)s.")
            % {"other": other_name}
        )
    raise InvalidPhone(
        _(
            "Codes can't be sent to this kind of number (premium-rate, shared-cost, toll-free and "
            "other special numbers are refused). Use a mobile number."
        )
    )
