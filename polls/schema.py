import graphene

from polls import pages, selectors, services
from schema.pagination import PageInfo


class ChoiceType(graphene.ObjectType):
    class Meta:
        name = "Choice"
        description = "One answer of a poll."

    id = graphene.ID(required=True, description="The choice's id; pass it to `vote`.")
    text = graphene.String(required=True, description="The answer's text.")
    votes = graphene.Int(required=True, description="How many users voted for this choice.")

    @staticmethod
    def resolve_votes(choice, info):
        return choice.vote_count


class PollType(graphene.ObjectType):
    class Meta:
        name = "Poll"
        description = "A question with choices. Anyone may read; voting needs a 2FA-verified token."

    id = graphene.ID(required=True, description="The poll's id.")
    question = graphene.String(required=True, description="The question.")
    published_at = graphene.DateTime(required=True, description="When the poll was published.")
    choices = graphene.List(
        graphene.NonNull(ChoiceType), required=True, description="The answers, in order."
    )
    total_votes = graphene.Int(required=True, description="How many users voted on this poll.")
    my_vote = graphene.Field(
        ChoiceType, description="The caller's choice; null if none or anonymous."
    )

    @staticmethod
    def resolve_total_votes(poll, info):
        return poll.vote_count

    @staticmethod
    def resolve_choices(poll, info):
        return poll.choices.all()

    @staticmethod
    def resolve_my_vote(poll, info):
        votes = getattr(poll, "my_votes", None)
        if not votes:
            return None
        return next(c for c in poll.choices.all() if c.pk == votes[0].choice_id)


class PollEdge(graphene.ObjectType):
    class Meta:
        description = "One poll of a page, with its place in the order."

    cursor = graphene.String(required=True, description="Pass as `after` to read on from here.")
    node = graphene.Field(PollType, required=True, description="The poll.")

    @staticmethod
    def resolve_cursor(poll, info):
        return pages.cursor_encode(poll)

    @staticmethod
    def resolve_node(poll, info):
        return poll


class PollConnection(graphene.ObjectType):
    class Meta:
        description = "A page of polls, newest first (ties by id)."

    edges = graphene.List(
        graphene.NonNull(PollEdge), required=True, description="The polls of this page."
    )
    page_info = graphene.Field(PageInfo, required=True, description="Where this page sits.")
    total_count = graphene.Int(required=True, description="How many polls there are in all.")

    @staticmethod
    def resolve_edges(page, info):
        return page.polls

    @staticmethod
    def resolve_page_info(page, info):
        return PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=False,
            start_cursor=pages.cursor_encode(page.polls[0]) if page.polls else None,
            end_cursor=pages.cursor_encode(page.polls[-1]) if page.polls else None,
        )

    @staticmethod
    def resolve_total_count(page, info):
        return pages.polls_count()


class VotePayload(graphene.ObjectType):
    poll = graphene.Field(PollType, required=True, description="The poll with updated counts.")


class Vote(graphene.Mutation):
    class Meta:
        description = (
            "Vote for a choice; voting again on the same poll moves the vote. "
            "Needs a 2FA-verified token."
        )

    class Arguments:
        choice_id = graphene.ID(required=True, description="The choice's `id`.")

    Output = VotePayload

    @staticmethod
    def mutate(root, info, choice_id):
        user = info.context.auth.require_second_factor()
        poll_id = services.vote_cast(user, choice_id)
        return VotePayload(poll=selectors.poll_with_counts(poll_id, user=user))


class Query(graphene.ObjectType):
    polls = graphene.List(
        graphene.NonNull(PollType),
        required=True,
        description="All polls, newest first.",
        deprecation_reason="Unbounded: read `pollsConnection` page by page.",
    )
    polls_connection = graphene.Field(
        PollConnection,
        required=True,
        first=graphene.Int(
            description="How many polls (default POLLS_PAGE_SIZE, at most POLLS_PAGE_SIZE_MAX)."
        ),
        after=graphene.String(description="Read on after this cursor (`pageInfo.endCursor`)."),
        description="Polls page by page, newest first (ties by id), with cursors.",
    )
    poll = graphene.Field(
        PollType,
        id=graphene.ID(required=True, description="The poll's `id`."),
        description="One poll; null when unknown.",
    )

    @staticmethod
    def resolve_polls(root, info):
        return selectors.polls_with_counts(user=info.context.auth.optional_user)

    @staticmethod
    def resolve_polls_connection(root, info, first=None, after=None):
        return pages.polls_page(first=first, after=after, user=info.context.auth.optional_user)

    @staticmethod
    def resolve_poll(root, info, id):
        return selectors.poll_with_counts(id, user=info.context.auth.optional_user)


class Mutation(graphene.ObjectType):
    vote = Vote.Field()
