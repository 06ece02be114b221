"""Development provider: shows the code in the log and, optionally, an outbox file.

Nothing is sent anywhere. Only a salted HMAC of the code is stored (as the
verification reference), so the database never holds a usable code. Refused
with DEBUG off unless TWOFA_ALLOW_CONSOLE_PROVIDER is set (twofa/checks.py).
"""

import json
import logging
import secrets

from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from twofa.conf import twofa_settings
from twofa.phone import phone_mask
from twofa.providers.base import DeliveryProvider

logger = logging.getLogger("twofa")

CODE_DIGITS = 6


def _digest(nonce: str, code: str) -> str:
    return salted_hmac(f"twofa.providers.console.{nonce}", code, algorithm="sha256").hexdigest()


class ConsoleProvider(DeliveryProvider):
    name = "console"

    def start(self, *, to: str, channel: str, purpose: str, locale: str) -> str:
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        nonce = secrets.token_hex(8)
        logger.info("code for %s: %s", phone_mask(to), code)
        if twofa_settings.TWOFA_CONSOLE_OUTBOX:
            message = {
                "to": to,
                "code": code,
                "channel": channel,
                "purpose": purpose,
                "locale": locale,
                "sent_at": timezone.now().isoformat(),
            }
            with open(twofa_settings.TWOFA_CONSOLE_OUTBOX, "a", encoding="utf-8") as outbox:
                outbox.write(json.dumps(message) + "\n")
        return f"{nonce}${_digest(nonce, code)}"

    def check(self, *, ref: str, to: str, code: str) -> bool:
        nonce, _, digest = ref.partition("$")
        return bool(digest) and constant_time_compare(_digest(nonce, code), digest)
