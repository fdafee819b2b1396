"""The client's address behind a reverse proxy.

Behind nginx every request reaches the portal from nginx's address, so rate limits per
address (codes sent, logins, accessibility reports), django-axes and the integrity signals
would see one client for the whole country. nginx appends the address it saw to
`X-Forwarded-For`; this middleware, first in the stack, replaces `REMOTE_ADDR` with the
right-most address in that header that is **not** one of our own proxies
(`TRUSTED_PROXIES`, addresses or networks). Anything to the left of it was written by the
client and is not believed: a client cannot choose the address its limits are counted on.

With `TRUSTED_PROXIES` empty (the embedded default, no proxy) the header is ignored.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(remote: str, forwarded: str, proxies: Iterable[str]) -> str:
    """The address to count the request on: `remote` unless it is a trusted proxy, then the
    right-most untrusted, well-formed address of `forwarded` (X-Forwarded-For)."""
    networks = _networks(tuple(proxies))
    if not networks or not _trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote  # a malformed hop: stop believing the chain here
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else remote


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        proxies = settings.TRUSTED_PROXIES
        if proxies:
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("REMOTE_ADDR", ""),
                request.META.get("HTTP_X_FORWARDED_FOR", ""),
                proxies,
            )
        return self.get_response(request)
