"""Who may read /metrics: a client whose address is in METRICS_ALLOWED_IPS (addresses or
networks, e.g. "127.0.0.1,::1,10.20.0.0/16"), or one that sends
`Authorization: Bearer <METRICS_TOKEN>` when a token is set. The address is REMOTE_ADDR, as
everywhere in the portal: behind a reverse proxy every request comes from the proxy, so the
proxy must not pass /metrics through (docs/operators.md, "Monitoring")."""

from __future__ import annotations

import hmac
import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def allowed_networks(entries: list[str]) -> list[Network]:
    networks: list[Network] = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            logger.warning("METRICS_ALLOWED_IPS: not an address or network", extra={"entry": entry})
    return networks


def _address_allowed(request: HttpRequest) -> bool:
    try:
        address = ipaddress.ip_address(str(request.META.get("REMOTE_ADDR") or ""))
    except ValueError:
        return False
    return any(address in network for network in allowed_networks(settings.METRICS_ALLOWED_IPS))


def _token_given(request: HttpRequest) -> bool:
    token: str = settings.METRICS_TOKEN
    if not token:
        return False
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


def may_scrape(request: HttpRequest) -> bool:
    return _address_allowed(request) or _token_given(request)
