"""The 2FA side of the admin: challenges, the audit trail and authenticator
apps read-only, and the parts of the user admin that show and reset a user's
factors (TwoFactorUserAdminMixin; staff/admin.py builds the user admin from it):
the masked phone and the passkeys (names and dates, never key material).

The challenge and audit lists stay fast at millions of rows: they never count
the whole table (core.pagination), their filters offer fixed choices rather
than a DISTINCT over the table, and their ordering and filters read indexes
(twofa.models).
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.http import client_ip
from core.pagination import CappedCountPaginator
from twofa.conf import twofa_settings
from twofa.models import AuditEvent, Challenge, Passkey, PhoneNumber
from twofa.phone import phone_mask
from twofa.selectors import two_factor_enabled_expression
from twofa.services import twofa_disable


class PhoneNumberInline(admin.StackedInline):
    model = PhoneNumber
    can_delete = False
    extra = 0
    max_num = 0
    fields = ("masked_number", "verified_at")
    readonly_fields = ("masked_number", "verified_at")

    @admin.display(description="Phone number")
    def masked_number(self, obj):
        return phone_mask(obj.number)


class PasskeyInline(admin.TabularInline):
    model = Passkey
    can_delete = False
    extra = 0
    max_num = 0
    # Removing one alone would skip the audit row and leave sessions alive: the
    # reset removes them all.
    fields = ("name", "kind", "created_at", "last_used_at")
    readonly_fields = fields

    @admin.display(description="Kind")
    def kind(self, obj):
        return "Synced passkey" if obj.backup_eligible else "Device-bound key"


@admin.action(description="Reset two-factor authentication (lost phone)")
def reset_two_factor(modeladmin, request, queryset):
    for user in queryset:
        twofa_disable(user, ip=client_ip(request), by_staff=request.user)
    modeladmin.message_user(
        request,
        f"Two-factor authentication was reset for {queryset.count()} user(s). "
        "They can sign in with their password and enroll a new phone.",
        messages.SUCCESS,
    )


class TwoFactorFilter(admin.SimpleListFilter):
    title = "2FA"
    parameter_name = "two_factor"

    def lookups(self, request, model_admin):
        return [("on", "On"), ("off", "Off")]

    def queryset(self, request, queryset):
        if self.value() in ("on", "off"):
            return queryset.filter(two_factor_enabled=self.value() == "on")
        return queryset


class TwoFactorUserAdminMixin:
    """The user admin's 2FA parts: the state as the API sees it (TwoFactorState:
    a phone, an authenticator app or a passkey), the masked phone, the passkeys,
    and the staff reset.
    Name `two_factor` in list_display and TwoFactorFilter in list_filter."""

    inlines = [PhoneNumberInline, PasskeyInline]
    actions = [reset_two_factor]

    def get_queryset(self, request):
        # One query for the whole page, not one per user and factor.
        return (
            super()
            .get_queryset(request)
            .annotate(two_factor_enabled=two_factor_enabled_expression())
        )

    @admin.display(boolean=True, description="2FA", ordering="two_factor_enabled")
    def two_factor(self, user):
        return user.two_factor_enabled


class CreatedWithinFilter(admin.SimpleListFilter):
    """Recent rows by a fixed window: date_hierarchy's year and month links
    would take a DISTINCT over every row of the table."""

    title = "created"
    parameter_name = "within"
    WINDOWS = {"1d": ("Last 24 hours", 1), "7d": ("Last 7 days", 7), "30d": ("Last 30 days", 30)}

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in self.WINDOWS.items()]

    def queryset(self, request, queryset):
        if self.value() in self.WINDOWS:
            days = self.WINDOWS[self.value()][1]
            return queryset.filter(created_at__gte=timezone.now() - timedelta(days=days))
        return queryset


class ProviderFilter(admin.SimpleListFilter):
    """The configured providers, not a DISTINCT over every challenge."""

    title = "provider"
    parameter_name = "provider"

    def lookups(self, request, model_admin):
        return [(name, name) for name in sorted(twofa_settings.provider_classes)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(provider=self.value())
        return queryset


class BigTableAdmin(admin.ModelAdmin):
    """A read-only list of a table that grows by the million."""

    paginator = CappedCountPaginator
    show_full_result_count = False


@admin.register(Challenge)
class ChallengeAdmin(BigTableAdmin):
    list_display = (
        "id",
        "user",
        "purpose",
        "masked_number",
        "channel",
        "provider",
        "status",
        "attempts",
        "created_at",
        "expires_at",
    )
    list_filter = (CreatedWithinFilter, "purpose", "status", "channel", ProviderFilter)
    ordering = ("-created_at",)
    search_fields = ("user__username",)
    list_select_related = ("user",)
    fields = (
        "user",
        "purpose",
        "masked_number",
        "channel",
        "provider",
        "status",
        "attempts",
        "created_at",
        "last_sent_at",
        "expires_at",
        "completed_at",
    )
    readonly_fields = fields

    @admin.display(description="Phone number")
    def masked_number(self, obj):
        return phone_mask(obj.phone_number)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(BigTableAdmin):
    list_display = ("created_at", "kind", "user", "phone", "ip", "detail")
    list_filter = (CreatedWithinFilter, "kind")
    search_fields = ("user__username", "ip")
    list_select_related = ("user",)
    readonly_fields = ("created_at", "kind", "user", "phone", "ip", "detail")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# django-otp's own admin shows (and edits) a device's secret key; staff see
# only that an app is enrolled.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAppAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username",)
    list_select_related = ("user",)
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Removing a factor here would skip the audit row and leave the user's
        # sessions alive: the user action "Reset two-factor authentication" does both.
        return False
