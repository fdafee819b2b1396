"""Reference data for apps: areas, tiers, departments, categories and out-of-scope grounds.

Public (apps need it before anyone logs in), limited per client address, and cacheable: each
answer carries a strong ETag and `Cache-Control: public, max-age=300`, and a request whose
`If-None-Match` holds that ETag is answered 304 with no body."""

from __future__ import annotations

import hashlib
from typing import Any

from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from citizen_portal.api.selectors_reference import (
    areas_list,
    categories_list,
    category_by_code,
    department_ids_on_portal,
    departments_list,
    tiers_list,
)
from citizen_portal.api.serializers_common import errors
from citizen_portal.api.serializers_reference import (
    AREA_PARAMETERS,
    CATEGORY_PARAMETERS,
    CODE_PATTERN,
    DEPARTMENT_PARAMETERS,
    AreaFilterSerializer,
    AreaSerializer,
    CategoryFilterSerializer,
    CategorySerializer,
    DepartmentFilterSerializer,
    DepartmentSerializer,
    OutOfScopeGroundSerializer,
    TierSerializer,
    code_is_valid,
)
from citizen_portal.api.throttling import PerAddressThrottle
from citizen_portal.directory.selectors.catalogue import out_of_scope_grounds

MAX_AGE = 300

# The schema of the caching every reference endpoint shares.
CACHE_PARAMETERS = [
    OpenApiParameter(
        "If-None-Match",
        str,
        OpenApiParameter.HEADER,
        description="The ETag of a copy the client holds: if unchanged, the answer is 304.",
    ),
    OpenApiParameter(
        "ETag",
        str,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="Strong validator of this answer (it differs per language).",
    ),
    OpenApiParameter(
        "Cache-Control",
        str,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description=f"public, max-age={MAX_AGE}",
    ),
]
NOT_MODIFIED = OpenApiResponse(description="Not modified: the copy with this ETag is current.")


def _responses(ok: Any, *statuses: int) -> dict[int, Any]:
    return {200: ok, 304: NOT_MODIFIED, **errors(*statuses, 429)}


class ReferenceView(APIView):
    # No authentication at all: a stale token must not turn public data into a 401, and the
    # answer must not depend on who asks, or a shared cache could not keep it.
    authentication_classes: list[type[BaseAuthentication]] = []
    permission_classes = [AllowAny]
    throttle_classes: list[type[BaseThrottle]] = [PerAddressThrottle]

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == status.HTTP_200_OK:
            self._make_cacheable(request, response)
        return response

    @staticmethod
    def _make_cacheable(request: Request, response: Response) -> None:
        # The ETag is a hash of the body: always right, whatever changed the data (admin,
        # bulk import, loader), at the cost of building the answer before a 304. A version
        # key would save the queries but needs every writer of the directory to bump it.
        response.render()
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        # The language comes from Accept-Language or the language cookie (LocaleMiddleware).
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        held = parse_etags(request.headers.get("If-None-Match", ""))
        if "*" in held or etag in [tag.removeprefix("W/") for tag in held]:
            response.status_code = status.HTTP_304_NOT_MODIFIED
            response.content = b""
            del response["Content-Type"]


class AreaListView(ReferenceView):
    @extend_schema(
        tags=["reference"],
        operation_id="areas_list",
        summary="Administrative units",
        description="Provinces when called without filters; a unit's children with `parent`; "
        "a whole level with `level` (tehsils only below a `parent`). Active units only unless "
        "`include_retired`.",
        parameters=[*AREA_PARAMETERS, *CACHE_PARAMETERS],
        responses=_responses(AreaSerializer(many=True), 400),
    )
    def get(self, request: Request) -> Response:
        query = AreaFilterSerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        units = areas_list(
            level=query.validated_data["level"],
            parent=query.validated_data.get("parent"),
            include_retired=query.validated_data["include_retired"],
        )
        return Response(AreaSerializer(units, many=True).data)


class TierListView(ReferenceView):
    @extend_schema(
        tags=["reference"],
        operation_id="tiers_list",
        summary="Tiers of government",
        parameters=CACHE_PARAMETERS,
        responses=_responses(TierSerializer(many=True)),
    )
    def get(self, request: Request) -> Response:
        return Response(TierSerializer(tiers_list(), many=True).data)


class DepartmentListView(ReferenceView):
    @extend_schema(
        tags=["reference"],
        operation_id="departments_list",
        summary="Departments",
        description="Active departments, of one tier with `tier`. `on_portal` tells whether a "
        "department takes complaints through the portal now.",
        parameters=[*DEPARTMENT_PARAMETERS, *CACHE_PARAMETERS],
        responses=_responses(DepartmentSerializer(many=True), 400),
    )
    def get(self, request: Request) -> Response:
        query = DepartmentFilterSerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        departments = departments_list(tier=query.validated_data.get("tier"))
        context = {"on_portal": department_ids_on_portal()}
        return Response(DepartmentSerializer(departments, many=True, context=context).data)


class CategoryListView(ReferenceView):
    @extend_schema(
        tags=["reference"],
        operation_id="categories_list",
        summary="Complaint categories",
        description="Active categories of a `department` (its whole tree, parents first) or the "
        "subcategories of a `parent`; one of the two is required. `lodgeable` tells whether a "
        "complaint can be lodged under a category now.",
        parameters=[*CATEGORY_PARAMETERS, *CACHE_PARAMETERS],
        responses=_responses(CategorySerializer(many=True), 400),
    )
    def get(self, request: Request) -> Response:
        query = CategoryFilterSerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        categories = categories_list(
            department=query.validated_data.get("department"),
            parent=query.validated_data.get("parent"),
        )
        context = {"on_portal": department_ids_on_portal()}
        return Response(CategorySerializer(categories, many=True, context=context).data)


class CategoryDetailView(ReferenceView):
    @extend_schema(
        tags=["reference"],
        operation_id="categories_retrieve",
        summary="One complaint category",
        description="Any category by code, retired ones too (is_active false): complaints filed "
        "under them still name them.",
        parameters=[
            OpenApiParameter(
                "code",
                str,
                OpenApiParameter.PATH,
                pattern=CODE_PATTERN,
                examples=[OpenApiExample("LESCO over-billing", value="FED-LESCO.BILL.OVER")],
            ),
            *CACHE_PARAMETERS,
        ],
        responses=_responses(CategorySerializer, 404),
    )
    def get(self, request: Request, code: str) -> Response:
        category = category_by_code(code) if code_is_valid(code) else None
        if category is None:
            raise exceptions.NotFound()
        context = {"on_portal": department_ids_on_portal()}
        return Response(CategorySerializer(category, context=context).data)


class OutOfScopeListView(ReferenceView):
    @extend_schema(
        tags=["reference"],
        operation_id="out_of_scope_list",
        summary="Grounds on which the portal cannot take a matter",
        parameters=CACHE_PARAMETERS,
        responses=_responses(OutOfScopeGroundSerializer(many=True)),
    )
    def get(self, request: Request) -> Response:
        return Response(OutOfScopeGroundSerializer(out_of_scope_grounds(), many=True).data)
