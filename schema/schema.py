"""The root schema: the apps' Query and Mutation classes, stitched together."""

import graphene

import accounts.schema
import polls.schema
import twofa.schema


class Query(accounts.schema.Query, polls.schema.Query, graphene.ObjectType):
    pass


class Mutation(
    accounts.schema.Mutation, twofa.schema.Mutation, polls.schema.Mutation, graphene.ObjectType
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
