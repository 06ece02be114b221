_MAX_PK = 2**63 - 1


def pk_parse(value) -> int | None:
    """A GraphQL ID as a primary key, or None if it can't be one."""
    try:
        pk = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk <= _MAX_PK else None
