"""Noting a refused request (403) in the audit log."""

from __future__ import annotations

from django.http import HttpRequest

from citizen_portal.audit.models import AuditAction, AuditOutcome, AuditRecord
from citizen_portal.audit.services.records import record

_NOTED = "_portal_refusal_noted"


def refusal_record(request: HttpRequest) -> AuditRecord:
    """The path without its query string (which may carry a searched name or number)."""
    setattr(request, _NOTED, True)
    return record(
        AuditAction.ACCESS_DENIED,
        outcome=AuditOutcome.DENIED,
        target_label=request.path,
        details={"method": request.method, "path": request.path},
        request=request,
    )


def refusal_noted(request: HttpRequest) -> bool:
    return bool(getattr(request, _NOTED, False))
