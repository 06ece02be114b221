"""The daily rollups count exactly, however many sends race for the same row
(one upsert each: no lost update, no duplicate-key error)."""

import pytest

from tests.documents import PHONE
from tests.twofa.test_twofa_challenge_model import needs_postgresql, race
from twofa import rollups
from twofa.models import RefusalRollup, SendRollup, SendSourceRollup


def test_the_prefix_is_the_country_code_and_the_first_digits():
    assert rollups.number_prefix(PHONE) == "+141555"
    assert rollups.number_country(PHONE) == "US"
    assert rollups.number_country("+999") == "ZZ"


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_racing_sends_are_all_counted():
    def send():
        rollups.send_counted(number=PHONE, provider="console", channel="sms", ip="203.0.113.9")
        rollups.refusal_counted("send")

    outcome = race([send] * 12)

    assert outcome == [None] * 12
    assert SendRollup.objects.get().sent == 12
    assert SendSourceRollup.objects.get().sent == 12
    assert RefusalRollup.objects.get().refused == 12
