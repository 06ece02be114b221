"""Views of the peer: me, a page of polls, vote, and password login."""

from rest_framework import generics
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView

from core.exceptions import NotFound
from polls import selectors, services

from .serializers import PollSerializer, UserSerializer, VoteSerializer


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response(UserSerializer(request.user).data)


class PollPagination(CursorPagination):
    page_size = 20  # the GraphQL page's default (POLLS_PAGE_SIZE)
    ordering = ("-published_at", "-id")


class PollListView(generics.ListAPIView):
    serializer_class = PollSerializer
    pagination_class = PollPagination

    def get_queryset(self):
        user = self.request.user if self.request.user.is_authenticated else None
        return selectors.polls_with_counts(user=user)


class VoteView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request):
        serializer = VoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            poll_id = services.vote_cast(request.user, serializer.validated_data["choice_id"])
        except NotFound:
            return Response({"detail": "No choice with that id."}, status=404)
        poll = selectors.poll_with_counts(poll_id, user=request.user)
        return Response(PollSerializer(poll).data)


class LoginView(TokenObtainPairView):
    """simplejwt's password login: username and password in, a token pair out."""
