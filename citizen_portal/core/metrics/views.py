from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from citizen_portal.core.metrics.access import may_scrape
from citizen_portal.core.metrics.scrape import exposition


# Exempt from CSRF so that a POST, too, gets the 404 (it changes nothing either way).
@csrf_exempt
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus's text format. Anyone else gets the site's ordinary 404, whatever the method:
    the address does not even admit that it exists."""
    if not may_scrape(request):
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    body, content_type = exposition()
    return HttpResponse(body, content_type=content_type)
