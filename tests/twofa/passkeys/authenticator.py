"""A software WebAuthn authenticator for the tests: an ES256 key, real `none`
attestations and assertions, with the flags and the counter under the test's control.

It answers what a browser's `credential.toJSON()` would give for
`navigator.credentials.create()` / `.get()` with the server's options, so the
API is exercised exactly as a browser client would. Built from the specs
(WebAuthn L3 §6.1 authenticator data, §6.5.4 `none` attestation; COSE EC2
keys, RFC 9053), independently of the code under test.
"""

import base64
import hashlib
import json
import os
import struct

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

ORIGIN = "http://localhost:8000"
RP_ID = "localhost"

UP, UV, BE, BS, AT = 0x01, 0x04, 0x08, 0x10, 0x40


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64u_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftAuthenticator:
    """One credential. Attributes a test may change between ceremonies:
    `user_verified`, `user_present`, `backup_eligible`, `backed_up`, `counter`
    (the count the next assertion reports; None: count up from the last one),
    `counter_step` (0: a synced passkey that always reports 0)."""

    def __init__(self, *, backup_eligible=False, backed_up=False, counter_step=1):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.user_handle: bytes | None = None
        self.user_verified = True
        self.user_present = True
        self.backup_eligible = backup_eligible
        self.backed_up = backed_up
        self.counter_step = counter_step
        self.sign_count = 0
        self.counter: int | None = None

    @property
    def id(self) -> str:
        return b64u(self.credential_id)

    def _flags(self, *extra: int) -> int:
        flags = 0
        if self.user_present:
            flags |= UP
        if self.user_verified:
            flags |= UV
        if self.backup_eligible:
            flags |= BE
        if self.backed_up:
            flags |= BS
        for bit in extra:
            flags |= bit
        return flags

    def _cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,  # kty: EC2
                3: -7,  # alg: ES256
                -1: 1,  # crv: P-256
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def _client_data(self, kind: str, options: dict, origin: str) -> bytes:
        return json.dumps(
            {
                "type": kind,
                "challenge": options["challenge"],
                "origin": origin,
                "crossOrigin": False,
            }
        ).encode()

    def create(self, options: dict, *, origin: str = ORIGIN, rp_id: str | None = None) -> dict:
        """RegistrationResponseJSON for PublicKeyCredentialCreationOptionsJSON."""
        rp_id = rp_id or options["rp"]["id"]
        self.user_handle = b64u_decode(options["user"]["id"])
        attested = (
            bytes(16)  # AAGUID: none
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + self._cose_key()
        )
        auth_data = (
            hashlib.sha256(rp_id.encode()).digest()
            + bytes([self._flags(AT)])
            + struct.pack(">I", self.sign_count)
            + attested
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options, origin)
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64u(client_data),
                "attestationObject": b64u(attestation),
                "transports": ["internal", "hybrid"],
            },
        }

    def get(self, options: dict, *, origin: str = ORIGIN, rp_id: str | None = None) -> dict:
        """AuthenticationResponseJSON for PublicKeyCredentialRequestOptionsJSON."""
        rp_id = rp_id or options["rpId"]
        if self.counter is not None:
            self.sign_count = self.counter
            self.counter = None
        else:
            self.sign_count += self.counter_step
        auth_data = (
            hashlib.sha256(rp_id.encode()).digest()
            + bytes([self._flags()])
            + struct.pack(">I", self.sign_count)
        )
        client_data = self._client_data("webauthn.get", options, origin)
        signature = self.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64u(client_data),
                "authenticatorData": b64u(auth_data),
                "signature": b64u(signature),
                "userHandle": b64u(self.user_handle) if self.user_handle else None,
            },
        }
