"""GeoReport v2 endpoints: one view per resource, the format from the address's extension.

Views check the input and the partner key; the lodging service enforces the portal's rules.
None of these views is in the portal's OpenAPI schema: GeoReport is their specification."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import BaseParser, FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from citizen_portal.api.models import PartnerKey
from citizen_portal.open311.errors import Open311Error, open311_exception_handler
from citizen_portal.open311.outputs import (
    CreatedRequestSerializer,
    ServiceDefinitionSerializer,
    ServiceRequestSerializer,
    ServiceSerializer,
    TokenSerializer,
    represent,
)
from citizen_portal.open311.renderers import (
    Open311JSONRenderer,
    Open311XMLRenderer,
    SuffixNegotiation,
)
from citizen_portal.open311.selectors.catalogue import service_for, services_list
from citizen_portal.open311.selectors.requests import (
    request_by_reference,
    request_by_token,
    requests_matching,
)
from citizen_portal.open311.serializers import (
    RequestFilterSerializer,
    ServiceRequestInputSerializer,
    request_payload,
)
from citizen_portal.open311.services.partner_keys import partner_key_find, partner_key_touch
from citizen_portal.open311.services.requests import open311_request_create
from citizen_portal.open311.throttling import (
    Open311AddressThrottle,
    PartnerPostThrottle,
    presented_key,
)

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this discovery document, or what the endpoint offers, last changed.
CHANGESET = "2026-11-30T00:00:00Z"


@extend_schema(exclude=True)
class Open311View(APIView):
    """What every GeoReport endpoint shares: formats, errors, limits, no session or token."""

    authentication_classes = []
    permission_classes: Sequence[type[BasePermission]] = [AllowAny]
    renderer_classes: Sequence[type[BaseRenderer]] = [Open311JSONRenderer, Open311XMLRenderer]
    parser_classes: Sequence[type[BaseParser]] = [FormParser, MultiPartParser, JSONParser]
    content_negotiation_class = SuffixNegotiation
    throttle_classes: Sequence[type[BaseThrottle]] = [Open311AddressThrottle]
    metadata_class = None  # OPTIONS answers 405, in the spec's error format
    xml_root = "service_requests"
    xml_item = "request"

    def get_exception_handler(self) -> Callable[[Exception, dict[str, Any]], Response | None]:
        return open311_exception_handler

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # No code, reference or token contains a NUL character, and PostgreSQL refuses to
        # compare text that does: answer "not found" before any lookup.
        if any("\x00" in str(value) for value in kwargs.values()):
            raise Open311Error(_("Not found."), status_code=status.HTTP_404_NOT_FOUND)


def partner_of(request: Request, *, required: bool) -> PartnerKey | None:
    """The partner whose api_key came with the request. A key that is sent must be valid,
    even where none is needed: a partner should learn at once that its key stopped working."""
    raw = presented_key(request)
    if not raw:
        if required:
            raise Open311Error(_("api_key is required."), status_code=status.HTTP_403_FORBIDDEN)
        return None
    key = partner_key_find(raw)
    if key is None:
        raise Open311Error(_("Invalid api_key."), status_code=status.HTTP_403_FORBIDDEN)
    partner_key_touch(key)
    return key


class DiscoveryView(Open311View):
    xml_root = "discovery"

    def get(self, request: Request, format: str) -> Response:
        base = settings.PORTAL_BASE_URL.rstrip("/")
        return Response(
            {
                "changeset": CHANGESET,
                "contact": _("The portal's administrators: %(url)s") % {"url": base},
                "key_service": _(
                    "Partner organisations receive an api_key from the portal's administrators."
                ),
                "endpoints": [
                    {
                        "specification": SPECIFICATION,
                        "url": base + reverse("open311:unknown", kwargs={"rest": ""}),
                        "changeset": CHANGESET,
                        "type": "production" if settings.PRODUCTION else "test",
                        "formats": [Open311XMLRenderer.media_type, Open311JSONRenderer.media_type],
                    }
                ],
            }
        )


class ServiceListView(Open311View):
    xml_root, xml_item = "services", "service"

    def get(self, request: Request, format: str) -> Response:
        return Response(represent(ServiceSerializer, services_list()))


class ServiceDefinitionView(Open311View):
    xml_root = "service_definition"

    def get(self, request: Request, service_code: str, format: str) -> Response:
        category = service_for(service_code)
        if category is None:
            raise Open311Error(
                _("Not a service of this portal: %s") % service_code,
                status_code=status.HTTP_404_NOT_FOUND,
            )
        return Response(ServiceDefinitionSerializer(category).data)


class RequestsView(Open311View):
    """GET: requests by reference or by filter. POST: a partner lodges a complaint."""

    def get_throttles(self) -> list[BaseThrottle]:
        throttles = super().get_throttles()
        if self.request.method == "POST":
            throttles.append(PartnerPostThrottle())
        return throttles

    def get(self, request: Request, format: str) -> HttpResponseBase:
        partner = partner_of(request, required=False)
        query = RequestFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if partner is not None:  # a partner sees its own requests' descriptions: never cached
            complaints = requests_matching(query.to_filter())
            owner_id = partner.account_id
            return Response(represent(ServiceRequestSerializer, complaints, owner_id=owner_id))
        # The public list (up to 1,000 requests) is the same for every anonymous caller: it is
        # kept for OPEN311_PUBLIC_CACHE_SECONDS, so that a crowd of map widgets polling it does
        # not cost a thousand rows each time. What is kept is the rendered body (JSON or XML):
        # keeping the rows and rendering them again for every caller cost a third of the CPU,
        # and the thousands of small objects each copy made left each web process 200 MB
        # larger (fragmented, not leaked; issue 7's benchmark).
        seconds = settings.OPEN311_PUBLIC_CACHE_SECONDS
        if not seconds:
            return Response(
                represent(ServiceRequestSerializer, requests_matching(query.to_filter()))
            )
        key = _public_key(request, format)
        kept = cache.get(key)
        if kept is not None:
            body, content_type = kept
            response: HttpResponseBase = HttpResponse(body, content_type=content_type)
        else:
            response = self.finalize_response(
                request,
                Response(represent(ServiceRequestSerializer, requests_matching(query.to_filter()))),
            )
            assert isinstance(response, Response)
            response.render()
            cache.set(key, (response.content, response["Content-Type"]), seconds)
        patch_cache_control(response, public=True, max_age=seconds)
        return response

    def post(self, request: Request, format: str) -> Response:
        partner = partner_of(request, required=True)
        assert partner is not None
        if request.FILES:
            # GeoReport v2 has no uploads; dropping a reporter's photo unseen would be worse
            # than refusing it.
            raise Open311Error(_("Files are not accepted: send a media_url instead."))
        posted = ServiceRequestInputSerializer(data=request_payload(request.data))
        posted.is_valid(raise_exception=True)
        complaint = open311_request_create(
            partner=partner,
            data=posted.to_input(),
            language=get_language() or settings.LANGUAGE_CODE,
            # A retry with the same key returns the first request instead of lodging twice.
            idempotency_key=request.headers.get("Idempotency-Key"),
        )
        return Response(
            represent(CreatedRequestSerializer, [complaint]), status=status.HTTP_201_CREATED
        )


def _public_key(request: Request, format: str) -> str:
    """The cache key of an anonymous list: its language, format and query, in a stable order."""
    query = sorted(request.query_params.lists())
    raw = json.dumps([get_language(), format, query], ensure_ascii=False)
    return "open311:requests:" + hashlib.sha256(raw.encode()).hexdigest()


class RequestDetailView(Open311View):
    def get(self, request: Request, service_request_id: str, format: str) -> Response:
        partner = partner_of(request, required=False)
        complaint = request_by_reference(service_request_id)
        if complaint is None:
            raise Open311Error(
                _("No service request %s.") % service_request_id,
                status_code=status.HTTP_404_NOT_FOUND,
            )
        owner_id = partner.account_id if partner is not None else None
        return Response(represent(ServiceRequestSerializer, [complaint], owner_id=owner_id))


class TokenView(Open311View):
    """A token is the Idempotency-Key a partner sent with its post. Posts are answered with
    the reference at once, so a partner needs this only after losing an answer; tokens are
    the partner's own, so its api_key is required."""

    def get(self, request: Request, token: str, format: str) -> Response:
        partner = partner_of(request, required=True)
        assert partner is not None
        complaint = request_by_token(account_id=partner.account_id, token=token)
        if complaint is None:
            raise Open311Error(_("Unknown token."), status_code=status.HTTP_404_NOT_FOUND)
        return Response(represent(TokenSerializer, [complaint], token=token))


class UnknownView(Open311View):
    """Any other address under /open311/v2/: 404 in the spec's format (XML for *.xml)."""

    def get_format_suffix(self, **kwargs: Any) -> str | None:
        return "xml" if str(kwargs.get("rest", "")).endswith(".xml") else None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        raise Open311Error(_("Not a GeoReport v2 resource."), status_code=404)
