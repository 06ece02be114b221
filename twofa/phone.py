import phonenumbers
from django.conf import settings

from twofa.exceptions import InvalidPhone


def phone_normalise(raw: str) -> str:
    """A phone number in E.164 form ("+14155552671"), or InvalidPhone.

    A leading "+" is required unless TWOFA_DEFAULT_REGION names a region.
    """
    raw = (raw or "").strip()
    if len(raw) > 32:
        raise InvalidPhone()
    region = settings.TWOFA_DEFAULT_REGION
    if not raw.startswith("+") and not region:
        raise InvalidPhone("Use international format: a leading + and the country code.")
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
