from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from huey.contrib.djhuey import HUEY

from citizen_portal.core.health import readiness


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@never_cache
@require_safe
def livez(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. It touches no dependency on purpose: during a database
    or queue outage, an orchestrator that restarted every web process would only add a storm
    of restarts to the outage. Readiness (below) takes a process out of rotation instead."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness (also at its old name, /healthz): 200 when the database, the task queue, the
    cache and the attachment storage answer, 503 naming the failing part if not."""
    checks = readiness(HUEY)
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503
    )
