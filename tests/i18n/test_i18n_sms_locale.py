"""SMS and voice codes in the user's language: their own if they chose one, else
the language of the request that asked for the code. Each provider gets it in its
own code, and a language it lacks falls back to its default."""

import pytest
from django.conf import settings

from accounts.models import User
from tests.documents import PASSWORD, TOKEN_AUTH
from tests.providers.standins import TWILIO_LOCALES, VONAGE_LOCALES
from twofa.providers.twilio import twilio_locale
from twofa.providers.vonage import vonage_locale

GERMAN = {"Accept-Language": "de"}
ENGLISH = {"Accept-Language": "en"}
RESEND = "mutation($challenge: String!) { resendCode(challenge: $challenge) { sent } }"


def sign_in(gql, headers=None):
    result = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}, headers=headers)
    return result.data["tokenAuth"]


def test_the_console_outbox_records_the_requests_language(gql, user_2fa, outbox):
    sign_in(gql, GERMAN)
    assert outbox.last()["locale"] == "de"

    sign_in(gql, ENGLISH)
    assert outbox.last()["locale"] == "en"


def test_without_accept_language_the_sms_is_in_the_default_language(gql, user_2fa, outbox):
    sign_in(gql)

    assert outbox.last()["locale"] == settings.LANGUAGE_CODE == "en"


def test_the_users_own_language_wins_over_the_requests(gql, user_2fa, outbox):
    User.objects.filter(pk=user_2fa.pk).update(language="de")

    sign_in(gql, ENGLISH)

    assert outbox.last()["locale"] == "de"


def test_twilio_is_asked_for_the_message_in_german(gql, user_2fa, twilio_api):
    started = sign_in(gql, GERMAN)

    assert started["codeSent"] is True
    assert twilio_api.of("start")[-1].body["Locale"] == "de"
    assert twilio_api.messages[-1].locale == "de"


def test_vonage_is_asked_for_the_message_in_german(gql, user_2fa, vonage_api):
    started = sign_in(gql, GERMAN)

    assert started["codeSent"] is True
    assert vonage_api.of("start")[-1].body["locale"] == "de-de"
    assert vonage_api.messages[-1].locale == "de-de"


def test_a_resend_keeps_the_users_language(gql, user_2fa, vonage_api, settings):
    settings.TWOFA_RESEND_COOLDOWN = 0
    User.objects.filter(pk=user_2fa.pk).update(language="de")
    started = sign_in(gql, ENGLISH)

    result = gql(RESEND, {"challenge": started["challenge"]}, headers=ENGLISH)

    assert result.data["resendCode"]["sent"] is True, result.body
    assert [m.locale for m in vonage_api.messages] == ["de-de", "de-de"]


@pytest.mark.parametrize(
    ("ours", "twilio"),
    [("en", "en"), ("de", "de"), ("de-at", "de"), ("pt-br", "pt-BR"), ("zh-hk", "zh-HK"),
     ("fr", "fr"), ("xx", "en"), ("", "en")],
)  # fmt: skip
def test_our_languages_in_twilios_codes_with_english_as_the_fallback(ours, twilio):
    assert twilio_locale(ours) == twilio


@pytest.mark.parametrize(
    ("ours", "vonage"),
    [("en", "en-us"), ("de", "de-de"), ("de-at", "de-de"), ("fr", "fr-fr"), ("pt-br", "pt-br"),
     ("pt", "pt-pt"), ("en-gb", "en-gb"), ("nl", "en-us"), ("", "en-us")],
)  # fmt: skip
def test_our_languages_in_vonages_closed_list_with_en_us_as_the_fallback(ours, vonage):
    assert vonage_locale(ours).value == vonage


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_every_language_we_offer_is_one_each_provider_accepts(language):
    assert twilio_locale(language) in TWILIO_LOCALES
    assert vonage_locale(language).value in VONAGE_LOCALES
    assert twilio_locale(language).split("-")[0] == language.split("-")[0]
    assert vonage_locale(language).value.split("-")[0] == language.split("-")[0]
