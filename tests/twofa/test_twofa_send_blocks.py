"""Staff's send blocks as the send policy applies them: on top of
TWOFA_ALLOWED_COUNTRIES, read from the cache, and still applied when the
cache is down."""

import pytest

from accounts.models import User
from tests.documents import PASSWORD, PHONE
from twofa.exceptions import InvalidPhone
from twofa.phone import phone_send_allow
from twofa.services.blocks import send_block_add


class DownCache:
    def get(self, *args, **kwargs):
        raise ConnectionError("cache down")

    def set(self, *args, **kwargs):
        raise ConnectionError("cache down")


@pytest.fixture
def staff(db) -> User:
    return User.objects.create_user("sam", password=PASSWORD, is_staff=True)


def test_a_number_must_be_allowed_by_the_setting_and_not_blocked(staff, settings):
    settings.TWOFA_ALLOWED_COUNTRIES = ["US", "GB"]
    send_block_add(kind="prefix", value="+1415", reason="pumping", by=staff)

    with pytest.raises(InvalidPhone, match="this number"):
        phone_send_allow(number=PHONE, channel="sms")
    with pytest.raises(InvalidPhone, match="this country"):
        phone_send_allow(number="+33612345678", channel="sms")
    phone_send_allow(number="+16505552671", channel="sms")
    phone_send_allow(number="+447400123456", channel="sms")


def test_blocks_apply_with_the_cache_down(staff, monkeypatch):
    send_block_add(kind="country", value="GB", reason="bill", by=staff)
    monkeypatch.setattr("twofa.blocks.cache", DownCache())

    with pytest.raises(InvalidPhone, match="this country"):
        phone_send_allow(number="+447400123456", channel="sms")
    phone_send_allow(number=PHONE, channel="sms")
