import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac


class User(AbstractUser):
    """The project's user. Two-factor state lives in the twofa app."""

    # Bumped whenever the password or a second factor changes (or staff reset
    # them): access tokens carry it as `ver`, and admin sessions hash it, so
    # everything signed in before the change stops working at once.
    auth_version = models.PositiveIntegerField(default=0, editable=False)
    # One of settings.LANGUAGES (no choices here, so adding a language needs no
    # migration); blank follows each request's Accept-Language.
    language = models.CharField(
        max_length=16,
        blank=True,
        default="",
        help_text="Messages and SMS in this language; blank follows the browser's.",
    )

    def _get_session_auth_hash(self, secret=None):
        key_salt = "accounts.User.get_session_auth_hash"
        value = f"{self.password}:{self.auth_version}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class RefreshToken(models.Model):
    """A long-lived refresh token, stored only as a SHA-256 hash.

    It carries the authentication methods (`amr`) and the time of the last
    second-factor check (`auth_time`) of the login it came from, so a refreshed
    access token keeps them and never gains a factor it did not have.

    Every token of one login shares its `family` and its absolute `expires_at`.
    A refresh marks the token `rotated_at` (swapped for its successor) rather
    than revoked, and rotated tokens are kept until that expiry: presenting
    one again is a replay, which ends the whole family (accounts.tokens).
    `revoked_at` is set when the login ended (sign-out, a replay, sessions_end).
    `auth_version` is the user's when the token was issued: a token that a
    refresh racing sessions_end() created after its revocation ran is still
    refused, because the user's version has moved on.

    `client_kind` and `client_network` say, for the user's list of sessions,
    what received the token: a browser page (cookie) or an app, from which
    network (coarse: core.http.client_network_coarse, never the address).
    """

    class ClientKind(models.TextChoices):
        BROWSER = "browser", "Browser"
        APP = "app", "App"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="refresh_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    family = models.UUIDField(default=uuid.uuid4, db_index=True)
    amr = models.JSONField(default=list)
    auth_time = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    rotated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    auth_version = models.PositiveIntegerField(default=0)
    # Empty for a token handed out other than through the API (tests, scripts).
    client_kind = models.CharField(max_length=8, choices=ClientKind.choices, blank=True)
    client_network = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "revoked_at"]),
            # Retention finds expired logins by it.
            models.Index(fields=["expires_at"], name="accounts_refresh_expires_idx"),
        ]

    def __str__(self) -> str:
        return f"refresh token #{self.pk} of {self.user_id}"
