from django.contrib import admin

from polls.models import Choice, Poll


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 1
    readonly_fields = ("vote_count",)


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ("question", "published_at", "vote_count")
    search_fields = ("question",)
    inlines = [ChoiceInline]
