"""Deleting old rows in small batches, for the apps' prune commands.

One short transaction per batch of primary keys: a prune of millions of rows
never holds locks on many rows at once nor keeps one transaction open for
long, so the requests writing the same tables carry on meanwhile.
"""

from django.db import transaction

DEFAULT_BATCH_SIZE = 1000


def batched_delete(queryset, *, batch_size: int = DEFAULT_BATCH_SIZE, dry_run: bool = False) -> int:
    """Delete every row of `queryset`, `batch_size` rows per transaction; the count.

    With `dry_run` nothing is deleted: the count is of what would be.
    """
    if dry_run:
        return queryset.count()
    model = queryset.model
    label = model._meta.label
    deleted = 0
    while True:
        pks = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not pks:
            return deleted
        with transaction.atomic():
            # The filter again: a row that changed since it was read stays.
            _, per_model = queryset.filter(pk__in=pks).delete()
        deleted += per_model.get(label, 0)
