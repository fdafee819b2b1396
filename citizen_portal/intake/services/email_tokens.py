"""Reply addresses: a notification to a citizen about a complaint says "reply to
reply+c<id>-<mac>@<domain>", so that the reply finds its complaint even when the citizen's mail
program, or the citizen, changes the subject. The MAC (keyed with SECRET_KEY) means an address
cannot be made up for another complaint; the reply is still taken only from the complaint's own
citizen's proved address."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "citizen_portal.intake.reply"
_TOKEN = re.compile(r"^c(\d{1,18})-([0-9a-f]{16})$")


def _mac(complaint_id: int) -> str:
    return salted_hmac(_SALT, str(complaint_id), algorithm="sha256").hexdigest()[:16]


def reply_address(complaint_id: int) -> str:
    """The Reply-To of a notification about this complaint ("" when INTAKE_EMAIL_REPLY_ADDRESS
    is not set: replies then go by the reference in the subject alone)."""
    base = settings.INTAKE_EMAIL_REPLY_ADDRESS
    if not base or "@" not in base:
        return ""
    local, _, domain = base.rpartition("@")
    return f"{local}+c{complaint_id}-{_mac(complaint_id)}@{domain}"


def _tokens(recipients: Iterable[str]) -> list[re.Match[str]]:
    found = []
    for address in recipients:
        local = address.strip().lower().rpartition("@")[0]
        _, plus, token = local.partition("+")
        match = _TOKEN.match(token) if plus else None
        if match:
            found.append(match)
    return found


def complaint_id_from(recipients: Iterable[str]) -> int | None:
    """The complaint a reply address among `recipients` names, if its MAC is right."""
    for match in _tokens(recipients):
        if constant_time_compare(match.group(2), _mac(int(match.group(1)))):
            return int(match.group(1))
    return None


def forged_token(recipients: Sequence[str]) -> bool:
    """Whether a reply address is there but none verifies (made up, or cut short)."""
    tokens = _tokens(recipients)
    return bool(tokens) and complaint_id_from(recipients) is None
