"""API v1 for officers: the inbox, drops to review, a complaint's work page, and every action on
a complaint.

The rules are the web page's (complaints/views_officer.py): the same complaints are visible
(`complaint_for_staff`), the same actions are offered (`offered`), each action's input goes
through the same web form and the same step (`STEPS`). An action that is not offered is refused
(403) before anything reaches a service; a service's refusal is 400 or 409 (api/errors.py).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from citizen_portal.api.serializers_actions import (
    ACTION_BODY,
    ACTION_INPUTS,
    ACTION_UPLOAD_BODY,
    OFFICER_ACTIONS,
    step_input,
)
from citizen_portal.api.serializers_common import errors
from citizen_portal.api.serializers_work import (
    ActionResultSerializer,
    DropPageSerializer,
    InboxFilterSerializer,
    InboxPageSerializer,
    PageFilterSerializer,
    WorkDetailSerializer,
    action_result_data,
    drop_item_data,
    inbox_item_data,
    work_detail_data,
)
from citizen_portal.api.views_complaints import (
    REFERENCE,
    checked_reference,
    is_upload,
    paginate,
    query_of,
    request_data,
    user_of,
)
from citizen_portal.complaints.models import Action
from citizen_portal.complaints.selectors.complaints import complaint_for_staff, drops_to_review
from citizen_portal.complaints.selectors.inbox import (
    RUNNING,
    InboxQuery,
    Sort,
    Tab,
    inbox_complaints,
    inbox_scope,
)
from citizen_portal.complaints.selectors.keyset import Keyset, Paging, parse_moment
from citizen_portal.complaints.services.transition import offered
from citizen_portal.complaints.views_officer import STEPS
from citizen_portal.core import clock
from citizen_portal.core.errors import NotAllowed


class IsOfficer(BasePermission):
    message = _("This is for officers' accounts; citizens use /api/v1/complaints/.")
    code = "wrong_account"

    def has_permission(self, request: Request, view: APIView) -> bool:
        return getattr(request.user, "is_citizen", True) is False


class OfficerView(APIView):
    permission_classes = [IsAuthenticated, IsOfficer]


BY_DROP = Paging(Keyset("closed_at"), parse_moment)


class InboxView(OfficerView):
    @extend_schema(
        operation_id="work_inbox",
        tags=["work"],
        summary="The officer's inbox, most urgent deadline first",
        description="The complaints at the posts you hold and at vacant posts reporting to "
        "them, while they are yours to act on (as the web inbox).",
        parameters=[InboxFilterSerializer],
        responses={200: InboxPageSerializer, **errors(400, 401, 403, 429)},
    )
    def get(self, request: Request) -> Response:
        query = InboxFilterSerializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        given = query.validated_data
        tab = given.get("tab") or Tab.ALL
        if given["overdue"] and tab == Tab.ALL:
            tab = Tab.OVERDUE
        wanted = InboxQuery(
            tab=tab,
            status=given.get("status"),
            category=given.get("category"),
            area=given.get("area"),
            channel=given.get("channel"),
            kind=given.get("kind"),
            older_than_days=given.get("older_than_days"),
            escalated=given["escalated"],
            search=given.get("q", ""),
            sort=given["sort"],
        )
        scope = inbox_scope(user_of(request))
        complaints = inbox_complaints(scope, wanted)
        if given["overdue"] and tab != Tab.OVERDUE:
            complaints = complaints.filter(status__in=RUNNING, due_on__lt=clock.today())
        links = paginate(request, complaints, Sort.PAGINGS[wanted.sort], given)
        vacant = set(scope.vacant)
        body = {
            "next": links.next,
            "previous": links.previous,
            "results": [inbox_item_data(c, vacant) for c in links.page.items],
        }
        return Response(body)  # already in InboxPageSerializer's form (inbox_item_data)


class DropsToReviewView(OfficerView):
    @extend_schema(
        operation_id="work_drops_to_review",
        tags=["work"],
        summary="Drops at posts below yours, to uphold or overturn",
        description="Complaints dropped in the last 30 days at any post below one you hold, "
        "not yet reviewed; oldest first. Review one with the action `review_drop`.",
        parameters=[PageFilterSerializer],
        responses={200: DropPageSerializer, **errors(400, 401, 403, 429)},
    )
    def get(self, request: Request) -> Response:
        query = PageFilterSerializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        links = paginate(request, drops_to_review(user_of(request)), BY_DROP, query.validated_data)
        body = {
            "next": links.next,
            "previous": links.previous,
            "results": [drop_item_data(c) for c in links.page.items],
        }
        return Response(DropPageSerializer(body).data)


class WorkDetailView(OfficerView):
    @extend_schema(
        operation_id="work_retrieve",
        tags=["work"],
        summary="A complaint as the officer sees it, with its full timeline",
        description="Internal notes and instructions included; the citizen's number masked. "
        "`actions` lists what you may do now; `positions` the posts `mark_down` and `route` "
        "may send it to.",
        parameters=[REFERENCE],
        responses={200: WorkDetailSerializer, **errors(401, 403, 404, 429)},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = user_of(request)
        complaint = complaint_for_staff(user, checked_reference(reference))
        return Response(WorkDetailSerializer(work_detail_data(complaint, user, request)).data)


ACTION = OpenApiParameter(
    "action",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=[action.value for action in OFFICER_ACTIONS],
    description="The action; the operation's description says which body it takes.",
)
# Which body goes with which action, for the operation's description.
BODIES = "\n".join(
    f"- `{action.value}`: {ACTION_INPUTS[action].__name__}Request" for action in OFFICER_ACTIONS
)


class ComplaintActionView(OfficerView):
    @extend_schema(
        operation_id="work_act",
        tags=["work"],
        summary="Take an action on a complaint",
        description="The body depends on the action in the path; with multipart form data, "
        "`resolve` also takes evidence files under `files`:\n\n"
        + BODIES
        + "\n\nOnly the actions in the work detail's `actions` are allowed (403 otherwise); "
        "an unknown action is 404.",
        parameters=[REFERENCE, ACTION],
        request={"application/json": ACTION_BODY, "multipart/form-data": ACTION_UPLOAD_BODY},
        responses={200: ActionResultSerializer, **errors(400, 401, 403, 404, 409, 413, 415, 429)},
    )
    def post(self, request: Request, reference: str, action: str) -> Response:
        user = user_of(request)
        complaint = complaint_for_staff(user, checked_reference(reference))
        chosen = Action(action) if action in Action.values else None
        if chosen is None or chosen not in OFFICER_ACTIONS:
            raise Http404
        if chosen not in offered(user, complaint):
            # Not offered on the page, so not to be done: nothing reaches the service.
            raise NotAllowed(_("You may not do this on this complaint."), code="not_offered")
        data = request_data(request)
        cleaned = step_input(chosen, complaint, data, upload=is_upload(request))
        step = STEPS[chosen]
        moved = step.perform(complaint, user, cleaned)
        position = moved.assigned_position
        message = str(step.done) % {"ref": moved.reference, "position": position or "—"}
        return Response(ActionResultSerializer(action_result_data(moved, user, message)).data)
