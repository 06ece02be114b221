"""The languages Pollstr speaks, and which one a request or a user gets.

Messages to clients (GraphQL errors, tokenAuth's answer, the admin's login)
and to phones (SMS and voice codes) are in one of settings.LANGUAGES. A user's
own choice (`User.language`) wins over the request's Accept-Language; blank
means "follow the request". Codes here are Django's ("en", "de"); each SMS
provider maps them to its own (twofa/providers/).
"""

from django.conf import settings
from django.utils import translation


def language_codes() -> list[str]:
    """The supported languages' codes, in the order of settings.LANGUAGES."""
    return [code for code, _ in settings.LANGUAGES]


def language_supported(code: str | None) -> str | None:
    """`code` as one of ours ("de-AT" -> "de"), or None if we don't speak it."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def language_current() -> str:
    """The active language (the request's), as one of ours."""
    return language_supported(translation.get_language()) or settings.LANGUAGE_CODE


def language_of(user) -> str:
    """The language to write to `user` in: theirs if set, else the request's."""
    return language_supported(getattr(user, "language", "")) or language_current()
