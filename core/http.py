def client_ip(request) -> str:
    """The address of the client that sent the request.

    Only REMOTE_ADDR: a client-supplied X-Forwarded-For is never trusted.
    """
    return request.META.get("REMOTE_ADDR", "") or ""
