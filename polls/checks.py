"""System checks for the polls' settings that a deployment can get wrong."""

from django.conf import settings
from django.core import checks


@checks.register()
def check_page_sizes(app_configs, **kwargs):
    """A default page larger than the largest allowed would refuse every plain request."""
    size, largest = settings.POLLS_PAGE_SIZE, settings.POLLS_PAGE_SIZE_MAX
    if 1 <= size <= largest:
        return []
    return [
        checks.Error(
            f"POLLS_PAGE_SIZE ({size}) must be between 1 and POLLS_PAGE_SIZE_MAX ({largest}).",
            hint="Set POLLS_PAGE_SIZE to a positive number no larger than POLLS_PAGE_SIZE_MAX.",
            id="polls.E001",
        )
    ]
