"""API v1 for citizens: their complaints. List and lodge, read one and its timeline, answer the
office's question, and give feedback on a resolution.

Views check who asks and the shape of the input; the complaint services apply the rules, the
same ones as for the web pages (complaints/views.py). Files come with lodging and with an
answer (multipart form data, under `files`); there is no separate upload.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from citizen_portal.accounts.models import User
from citizen_portal.accounts.services.lifecycle import refuse_if_blocked
from citizen_portal.api.selectors_complaints import citizen_complaints
from citizen_portal.api.serializers_common import errors
from citizen_portal.api.serializers_complaints import (
    CITIZEN_ACTIONS,
    ComplaintPageSerializer,
    ComplaintSerializer,
    TimelineSerializer,
    complaint_data,
    event_data,
    summary_data,
)
from citizen_portal.api.serializers_requests import (
    AnswerSerializer,
    AnswerUploadSerializer,
    ComplaintFilterSerializer,
    FeedbackSerializer,
    LodgeSerializer,
    LodgeUploadSerializer,
)
from citizen_portal.api.throttling import PerTokenWriteThrottle
from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.selectors.attachments import attachments_shown
from citizen_portal.complaints.selectors.complaints import complaint_of_citizen, public_timeline
from citizen_portal.complaints.selectors.keyset import (
    Cursor,
    CursorError,
    Keyset,
    Page,
    Paging,
    cursor_decode,
    cursor_encode,
    keyset_page,
    parse_moment,
)
from citizen_portal.complaints.services.citizen_actions import (
    FeedbackInput,
    complaint_give_feedback,
    complaint_provide_info,
)
from citizen_portal.complaints.services.lodging import KEY_PATTERN, complaint_lodge
from citizen_portal.complaints.services.lodging_limits import LodgingLimitReached
from citizen_portal.complaints.services.transition import offered
from citizen_portal.complaints.views_timeline import timeline_entries
from citizen_portal.core.errors import ApplicationError

# --- Shared by the citizens' and the officers' endpoints ----------------------------------------

# PREFIX-YEAR-SEQUENCE-CHECK, e.g. PB-2026-0001234-K (services/references.py); any case.
REFERENCE_PATTERN = r"^[A-Za-z0-9]{1,3}-[0-9]{4}-[0-9]{7,10}-[A-Za-z]$"
_REFERENCE = re.compile(REFERENCE_PATTERN)
REFERENCE = OpenApiParameter(
    "reference",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern=REFERENCE_PATTERN,
    description="The complaint's reference, e.g. PB-2026-0001234-K.",
)


def checked_reference(reference: str) -> str:
    """A reference that cannot be one is not looked up: answered 404 like any unknown one."""
    if not _REFERENCE.fullmatch(reference):
        raise Http404
    return reference


def user_of(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # the views' permissions let only signed-in users through
    return user


def query_of(request: Request) -> dict[str, str]:
    """The query parameters as plain values (the last of repeated ones). Not DRF's form-data
    reading, which takes an empty value for a missing one: `?page_size=` is refused, as its
    schema says, rather than silently read as the default."""
    return request.query_params.dict()


def request_data(request: Request) -> Any:
    """The parsed body. A body larger than the most an upload may carry is refused (413) before
    it is read; a JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused by Django (413).

    Form data (multipart) comes as plain values like JSON, files as a list under `files`: DRF's
    own reading of form data takes an empty or missing field for "not sent" (a missing boolean
    for false), which is neither what the schema says nor safe (`satisfied` missing would file
    an appeal)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.ATTACHMENT_TOTAL_MAX_BYTES + (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0):
        raise RequestDataTooBig
    try:
        data = request.data
    except RequestDataTooBig:
        raise
    except SuspiciousOperation as exc:  # too many fields or files in one form
        raise exceptions.ParseError(_("The request body could not be read.")) from exc
    if not isinstance(data, QueryDict):
        return data
    return {
        name: data.getlist(name) if name == "files" else data.getlist(name)[-1] for name in data
    }


def is_upload(request: Request) -> bool:
    """Whether the body came as form data (multipart), which may carry files."""
    return isinstance(request.data, QueryDict)


def _decode(cursor: str, paging: Paging) -> Cursor:
    try:
        return cursor_decode(cursor, paging)
    except CursorError:
        raise serializers.ValidationError(
            {"cursor": [_("This cursor is not valid; start again from the first page.")]}
        ) from None


@dataclass(frozen=True)
class Links:
    page: Page
    next: str | None
    previous: str | None


