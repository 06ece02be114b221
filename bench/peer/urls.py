"""The peer's routes, mounted under /drf/ by bench/urls.py only."""

from django.urls import path

from .views import LoginView, MeView, PollListView, VoteView

urlpatterns = [
    path("me", MeView.as_view()),
    path("polls", PollListView.as_view()),
    path("vote", VoteView.as_view()),
    path("login", LoginView.as_view()),
]
