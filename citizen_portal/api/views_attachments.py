"""Downloading an attachment with an API token: the same file, the same headers and the same
rule of who may see it as the web page (`complaints:attachment`)."""

from __future__ import annotations

from django.http import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from citizen_portal.accounts.models import User
from citizen_portal.api.serializers_common import errors
from citizen_portal.complaints.selectors.attachments import attachment_for
from citizen_portal.complaints.views_attachments import attachment_response


class AttachmentView(APIView):
    @extend_schema(
        operation_id="attachment_download",
        tags=["complaints"],
        summary="Download an attachment",
        description=(
            "The file as stored (photos re-encoded without metadata), with `Content-Type` from "
            "its content, `Content-Disposition: inline`, `X-Content-Type-Options: nosniff`. "
            "One byte range is answered with 206. Files the user may not see answer 404."
        ),
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            **errors(401, 404, 429),
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponseBase:
        user = request.user
        assert isinstance(user, User)
        return attachment_response(request._request, attachment_for(user, pk))
