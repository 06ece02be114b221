from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import RefreshToken, User
from twofa.admin import PhoneNumberInline, reset_two_factor


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "email",
        "two_factor_enabled",
        "is_active",
        "is_staff",
        "date_joined",
    )
    list_select_related = ("phone_number",)
    inlines = [PhoneNumberInline]
    actions = [reset_two_factor]

    @admin.display(boolean=True, description="2FA")
    def two_factor_enabled(self, user):
        return hasattr(user, "phone_number")


@admin.register(RefreshToken)
class RefreshTokenAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "amr", "created_at", "expires_at", "rotated_at", "revoked_at")
    list_filter = ("revoked_at",)
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
    )

    def has_add_permission(self, request):
        return False
