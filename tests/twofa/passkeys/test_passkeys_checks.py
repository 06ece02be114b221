"""The WebAuthn settings' system checks: what can never work, and what production needs."""

import pytest

from twofa.checks import check_twofa_settings, check_webauthn, check_webauthn_deploy


def ids(messages):
    return [m.id for m in messages]


def test_the_development_defaults_pass(settings):
    settings.DEBUG = True
    settings.WEBAUTHN_RP_ID = "localhost"
    settings.WEBAUTHN_ALLOWED_ORIGINS = []
    assert check_webauthn(None) == []
    assert check_webauthn_deploy(None) == []


@pytest.mark.parametrize(
    "rp_id", ["127.0.0.1", "::1", "", "https://example.com", "example.com:443"]
)
def test_an_rp_id_that_is_not_a_domain_is_an_error(settings, rp_id):
    settings.WEBAUTHN_RP_ID = rp_id
    assert ids(check_webauthn(None)) == ["twofa.E020"]


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "https://example.com.evil.example",
        "example.com",
        "https://example.com/app",
    ],
)
def test_origins_must_be_origins_on_the_rp_id(settings, origin):
    settings.WEBAUTHN_RP_ID = "example.com"
    settings.WEBAUTHN_ALLOWED_ORIGINS = [origin]
    assert ids(check_webauthn(None)) == ["twofa.E021"]


def test_subdomains_and_ports_are_fine(settings):
    settings.WEBAUTHN_RP_ID = "example.com"
    settings.WEBAUTHN_ALLOWED_ORIGINS = ["https://example.com", "https://app.example.com:8443"]
    assert check_webauthn(None) == []


def test_production_warns_while_passkeys_are_not_set_up(settings):
    settings.DEBUG = False
    settings.WEBAUTHN_RP_ID = "localhost"
    settings.WEBAUTHN_ALLOWED_ORIGINS = []
    assert ids(check_webauthn_deploy(None)) == ["twofa.W003"]
    settings.WEBAUTHN_RP_ID = "example.com"
    assert ids(check_webauthn_deploy(None)) == ["twofa.W003"]


def test_production_refuses_plain_http_origins(settings):
    settings.DEBUG = False
    settings.WEBAUTHN_RP_ID = "example.com"
    settings.WEBAUTHN_ALLOWED_ORIGINS = ["http://example.com"]
    assert ids(check_webauthn_deploy(None)) == ["twofa.E022"]
    settings.WEBAUTHN_ALLOWED_ORIGINS = ["https://example.com"]
    assert check_webauthn_deploy(None) == []


def test_a_negative_passwordless_limit_is_an_error(settings):
    settings.WEBAUTHN_LOGIN_LIMIT_PER_IP = -1
    assert ids(check_twofa_settings(None)) == ["twofa.E004"]
