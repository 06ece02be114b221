"""A staff member's browser over real HTTP: follows the admin's forms, with the
CSRF token from the page, against a live server in production settings."""

import base64
import re
from urllib.parse import urljoin

import pytest
import requests
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from tests.documents import PASSWORD, PHONE
from twofa.models import PhoneNumber

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class AdminBrowser:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()

    def get(self, path: str) -> requests.Response:
        return self.session.get(urljoin(self.base_url, path), timeout=10)

    def submit(self, page: requests.Response, data: dict) -> requests.Response:
        """Post the page's form (to the page's own URL) with its CSRF token."""
        token = CSRF_RE.search(page.text)
        assert token, f"no form on {page.url}"
        return self.session.post(
            page.url,
            data={"csrfmiddlewaretoken": token.group(1), **data},
            headers={"Referer": page.url},
            timeout=10,
        )

    def sign_in(self, username: str, password: str = PASSWORD) -> requests.Response:
        """The password step: answers the page the admin shows next."""
        return self.submit(self.get("/admin/login/"), {"username": username, "password": password})


def on_admin_index(page: requests.Response) -> bool:
    return (
        page.status_code == 200
        and "/admin/login/" not in page.url
        and ("Site administration" in page.text)
    )


@pytest.fixture
def admin_browser(live_server, settings):
    # The live server speaks plain HTTP: cookies can't be Secure-only here.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return lambda: AdminBrowser(live_server.url)


@pytest.fixture
def staff(db) -> User:
    return User.objects.create_user(
        username="sam",
        password=PASSWORD,
        email="sam@example.com",
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def staff_phone(staff) -> User:
    PhoneNumber.objects.create(user=staff, number=PHONE, verified_at=timezone.now())
    return staff


def app_code_from_secret(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app holding `secret` (base32) shows, `steps_ahead` steps on."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, drift=steps_ahead):06d}"


def app_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    return f"{totp(device.bin_key, drift=steps_ahead):06d}"


@pytest.fixture
def signed_in(admin_browser, staff_phone, outbox):
    """A staff browser through both steps of the admin login."""

    def sign_in():
        browser = admin_browser()
        page = browser.sign_in("sam")
        done = browser.submit(
            page, {"code": outbox.last_code(), "method": "sms", "action": "verify"}
        )
        assert on_admin_index(done)
        return browser

    return sign_in