def paginate(
    request: Request, complaints: QuerySet[Complaint], paging: Paging, query: dict[str, Any]
) -> Links:
    """One page of `complaints`, with the addresses of the pages before and after it."""
    cursor = _decode(query["cursor"], paging) if query.get("cursor") else None
    page = keyset_page(complaints, paging.keyset, size=query["page_size"], cursor=cursor)
    url = request.build_absolute_uri()

    def link(item: Complaint, backwards: bool) -> str:
        value = getattr(item, paging.keyset.field)
        return replace_query_param(url, "cursor", cursor_encode(value, item.pk, backwards))

    items = page.items
    return Links(
        page,
        next=link(items[-1], False) if page.has_next and items else None,
        previous=link(items[0], True) if page.has_previous and items else None,
    )


# --- Citizens -----------------------------------------------------------------------------------


class IsCitizen(BasePermission):
    message = _("This is for citizens' accounts; officers use /api/v1/work/.")
    code = "wrong_account"

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(getattr(request.user, "is_citizen", False))


class CitizenView(APIView):
    permission_classes = [IsAuthenticated, IsCitizen]
    # Lodging, answers and feedback also count against a per-token rate of their own.
    throttle_classes = [*APIView.throttle_classes, PerTokenWriteThrottle]

    def complaint(self, request: Request, reference: str) -> Complaint:
        """The citizen's own complaint; anyone else's is answered 404, as if it did not exist."""
        return complaint_of_citizen(user_of(request), checked_reference(reference))

    def detail(self, request: Request, reference: str, **kwargs: Any) -> Response:
        user = user_of(request)
        complaint = complaint_of_citizen(user, reference)
        return Response(complaint_data(complaint, user), **kwargs)  # ComplaintSerializer's form


def _require(user: User, complaint: Complaint, name: str, refusal: StrOrPromise) -> None:
    """Refuse (409) what the complaint's state does not allow the citizen now; a blocked
    citizen is refused everything (403)."""
    refuse_if_blocked(user)
    if not CITIZEN_ACTIONS[name] & set(offered(user, complaint)):
        raise ApplicationError(refusal, code="invalid_transition")


BY_LODGING = Paging(Keyset("created_at", descending=True), parse_moment)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    pattern=KEY_PATTERN.pattern,
    description="Optional; 8 to 64 letters, digits or - _ . : (a UUID will do). A retry with "
    "the same key within 24 hours returns the complaint the first request lodged (200) "
    "instead of lodging another; the same key with other content is refused (409).",
)
UPLOADS = (
    "There is no separate upload: files come with lodging, with an answer, or with an officer's "
    "resolution. Send JSON, or multipart form data to attach files (several, each under the "
    "name `files`): "
    "photos (JPEG, PNG, WebP), PDF documents, audio and video, within the portal's limits "
    "(ATTACHMENT_* settings: by default 5 files, 10 MB each, 25 MB for audio and video, 60 MB "
    "in all). Files are checked by their content; one refused file refuses the request (400) "
    "and nothing is saved."
)


class LimitReached(exceptions.Throttled):
    """429 with Retry-After and the lodging limit's own message (DRF's would append an English
    sentence about seconds)."""

    def __init__(self, refusal: LodgingLimitReached) -> None:
        super().__init__(detail=str(refusal.message), code=refusal.code)
        self.wait = refusal.retry_after


class ComplaintsView(CitizenView):
    @extend_schema(
        operation_id="complaints_list",
        tags=["complaints"],
        summary="The citizen's complaints and suggestions, newest first",
        parameters=[ComplaintFilterSerializer],
        responses={200: ComplaintPageSerializer, **errors(400, 401, 403, 429)},
    )
    def get(self, request: Request) -> Response:
        query = ComplaintFilterSerializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        complaints = citizen_complaints(
            user_of(request), status=filters.get("status"), kind=filters.get("kind")
        )
        links = paginate(request, complaints, BY_LODGING, filters)
        body = {
            "next": links.next,
            "previous": links.previous,
            "results": [summary_data(c) for c in links.page.items],
        }
        return Response(ComplaintPageSerializer(body).data)

    @extend_schema(
        operation_id="complaints_lodge",
        tags=["complaints"],
        summary="Lodge a complaint or a suggestion",
        description="It is numbered and sent at once to the office responsible for its category "
        "in its district. " + UPLOADS,
        parameters=[IDEMPOTENCY_KEY],
        request={
            "application/json": LodgeSerializer,
            "multipart/form-data": LodgeUploadSerializer,
        },
        responses={
            201: OpenApiResponse(ComplaintSerializer, description="Lodged."),
            200: OpenApiResponse(
                ComplaintSerializer,
                description="A retry with the same Idempotency-Key: what the first one lodged.",
            ),
            **errors(400, 401, 403, 409, 413, 415, 429),
        },
    )
    def post(self, request: Request) -> Response:
        user = user_of(request)
        data = request_data(request)
        form = (LodgeUploadSerializer if is_upload(request) else LodgeSerializer)(data=data)
        form.is_valid(raise_exception=True)
        # A retry returns the complaint lodged before this request began; only a new one is
        # created after it (a concurrent twin that lost the race is told 201 as well).
        started = timezone.now()
        try:
            complaint = complaint_lodge(
                citizen=user,
                data=form.complaint_input(language=get_language() or settings.LANGUAGE_CODE),
                idempotency_key=request.headers.get("Idempotency-Key"),
                files=form.validated_data.get("files", []),
            )
        except LodgingLimitReached as exc:
            raise LimitReached(exc) from None
        if complaint.created_at < started:  # a retry: what the first request lodged
            return self.detail(request, complaint.reference, status=200)
        # Just created by this request: answer from the object in hand, not a second read.
        return Response(complaint_data(complaint, user), status=201)


