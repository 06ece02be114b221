"""Passkeys (WebAuthn): a phishing-resistant second factor, and a credential of its own.

Nothing is sent: a login challenge that offers passkeys carries a WebAuthn
challenge (Challenge.webauthn_challenge) and tokenAuth hands out the request
options for it; the browser's assertion is the "code" verifyToken checks, with
the same attempts, back-off and audit as any other method. A registration is a
challenge of its own (purpose PASSKEY_SETUP) answered by the new credential.

Verification is py_webauthn's (twofa.webauthn); the passkey row is locked
while its counter is compared and moved, so two logins racing with copies of
one assertion can't both pass the counter rule.
"""

import json

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.exceptions import BadUserInput
from twofa import webauthn
from twofa.audit import audit_record
from twofa.exceptions import PasskeyInvalid
from twofa.methods.base import Proof, SecondFactorMethod
from twofa.models import AuditEvent, Challenge, Passkey


def assertion_check(passkeys, credential: dict, *, challenge: str, ip: str = "") -> Proof | None:
    """Verify an assertion by one of `passkeys` (a queryset) against `challenge`.

    Returns what it proved (the passkey in `detail`), or None for an unknown
    credential, a failed verification or a counter that did not increase (that
    one audited as a possible clone). A right answer records the counter, the
    backup state and the time of use.
    """
    with transaction.atomic():
        passkey = (
            passkeys.select_for_update()
            .select_related("user")
            .filter(credential_id=credential["id"])
            .first()
        )
        if passkey is None:
            return None
        handle = webauthn.user_handle_of(credential)
        if handle is not None and handle != webauthn.user_handle(passkey.user):
            return None
        verified = webauthn.assertion_verify(credential, challenge=challenge, passkey=passkey)
        if verified is None:
            return None
        if not webauthn.sign_count_ok(stored=passkey.sign_count, new=verified.new_sign_count):
            audit_record(
                AuditEvent.Kind.PASSKEY_CLONE_SUSPECTED,
                user=passkey.user,
                ip=ip,
                passkey=passkey.pk,
                stored_count=passkey.sign_count,
                new_count=verified.new_sign_count,
            )
            return None
        passkey.sign_count = max(passkey.sign_count, verified.new_sign_count)
        passkey.backed_up = verified.credential_backed_up
        passkey.last_used_at = timezone.now()
        passkey.save(update_fields=["sign_count", "backed_up", "last_used_at"])
    amr = webauthn.amr_of(
        backup_eligible=webauthn.backup_eligible(verified.credential_device_type),
        user_verified=verified.user_verified,
    )
    return Proof(amr=amr, detail=passkey)


class PasskeyMethod(SecondFactorMethod):
    key = "passkey"
    amr = webauthn.AMR_HARDWARE_KEY  # a right answer says which (a Proof)
    prompt = gettext_lazy("Sign in with your passkey.")
    wrong_answer = PasskeyInvalid

    def available(self, state) -> bool:
        return state.has_passkeys

    def ensure_usable(self, challenge: Challenge) -> None:
        if not challenge.webauthn_challenge:
            raise BadUserInput(
                gettext_lazy(
                    "This challenge offers no passkey (none was registered when it began): "
                    "sign in again."
                )
            )

    def normalise(self, code: str) -> str | None:
        credential = webauthn.credential_parse(code)
        return json.dumps(credential) if credential is not None else None

    def login_fields(self, state) -> dict:
        return {"webauthn_challenge": webauthn.challenge_new()}

    def login_answer(self, challenge: Challenge) -> dict:
        options = webauthn.request_options(
            challenge=challenge.webauthn_challenge,
            allow=Passkey.objects.filter(user=challenge.user_id),
        )
        return {"passkey_options": options}

    def verify(self, challenge: Challenge, code: str) -> bool | Proof:
        credential = json.loads(code)
        if challenge.purpose == Challenge.Purpose.PASSKEY_SETUP:
            return self._registration_verify(challenge, credential)
        proof = assertion_check(
            Passkey.objects.filter(user=challenge.user_id),
            credential,
            challenge=challenge.webauthn_challenge,
            ip=challenge.checked_from,
        )
        return proof or False

    def _registration_verify(self, challenge: Challenge, credential: dict) -> bool | Proof:
        registration = webauthn.registration_verify(
            credential, challenge=challenge.webauthn_challenge
        )
        if registration is None:
            return False
        eligible = webauthn.backup_eligible(registration.credential_device_type)
        amr = webauthn.amr_of(backup_eligible=eligible, user_verified=registration.user_verified)
        passkey = Passkey(
            user=challenge.user,
            credential_id=webauthn.bytes_to_base64url(registration.credential_id),
            public_key=registration.credential_public_key,
            sign_count=registration.sign_count,
            backup_eligible=eligible,
            backed_up=registration.credential_backed_up,
            transports=webauthn.transports_of(credential),
        )
        if Passkey.objects.filter(credential_id=passkey.credential_id).exists():
            return False  # registered already (the options excluded it)
        return Proof(amr=amr, detail=passkey)

    def remove(self, user: User) -> None:
        Passkey.objects.filter(user=user).delete()
