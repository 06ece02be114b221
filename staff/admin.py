"""The users in the admin, with their 2FA state as the API sees it
(TwoFactorState: a phone or an authenticator app) and the staff reset."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import User
from twofa.admin import PhoneNumberInline, reset_two_factor
from twofa.selectors import two_factor_enabled_expression


class TwoFactorFilter(admin.SimpleListFilter):
    title = "2FA"
    parameter_name = "two_factor"

    def lookups(self, request, model_admin):
        return [("on", "On"), ("off", "Off")]

    def queryset(self, request, queryset):
        if self.value() in ("on", "off"):
            return queryset.filter(two_factor_enabled=self.value() == "on")
        return queryset


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "email",
        "two_factor",
        "is_active",
        "is_staff",
        "date_joined",
    )
    list_filter = (TwoFactorFilter, *DjangoUserAdmin.list_filter)
    inlines = [PhoneNumberInline]
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
