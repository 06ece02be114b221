"""The users in the admin, with their 2FA state as the API sees it
(TwoFactorState: a phone or an authenticator app) and the staff reset."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import User
from accounts.tokens import sessions_end
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

    def user_change_password(self, request, id, form_url=""):
        """Django's set-password form, after which the user's sessions end
        everywhere (the API's tokens too), as after changePassword."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=unquote(id))
            sessions_end(user, reason="password_set_by_staff")
            if user.pk == request.user.pk:  # staff setting their own: this session carries on
                update_session_auth_hash(request, user)
        return response

    @admin.display(boolean=True, description="2FA", ordering="two_factor_enabled")
    def two_factor(self, user):
        return user.two_factor_enabled
