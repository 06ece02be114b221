"""Vonage Verify v2 through the official `vonage` SDK (4.x).

Settings: VONAGE_API_KEY, VONAGE_API_SECRET (HTTP Basic auth), VONAGE_BRAND
(the name in the message), and VONAGE_API_HOST (default api.nexmo.com; may be
http://host:port for a proxy or a test stand-in). Every call is bounded by
TWOFA_PROVIDER_TIMEOUT.

Two SDK behaviours are turned off: urllib3 retries, and the client's own loop
that re-sends a request after a dropped connection (up to its pool size), so
one call is at most one message. Vonage refuses a second verification to a
number while one is open, so a resend cancels the open request first.
"""

import logging
from contextlib import contextmanager
from urllib.parse import urlsplit

import requests
from pydantic import ValidationError
from requests.adapters import HTTPAdapter
from vonage_http_client import Auth, HttpClient, HttpClientOptions
from vonage_http_client.errors import HttpRequestError
from vonage_utils.errors import VonageError
from vonage_verify import Locale, SmsChannel, Verify, VerifyRequest, VoiceChannel

from core.exceptions import RateLimited
from twofa.conf import twofa_settings
from twofa.exceptions import CodeExpired, InvalidPhone, ProviderUnavailable, TooManyAttempts
from twofa.providers.base import DeliveryProvider

logger = logging.getLogger("twofa")

CHANNELS = {"sms": SmsChannel, "call": VoiceChannel}
RATE_LIMIT_RETRY_AFTER = 60
CODE_LENGTH = 6

# Vonage Verify v2 takes a closed list of locales (the SDK's Locale enum). Ours
# map by an exact match ("pt-br"), then by the language's usual region
# ("de" -> "de-de"); anything else gets FALLBACK_LOCALE, Vonage's own default.
FALLBACK_LOCALE = Locale.EN_US
_REGION_OF = {
    "de": Locale.DE_DE,
    "en": Locale.EN_US,
    "es": Locale.ES_ES,
    "fr": Locale.FR_FR,
    "hi": Locale.HI_IN,
    "id": Locale.ID_ID,
    "it": Locale.IT_IT,
    "pt": Locale.PT_PT,
    "ru": Locale.RU_RU,
}


def vonage_locale(language: str) -> Locale:
    """Vonage's locale for one of our language codes."""
    language = (language or "").lower()
    exact = {locale.value: locale for locale in Locale}
    return exact.get(language) or _REGION_OF.get(language.split("-")[0]) or FALLBACK_LOCALE


class _PlainHttpAdapter(HTTPAdapter):
    """Sends the SDK's https:// requests for one host over plain HTTP."""

    def send(self, request, **kwargs):
        request.url = "http://" + request.url.removeprefix("https://")
        return super().send(request, **kwargs)


class VonageProvider(DeliveryProvider):
    name = "vonage"
    required_settings = ("VONAGE_API_KEY", "VONAGE_API_SECRET", "VONAGE_BRAND")

    def __init__(self):
        configured = twofa_settings.VONAGE_API_HOST
        parts = urlsplit(configured if "://" in configured else f"https://{configured}")
        options = HttpClientOptions(
            api_host=parts.netloc,
            timeout=twofa_settings.TWOFA_PROVIDER_TIMEOUT,
            max_retries=0,
            # The client re-sends after a dropped connection up to pool_maxsize times.
            pool_maxsize=1,
        )
        http_client = HttpClient(
            Auth(
                api_key=twofa_settings.VONAGE_API_KEY, api_secret=twofa_settings.VONAGE_API_SECRET
            ),
            options,
        )
        if parts.scheme == "http":
            http_client._session.mount(f"https://{parts.netloc}", _PlainHttpAdapter(max_retries=0))
        self._verify = Verify(http_client)

    def start(self, *, to: str, channel: str, purpose: str, locale: str) -> str:
        with _translated("start"):
            request = VerifyRequest(
                brand=twofa_settings.VONAGE_BRAND,
                workflow=[CHANNELS[channel](to=to.removeprefix("+"))],
                code_length=CODE_LENGTH,
                locale=vonage_locale(locale),
                # Vonage keeps the request open this long: as long as our challenge lives.
                channel_timeout=min(max(twofa_settings.TWOFA_CHALLENGE_TTL, 15), 900),
            )
            return self._verify.start_verification(request).request_id

    def check(self, *, ref: str, to: str, code: str) -> bool:
        try:
            with _translated("check"):
                result = self._verify.check_code(ref, code)
        except _WrongCode:
            return False
        return result.status == "completed"

    def resend(self, *, ref: str, to: str, channel: str, purpose: str, locale: str) -> str:
        self.cancel(ref=ref)
        return self.start(to=to, channel=channel, purpose=purpose, locale=locale)

    def cancel(self, *, ref: str) -> None:
        try:
            with _translated("cancel"):
                self._verify.cancel_verification(ref)
        except CodeExpired:
            pass  # already finished: nothing open to cancel


class _WrongCode(Exception):
    pass


@contextmanager
def _translated(operation: str):
    """Turn the SDK's and requests' exceptions into ours, logging the provider's status."""
    try:
        yield
    except requests.RequestException as exc:
        logger.warning("vonage %s failed: %s", operation, type(exc).__name__)
        raise ProviderUnavailable() from exc
    except HttpRequestError as exc:
        status = exc.response.status_code
        logger.warning("vonage %s failed: status=%s", operation, status)
        if operation == "check" and status == 400:
            raise _WrongCode() from exc
        if operation != "start" and status == 404:
            raise CodeExpired() from exc
        if operation == "check" and status == 410:
            raise TooManyAttempts() from exc
        if operation == "check" and status == 409:
            raise CodeExpired() from exc
        if status == 422:
            raise InvalidPhone() from exc
        if status in (409, 429):
            raise RateLimited(retry_after=RATE_LIMIT_RETRY_AFTER) from exc
        raise ProviderUnavailable() from exc
    except (VonageError, ValidationError) as exc:
        # Raised before any request, e.g. a number the SDK's model refuses.
        logger.warning("vonage %s refused: %s", operation, type(exc).__name__)
        raise InvalidPhone() from exc
