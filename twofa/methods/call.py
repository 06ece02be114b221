"""A code read out by a voice call to the user's verified phone (landlines take calls, not SMS)."""

from twofa.methods.base import PhoneCodeMethod


class CallMethod(PhoneCodeMethod):
    key = "call"
    amr = "tel"
