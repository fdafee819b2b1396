"""Every address the portal answers, read from Django's URL resolver: what the access matrix must
cover, so that an address added without a declared rule fails the build."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

# Django's admin site is one entry, "admin:*": AdminSite guards every one of its ~100 addresses
# with the same check (an active staff account; then Django's model permissions), so the matrix
# probes its index and the most sensitive list (accounts) rather than each model's pages.
ADMIN = "admin:*"


def route_key(pattern: URLPattern, prefix: str, namespace: str) -> str:
    """A route's name with its namespace ("complaints:detail"), or its full pattern when it has
    no name ("api/^(?P<rest>.*)$")."""
    if pattern.name:
        return f"{namespace}{pattern.name}"
    return f"{prefix}{pattern.pattern}"


def _walk(patterns: Sequence[Any], prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
    """(key, full pattern) of every route, the admin site's as one."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                yield ADMIN, f"{prefix}{entry.pattern}"
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, f"{prefix}{entry.pattern}", inner)
        elif isinstance(entry, URLPattern):
            yield route_key(entry, prefix, namespace), f"{prefix}{entry.pattern}"


def all_routes() -> list[str]:
    """Each route once, in the order the resolver tries them. A second pattern under a name
    already taken is a route of its own, keyed "name (pattern)", so that it needs its own rule
    (a probe with that route and a `path`) instead of hiding behind the first one's."""
    found: list[str] = []
    for key, pattern in _walk(get_resolver().url_patterns, "", ""):
        if key in found:
            if key == ADMIN:
                continue
            key = f"{key} ({pattern})"
        found.append(key)
    return found
