"""Support staff see 2FA state in the admin and can reset it for a user who lost their phone."""

from django.core.management import call_command
from django.urls import reverse

from accounts.models import RefreshToken, User
from polls.models import Poll
from tests.documents import PASSWORD, TOKEN_AUTH
from twofa.models import AuditEvent, Challenge, PhoneNumber


def test_the_user_list_shows_2fa_state(staff_client, user_2fa):
    page = staff_client.get(reverse("admin:accounts_user_changelist"))
    assert page.status_code == 200
    assert b"2FA" in page.content
    assert b"alice" in page.content


def test_the_admin_shows_challenges_with_masked_numbers(staff_client, gql, user_2fa, outbox):
    gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})
    challenge = Challenge.objects.get(user=user_2fa)

    listing = staff_client.get(reverse("admin:twofa_challenge_changelist"))
    detail = staff_client.get(reverse("admin:twofa_challenge_change", args=[challenge.pk]))

    for page in (listing, detail):
        assert page.status_code == 200
        assert b"+1******2671" in page.content
        assert b"4155552671" not in page.content
        assert outbox.last_code().encode() not in page.content


def test_the_admin_lists_polls(staff_client, poll):
    page = staff_client.get(reverse("admin:polls_poll_changelist"))
    assert page.status_code == 200
    assert b"Tea or coffee?" in page.content


def test_reset_two_factor_for_a_lost_phone(staff_client, gql, user_2fa, outbox, verified_login):
    session = verified_login()
    gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})  # a pending challenge

    response = staff_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [user_2fa.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert b"was reset for 1 user" in response.content
    reset = AuditEvent.objects.get(kind=AuditEvent.Kind.RESET)
    assert reset.user == user_2fa
    assert reset.detail["by_staff"] == "root"
    assert not PhoneNumber.objects.filter(user=user_2fa).exists()
    assert not Challenge.objects.filter(status=Challenge.Status.PENDING).exists()
    assert not RefreshToken.objects.filter(user=user_2fa, revoked_at__isnull=True).exists()
    refresh = gql(
        "mutation($r: String!) { refreshToken(refreshToken: $r) { token } }",
        {"r": session["refreshToken"]},
    )
    assert refresh.codes == ["INVALID_REFRESH_TOKEN"]
    login = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})
    assert login.data["tokenAuth"]["twoFactorRequired"] is False


def test_seed_demo_is_idempotent(gql, db):
    call_command("seed_demo")
    call_command("seed_demo")

    assert User.objects.filter(username="test").count() == 1
    assert Poll.objects.count() == 1
    assert Poll.objects.get().choices.count() == 3
    login = gql(TOKEN_AUTH, {"username": "test", "password": "test1234"})
    assert login.data["tokenAuth"]["twoFactorRequired"] is False
