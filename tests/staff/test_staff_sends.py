"""Staff's view of sends and fraud: the numbers come from the daily rollups the
send path keeps, the charts are SVG under the admin's policy, and a country or
prefix blocked there stops codes at once, through /graphql, until lifted."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from tests.documents import PASSWORD, PHONE, TOKEN_AUTH, VERIFY_TOKEN
from tests.twofa.test_twofa_limits import token_for
from twofa.models import AuditEvent, RefusalRollup, SendBlock, SendRollup, SendSourceRollup

SENDS = "/admin/twofa/sendrollup/"
RESEND = "mutation($c: String!) { resendCode(challenge: $c) { sent } }"
VERIFY_PHONE = "mutation($p: String!) { verifyPhone(phoneNumber: $p) { sent } }"
SIERRA_LEONE = "+23276123456"
UK_MOBILE = "+447400123456"


def table(page: str, table_id: str) -> list[list[str]]:
    """The body rows of a table on the page, as cell texts."""
    body = re.search(rf'<table id="{table_id}">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def days_ago(n: int):
    return timezone.now().date() - timedelta(days=n)


@pytest.fixture
def seeded(db):
    today, yesterday, old = days_ago(0), days_ago(1), days_ago(20)
    for day, country, provider, channel, sent, verified, failed in [
        (today, "US", "twilio", "sms", 10, 8, 1),
        (today, "US", "twilio", "call", 2, 1, 0),
        (today, "SL", "vonage", "sms", 40, 0, 3),
        (yesterday, "GB", "twilio", "sms", 4, 4, 0),
        (old, "US", "twilio", "sms", 100, 90, 0),
    ]:
        SendRollup.objects.create(
            day=day,
            country=country,
            provider=provider,
            channel=channel,
            sent=sent,
            verified=verified,
            failed=failed,
        )
    for day, prefix, network, sent, verified in [
        (today, "+232761", "203.0.113.9", 30, 0),
        (yesterday, "+232761", "198.51.100.7", 10, 0),
        (today, "+141555", "198.51.100.7", 12, 9),
        (today, "+447400", "2001:db8::/64", 4, 4),
        (old, "+999999", "192.0.2.1", 500, 0),
    ]:
        SendSourceRollup.objects.create(
            day=day, prefix=prefix, network=network, sent=sent, verified=verified
        )
    RefusalRollup.objects.create(day=today, limit="send", refused=7)
    RefusalRollup.objects.create(day=yesterday, limit="backoff", refused=2)
    RefusalRollup.objects.create(day=old, limit="send", refused=50)


def test_the_report_adds_up_the_seeded_rollups(staff_client, seeded):
    page = staff_client.get(SENDS).content.decode()

    today, yesterday = f"{days_ago(0):%Y-%m-%d}", f"{days_ago(1):%Y-%m-%d}"
    assert table(page, "by-country") == [
        [today, "SL", "vonage", "40", "0", "3", "0%"],
        [today, "US", "twilio", "12", "9", "1", "75%"],
        [yesterday, "GB", "twilio", "4", "4", "0", "100%"],
    ]
    per_day = table(page, "per-day")
    assert len(per_day) == 7
    assert per_day[-1] == [today, "52", "9", "4", "17%"]
    assert per_day[-2] == [yesterday, "4", "4", "0", "100%"]
    assert per_day[0][1:] == ["0", "0", "0", "–"]
    assert table(page, "prefixes") == [["+232761", "40", "0", "40"], ["+141555", "12", "9", "3"]]
    assert table(page, "networks") == [
        ["203.0.113.9", "30", "0", "30"],
        ["198.51.100.7", "22", "9", "13"],
    ]
    assert table(page, "refusals") == [["send", "7"], ["backoff", "2"]]


def test_thirty_days_reach_further_back(staff_client, seeded):
    page = staff_client.get(SENDS, {"days": 30}).content.decode()

    assert len(table(page, "per-day")) == 30
    assert table(page, "prefixes")[0] == ["+999999", "500", "0", "500"]
    assert table(page, "refusals") == [["send", "57"], ["backoff", "2"]]


def test_the_charts_are_svg_with_the_numbers_and_no_script_or_inline_style(
    staff_client, seeded, settings
):
    response = staff_client.get(SENDS)
    page = response.content.decode()

    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert page.count('<svg class="chart"') == 3
    assert "<title>+232761 unverified: 40</title>" in page
    assert f"<title>{days_ago(0):%m-%d} sent: 52</title>" in page
    assert "style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)


def test_a_login_and_a_refusal_through_graphql_show_up_in_the_report(
    gql, staff_client, user_2fa, outbox
):
    started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    assert not gql(
        VERIFY_TOKEN, {"challenge": started["challenge"], "code": outbox.last_code()}
    ).errors
    again = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    assert gql(RESEND, {"c": again["challenge"]}).codes == ["RATE_LIMITED"]  # the cooldown

    page = staff_client.get(SENDS).content.decode()

    assert table(page, "by-country") == [
        [f"{days_ago(0):%Y-%m-%d}", "US", "console", "2", "1", "0", "50%"]
    ]
    # The second login's code was never answered.
    assert table(page, "prefixes") == [["+141555", "2", "1", "1"]]
    assert table(page, "networks") == [["127.0.0.1", "2", "1", "1"]]
    assert table(page, "refusals") == [["resend_cooldown", "1"]]


def _staff_with(client, *perms: str) -> User:
    """Sign a non-superuser staff member with these permissions in to the admin."""
    member = User.objects.create_user("pat", password=PASSWORD, is_staff=True)
    for perm in perms:
        member.user_permissions.add(Permission.objects.get(codename=perm))
    device = TOTPDevice.objects.create(user=member, name="app", confirmed=True)
    started = client.post("/admin/login/", {"username": "pat", "password": PASSWORD})
    code = f"{totp(device.bin_key):06d}"
    client.post(started["Location"], {"code": code, "method": "totp", "action": "verify"})
    return member


def test_staff_without_the_permission_do_not_see_it(client, seeded):
    _staff_with(client)

    assert client.get(SENDS).status_code == 403


def test_viewing_does_not_allow_blocking(client, seeded):
    _staff_with(client, "view_sendrollup")

    page = client.get(SENDS)
    refused = client.post(
        SENDS, {"action": "block", "kind": "country", "value": "SL", "reason": "x"}
    )

    assert page.status_code == 200 and 'id="block-form"' not in page.content.decode()
    assert refused.status_code == 403
    assert not SendBlock.objects.exists()


def _block(client, captured, **form):
    with captured(execute=True):
        return client.post(SENDS, {"action": "block", **form}, follow=True)


def test_a_blocked_prefix_refuses_enrollment_until_lifted(
    gql, staff_client, user, outbox, django_capture_on_commit_callbacks
):
    token = token_for(user)
    # A send first: the send path has the (empty) block list cached.
    assert gql(VERIFY_PHONE, {"p": UK_MOBILE}, token=token).data["verifyPhone"]["sent"]

    done = _block(
        staff_client,
        django_capture_on_commit_callbacks,
        kind="prefix",
        value="+232 76",
        reason="pumping",
    )
    refused = gql(VERIFY_PHONE, {"p": SIERRA_LEONE}, token=token)
    other = gql(VERIFY_PHONE, {"p": "+23288123456"}, token=token)

    assert "no longer sent to Number prefix +23276" in done.content.decode()
    assert refused.codes == ["INVALID_PHONE"]
    assert refused.error["message"] == "Codes can't be sent to this number."
    assert other.data["verifyPhone"]["sent"] is True
    assert [m["to"] for m in outbox.messages()] == [UK_MOBILE, "+23288123456"]
    block = SendBlock.objects.get()
    assert (block.kind, block.value, block.reason, block.created_by.username) == (
        "prefix",
        "+23276",
        "pumping",
        "root",
    )
    added = AuditEvent.objects.get(kind=AuditEvent.Kind.SEND_BLOCK_ADDED)
    assert added.detail["value"] == "+23276" and added.detail["by_staff"] == "root"

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(SENDS, {"action": "unblock", "block": block.pk})

    assert gql(VERIFY_PHONE, {"p": SIERRA_LEONE}, token=token).data["verifyPhone"]["sent"] is True
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SEND_BLOCK_REMOVED).count() == 1
    assert not SendBlock.objects.exists()


def test_a_blocked_country_stops_login_codes_with_the_country_policy_message(
    gql, staff_client, user_2fa, outbox, django_capture_on_commit_callbacks
):
    _block(
        staff_client, django_capture_on_commit_callbacks, kind="country", value="us", reason="bill"
    )

    started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]

    assert started["codeSent"] is False
    assert started["codeNotSentReason"] == "PHONE_REFUSED"
    assert outbox.messages() == []
    bob = User.objects.create_user("bob", password=PASSWORD)
    refused = gql(VERIFY_PHONE, {"p": PHONE}, token=token_for(bob))
    assert refused.codes == ["INVALID_PHONE"]
    assert refused.error["message"] == "Codes can't be sent to numbers in this country."


@pytest.mark.parametrize(
    ("kind", "value"), [("country", "UK"), ("prefix", "44"), ("prefix", "+0"), ("planet", "Mars")]
)
def test_a_bad_block_is_refused_and_nothing_is_saved(
    staff_client, db, kind, value, django_capture_on_commit_callbacks
):
    page = _block(
        staff_client, django_capture_on_commit_callbacks, kind=kind, value=value, reason="x"
    )

    assert 'class="error"' in page.content.decode()
    assert not SendBlock.objects.exists()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.SEND_BLOCK_ADDED).exists()


def test_the_same_block_twice_is_refused(staff_client, db, django_capture_on_commit_callbacks):
    _block(staff_client, django_capture_on_commit_callbacks, kind="country", value="SL", reason="x")
    again = _block(
        staff_client, django_capture_on_commit_callbacks, kind="country", value="SL", reason="y"
    )

    assert "SL is already blocked." in again.content.decode()
    assert SendBlock.objects.count() == 1


def test_the_admin_index_links_to_it(staff_client):
    index = staff_client.get("/admin/").content.decode()

    assert f'<a href="{SENDS}"' in index and "Sends and fraud" in index
