"""Writing the audit log: one row in AuditRecord and the same record as one JSON log line on
the `citizen_portal.audit` logger (core/logging.py formats it in production).

Both copies on purpose: the row is what the admin searches, and the log line reaches the
log collector even when the surrounding transaction rolls back (a failed attempt whose
request fails) or the database is the thing under attack.

What is never written: a password, a one-time or authenticator code, a token, a session key,
a full identity document or mobile number. Callers pass labels already masked
(`actor_label_of`, `masked_username`); `record` still removes any detail whose key names a
secret, so that a careless caller leaks a key name, not a value.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from typing import Any

from django.db import models

from citizen_portal.accounts.models import User, mask_phone
from citizen_portal.audit.models import AuditAction, AuditOutcome, AuditRecord
from citizen_portal.audit.safe_text import escaped, escaped_value
from citizen_portal.core.request_id import current_request_id
from citizen_portal.integrity.fingerprint import current_request

logger = logging.getLogger("citizen_portal.audit")

REMOVED = "[removed]"
# Keys of details whose values are secrets or full personal numbers, whoever passes them.
_SECRET_KEY = re.compile(
    r"pass|secret|token|otp|session|cookie|csrf|cnic|nicop|document_number|^code$|_code$|key$",
    re.IGNORECASE,
)
# What a typed username looks like when it is a mobile number (citizens log in with theirs).
_PHONE_LIKE = re.compile(r"\+?[\d\s()-]{7,}")


def masked_username(username: str) -> str:
    """A username as typed at a login: masked when it is a mobile number."""
    username = str(username).strip()
    if _PHONE_LIKE.fullmatch(username):
        return mask_phone(re.sub(r"[^\d+]", "", username))
    return username


def actor_label_of(user: Any) -> str:
    """Who, in words that identify without disclosing: a staff member's username, a citizen's
    masked number (a citizen's username is their number)."""
    if not isinstance(user, User):
        return ""
    if user.is_citizen:
        return user.masked_phone or masked_username(user.username)
    return user.username


def _scrubbed(details: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in details.items():
        if _SECRET_KEY.search(str(key)):
            clean[str(key)] = REMOVED
        elif isinstance(value, dict):
            clean[str(key)] = _scrubbed(value)
        else:
            clean[str(key)] = value
    return clean


def _address(request: Any) -> str | None:
    address = str(getattr(request, "META", {}).get("REMOTE_ADDR") or "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _request_id(request: Any) -> str:
    return current_request_id() or str(getattr(request, "portal_request_id", "") or "")


def record(
    action: AuditAction,
    *,
    outcome: AuditOutcome = AuditOutcome.SUCCESS,
    actor: User | None = None,
    actor_label: str | None = None,
    target: models.Model | None = None,
    target_label: str = "",
    details: dict[str, Any] | None = None,
    request: Any = None,
) -> AuditRecord:
    """Write one audit record. The actor defaults to the signed-in user of the request being
    served; the address and request id come from that request (core/proxy.py has already
    put the client's address in REMOTE_ADDR). `target_label` must already be masked."""
    request = request if request is not None else current_request()
    if actor is None:
        user = getattr(request, "user", None)
        actor = user if isinstance(user, User) and user.is_authenticated else None
    entry = AuditRecord.objects.create(
        actor=actor,
        actor_label=escaped(actor_label if actor_label is not None else actor_label_of(actor), 150),
        action=action,
        outcome=outcome,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_label=escaped(target_label, 255),
        ip_address=_address(request),
        request_id=escaped(_request_id(request), 64),
        details=escaped_value(_scrubbed(details or {})),
    )
    _log(entry)
    return entry


def _log(entry: AuditRecord) -> None:
    """One line, whatever the formatter: every string was escaped on the way in, and the
    details travel as compact JSON with non-ASCII escaped too."""
    fields = {
        "audit_id": entry.pk,
        "action": entry.action,
        "outcome": entry.outcome,
        "actor_id": entry.actor_id or "",
        "actor": entry.actor_label,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target": entry.target_label,
        "ip": entry.ip_address or "",
        "audit_request_id": entry.request_id,
        "details": json.dumps(entry.details, ensure_ascii=True, separators=(",", ":")),
    }
    level = logging.INFO if entry.outcome == AuditOutcome.SUCCESS else logging.WARNING
    logger.log(
        level,
        "audit %s %s actor=%s target=%s:%s",
        entry.action,
        entry.outcome,
        entry.actor_label or "-",
        entry.target_type or "-",
        entry.target_id or "-",
        extra=fields,
    )
