"""What twofa does when accounts says something happened (accounts knows nothing of 2FA)."""

from django.dispatch import receiver

from accounts.signals import sessions_ended
from twofa.services import challenges_end_pending


@receiver(sessions_ended, dispatch_uid="twofa.challenges_end_pending")
def end_pending_challenges(sender, user, reason, **kwargs):
    challenges_end_pending(user)
