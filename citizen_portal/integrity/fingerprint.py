"""The client's fingerprint: keyed hashes of its address and of its browser's user agent.

`ClientFingerprintMiddleware` keeps the request being served in a context variable, so that
the receivers (receivers.py) can fingerprint a citizen's feedback without the complaints
services knowing about it, and records where staff act from after each of their POSTs.

The address is REMOTE_ADDR, as everywhere else in the portal (django-axes, the reveal log):
behind a proxy, the operator makes the proxy set it (docs/operators.md).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from citizen_portal.accounts.crypto import blind_index
from citizen_portal.accounts.models import User

_current: ContextVar[HttpRequest | None] = ContextVar("integrity_request", default=None)
# Set on a request whose staff fingerprint is already recorded (at login), so that the
# middleware does not record it twice.
RECORDED = "_integrity_recorded"


@dataclass(frozen=True)
class ClientFingerprint:
    ip_hash: str
    agent_hash: str


def fingerprint_of(request: HttpRequest) -> ClientFingerprint | None:
    """Keyed hashes, never the values: the key is the blind-index key (accounts/crypto.py),
    and the prefixes keep an address from ever hashing like a user agent. None without an
    address (a request made up inside the process): nothing to match."""
    address = str(request.META.get("REMOTE_ADDR") or "")
    if not address:
        return None
    agent = str(request.META.get("HTTP_USER_AGENT") or "")[:500]
    return ClientFingerprint(
        ip_hash=blind_index(f"integrity-ip:{address}"),
        agent_hash=blind_index(f"integrity-ua:{agent}"),
    )


def current_request() -> HttpRequest | None:
    """The request being served on this thread (or task), if any."""
    return _current.get()


def staff_user(request: HttpRequest) -> User | None:
    """The request's user if it is a signed-in staff member. Read after the view: the REST
    API authenticates inside the view and sets the user on the underlying request then."""
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated and not user.is_citizen:
        return user
    return None


class ClientFingerprintMiddleware:
    """Keeps the request in `_current` while it is served; after a staff member's POST (an
    action on a complaint, a login step), records where they acted from."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if request.method == "POST" and not getattr(request, RECORDED, False):
            user = staff_user(request)
            fingerprint = fingerprint_of(request)
            if user is not None and fingerprint is not None:
                # Imported here: services import the models, which need the app registry.
                from citizen_portal.integrity.services.fingerprints import staff_seen

                staff_seen(user=user, fingerprint=fingerprint)
        return response
