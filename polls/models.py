"""Polls, their choices and the users' votes.

Each poll and choice stores its vote count (`vote_count`), so reading a page of
polls never counts the vote table. The counts are kept by database triggers on
the vote table (migration 0002): the statement that casts, moves or deletes a
vote (including Django's cascades from a deleted user, choice or poll) updates
the counts in the same statement, under the same row locks. `manage.py
recount_votes` recounts from the vote rows and reports any drift.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class CountedModel(models.Model):
    """A row whose `vote_count` only the vote triggers and recount_votes write."""

    vote_count = models.IntegerField(
        default=0, editable=False, help_text="Votes, kept by the vote table's triggers."
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Saving a loaded row (the admin's form) would write back a count read
        # earlier, undoing the votes cast since: an update leaves the count alone.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "vote_count"
            ]
        super().save(*args, **kwargs)


class Poll(CountedModel):
    question = models.CharField(max_length=200)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            # The keyset pagination's order (polls/selectors.py).
            models.Index(fields=["-published_at", "-id"], name="poll_newest_first"),
        ]

    def __str__(self) -> str:
        return self.question


class Choice(CountedModel):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=200)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    """A user's one vote on a poll; voting again moves it to another choice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="votes")
    voted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "poll"], name="one_vote_per_user_per_poll")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.choice_id}"
