from django.contrib import admin
from django.db.models import Count

from polls.models import Choice, Poll


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 1


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ("question", "published_at", "total_votes")
    search_fields = ("question",)
    inlines = [ChoiceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(vote_total=Count("votes"))

    @admin.display(description="Votes", ordering="vote_total")
    def total_votes(self, poll):
        return poll.vote_total
