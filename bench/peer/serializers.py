"""Serializers of the peer: the same fields the GraphQL documents ask for."""

from rest_framework import serializers

from polls.models import Choice, Poll


class UserSerializer(serializers.Serializer):
    username = serializers.CharField()


class ChoiceSerializer(serializers.ModelSerializer):
    votes = serializers.IntegerField(source="vote_count")

    class Meta:
        model = Choice
        fields = ["id", "text", "votes"]


class PollSerializer(serializers.ModelSerializer):
    choices = ChoiceSerializer(many=True)
    total_votes = serializers.IntegerField(source="vote_count")
    my_vote = serializers.SerializerMethodField()

    class Meta:
        model = Poll
        fields = ["id", "question", "published_at", "total_votes", "my_vote", "choices"]

    def get_my_vote(self, poll):
        votes = getattr(poll, "my_votes", None)
        return votes[0].choice_id if votes else None


class VoteSerializer(serializers.Serializer):
    choice_id = serializers.IntegerField()
