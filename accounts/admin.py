from django.contrib import admin

from accounts.models import RefreshToken

# The User admin is in staff/admin.py, its 2FA parts in twofa/admin.py:
# accounts knows nothing of 2FA.


@admin.register(RefreshToken)
class RefreshTokenAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "user",
        "amr",
        "client_kind",
        "client_network",
        "created_at",
        "expires_at",
        "rotated_at",
        "revoked_at",
        "auth_version",
        "client_kind",
        "client_network",
    )
    list_filter = ("revoked_at", "client_kind")
    search_fields = ("user__username",)
    exclude = ("token_hash",)
    readonly_fields = (
        "user",
        "family",
        "amr",
        "auth_time",
        "created_at",
        "expires_at",
        "rotated_at",
        "revoked_at",
        "auth_version",
        "client_kind",
        "client_network",
    )

    def has_add_permission(self, request):
        return False
