"""Rate limits for Open311: every request per client address, and posts per partner key. A
refused request gets 429 with Retry-After, in the spec's error format.

The rates are `open311` and `open311_post` in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], with
the defaults below where the settings name none."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rest_framework.request import Request
from rest_framework.settings import api_settings

from citizen_portal.api.throttling import WindowThrottle
from citizen_portal.open311.services.partner_keys import partner_key_hash

if TYPE_CHECKING:
    from rest_framework.views import APIView


class _Configurable(WindowThrottle):
    default_rate = ""

    def get_rate(self) -> str | None:
        # Read at each request, not at import: settings overrides (tests, operators) apply.
        rates = api_settings.DEFAULT_THROTTLE_RATES or {}
        return str(rates.get(self.scope or "", self.default_rate))


class Open311AddressThrottle(_Configurable):
    """Every request, per client address: reads are public, and a flood of posts with made-up
    keys is refused here before any key is looked up."""

    scope = "open311"
    default_rate = "120/min"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def presented_key(request: Request) -> str | None:
    """The api_key the client sent: in the query string, or (posts) among the form fields."""
    raw = request.query_params.get("api_key")
    if raw is None and request.method == "POST" and isinstance(request.data, Mapping):
        raw = request.data.get("api_key")
    return raw if isinstance(raw, str) else None


class PartnerPostThrottle(_Configurable):
    """Posts, per partner key (its hash: the key itself is not put in the cache)."""

    scope = "open311_post"
    default_rate = "60/min"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        raw = presented_key(request)
        if not raw:
            return None
        return self.cache_format % {"scope": self.scope, "ident": partner_key_hash(raw)}
