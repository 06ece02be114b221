from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from twofa.phone import phone_mask


class Channel(models.TextChoices):
    """How a code is delivered to a phone."""

    SMS = "sms", "SMS"
    CALL = "call", "Voice call"


class Method(models.TextChoices):
    """A second factor: a code sent to the phone, an authenticator app, or a recovery code."""

    SMS = "sms", "SMS"
    CALL = "call", "Voice call"
    TOTP = "totp", "Authenticator app"
    RECOVERY_CODE = "recovery", "Recovery code"


PHONE_METHODS = frozenset({Method.SMS, Method.CALL})


class PhoneNumber(models.Model):
    """A user's verified phone number; having one means SMS/voice 2FA is on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone_number"
    )
    number = models.CharField(max_length=16, help_text="E.164, e.g. +14155552671")
    verified_at = models.DateTimeField()

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
    provider = models.CharField(max_length=32)
    provider_ref = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a code last went to the phone; null while nothing has (an app
    # challenge, or a login whose send was refused): the resend cooldown.
    last_sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = ChallengeQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user", "purpose", "status"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} challenge #{self.pk}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def expires_in(self) -> int:
        return max(0, int((self.expires_at - timezone.now()).total_seconds()))

    def send_slot_claim(self, *, cooldown: int) -> bool:
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
        indexes = [models.Index(fields=["user", "-created_at"])]

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
