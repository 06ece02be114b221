"""Fixtures that point the app at the local provider stand-ins (tests/providers/standins.py)."""

import pytest

from tests.providers.standins import TwilioVerify, VonageVerify

TWILIO_ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
TWILIO_AUTH_TOKEN = "twilio-test-auth-token-4f1c"
TWILIO_VERIFY_SERVICE_SID = "VA" + "fedcba9876543210" * 2
VONAGE_API_KEY = "vonage-test-key"
VONAGE_API_SECRET = "vonage-test-secret-9d2e"
# Short, so a hung stand-in costs a test one second.
PROVIDER_TIMEOUT = 1


@pytest.fixture
def twilio_api(settings):
    """The Twilio Verify stand-in, configured as the only provider."""
    api = TwilioVerify(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_VERIFY_SERVICE_SID).start()
    settings.TWOFA_PROVIDER = "twilio"
    settings.TWOFA_PROVIDER_TIMEOUT = PROVIDER_TIMEOUT
    settings.TWILIO_ACCOUNT_SID = TWILIO_ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = TWILIO_AUTH_TOKEN
    settings.TWILIO_VERIFY_SERVICE_SID = TWILIO_VERIFY_SERVICE_SID
    settings.TWILIO_API_BASE_URL = api.url
    yield api
    api.stop()


@pytest.fixture
def vonage_api(settings):
    """The Vonage Verify stand-in, configured as the only provider."""
    api = VonageVerify(VONAGE_API_KEY, VONAGE_API_SECRET).start()
    settings.TWOFA_PROVIDER = "vonage"
    settings.TWOFA_PROVIDER_TIMEOUT = PROVIDER_TIMEOUT
    settings.VONAGE_API_KEY = VONAGE_API_KEY
    settings.VONAGE_API_SECRET = VONAGE_API_SECRET
    settings.VONAGE_BRAND = "Pollstr"
    settings.VONAGE_API_HOST = api.url
    yield api
    api.stop()


@pytest.fixture
def failover(settings, twilio_api, vonage_api):
    """`twilio,vonage`: Twilio first, Vonage when Twilio is unavailable."""
    settings.TWOFA_PROVIDER = "twilio,vonage"
    return twilio_api, vonage_api


SECRETS = (TWILIO_AUTH_TOKEN, VONAGE_API_SECRET)
CREDENTIALS = ((TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN), (VONAGE_API_KEY, VONAGE_API_SECRET))
