"""The staff app's config, and the admin app's: Django's admin, with our site."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class StaffConfig(AppConfig):
    """The staff side: the admin's two-step login, its sessions and checks.

    It knows accounts and twofa both; neither knows it.
    """

    default = True
    name = "staff"
    verbose_name = "Staff"

    def ready(self):
        from staff import checks  # noqa: F401 - registers the system checks


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin app with our site as `admin.site`, so every
    `@admin.register` lands on the site that asks for a second factor."""

    default = False  # named in INSTALLED_APPS instead of django.contrib.admin
    default_site = "staff.sites.StaffAdminSite"