class ComplaintDetailView(CitizenView):
    @extend_schema(
        operation_id="complaints_retrieve",
        tags=["complaints"],
        summary="One of the citizen's complaints",
        parameters=[REFERENCE],
        responses={200: ComplaintSerializer, **errors(401, 403, 404, 429)},
    )
    def get(self, request: Request, reference: str) -> Response:
        return self.detail(request, self.complaint(request, reference).reference)


class ComplaintTimelineView(CitizenView):
    @extend_schema(
        operation_id="complaints_timeline",
        tags=["complaints"],
        summary="The complaint's timeline, as the citizen sees it",
        description="Public events only: officers' internal notes and instructions are left "
        "out. Each event lists the files that came with it.",
        parameters=[REFERENCE],
        responses={200: TimelineSerializer, **errors(401, 403, 404, 429)},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = user_of(request)
        complaint = self.complaint(request, reference)
        entries = timeline_entries(
            public_timeline(complaint),
            staff=False,
            attachments=attachments_shown(user, complaint),
        )
        body = {"events": [event_data(entry, request) for entry in entries]}
        return Response(TimelineSerializer(body).data)


class ComplaintAnswerView(CitizenView):
    @extend_schema(
        operation_id="complaints_answer",
        tags=["complaints"],
        summary="Answer the office's request for information",
        description="Possible while `allowed_actions` has `answer`. The office's deadline runs "
        "again, moved on by the working days it waited. " + UPLOADS,
        parameters=[REFERENCE],
        request={
            "application/json": AnswerSerializer,
            "multipart/form-data": AnswerUploadSerializer,
        },
        responses={200: ComplaintSerializer, **errors(400, 401, 403, 404, 409, 413, 415, 429)},
    )
    def post(self, request: Request, reference: str) -> Response:
        user = user_of(request)
        complaint = self.complaint(request, reference)
        _require(user, complaint, "answer", _("Nothing has been asked of you on this complaint."))
        data = request_data(request)
        form = (AnswerUploadSerializer if is_upload(request) else AnswerSerializer)(data=data)
        form.is_valid(raise_exception=True)
        complaint_provide_info(
            complaint=complaint,
            citizen=user,
            answer=form.validated_data["answer"],
            files=form.validated_data.get("files", []),
        )
        return self.detail(request, complaint.reference)


class ComplaintFeedbackView(CitizenView):
    @extend_schema(
        operation_id="complaints_feedback",
        tags=["complaints"],
        summary="Confirm or dispute the resolution",
        description="Possible while `allowed_actions` has `feedback` (the complaint is "
        "resolved). `satisfied: true` closes it; `false` is an appeal: the first goes to the "
        "officer above the one who resolved it, the second to the government's complaint "
        "cell; after that the resolution stands and the complaint is closed.",
        parameters=[REFERENCE],
        request=FeedbackSerializer,
        responses={200: ComplaintSerializer, **errors(400, 401, 403, 404, 409, 413, 415, 429)},
    )
    def post(self, request: Request, reference: str) -> Response:
        user = user_of(request)
        complaint = self.complaint(request, reference)
        refusal = _("Feedback can be given once the complaint is resolved.")
        _require(user, complaint, "feedback", refusal)
        form = FeedbackSerializer(data=request_data(request))
        form.is_valid(raise_exception=True)
        verdict = form.validated_data
        complaint_give_feedback(
            complaint=complaint,
            citizen=user,
            data=FeedbackInput(
                satisfied=verdict["satisfied"], rating=verdict["rating"], comment=verdict["comment"]
            ),
        )
        return self.detail(request, complaint.reference)
