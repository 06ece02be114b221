"""The comparison stack for `make bench`: Django REST framework + simplejwt.

Written the way DRF's own documentation shows it (APIView and generic views,
serializers, simplejwt's JWTAuthentication, CursorPagination), not tuned
beyond it, and calling the same selectors and the same vote statement as
/graphql. Only bench/urls.py routes to it; the served URLconf never does, and
its packages are bench-only (bench/requirements.txt).
"""
