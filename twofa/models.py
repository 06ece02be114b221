"""twofa's tables: phones, challenges (with their lifecycle rules), the audit trail, recovery
codes, passkeys, the daily send rollups staff read, and the countries and prefixes staff block.

The challenge's lifecycle (replace, reserve and release an attempt, mark it
verified or failed, claim a send slot) is kept on Challenge and its queryset,
the way django-otp keeps throttling inside the device: each is one locked or
conditional write whose race rule is tested on its own. That is why this
module runs past 300 lines: the rules stay beside the row they guard.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from twofa.exceptions import CodeExpired, TooManyAttempts
from twofa.phone import phone_mask


class Channel(models.TextChoices):
    """How a code is delivered to a phone."""

    SMS = "sms", "SMS"
    CALL = "call", "Voice call"


class Method(models.TextChoices):
    """A second factor: a code sent to the phone, an authenticator app, a passkey,
    or a recovery code."""

    SMS = "sms", gettext_lazy("SMS")
    CALL = "call", gettext_lazy("Voice call")
    TOTP = "totp", gettext_lazy("Authenticator app")
    PASSKEY = "passkey", gettext_lazy("Passkey")
    RECOVERY_CODE = "recovery", gettext_lazy("Recovery code")


PHONE_METHODS = frozenset({Method.SMS, Method.CALL})


class PhoneNumber(models.Model):
    """A user's verified phone number; having one means SMS/voice 2FA is on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone_number"
    )
    number = models.CharField(max_length=16, help_text="E.164, e.g. +14155552671")
    verified_at = models.DateTimeField()
    # The last right code it received for a login or a step-up (not an enrollment).
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return phone_mask(self.number)


class ChallengeQuerySet(models.QuerySet):
    def live_codes_to(self, number: str) -> "ChallengeQuerySet":
        """Pending, unexpired challenges whose code went to `number`: each holds an
        open verification at a provider."""
        return self.filter(
            phone_number=number,
            status=Challenge.Status.PENDING,
            channel__in=PHONE_METHODS,
            expires_at__gt=timezone.now(),
        ).exclude(provider_ref="")

    def replace_pending(self) -> list[tuple[str, str]]:
        """End the pending challenges of this queryset as REPLACED.

        Returns the (provider, reference) of each code they had sent, for the
        caller to close at the providers. The rows are locked while read and
        ended, so a challenge a concurrent check verifies first stays VERIFIED
        and is not named, and one ended here can no longer be verified.
        """
        fields = ("pk", "provider", "provider_ref", "channel")
        seen = list(self.filter(status=Challenge.Status.PENDING).values_list("pk", flat=True))
        if not seen:  # the usual case: no lock, no transaction
            return []
        with transaction.atomic():
            pending = Challenge.objects.filter(pk__in=seen, status=Challenge.Status.PENDING)
            rows = list(pending.select_for_update().values_list(*fields))
            Challenge.objects.filter(pk__in=[pk for pk, *_ in rows]).update(
                status=Challenge.Status.REPLACED, completed_at=timezone.now()
            )
        return [
            (provider, ref)
            for _, provider, ref, channel in rows
            if channel in PHONE_METHODS and ref
        ]


