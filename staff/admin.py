"""The users in the admin: Django's user admin, twofa's parts (the 2FA column,
filter, phone and reset: twofa.admin.TwoFactorUserAdminMixin), and a password
set here ending the user's sessions."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import User
from accounts.tokens import sessions_end
from twofa.admin import TwoFactorFilter, TwoFactorUserAdminMixin


@admin.register(User)
class UserAdmin(TwoFactorUserAdminMixin, DjangoUserAdmin):
    list_display = (
        "username",
        "email",
        "two_factor",
        "is_active",
        "is_staff",
        "date_joined",
    )
    list_filter = (TwoFactorFilter, *DjangoUserAdmin.list_filter)

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
