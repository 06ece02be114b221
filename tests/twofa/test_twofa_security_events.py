"""me.securityEvents: the signed-in user's own audit trail, newest first, page
by page, masked as staff see it and the client address only as its network."""

import json

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.tokens import token_pair_issue
from tests.documents import PASSWORD, PHONE
from twofa.audit import audit_record
from twofa.models import AuditEvent

EVENTS = """
query($first: Int, $after: String) {
  me {
    securityEvents(first: $first, after: $after) {
      edges { cursor node { kind occurredAt method purpose phoneNumber network } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}
"""


def events(gql, token, **variables) -> dict:
    result = gql(EVENTS, variables, token=token)
    assert not result.errors, result.body
    return result.data["me"]["securityEvents"]


def kinds(page: dict) -> list[str]:
    return [edge["node"]["kind"] for edge in page["edges"]]


def verified(user) -> str:
    return token_pair_issue(user, amr=["pwd", "sms"], auth_time=timezone.now()).token


def test_a_login_shows_up_newest_first_and_masked(gql, user_2fa, verified_login):
    token = verified_login()["token"]

    page = events(gql, token)

    assert kinds(page) == ["CODE_VERIFIED", "CODE_SENT"]
    verified_event, sent = (edge["node"] for edge in page["edges"])
    assert verified_event["method"] == "SMS" and verified_event["purpose"] == "LOGIN"
    assert sent["phoneNumber"] == "+1******2671"
    assert sent["network"] == "127.0.0.0/24"
    assert page["pageInfo"]["hasNextPage"] is False


def test_no_full_number_address_or_internal_detail_is_shown(gql, user_2fa):
    admin = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    audit_record(
        AuditEvent.Kind.RESET,
        user=user_2fa,
        phone=PHONE,
        ip="203.0.113.7",
        by_staff=admin.get_username(),
    )
    audit_record(
        AuditEvent.Kind.SEND_FAILED,
        user=user_2fa,
        phone=PHONE,
        ip="2001:db8:1:2::7",
        provider="twilio",
        error="ProviderUnavailable",
    )

    result = gql(EVENTS, token=verified(user_2fa))

    body = json.dumps(result.body)
    for secret in (
        PHONE,
        "203.0.113.7",
        "2001:db8:1:2::7",
        "root",
        "twilio",
        "ProviderUnavailable",
    ):
        assert secret not in body
    networks = [e["node"]["network"] for e in result.data["me"]["securityEvents"]["edges"]]
    assert networks == ["2001:db8:1::/48", "203.0.113.0/24"]


def test_events_are_only_the_callers_own(gql, user_2fa):
    bob = User.objects.create_user(username="bob", password=PASSWORD)
    audit_record(AuditEvent.Kind.ENROLLED, user=bob, phone="+14155550123", ip="198.51.100.1")
    audit_record(AuditEvent.Kind.DISABLED, user=None, ip="198.51.100.1")
    audit_record(AuditEvent.Kind.TOTP_ENROLLED, user=user_2fa)

    assert kinds(events(gql, verified(user_2fa))) == ["TOTP_ENROLLED"]
    assert kinds(events(gql, token_pair_issue(bob, amr=["pwd"]).token)) == ["ENROLLED"]


def test_pages_follow_one_another_without_repeats(gql, user_2fa):
    for _ in range(5):
        audit_record(AuditEvent.Kind.CODE_SENT, user=user_2fa, phone=PHONE)
    token = verified(user_2fa)
    everything = [e["cursor"] for e in events(gql, token, first=5)["edges"]]

    seen, after = [], None
    while True:
        page = events(gql, token, first=2, after=after)
        seen += [e["cursor"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert seen == everything and len(set(seen)) == 5
    assert page["pageInfo"]["hasPreviousPage"] is False


def test_an_event_recorded_while_paging_does_not_shift_the_pages(gql, user_2fa):
    for _ in range(3):
        audit_record(AuditEvent.Kind.CODE_SENT, user=user_2fa, phone=PHONE)
    token = verified(user_2fa)
    first = events(gql, token, first=2)

    audit_record(AuditEvent.Kind.WRONG_CODE, user=user_2fa, phone=PHONE)
    second = events(gql, token, first=2, after=first["pageInfo"]["endCursor"])

    assert kinds(second) == ["CODE_SENT"]
    assert second["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize(
    "variables",
    [{"first": 0}, {"first": 101}, {"after": "not-a-cursor"}, {"after": "W10="}],
)
def test_bad_page_arguments_are_refused(gql, user_2fa, variables):
    result = gql(EVENTS, variables, token=verified(user_2fa))

    assert result.codes == ["BAD_USER_INPUT"]


def test_without_a_full_login_no_events_are_shown(gql, user_2fa):
    audit_record(AuditEvent.Kind.CODE_SENT, user=user_2fa, phone=PHONE)

    assert gql(EVENTS).data == {"me": None}
    assert gql(EVENTS, token="not-a-token").codes == ["UNAUTHENTICATED"]
    password_only = token_pair_issue(user_2fa, amr=["pwd"]).token
    assert gql(EVENTS, token=password_only).codes == ["TWO_FACTOR_REQUIRED"]


def test_a_page_is_read_in_one_query(gql, user_2fa, django_assert_max_num_queries):
    for _ in range(20):
        audit_record(AuditEvent.Kind.CODE_SENT, user=user_2fa, phone=PHONE)
    token = verified(user_2fa)

    # The token's user, whether a full login needs 2FA, then the page itself.
    with django_assert_max_num_queries(3):
        page = events(gql, token, first=20)

    assert len(page["edges"]) == 20
