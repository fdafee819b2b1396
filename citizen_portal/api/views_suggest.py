"""API v1: category suggestions for the apps (issue 14): the three most likely categories, with
their departments, for the problem in the citizen's own words, as the website's lodge form
shows them (intelligence/views.py). The model is intelligence/selectors/suggest.py's; with no
model trained yet the answer is an empty list."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from citizen_portal.accounts.services.lifecycle import refuse_if_blocked
from citizen_portal.api.serializers_common import errors
from citizen_portal.api.serializers_suggest import (
    SuggestInputSerializer,
    SuggestionsSerializer,
    suggestions_data,
)
from citizen_portal.api.views_complaints import request_data, user_of
from citizen_portal.intelligence.selectors.suggest import suggest_categories

SUGGESTED = 3


class CategorySuggestView(APIView):
    # Any signed-in account (a citizen's token or a staff one), limited like the other reads
    # (the API's default per-token and per-address rates). JSON only: nothing to upload.
    parser_classes: list[type[BaseParser]] = [JSONParser]

    @extend_schema(
        tags=["reference"],
        operation_id="categories_suggest",
        summary="Suggest categories for the problem in the citizen's words",
        description="The three most likely categories, most likely first, each with the "
        "department that serves `district` (when given) and a score from 0 to 1. Empty when "
        "nothing is likely enough or no model has been trained yet. A blocked citizen, who "
        "cannot lodge, is refused (403).",
        request=SuggestInputSerializer,
        responses={200: SuggestionsSerializer, **errors(400, 401, 403, 429)},
        examples=[
            OpenApiExample(
                "Over-billing",
                request_only=True,
                value={"text": "My electricity bill is three times the usual"},
            )
        ],
    )
    def post(self, request: Request) -> Response:
        refuse_if_blocked(user_of(request))
        given = SuggestInputSerializer(data=request_data(request))
        given.is_valid(raise_exception=True)
        found = suggest_categories(
            given.validated_data["text"],
            district=given.validated_data.get("district"),
            limit=SUGGESTED,
        )
        # Built as SuggestionsSerializer documents it (plain values already).
        return Response(suggestions_data(found))
