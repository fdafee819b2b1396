"""Rate limits for the API: per token (or signed-in user) and per client address. A refused
request gets 429 with `Retry-After`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

if TYPE_CHECKING:  # rest_framework.views imports this module through its settings
    from rest_framework.views import APIView


class WindowThrottle(SimpleRateThrottle):
    """A rate counted in fixed windows of the rate's period (a minute, an hour) with one atomic
    increment in the cache. DRF's SimpleRateThrottle keeps a list of every request's time in
    the period and reads and writes it whole at each request: its cost grows with the rate
    (thousands of entries at benchmark rates), and with a shared cache it moves that list over
    the network twice a request. A fixed window may let up to twice the rate through across a
    window's edge, which is acceptable for these limits."""

    window_end: float = 0.0
    # Set by SimpleRateThrottle.__init__ from the rate ("300/min": 300 and 60).
    num_requests: int
    duration: int

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        key = f"{self.key}:{window}"
        # add() only creates the counter; incr() is atomic in Django's caches (and in Redis).
        self.cache.add(key, 0, self.duration + 1)
        try:
            count = self.cache.incr(key)
        except ValueError:  # evicted between add and incr
            self.cache.set(key, 1, self.duration + 1)
            count = 1
        self.window_end = (window + 1) * self.duration
        return int(count) <= self.num_requests

    def wait(self) -> float:
        return max(0.0, self.window_end - self.now)


class PerTokenThrottle(WindowThrottle):
    scope = "token"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        token = getattr(request, "auth", None)
        if token is None or not hasattr(token, "pk"):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}


class PerAddressThrottle(WindowThrottle):
    scope = "address"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class CodeRequestThrottle(SimpleRateThrottle):
    """Requests for one-time codes, on top of the per-number limits of the code service. A
    sliding window (DRF's list of request times, at most ten long): each code costs an SMS, so
    no burst across a window's edge."""

    scope = "code"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class _RateFromSettings(WindowThrottle):
    """A rate read from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] at each request (not at import,
    as SimpleRateThrottle does), so that operators' and tests' settings apply; `default_rate`
    where the settings name none."""

    default_rate = ""

    def get_rate(self) -> str | None:
        rates = api_settings.DEFAULT_THROTTLE_RATES or {}
        return str(rates.get(self.scope or "", self.default_rate))


class LoginThrottle(_RateFromSettings):
    """Logins (a citizen's code and password, a staff password and authenticator code) per
    client address. django-axes locks a login after repeated failures and the code service
    limits wrong codes per number; this bounds one address trying many accounts. Generous:
    many citizens share an address behind a mobile carrier's NAT."""

    scope = "login"
    default_rate = "30/min"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PerTokenWriteThrottle(_RateFromSettings):
    """Writes (lodging, answers, feedback) per token, on top of the per-token rate that reads
    share: a script holding one token cannot spend the whole rate on writes. The lodging
    limits per citizen (complaints/services/lodging_limits.py) hold whatever the rate."""

    scope = "token_write"
    default_rate = "30/min"

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        token = getattr(request, "auth", None)
        if token is None or not hasattr(token, "pk"):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
