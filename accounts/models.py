from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """The project's user. Two-factor state lives in the twofa app."""


class RefreshToken(models.Model):
    """A long-lived refresh token, stored only as a SHA-256 hash.

    It carries the authentication methods (`amr`) and the time of the last
    second-factor check (`auth_time`) of the login it came from, so a refreshed
    access token keeps them and never gains a factor it did not have.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="refresh_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    amr = models.JSONField(default=list)
    auth_time = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"refresh token #{self.pk} of {self.user_id}"
