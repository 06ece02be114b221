"""Staff's view of sends and fraud: codes sent, verified and failed per day,
country and provider, the prefixes and client networks with the most
unverified sends, rate-limit refusals, and the country and prefix blocks.

It reads only the daily rollups (twofa.reports), so it stays as fast after a
year as on the first day and outlives retention. Seeing it takes
twofa.view_sendrollup; blocking takes twofa.add_sendblock, lifting a block
twofa.delete_sendblock. staff.admin mounts it as the rollups' list page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse

from core.exceptions import DomainError
from core.http import client_ip
from staff.charts import bars, columns
from twofa import reports
from twofa.models import SendBlock
from twofa.services.blocks import send_block_add, send_block_remove

RANGES = (7, 30)
SENT, VERIFIED, FAILED, UNVERIFIED = "#79aec8", "#44b78b", "#ba2121", "#ba2121"


def _range(request) -> int:
    try:
        days = int(request.GET.get("days", RANGES[0]))
    except ValueError:
        return RANGES[0]
    return days if days in RANGES else RANGES[0]


def _block_change(request) -> None:
    """Add or lift a block from the page's forms; the outcome as a message."""
    action = request.POST.get("action")
    ip = client_ip(request)
    try:
        if action == "block":
            if not request.user.has_perm("twofa.add_sendblock"):
                raise PermissionDenied
            block = send_block_add(
                kind=request.POST.get("kind", ""),
                value=request.POST.get("value", ""),
                reason=request.POST.get("reason", ""),
                by=request.user,
                ip=ip,
            )
            messages.success(request, f"Codes are no longer sent to {block}.")
        elif action == "unblock":
            if not request.user.has_perm("twofa.delete_sendblock"):
                raise PermissionDenied
            try:
                block_id = int(request.POST.get("block", ""))
            except ValueError:
                block_id = 0
            send_block_remove(block_id=block_id, by=request.user, ip=ip)
            messages.success(request, "The block is lifted.")
    except DomainError as exc:
        messages.error(request, exc.message)


def sends_view(request, *, context: dict):
    if request.method == "POST":
        _block_change(request)
        return HttpResponseRedirect(request.get_full_path())
    days = _range(request)
    since = reports.report_since(days)
    per_day = reports.sends_by_day(since)
    prefixes = reports.top_unverified_prefixes(since)
    networks = reports.top_unverified_networks(since)
    refusals = reports.refusals_by_limit(since)
    daily_chart = columns(
        [
            (
                f"{d.day:%m-%d}",
                [
                    (d.sent, SENT, "sent"),
                    (d.verified, VERIFIED, "verified"),
                    (d.failed, FAILED, "failed"),
                ],
            )
            for d in per_day
        ]
    )
    context = {
        **context,
        "title": "Sends and fraud",
        "days": days,
        "ranges": RANGES,
        "since": since,
        "per_day": per_day,
        "daily_chart": daily_chart,
        "rows": reports.sends_by_day_country_provider(since),
        "prefixes": prefixes,
        "prefix_chart": bars(
            [(s.key, s.unverified) for s in prefixes], fill=UNVERIFIED, name="unverified"
        ),
        "networks": networks,
        "network_chart": bars(
            [(s.key, s.unverified) for s in networks], fill=UNVERIFIED, name="unverified"
        ),
        "refusals": refusals,
        "blocks": SendBlock.objects.select_related("created_by").order_by("kind", "value"),
        "block_kinds": SendBlock.Kind.choices,
        "can_block": request.user.has_perm("twofa.add_sendblock"),
        "can_unblock": request.user.has_perm("twofa.delete_sendblock"),
        "colors": {"sent": SENT, "verified": VERIFIED, "failed": FAILED},
    }
    return TemplateResponse(request, "staff/sends.html", context)
