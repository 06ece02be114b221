"""Twilio Verify v2 through the official `twilio` SDK.

Settings: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_VERIFY_SERVICE_SID, and
TWILIO_API_BASE_URL (default https://verify.twilio.com) for a proxy, a regional
gateway or a test stand-in. Every call is bounded by TWOFA_PROVIDER_TIMEOUT.

Twilio keeps one pending verification per number: asked again for a number
whose verification is still pending, it re-sends the same code under the same
SID; a resend therefore does not invalidate the code already sent. A challenge
that is replaced or locked cancels its verification, so the next challenge gets
a new code. Checks and cancels name the verification's SID, never the number,
so a challenge whose verification ended can't reach the number's next one.
"""

import logging
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from core.exceptions import RateLimited
from twofa.conf import twofa_settings
from twofa.exceptions import CodeExpired, InvalidPhone, ProviderUnavailable, TooManyAttempts
from twofa.providers.base import DeliveryProvider

logger = logging.getLogger("twofa")

# Twilio error codes (https://www.twilio.com/docs/api/errors) and what they mean here.
NOT_FOUND = 20404  # no pending verification: expired, approved or never started
INVALID_PARAMETER = 60200  # e.g. an invalid `To` number
LANDLINE = 60205  # SMS to a landline
MAX_CHECK_ATTEMPTS = 60202
MAX_SEND_ATTEMPTS = 60203
TOO_MANY_CONCURRENT = 60212
RATE_LIMIT_RETRY_AFTER = 60

# The languages Verify writes its message in (its `Locale` parameter,
# https://www.twilio.com/docs/verify/supported-languages). Ours map by a
# case-insensitive match ("pt-br" -> "pt-BR"), then by the language alone
# ("de-at" -> "de"); anything else gets FALLBACK_LOCALE.
LOCALES = (
    "af ar ca cs da de el en en-GB es et fi fr he hi hr hu id it ja kn ko lt mr ms nb "
    "nl pl pt pt-BR ro ru sv te th tl tr uk vi zh zh-CN zh-HK"
).split()
FALLBACK_LOCALE = "en"


def twilio_locale(language: str) -> str:
    """Twilio's locale for one of our language codes."""
    by_lower = {locale.lower(): locale for locale in LOCALES}
    language = (language or "").lower()
    return by_lower.get(language) or by_lower.get(language.split("-")[0]) or FALLBACK_LOCALE


class BaseUrlHttpClient(TwilioHttpClient):
    """The SDK's HTTP client, sending to another scheme and host (the SDK has no option)."""

    def __init__(self, base_url: str, **kwargs):
        super().__init__(**kwargs)
        self._base = urlsplit(base_url)
        # The SDK turns retries off for https:// only; a plain-HTTP gateway gets the same.
        self.session.mount("http://", HTTPAdapter(max_retries=0))

    def request(self, method, url, *args, **kwargs):
        parts = urlsplit(url)
        path = self._base.path.rstrip("/") + parts.path
        url = urlunsplit((self._base.scheme, self._base.netloc, path, parts.query, parts.fragment))
        return super().request(method, url, *args, **kwargs)


class TwilioProvider(DeliveryProvider):
    name = "twilio"
    required_settings = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_VERIFY_SERVICE_SID")

    def __init__(self):
        http_client = BaseUrlHttpClient(
            twofa_settings.TWILIO_API_BASE_URL,
            timeout=twofa_settings.TWOFA_PROVIDER_TIMEOUT,
            max_retries=0,
        )
        client = Client(
            twofa_settings.TWILIO_ACCOUNT_SID,
            twofa_settings.TWILIO_AUTH_TOKEN,
            http_client=http_client,
        )
        self._service = client.verify.v2.services(twofa_settings.TWILIO_VERIFY_SERVICE_SID)

    def start(self, *, to: str, channel: str, purpose: str, locale: str) -> str:
        with _translated("start"):
            verification = self._service.verifications.create(
                to=to, channel=channel, locale=twilio_locale(locale)
            )
        return verification.sid

    def check(self, *, ref: str, to: str, code: str) -> bool:
        with _translated("check"):
            # By SID, not by number: the number's pending verification may be
            # another challenge's (Twilio keeps one per number).
            result = self._service.verification_checks.create(verification_sid=ref, code=code)
        if result.status == "approved":
            return True
        if result.status == "pending":
            return False
        if result.status == "max_attempts_reached":
            raise TooManyAttempts()
        raise CodeExpired()

    def cancel(self, *, ref: str) -> None:
        # Without this, Twilio would re-send the old code (and keep its attempt
        # count) to the next challenge for the same number.
        try:
            with _translated("cancel"):
                self._service.verifications(ref).update(status="canceled")
        except CodeExpired:
            pass  # approved, expired or canceled already


@contextmanager
def _translated(operation: str):
    """Turn the SDK's and requests' exceptions into ours, logging the provider's code."""
    try:
        yield
    except requests.RequestException as exc:
        logger.warning("twilio %s failed: %s", operation, type(exc).__name__)
        raise ProviderUnavailable() from exc
    except TwilioException as exc:
        status = getattr(exc, "status", None)
        code = getattr(exc, "code", None)
        logger.warning("twilio %s failed: status=%s code=%s", operation, status, code)
        if operation != "start" and (code == NOT_FOUND or status == 404):
            raise CodeExpired() from exc
        if code == MAX_CHECK_ATTEMPTS:
            raise TooManyAttempts() from exc
        if code in (MAX_SEND_ATTEMPTS, TOO_MANY_CONCURRENT) or status == 429:
            raise RateLimited(retry_after=RATE_LIMIT_RETRY_AFTER) from exc
        if code in (INVALID_PARAMETER, LANDLINE):
            raise InvalidPhone() from exc
        raise ProviderUnavailable() from exc