class Challenge(models.Model):
    """One code sent to a phone, waiting to be checked.

    A login challenge is identified by an opaque random string that only the
    client holds (we keep its SHA-256); an enrollment challenge is found by its
    user and number. The provider that sent the code and its reference to the
    verification are kept so the check goes back to the same provider.
    """

    class Purpose(models.TextChoices):
        LOGIN = "login", "Login"
        ENROLL = "enroll", "Enrollment"
        TOTP_SETUP = "totp_setup", "Authenticator app setup"
        PASSKEY_SETUP = "passkey_setup", "Passkey registration"
        STEP_UP = "step_up", "Step-up (second factor checked again)"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        VERIFIED = "verified", "Verified"
        FAILED = "failed", "Too many wrong codes"
        REPLACED = "replaced", "Replaced by a newer challenge"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="twofa_challenges"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    phone_number = models.CharField(max_length=16, blank=True)
    # The method of the latest send: "sms"/"call" (a code went to phone_number),
    # or "totp" (nothing is sent: the code comes from the user's app).
    channel = models.CharField(max_length=8, choices=Method.choices, default=Method.SMS)
    # The delivery provider that sent the latest code and its reference to that
    # verification; empty while no code went to the phone (an app or a
    # recovery code needs no provider).
    provider = models.CharField(max_length=32, blank=True)
    provider_ref = models.CharField(max_length=255, blank=True)
    # An authenticator-app setup: the unconfirmed device the code must come from.
    totp_device = models.ForeignKey(
        "otp_totp.TOTPDevice", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The WebAuthn challenge (base64url) a passkey must sign to answer this
    # challenge (a login offering passkeys) or register with (a passkey setup);
    # empty otherwise. It lives and dies with the row: single use, expiring.
    webauthn_challenge = models.CharField(max_length=128, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a code last went to the phone; null while nothing has (an app
    # challenge, or a login whose send was refused): the resend cooldown.
    last_sent_at = models.DateTimeField(null=True, blank=True)
    # The client network (core.http.client_network) that asked for the latest
    # send: a verification is counted in the send rollups against it.
    sent_from = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = ChallengeQuerySet.as_manager()

    # The client address of the check in progress; not stored. challenge_check
    # sets it so a method's own audit records (a passkey's clone alarm) say
    # where the answer came from.
    checked_from = ""

    class Meta:
        indexes = [
            models.Index(fields=["user", "purpose", "status"]),
            # The admin's list (newest first) and retention (oldest first).
            models.Index(fields=["created_at", "id"], name="twofa_chall_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} challenge #{self.pk}"

    @property
    def proves_owner(self) -> bool:
        """Whether it checks the user's own factors (a login, a step-up), not one being enrolled."""
        return self.purpose in OWNER_PURPOSES

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def expires_in(self) -> int:
        return max(0, int((self.expires_at - timezone.now()).total_seconds()))

    @property
    def sent_to_phone(self) -> bool:
        """Whether the latest send (if any) was a code to the phone (not an app challenge)."""
        return self.channel in PHONE_METHODS

    def ensure_live(self) -> None:
        """TooManyAttempts for a failed challenge; CodeExpired for any other that is over."""
        if self.status == self.Status.FAILED:
            raise TooManyAttempts()
        if self.status != self.Status.PENDING or self.is_expired:
            raise CodeExpired()

    def reserve_attempt(self, *, max_attempts: int) -> "Challenge":
        """Count one attempt before a code is evaluated; returns the row as locked.

        Under a row lock, committed at once (its own transaction), so however
        many requests race at most `max_attempts` codes are ever evaluated, and
        a caller that rolls back afterwards can't undo the count.
        """
        with transaction.atomic():
            locked = Challenge.objects.select_for_update().select_related("user").get(pk=self.pk)
            locked.ensure_live()
            if locked.attempts >= max_attempts:
                raise TooManyAttempts()
            locked.attempts += 1
            locked.save(update_fields=["attempts"])
        return locked

    def release_attempt(self) -> None:
        """Give back a reserved attempt whose code was never evaluated (provider down)."""
        Challenge.objects.filter(pk=self.pk, attempts__gt=0).update(attempts=F("attempts") - 1)

    def mark_verified(self) -> bool:
        """Move the challenge to VERIFIED; False if it was not pending with this send.

        Of requests racing with right codes only one wins; a resend in between
        changed provider_ref, so a code from the earlier send loses too.
        """
        won = Challenge.objects.filter(
            pk=self.pk, status=self.Status.PENDING, provider_ref=self.provider_ref
        ).update(status=self.Status.VERIFIED, completed_at=timezone.now())
        if won:
            self.status = self.Status.VERIFIED
        return bool(won)

    def mark_failed(self) -> bool:
        """Move a pending challenge to FAILED (too many wrong codes); False if it was not."""
        won = Challenge.objects.filter(pk=self.pk, status=self.Status.PENDING).update(
            status=self.Status.FAILED, completed_at=timezone.now()
        )
        if won:
            self.status = self.Status.FAILED
        return bool(won)

    def record_send(
        self, *, provider: str, ref: str, channel: str, number: str, sent_from: str = ""
    ) -> bool:
        """Store a new send's provider and reference; False if the challenge ended meanwhile."""
        updated = Challenge.objects.filter(pk=self.pk, status=self.Status.PENDING).update(
            provider=provider,
            provider_ref=ref,
            channel=channel,
            phone_number=number,
            sent_from=sent_from,
        )
        return bool(updated)

    def claim_send_slot(self, *, cooldown: int) -> bool:
        """Claim the right to send a code for this challenge now.

        One conditional UPDATE, whatever the channel: of any number of
        concurrent callers at most one wins per cooldown (the database
        re-checks the condition on the row the winner committed). A challenge
        that never sent a code may send at once.
        """
        now = timezone.now()
        won = (
            Challenge.objects.filter(pk=self.pk, status=self.Status.PENDING)
            .filter(Q(last_sent_at=None) | Q(last_sent_at__lte=now - timedelta(seconds=cooldown)))
            .update(last_sent_at=now)
        )
        if won:
            self.last_sent_at = now
        return bool(won)

    def send_wait(self, *, cooldown: int) -> int:
        """Whole seconds (at least 1) until the next send slot, from the stored row."""
        sent = Challenge.objects.filter(pk=self.pk).values_list("last_sent_at", flat=True).first()
        if sent is None:
            return 1
        left = timedelta(seconds=cooldown) - (timezone.now() - sent)
        return max(1, int(left.total_seconds()) + 1)


# Challenges answered with the factors a user already has, a code going to
# their verified phone: a login and a step-up. They share the login's send
# budget and survive a refused send (another method may answer); every
# other purpose is an enrollment.
OWNER_PURPOSES = frozenset({Challenge.Purpose.LOGIN, Challenge.Purpose.STEP_UP})


class AuditEvent(models.Model):
    """One security-relevant 2FA event, kept for support and incident review."""

    class Kind(models.TextChoices):
        CODE_SENT = "code_sent", "Code sent"
        SEND_FAILED = "send_failed", "Code send failed at a provider"
        CODE_VERIFIED = "code_verified", "Code verified"
        WRONG_CODE = "wrong_code", "Wrong code"
        LOCKED = "locked", "Challenge locked (too many wrong codes)"
        ENROLLED = "enrolled", "Phone enrolled"
        PHONE_CHANGED = "phone_changed", "Phone changed"
        DISABLED = "disabled", "2FA disabled"
        RESET = "reset", "2FA reset by staff"
        RATE_LIMITED = "rate_limited", "Rate limited"
        TOTP_ENROLLED = "totp_enrolled", "Authenticator app enrolled"
        TOTP_REMOVED = "totp_removed", "Authenticator app removed"
        RECOVERY_CODES_GENERATED = "recovery_codes_generated", "Recovery codes generated"
        RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
        PREFERENCE_CHANGED = "preference_changed", "Preferred method changed"
        REFRESH_TOKEN_REUSED = "refresh_token_reused", "Refresh token reused (login ended)"
        SEND_BLOCK_ADDED = "send_block_added", "Sends blocked by staff"
        SEND_BLOCK_REMOVED = "send_block_removed", "Send block lifted by staff"
        PHONE_REMOVED = "phone_removed", "Phone removed"
        SESSION_REVOKED = "session_revoked", "Signed out of one session"
        SIGNED_OUT_EVERYWHERE = "signed_out_everywhere", "Signed out everywhere"
        PASSKEY_ENROLLED = "passkey_enrolled", "Passkey registered"
        PASSKEY_RENAMED = "passkey_renamed", "Passkey renamed"
        PASSKEY_REMOVED = "passkey_removed", "Passkey removed"
        PASSKEY_LOGIN = "passkey_login", "Signed in with a passkey (no password)"
        PASSKEY_LOGIN_FAILED = "passkey_login_failed", "Passkey sign-in failed"
        PASSKEY_CLONE_SUSPECTED = "passkey_clone_suspected", "Passkey signature counter went back"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="twofa_audit_events",
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    phone = models.CharField(max_length=20, blank=True, help_text="Masked.")
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            # The admin's list at millions of rows: its ordering, alone and
            # under the kind filter, read from an index, never sorted.
            models.Index(fields=["-created_at", "-id"], name="twofa_audit_recent_idx"),
            models.Index(fields=["kind", "-created_at", "-id"], name="twofa_audit_kind_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.created_at:%Y-%m-%d %H:%M:%S}"


class RecoveryCode(models.Model):
    """A one-time recovery code, stored as a salted, keyed hash (never the code).

    Codes are random (about 50 bits), so a fast keyed hash is enough; what
    makes guessing hopeless is the entropy plus the per-challenge attempt limit.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    salt = models.CharField(max_length=32)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "used_at"])]

    def __str__(self) -> str:
        return f"Recovery code #{self.pk} ({'used' if self.used_at else 'unused'})"


class MethodPreference(models.Model):
    """Which method a login challenge starts with (default: the app, else SMS)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="twofa_preference"
    )
    method = models.CharField(max_length=8, choices=Method.choices)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.get_method_display()


class SendRollup(models.Model):
    """Codes sent, verified and failed per day (UTC), country, provider and channel.

    Counted as they happen (twofa.rollups), so they outlive the challenges and
    audit events that retention deletes. `verified` is counted on the day of
    the send it answered; `failed` is a send a provider refused or never took.
    """

    day = models.DateField()
    country = models.CharField(max_length=2, help_text="ISO 3166 region; ZZ when unknown.")
    provider = models.CharField(max_length=32)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    sent = models.PositiveIntegerField(default=0)
    verified = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)

    class Meta:
        # Its admin page is staff's report (staff.sends), named for what it shows.
        verbose_name_plural = "sends and fraud"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "country", "provider", "channel"], name="twofa_send_rollup_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.country} {self.provider} {self.channel}"


class SendSourceRollup(models.Model):
    """Codes sent and verified per day, number prefix and client network: where
    unverified sends (SMS pumping) come from and go to.

    The prefix is the first digits of the E.164 number (twofa.rollups), the
    network the one limits count the client under (core.http.client_network).
    """

    day = models.DateField()
    prefix = models.CharField(max_length=8)
    network = models.CharField(max_length=64)
    sent = models.PositiveIntegerField(default=0)
    verified = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "prefix", "network"], name="twofa_send_source_rollup_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.prefix} {self.network}"


class RefusalRollup(models.Model):
    """Rate-limit refusals on the 2FA paths per day and limit."""

    day = models.DateField()
    limit = models.CharField(max_length=32)
    refused = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "limit"], name="twofa_refusal_rollup_key")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.limit}"


class SendBlock(models.Model):
    """A country or a number prefix staff stopped codes going to.

    The send policy (twofa.phone) refuses a number that TWOFA_ALLOWED_COUNTRIES
    does not allow or that a block covers. Added and lifted through
    twofa.services.blocks, which audits both.
    """

    class Kind(models.TextChoices):
        COUNTRY = "country", "Country"
        PREFIX = "prefix", "Number prefix"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.CharField(max_length=16, help_text="An ISO region (GB) or an E.164 prefix.")
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="twofa_send_block_key")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class Passkey(models.Model):
    """A WebAuthn credential (a passkey or a security key) registered by a user.

    Only what verifying an assertion needs is kept: the credential's id and
    public key (COSE), its signature counter, and the backup flags that say
    whether it is bound to one device (`hwk`) or synced (`swk`). The public key
    is not a secret, but it is no business of the admin either.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passkeys"
    )
    name = models.CharField(max_length=64)
    # base64url without padding, as WebAuthn's JSON carries it; ids are at most
    # 1023 bytes (WebAuthn L3), 1364 characters.
    credential_id = models.CharField(max_length=1364, unique=True)
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    backup_eligible = models.BooleanField(default=False)
    backed_up = models.BooleanField(default=False)
    transports = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name
