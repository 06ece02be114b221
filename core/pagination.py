"""A paginator for the admin's lists of big tables: it never counts the whole table.

Django's changelist asks the paginator for a count on every page view, and
COUNT(*) over millions of rows reads them all. This one counts at most
COUNT_CAP + 1 rows (a COUNT over a LIMITed subquery, which stops early), so a
list shows "10000+" pages' worth at most and filters narrow it from there.
Use it with `show_full_result_count = False`, which drops the other count.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        return self.object_list[: COUNT_CAP + 1].count()
