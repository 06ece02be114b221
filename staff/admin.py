"""The users in the admin: Django's user admin, twofa's parts (the 2FA column,
filter, phone and reset: twofa.admin.TwoFactorUserAdminMixin), and a password
set here ending the user's sessions. And the send rollups, whose list page is
staff's view of sends and fraud (staff.sends)."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied

from accounts.models import User
from accounts.tokens import sessions_end
from staff.sends import sends_view
from twofa.admin import TwoFactorFilter, TwoFactorUserAdminMixin
from twofa.models import SendRollup


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


@admin.register(SendRollup)
class SendsAndFraudAdmin(admin.ModelAdmin):
    """The rollups are read as a report, never row by row: the list page is
    staff.sends (twofa.view_sendrollup to see it), and nothing is edited here."""

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.opts}
        return sends_view(request, context=context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
