"""System checks for the admin: no way into it with a password alone, and
session lifetimes that make sense."""

from django.conf import settings
from django.contrib import admin
from django.core import checks
from django.urls import URLPattern, URLResolver, get_resolver


def _mounted_admin_sites(patterns) -> set:
    """Every AdminSite whose views the URLconf serves."""
    sites = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            sites |= _mounted_admin_sites(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            site = getattr(pattern.callback, "admin_site", None)
            if site is not None:
                sites.add(site)
    return sites


@checks.register(checks.Tags.security, deploy=True)
def check_admin_second_factor(app_configs, **kwargs):
    from staff.sites import StaffAdminSite

    errors = []
    plain = [
        site
        for site in {admin.site, *_mounted_admin_sites(get_resolver().url_patterns)}
        if not isinstance(site, StaffAdminSite)
    ]
    if plain:
        errors.append(
            checks.Error(
                "An admin site that accepts a password alone is in use: "
                + ", ".join(sorted(f"{type(s).__module__}.{type(s).__name__}" for s in plain)),
                hint="Install 'staff.apps.StaffAdminConfig' instead of 'django.contrib.admin' "
                "and mount admin.site; other admin sites must subclass staff.sites.StaffAdminSite.",
                id="staff.E001",
            )
        )
    if settings.DEBUG:
        errors.append(
            checks.Error(
                "With DEBUG on, staff without a second factor sign in to the admin with a "
                "password alone.",
                hint="Turn DEBUG off in production.",
                id="staff.E001",
            )
        )
    return errors


@checks.register()
def check_admin_session_settings(app_configs, **kwargs):
    errors = []
    for name in ("ADMIN_SESSION_MAX_AGE", "ADMIN_SESSION_IDLE_TIMEOUT"):
        if getattr(settings, name) <= 0:
            errors.append(checks.Error(f"{name} must be a positive number.", id="staff.E002"))
    if settings.ADMIN_SESSION_IDLE_TIMEOUT > settings.ADMIN_SESSION_MAX_AGE:
        errors.append(
            checks.Error(
                "ADMIN_SESSION_IDLE_TIMEOUT is longer than ADMIN_SESSION_MAX_AGE.",
                hint="The idle timeout can only end a session before its maximum age.",
                id="staff.E002",
            )
        )
    return errors
