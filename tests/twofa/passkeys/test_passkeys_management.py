"""Managing passkeys: list, rename, remove (step-up; the last factor turns 2FA off), the admin."""

from django.utils import timezone

from tests.documents import PHONE
from tests.twofa.passkeys.authenticator import SoftAuthenticator
from tests.twofa.passkeys.conftest import ME, REG_COMPLETE
from twofa.models import AuditEvent, MethodPreference, Passkey, PhoneNumber
from twofa.services import twofa_disable

RENAME = """
mutation($id: ID!, $name: String!) { passkeyRename(id: $id, name: $name) { passkey { id name } } }
"""
REMOVE = """
mutation($id: ID!) {
  passkeyRemove(id: $id) {
    token claims { amr }
    user { twoFactor { enabled methods preferredMethod passkeys { id } } }
  }
}
"""


def registered(register, token, authenticator, name="Laptop"):
    done = register(token, authenticator, name=name)
    assert not done.errors, done.body
    return done.data["passkeyRegistrationComplete"]


def test_rename(gql, user, password_token, register, authenticator):
    first = registered(register, password_token()["token"], authenticator)
    renamed = gql(
        RENAME, {"id": first["passkey"]["id"], "name": "Work laptop"}, token=first["token"]
    )
    assert renamed.data["passkeyRename"]["passkey"]["name"] == "Work laptop"
    assert Passkey.objects.get().name == "Work laptop"
    assert gql(RENAME, {"id": first["passkey"]["id"], "name": ""}, token=first["token"]).codes == [
        "BAD_USER_INPUT"
    ]


def test_another_users_passkey_is_not_found(gql, user, password_token, register, authenticator):
    from accounts.models import User
    from tests.documents import PASSWORD

    mine = registered(register, password_token()["token"], authenticator)
    User.objects.create_user(username="bob", password=PASSWORD)
    bobs = registered(register, password_token("bob")["token"], SoftAuthenticator())
    for document, variables in (
        (RENAME, {"id": bobs["passkey"]["id"], "name": "Mine now"}),
        (REMOVE, {"id": bobs["passkey"]["id"]}),
        (REMOVE, {"id": "not-a-number"}),
    ):
        assert gql(document, variables, token=mine["token"]).codes == ["NOT_FOUND"]
    assert Passkey.objects.count() == 2


def test_removing_one_of_two_keeps_2fa_and_ends_other_sessions(
    gql, user, password_token, register, authenticator
):
    first = registered(register, password_token()["token"], authenticator)
    second = registered(register, first["token"], SoftAuthenticator(), name="Phone")
    removed = gql(REMOVE, {"id": first["passkey"]["id"]}, token=second["token"])
    assert not removed.errors, removed.body
    answer = removed.data["passkeyRemove"]
    assert answer["user"]["twoFactor"]["enabled"] is True
    assert [p["id"] for p in answer["user"]["twoFactor"]["passkeys"]] == [second["passkey"]["id"]]
    assert gql(ME, token=second["token"]).codes == ["UNAUTHENTICATED"]
    assert not gql(ME, token=answer["token"]).errors
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSKEY_REMOVED).count() == 1


def test_removing_the_last_factor_turns_2fa_off(gql, user, password_token, register, authenticator):
    done = registered(register, password_token()["token"], authenticator)
    removed = gql(REMOVE, {"id": done["passkey"]["id"]}, token=done["token"])
    assert not removed.errors, removed.body
    two_factor = removed.data["passkeyRemove"]["user"]["twoFactor"]
    assert two_factor == {"enabled": False, "methods": [], "preferredMethod": None, "passkeys": []}
    # Tokens from before the removal stop working.
    assert gql(ME, token=done["token"]).codes == ["UNAUTHENTICATED"]
    assert not MethodPreference.objects.exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DISABLED).count() == 1


def test_removing_the_passkey_of_a_phone_user_falls_back_to_sms(
    gql, user, password_token, register, authenticator
):
    done = registered(register, password_token()["token"], authenticator)
    PhoneNumber.objects.create(user=user, number=PHONE, verified_at=timezone.now())
    removed = gql(REMOVE, {"id": done["passkey"]["id"]}, token=done["token"])
    two_factor = removed.data["passkeyRemove"]["user"]["twoFactor"]
    assert two_factor["enabled"] is True
    assert two_factor["preferredMethod"] == "SMS"
    assert PhoneNumber.objects.filter(user=user).exists()


def test_removal_needs_a_recent_second_factor(
    gql, user, password_token, register, authenticator, settings
):
    done = registered(register, password_token()["token"], authenticator)
    settings.TWOFA_STEP_UP_MAX_AGE = 0
    assert gql(REMOVE, {"id": done["passkey"]["id"]}, token=done["token"]).codes == [
        "TWO_FACTOR_REQUIRED"
    ]
    assert Passkey.objects.exists()


def test_a_password_only_token_cannot_add_a_passkey_once_2fa_is_on(
    gql, user_2fa, password_token, authenticator
):
    from accounts.tokens import token_pair_issue

    token = token_pair_issue(user_2fa, amr=["pwd"]).token
    begun = gql("mutation { passkeyRegistrationBegin { options } }", token=token)
    assert begun.codes == ["TWO_FACTOR_REQUIRED"]
    done = gql(REG_COMPLETE, {"name": "x", "credential": {"id": "x"}}, token=token)
    assert done.codes == ["TWO_FACTOR_REQUIRED"]


def test_the_staff_reset_removes_passkeys(passkey_user, db):
    from accounts.models import User

    staff = User.objects.create_superuser("root", "root@example.com", "x")
    twofa_disable(passkey_user, by_staff=staff)
    assert not Passkey.objects.exists()


def test_the_admin_lists_passkeys_without_key_material(staff_client, passkey_user, authenticator):
    page = staff_client.get(f"/admin/accounts/user/{passkey_user.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Laptop" in html and "Device-bound key" in html
    assert authenticator.id not in html
    listed = staff_client.get("/admin/accounts/user/?two_factor=on").content.decode()
    assert "alice" in listed
