"""The metrics count what happened, once each, with bounded labels; /metrics
shows them only to the bearer of METRICS_TOKEN."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from prometheus_client import REGISTRY

from core.metrics import exposition
from tests.documents import PASSWORD, PHONE, TOKEN_AUTH, VERIFY_TOKEN
from tests.providers.fixtures import TWILIO_AUTH_TOKEN
from twofa.models import Challenge

METRICS_TOKEN = "m" * 40

pytestmark = pytest.mark.django_db


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


class Deltas:
    """Samples before and after: how much each moved."""

    def __init__(self, *samples: tuple[str, dict]):
        self.samples = samples
        self.before = [sample(name, **labels) for name, labels in samples]

    def moved(self) -> list[float]:
        return [
            sample(name, **labels) - before
            for (name, labels), before in zip(self.samples, self.before, strict=True)
        ]


def sent(provider="console", country="US", outcome="sent", channel="sms"):
    labels = {"provider": provider, "channel": channel, "country": country, "outcome": outcome}
    return ("twofa_codes_sent_total", labels)


def challenges(event, purpose="login"):
    return ("twofa_challenges_total", {"purpose": purpose, "event": event})


def verifications(outcome, method="sms"):
    return ("twofa_verifications_total", {"method": method, "outcome": outcome})


def test_a_login_with_a_code_counts_one_send_one_challenge_and_one_verification(
    gql, user_2fa, outbox
):
    deltas = Deltas(
        sent(),
        challenges("started"),
        challenges("verified"),
        verifications("verified"),
        verifications("wrong"),
        (
            "pollstr_graphql_operations_total",
            {"operation_type": "mutation", "field": "verifyToken", "outcome": "ok"},
        ),
    )
    started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    done = gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": outbox.last_code()})
    assert not done.errors
    assert deltas.moved() == [1, 1, 1, 1, 0, 1]


def test_wrong_codes_until_the_challenge_locks(gql, user_2fa, outbox, settings):
    settings.TWOFA_MAX_ATTEMPTS = 2
    deltas = Deltas(
        verifications("wrong"),
        challenges("locked"),
        (
            "pollstr_graphql_operations_total",
            {"operation_type": "mutation", "field": "verifyToken", "outcome": "INVALID_CODE"},
        ),
    )
    started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    wrong = "000000" if outbox.last_code() != "000000" else "111111"
    for _ in range(2):
        gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": wrong})
    assert deltas.moved() == [2, 1, 2]


def test_an_answer_after_the_challenge_expired_counts_as_expired(gql, user_2fa, outbox):
    deltas = Deltas(challenges("expired"), verifications("verified"))
    started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    Challenge.objects.update(expires_at="2000-01-01T00:00:00Z")
    result = gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": outbox.last_code()})
    assert result.codes == ["CODE_EXPIRED"]
    assert deltas.moved() == [1, 0]


def test_the_country_label_is_the_numbers_region_never_its_prefix(gql, user, outbox):
    token = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    deltas = Deltas(sent(country="GB"))
    result = gql(
        "mutation($p: String!) { verifyPhone(phoneNumber: $p) { sent } }",
        {"p": "+447400123456"},
        token=token["token"],
    )
    assert result.data["verifyPhone"]["sent"] is True
    assert deltas.moved() == [1]
    text = exposition().decode()
    assert "+44" not in text and "447400" not in text


def test_send_limit_refusals_count_by_limit_name(gql, user, outbox, settings):
    settings.TWOFA_SEND_LIMIT_PER_PHONE = 1
    token = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    deltas = Deltas(("pollstr_rate_limit_refusals_total", {"limit": "twofa.send.phone.enroll"}))
    document = "mutation($p: String!) { verifyPhone(phoneNumber: $p) { sent } }"
    assert not gql(document, {"p": PHONE}, token=token["token"]).errors
    assert gql(document, {"p": PHONE}, token=token["token"]).codes == ["RATE_LIMITED"]
    assert deltas.moved() == [1]


def test_a_failover_counts_the_failed_send_the_move_and_the_send(gql, user_2fa, failover):
    twilio, vonage = failover
    twilio.stop()
    deltas = Deltas(
        sent("twilio", outcome="failed"),
        sent("vonage"),
        ("twofa_provider_failovers_total", {"from_provider": "twilio", "to_provider": "vonage"}),
        ("twofa_provider_request_seconds_count", {"provider": "twilio", "operation": "start"}),
        ("twofa_provider_request_seconds_count", {"provider": "vonage", "operation": "start"}),
    )
    started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    assert started["codeSent"] is True
    assert deltas.moved() == [1, 1, 1, 1, 1]
    assert sample("twofa_provider_up", provider="twilio") == 0
    assert sample("twofa_provider_up", provider="vonage") == 1


def test_http_requests_count_by_view_and_status_class(client):
    deltas = Deltas(
        ("pollstr_http_requests_total", {"view": "healthz", "status": "2xx"}),
        ("pollstr_http_requests_total", {"view": "unmatched", "status": "4xx"}),
    )
    client.get("/healthz")
    client.get("/no/such/page/12345")
    assert deltas.moved() == [1, 1]
    assert "12345" not in exposition().decode()


def test_metrics_are_not_served_without_a_token_setting(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer anything").status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {METRICS_TOKEN}", "Bearer"])
def test_metrics_refuse_a_missing_or_wrong_token(client, settings, header):
    settings.METRICS_TOKEN = METRICS_TOKEN
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/metrics", **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_metrics_with_the_token_in_prometheus_text_format(client, settings):
    settings.METRICS_TOKEN = METRICS_TOKEN
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {METRICS_TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    body = response.content.decode()
    assert "# TYPE twofa_codes_sent_total counter" in body
    assert "# TYPE twofa_provider_request_seconds histogram" in body
    assert TWILIO_AUTH_TOKEN not in body


def test_a_short_metrics_token_stops_a_production_start(settings):
    settings.DEBUG = False
    settings.METRICS_TOKEN = "short"
    with pytest.raises(SystemCheckError, match="ops.E001"):
        call_command("check")
    settings.METRICS_TOKEN = METRICS_TOKEN
    call_command("check")


def test_a_document_that_fails_validation_counts_with_its_code(client):
    labels = {"operation_type": "none", "field": "none", "outcome": "GRAPHQL_VALIDATION_FAILED"}
    deltas = Deltas(("pollstr_graphql_operations_total", labels))
    response = client.post(
        "/graphql", {"query": "{ noSuchField }"}, content_type="application/json"
    )
    assert response.status_code in (200, 400)
    assert deltas.moved() == [1]
