"""The admin site: Django's admin, entered only with a password and a second factor.

StaffAdminConfig makes this `admin.site`. Its login is two steps (staff.views,
on staff.services); a session may use the admin only while it carries the
login's second factor and is neither idle nor too old (staff.sessions).
"""

from django.contrib.admin import AdminSite
from django.urls import path

from staff import views
from staff.sessions import staff_session_valid


class StaffAdminSite(AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and staff_session_valid(request)

    def login(self, request, extra_context=None):
        return views.login(request, site=self)

    def login_verify(self, request):
        return views.login_verify(request, site=self)

    def password_change(self, request, extra_context=None):
        return views.password_change(request, site=self)

    def get_urls(self):
        # Before the admin's own patterns, which end in a catch-all.
        return [path("login/verify/", self.login_verify, name="login_verify"), *super().get_urls()]
