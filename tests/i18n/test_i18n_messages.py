"""Messages in the caller's language: Accept-Language, or the signed-in user's own
choice; `extensions.code` is the same in every language."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.checks import check_languages
from accounts.models import User
from tests.documents import PASSWORD, TOKEN_AUTH, VERIFY_TOKEN

GERMAN = {"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}

ME = "{ me { username language } }"
SET_LANGUAGE = """
mutation($language: LanguageCode) { setLanguage(language: $language) { user { language } } }
"""
RESEND = "mutation($challenge: String!) { resendCode(challenge: $challenge) { sent } }"
REGISTER = """
mutation($username: String!, $password: String!) {
  register(username: $username, password: $password) { user { id } }
}
"""


def both(gql, query, variables=None, **kwargs):
    """The same request in English and in German."""
    english = gql(query, variables, headers=ENGLISH, **kwargs)
    german = gql(query, variables, headers=GERMAN, **kwargs)
    return english, german


def assert_translated(english, german, code):
    assert english.codes == german.codes == [code], (english.body, german.body)
    assert english.error["message"] != german.error["message"]
    return english.error["message"], german.error["message"]


def test_an_answer_says_its_language_and_that_it_varies_with_accept_language(gql, db):
    english, german = both(gql, "{ polls { id } }")

    assert english.headers["Content-Language"] == "en"
    assert german.headers["Content-Language"] == "de"
    assert "Accept-Language" in german.headers["Vary"]


def test_a_language_we_dont_speak_answers_in_english(gql, db):
    result = gql("{ me { id } }", token="x", headers={"Accept-Language": "ja"})

    assert result.headers["Content-Language"] == "en"
    assert result.error["message"] == "The token is invalid."


def test_unauthenticated_is_translated_and_keeps_its_code(gql, db):
    _, german = assert_translated(*both(gql, "{ me { id } }", token="x"), "UNAUTHENTICATED")
    assert german == "Das Token ist ungültig."


def test_bad_user_input_is_translated_with_its_fields(gql, db):
    english, german = both(gql, REGISTER, {"username": "bob", "password": "short"})

    assert_translated(english, german, "BAD_USER_INPUT")
    assert german.error["message"] == "Das Konto konnte nicht angelegt werden."
    # Django's own validators answer in the same language.
    assert (
        english.error["extensions"]["fields"]["password"]
        != (german.error["extensions"]["fields"]["password"])
    )


def test_a_wrong_code_is_translated_and_keeps_its_code_and_attempts(gql, user_2fa, outbox):
    challenge = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    wrong = f"{(int(outbox.last_code()) + 1) % 10**6:06d}"
    variables = {"challenge": challenge["challenge"], "code": wrong}

    english, german = both(gql, VERIFY_TOKEN, variables)

    assert_translated(english, german, "INVALID_CODE")
    assert german.error["message"] == "Der Code ist nicht korrekt."
    assert (
        german.error["extensions"]["attemptsLeft"]
        == english.error["extensions"]["attemptsLeft"] - 1
    )


def test_rate_limited_is_translated_and_keeps_retry_after(gql, user_2fa, outbox):
    started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]

    english, german = both(gql, RESEND, {"challenge": started["challenge"]})

    assert_translated(english, german, "RATE_LIMITED")
    assert german.error["message"] == "Warten Sie, bevor Sie einen weiteren Code anfordern."
    assert german.error["extensions"]["retryAfter"] > 0


def test_the_two_factor_answer_of_token_auth_is_in_the_requests_language(gql, user_2fa, outbox):
    variables = {"username": "alice", "password": PASSWORD}

    english = gql(TOKEN_AUTH, variables, headers=ENGLISH).data["tokenAuth"]
    german = gql(TOKEN_AUTH, variables, headers=GERMAN).data["tokenAuth"]

    assert english["message"] == "A verification code was sent to +1******2671."
    assert german["message"] == "Ein Bestätigungscode wurde an +1******2671 gesendet."


def test_a_request_error_is_translated_and_keeps_its_code_and_status(client, db):
    answers = [
        client.post("/graphql", data="{", content_type="application/json", headers=headers)
        for headers in (ENGLISH, GERMAN)
    ]

    assert [a.status_code for a in answers] == [400, 400]
    english, german = (a.json()["errors"][0] for a in answers)
    assert english["extensions"] == german["extensions"] == {"code": "BAD_REQUEST"}
    assert german["message"] == "Der Inhalt der Anfrage ist kein gültiges JSON."


def test_a_limit_message_is_translated_even_when_the_document_is_cached(gql, db, settings):
    settings.GRAPHQL_MAX_DEPTH = 2
    deep = "{ me { twoFactor { methods } } }"

    first_english, first_german = both(gql, deep)
    again_english, again_german = both(gql, deep)

    assert_translated(first_english, first_german, "QUERY_TOO_COMPLEX")
    assert again_english.error["message"] == first_english.error["message"]
    assert again_german.error["message"] == first_german.error["message"]


def test_a_user_sets_their_language_and_reads_it_back(gql, user, password_token):
    token = password_token()["token"]
    assert gql(ME, token=token).data["me"]["language"] is None

    result = gql(SET_LANGUAGE, {"language": "DE"}, token=token)

    assert not result.errors, result.body
    assert result.data["setLanguage"]["user"]["language"] == "DE"
    assert gql(ME, token=token).data["me"]["language"] == "DE"
    assert User.objects.get(pk=user.pk).language == "de"
    cleared = gql(SET_LANGUAGE, {"language": None}, token=token)
    assert cleared.data["setLanguage"]["user"]["language"] is None
    assert User.objects.get(pk=user.pk).language == ""


def test_a_language_we_dont_offer_is_bad_user_input(gql, user, password_token):
    token = password_token()["token"]

    result = gql(SET_LANGUAGE, {"language": "XX"}, token=token)

    assert result.codes == ["BAD_USER_INPUT"]
    assert User.objects.get(pk=user.pk).language == ""


def test_setting_a_language_needs_a_login(gql, db):
    assert gql(SET_LANGUAGE, {"language": "DE"}).codes == ["UNAUTHENTICATED"]


def test_the_users_own_language_wins_over_accept_language(gql, user, password_token):
    token = password_token()["token"]
    User.objects.filter(pk=user.pk).update(language="de")

    result = gql('mutation { vote(choiceId: "1") { poll { id } } }', token=token, headers=ENGLISH)

    assert result.headers["Content-Language"] == "de"
    assert result.codes == ["TWO_FACTOR_REQUIRED"]
    assert result.error["message"] == (
        "Ein mit einem zweiten Faktor bestätigtes Token ist erforderlich."
    )


def test_a_stale_token_falls_back_to_accept_language(gql, db):
    result = gql("{ polls { id } }", token="stale", headers=GERMAN)

    assert result.headers["Content-Language"] == "de"
    assert not result.errors


def test_a_default_language_we_dont_offer_is_refused_by_a_check(settings):
    settings.LANGUAGE_CODE = "fr"

    assert [e.id for e in check_languages(None)] == ["accounts.E002"]


def test_a_language_offered_without_a_catalog_is_warned_about(settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("fr", "Français")]

    assert [e.id for e in check_languages(None)] == ["accounts.W004"]
    settings.LANGUAGES = settings.LANGUAGES[:-1]
    assert check_languages(None) == []


def test_the_admins_second_step_speaks_the_browsers_language(client, db):
    admin = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    started = client.post("/admin/login/", {"username": "root", "password": PASSWORD})

    page = client.get(started["Location"], headers={"Accept-Language": "de"})

    assert page["Content-Language"] == "de"
    text = page.content.decode()
    assert "Geben Sie den Code aus Ihrer Authenticator-App ein." in text
    assert ">Bestätigen</button>" in text
    wrong = client.post(
        started["Location"],
        {"code": f"{(totp(device.bin_key) + 1) % 10**6:06d}", "method": "totp", "action": "verify"},
        headers={"Accept-Language": "de"},
    )
    assert "Der Code ist nicht korrekt. Noch 4 Versuche." in wrong.content.decode()
