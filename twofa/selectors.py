from accounts.models import User
from twofa.models import PhoneNumber


def phone_number_for(user: User) -> PhoneNumber | None:
    """The user's verified phone, or None. Reads the reverse one-to-one once."""
    try:
        return user.phone_number
    except PhoneNumber.DoesNotExist:
        return None


def twofa_enabled(user: User) -> bool:
    return phone_number_for(user) is not None
