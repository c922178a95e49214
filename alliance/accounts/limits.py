"""Rate limits on every way in, and on every email or SMS a visitor can trigger
(ADR 0010). One entry point for every path, ours and those added later:

    @rate_limit("code_email", account=posted("email"))
    def request_code(request): ...

or, inside a view that learns the account only later, `check_rate(request, "sms",
account=phone_number)`. Each call counts the request against the limits of its
scope in settings.ALLIANCE_RATE_LIMITS (per client IP, and per account when one is
given); past a limit it raises `RateLimited`, which the ratelimit middleware turns
into a 429 page before the view changed anything.

The counters live in Django's cache through django-ratelimit. The progressive delay
of one account's password (services.check_password_sign_in) is apart: it is stored
on the account, since it must survive a cache flush."""

import functools
import ipaddress

from django.conf import settings
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited


class RateLimited(Ratelimited):
    """Too many requests of one scope from one client or for one account."""

    def __init__(self, retry_after: int):
        super().__init__()
        self.retry_after = max(1, retry_after)


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or behind ALLIANCE_PROXY_COUNT reverse
    proxies the address the outermost one saw. An IPv6 client is counted by its /64,
    which one household or device usually holds whole."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.ALLIANCE_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def rates_of(scope: str) -> dict:
    limits = settings.ALLIANCE_RATE_LIMITS
    return limits.get(scope, limits["default"])


def check_rate(request, scope: str, *, account=None) -> None:
    """Counts this request in `scope`, per client IP and, when `account` is given (an
    email as typed, a phone number, an account id), per account whether it exists or
    not. Raises RateLimited past any of the limits."""
    keys = {"ip": client_ip(request)}
    if account is not None and str(account).strip():
        keys["account"] = str(account).strip().lower()
    retry_after = None
    for kind, value in keys.items():
        rate = rates_of(scope).get(kind)
        if not rate:
            continue
        usage = get_usage(
            request,
            group=f"alliance:{scope}:{kind}",
            key=lambda _group, _request, value=value: value,
            rate=rate,
            increment=True,
        )
        if usage is not None and usage["should_limit"]:
            retry_after = max(retry_after or 0, usage["time_left"])
    if retry_after is not None:
        raise RateLimited(retry_after)


def posted(field: str):
    """The account key of a form that names it: the value typed in `field`."""
    return lambda request: request.POST.get(field, "")


def signed_in_user(request):
    """The account key of a page of one's own account."""
    return request.user.pk if request.user.is_authenticated else None


def rate_limit(scope: str, *, account=None):
    """Limits the POSTs of a view (a GET shows a form and changes nothing).
    `account(request)` returns the account key, or None."""

    def decorator(view):
        @functools.wraps(view)
        def limited(request, *args, **kwargs):
            if request.method == "POST":
                check_rate(request, scope, account=account(request) if account else None)
            return view(request, *args, **kwargs)

        return limited

    return decorator


def progressive_delay(failures: int, *, free: int, first: int, cap: int) -> int:
    """Seconds to wait before the next password attempt after `failures` failures in
    a row: nothing for the first `free` ones, then `first`, doubling up to `cap`."""
    if failures <= free:
        return 0
    return min(cap, first * 2 ** min(failures - free - 1, 32))
