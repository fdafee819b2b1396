"""Progressive delays as a login nears its lock-out (the issue's "progressive delays where a
limit is near"; CAPTCHA-free, for accessibility).

django-axes locks a username and address pair for an hour after AXES_FAILURE_LIMIT failures.
Before that, from the second failure, the next try must wait 2, then 4, then 8… seconds (at
most LOGIN_PACE_MAX_WAIT_SECONDS) after the last failure: a person retyping a password never
notices, a script guessing passwords is slowed at once. LOGIN_PACE_MAX_WAIT_SECONDS = 0 turns
the pause off. A try that comes too soon is refused
without being checked and without counting as a failure, and the answer says how long to wait.
Nothing sleeps on the server: a waiting request would hold a web worker, which an attacker
could use to exhaust them.

The failures are axes' own count (AccessAttempt, kept per username and address, its
attempt_time being the last failure's), so the pace and the lock-out agree and reset together
on a successful login.
"""

from __future__ import annotations

import math

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from citizen_portal.core.errors import ApplicationError

FIRST_PACED_FAILURE = 2


class LoginTooSoon(ApplicationError):  # noqa: N818 (reads as what happened)
    def __init__(self, seconds: int) -> None:
        message = ngettext(
            "Please wait %(seconds)d second before trying again.",
            "Please wait %(seconds)d seconds before trying again.",
            seconds,
        ) % {"seconds": seconds}
        super().__init__(message, code="too_soon")
        self.seconds = seconds


def login_wait_seconds(*, request: HttpRequest, username: str) -> int:
    """Whole seconds before this address may try `username` again; 0 when it may now."""
    if settings.LOGIN_PACE_MAX_WAIT_SECONDS <= 0:
        return 0
    last = (
        AccessAttempt.objects.filter(username=username, ip_address=get_client_ip_address(request))
        .order_by("-attempt_time")
        .values_list("failures_since_start", "attempt_time")
        .first()
    )
    if last is None or last[0] < FIRST_PACED_FAILURE:
        return 0
    failures, at = last
    wait = min(2 ** (int(failures) - 1), int(settings.LOGIN_PACE_MAX_WAIT_SECONDS))
    elapsed: float = (timezone.now() - at).total_seconds()
    return int(max(0, math.ceil(wait - elapsed)))


def login_pace_check(*, request: HttpRequest, username: str) -> None:
    """Raise LoginTooSoon when this try comes before its wait is over."""
    seconds = login_wait_seconds(request=request, username=username)
    if seconds > 0:
        raise LoginTooSoon(seconds)
