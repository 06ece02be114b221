"""The root schema: the apps' Query and Mutation classes, stitched together."""

import graphene

import accounts.schema
import polls.schema
import twofa.schema
from schema.errors import ErrorCodeEnum


class Query(accounts.schema.Query, polls.schema.Query, graphene.ObjectType):
    pass


class Mutation(
    accounts.schema.Mutation, twofa.schema.Mutation, polls.schema.Mutation, graphene.ObjectType
):
    pass


# ErrorCode is listed by hand: no field returns it, and a schema holds only the
# types it can reach unless told.
schema = graphene.Schema(query=Query, mutation=Mutation, types=[ErrorCodeEnum])
