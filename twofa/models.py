from django.conf import settings
from django.db import models
from django.utils import timezone

from twofa.phone import phone_mask


class Channel(models.TextChoices):
    SMS = "sms", "SMS"
    CALL = "call", "Voice call"


class PhoneNumber(models.Model):
    """A user's verified phone number; having one means SMS/voice 2FA is on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone_number"
    )
    number = models.CharField(max_length=16, help_text="E.164, e.g. +14155552671")
    verified_at = models.DateTimeField()

    def __str__(self) -> str:
        return phone_mask(self.number)


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
    phone_number = models.CharField(max_length=16)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.SMS)
    provider = models.CharField(max_length=32)
    provider_ref = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

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
