"""A code sent by text message to the user's verified phone."""

from twofa.methods.base import PhoneCodeMethod


class SmsMethod(PhoneCodeMethod):
    key = "sms"
    amr = "sms"
