"""API v1 for officers: their own scorecard, the figures at the top of the web inbox
(complaints/selectors/performance.py; definitions in docs/performance.md)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from citizen_portal.api.serializers_common import errors
from citizen_portal.api.serializers_scorecard import (
    ScorecardPeriodSerializer,
    ScorecardSerializer,
    scorecard_data,
)
from citizen_portal.api.views_complaints import query_of, user_of
from citizen_portal.api.views_work import OfficerView
from citizen_portal.complaints.selectors.performance import scorecard_for


class ScorecardView(OfficerView):
    @extend_schema(
        operation_id="work_scorecard",
        tags=["work"],
        summary="Your own scorecard: received, resolved on time, overdue, reopened, days, "
        "satisfaction",
        description="Your figures as a position holder over a period of days (default: the "
        "last 90 days, today included), counted as leadership counts them: credit and blame go "
        "to whoever held the post at the time. A period is at most 366 days and ends today at "
        "the latest.",
        parameters=[ScorecardPeriodSerializer],
        responses={200: ScorecardSerializer, **errors(400, 401, 403, 429)},
    )
    def get(self, request: Request) -> Response:
        query = ScorecardPeriodSerializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        period = query.validated_data
        card = scorecard_for(user_of(request), since=period["since"], until=period["until"])
        return Response(ScorecardSerializer(scorecard_data(card)).data)
