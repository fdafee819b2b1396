"""Rate limits for the API: per token (or signed-in user) and per client address. A refused
request gets 429 with `Retry-After`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

if TYPE_CHECKING:  # rest_framework.views imports this module through its settings
    from rest_framework.views import APIView


class PerTokenThrottle(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        token = getattr(request, "auth", None)
        if token is None or not hasattr(token, "pk"):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}


class PerAddressThrottle(SimpleRateThrottle):
    scope = "address"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class CodeRequestThrottle(PerAddressThrottle):
    """Requests for one-time codes, on top of the per-number limits of the code service."""

    scope = "code"
