"""Staff blocking a country or a number prefix from getting codes, and lifting it.

Each change is stored (twofa.SendBlock, with who, when and why), audited, and
drops the send path's cached list once committed (twofa.blocks), so the next
send anywhere obeys it.
"""

import re

import phonenumbers
from django.db import IntegrityError, transaction

from accounts.models import User
from core.exceptions import BadUserInput, NotFound
from twofa.audit import audit_record
from twofa.blocks import send_blocks_changed
from twofa.models import AuditEvent, SendBlock

Kind = AuditEvent.Kind
# "+" and 1 to 15 digits: a country calling code and as much of a number as wanted.
_PREFIX_RE = re.compile(r"\+[1-9][0-9]{0,14}")


def _block_value(kind: str, value: str) -> str:
    value = (value or "").strip()
    if kind == SendBlock.Kind.COUNTRY:
        region = value.upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise BadUserInput(
                "Name a country by its two-letter ISO code, e.g. GB.", fields={"value": [value]}
            )
        return region
    if kind == SendBlock.Kind.PREFIX:
        prefix = value.replace(" ", "")
        if not _PREFIX_RE.fullmatch(prefix):
            raise BadUserInput(
                "A prefix is + and the first digits of an international number, e.g. +2327.",
                fields={"value": [value]},
            )
        return prefix
    raise BadUserInput("Block a country or a number prefix.", fields={"kind": [kind]})


def send_block_add(*, kind: str, value: str, reason: str, by: User, ip: str = "") -> SendBlock:
    """Stop codes going to a country (ISO region) or a number prefix (E.164)."""
    value = _block_value(kind, value)
    reason = (reason or "").strip()
    if not reason:
        raise BadUserInput("Say why (it is kept with the block).", fields={"reason": [""]})
    try:
        with transaction.atomic():
            block = SendBlock.objects.create(
                kind=kind, value=value, reason=reason[:200], created_by=by
            )
            audit_record(
                Kind.SEND_BLOCK_ADDED,
                ip=ip,
                block=kind,
                value=value,
                reason=block.reason,
                by_staff=by.get_username(),
                by_staff_id=by.pk,
            )
            transaction.on_commit(send_blocks_changed)
    except IntegrityError as exc:
        raise BadUserInput(f"{value} is already blocked.") from exc
    return block


def send_block_remove(*, block_id: int, by: User, ip: str = "") -> None:
    """Let codes go again where a block stopped them."""
    with transaction.atomic():
        block = SendBlock.objects.select_for_update().filter(pk=block_id).first()
        if block is None:
            raise NotFound("That block was already lifted.")
        block.delete()
        audit_record(
            Kind.SEND_BLOCK_REMOVED,
            ip=ip,
            block=block.kind,
            value=block.value,
            by_staff=by.get_username(),
            by_staff_id=by.pk,
        )
        transaction.on_commit(send_blocks_changed)
