"""The delivery chain names delivery providers only: anything else fails `manage.py check`."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


@pytest.mark.parametrize("name", ["totp", "recovery"])
def test_a_chain_naming_a_method_that_sends_nothing_fails_the_check(settings, name):
    settings.TWOFA_PROVIDER = f"console,{name}"

    with pytest.raises(SystemCheckError) as failed:
        call_command("check")

    assert f"TWOFA_PROVIDER names {name!r}, which is not a delivery provider" in str(failed.value)


def test_a_provider_class_that_is_not_a_delivery_provider_fails_the_check(settings):
    settings.TWOFA_PROVIDER = "audit"
    settings.TWOFA_PROVIDER_CLASSES = {"audit": "twofa.models.AuditEvent"}

    with pytest.raises(SystemCheckError) as failed:
        call_command("check")

    assert "TWOFA_PROVIDER names 'audit', which is not a delivery provider" in str(failed.value)


def test_the_delivery_chain_passes_the_check(settings):
    settings.TWOFA_PROVIDER = "console"

    call_command("check")
