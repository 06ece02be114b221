import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The address of the client that sent the request.

    REMOTE_ADDR, unless TRUSTED_PROXY_COUNT says how many proxies in front of
    us append to X-Forwarded-For; then the address that the outermost trusted
    proxy saw. A client-supplied X-Forwarded-For is never trusted by default.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < hops:
        return remote
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
