"""Who the client is, as far as the network tells: its address, the key
per-client limits count it under, and the coarse network a user may be shown."""

import ipaddress

from django.conf import settings

# The key every request without a usable client address shares (gunicorn on a
# unix socket with no trusted proxy): such requests are limited together
# rather than not at all.
UNKNOWN_CLIENT = "unknown"


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


def client_network(ip: str) -> str:
    """The key per-client limits count an address under.

    An IPv4 address is one client. An IPv6 address counts as its whole
    network of CLIENT_IPV6_PREFIX_LENGTH bits (a /64 by default: one
    subscriber usually holds a whole /64, so keying full addresses would give
    one client 2^64 budgets). IPv4-mapped IPv6 addresses count as the IPv4
    address. An empty or unparsable address is UNKNOWN_CLIENT, shared by all
    such requests.
    """
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return UNKNOWN_CLIENT
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        prefix = settings.CLIENT_IPV6_PREFIX_LENGTH
        return str(ipaddress.IPv6Network((address, prefix), strict=False))
    return str(address)


def client_network_of(request) -> str:
    """client_network() of the request's client address."""
    return client_network(client_ip(request))


def client_network_coarse(ip: str) -> str:
    """The network an address belongs to, coarse enough to show a user without
    naming the address: the /24 of an IPv4 address, the /48 of an IPv6 one
    (the prefixes that IP anonymisation in web analytics keeps). It tells a
    user "my office" from "somewhere else"; "" for an empty or unparsable address.
    """
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    prefix = 24 if isinstance(address, ipaddress.IPv4Address) else 48
    return str(ipaddress.ip_network((address, prefix), strict=False))
