"""An attacker who knows the password tries every code the server lets them try for an hour.

The clock is simulated: whenever the server says RATE_LIMITED, the attacker
waits exactly `retryAfter` seconds and goes on, until an hour has passed.
"""

import time

from tests.documents import PASSWORD, TOKEN_AUTH, VERIFY_TOKEN

CODE_SPACE = 10**6
HOUR = 3600


def test_an_hour_of_guessing_gets_a_negligible_chance(gql, user_2fa, outbox, monkeypatch):
    start = time.time()
    clock = [start]
    monkeypatch.setattr(time, "time", lambda: clock[0])

    guesses, challenges, per_challenge, next_guess = 0, 0, [], 0
    while clock[0] - start < HOUR:
        login = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
        if not login["codeSent"]:  # a limit or the back-off: a challenge, but no code
            clock[0] += login["retryAfter"]
            continue
        challenge = login["challenge"]
        challenges += 1
        real = outbox.last_code()
        evaluated = 0
        while True:
            guess = f"{next_guess:06d}"
            next_guess += 1
            if guess == real:  # the attacker can't know it; skip so the count stays honest
                continue
            answer = gql(VERIFY_TOKEN, {"challenge": challenge, "code": guess})
            if answer.codes != ["INVALID_CODE"]:
                break
            evaluated += 1
        per_challenge.append(evaluated)
        guesses += evaluated

    chance_per_challenge = max(per_challenge) / CODE_SPACE
    chance_per_hour = guesses / CODE_SPACE
    print(
        f"\nbrute force for one hour: {challenges} challenges, {guesses} codes evaluated; "
        f"success chance {chance_per_challenge:.6%} per challenge, {chance_per_hour:.6%} per hour"
    )
    assert max(per_challenge) == 5
    assert chance_per_challenge <= 5 / CODE_SPACE
    # Sends are capped at 5 per phone per hour window, and the back-off doubles
    # after every dead challenge (60 s, 120 s, 240 s, ...).
    assert challenges <= 6
    assert chance_per_hour <= 30 / CODE_SPACE
