"""A plain Django view doing what `{ me { username } }` does, without GraphQL.

Same JWT check and user lookup (accounts.tokens.access_token_authenticate, as
/graphql uses), same JSON answer. Only the benchmark's URLconf routes to it.
"""

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.exceptions import Unauthenticated
from accounts.tokens import access_token_authenticate


@csrf_exempt
@require_POST
def plain_me(request):
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme != "Bearer" or not token:
        return HttpResponse(status=401)
    try:
        user, _claims = access_token_authenticate(token)
    except Unauthenticated:
        return HttpResponse(status=401)
    return JsonResponse({"data": {"me": {"username": user.username}}})
