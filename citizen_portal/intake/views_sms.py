"""The SMS gateway's webhook: one signed POST per message received on the short code.

Answers in the API's error shape ({"error": {"code", "message", "fields"}}):
503 when no secret is configured (the door is shut, never open), 401 for a missing signature
or a timestamp outside the window, 403 for a wrong signature, 413 for a body too large, 400
for a body that is not the promised JSON. A refused request is logged and nothing is stored.
Every accepted message answers 200, whatever became of it, so that the gateway does not retry
what the portal already has.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django_stubs_ext import StrOrPromise

from citizen_portal.api.errors import error_body
from citizen_portal.core.errors import ApplicationError
from citizen_portal.intake.services.sms_inbound import SmsPayloadInvalid, sms_parse, sms_receive
from citizen_portal.intake.services.sms_signature import (
    SignatureRefused,
    signature_check,
    webhook_secrets,
)

logger = logging.getLogger(__name__)

REFUSALS: dict[str, StrOrPromise] = {
    "signature_missing": gettext_lazy("The X-Timestamp and X-Signature headers are required."),
    "timestamp_invalid": gettext_lazy("X-Timestamp must be Unix time in seconds."),
    "timestamp_expired": gettext_lazy("X-Timestamp is outside the accepted window."),
    "signature_invalid": gettext_lazy("The signature does not match."),
}


def _refuse(request: HttpRequest, status: int, code: str, message: str) -> JsonResponse:
    logger.warning(
        "sms webhook refused",
        extra={"code": code, "status": status, "remote": request.META.get("REMOTE_ADDR")},
    )
    return JsonResponse(error_body(code, message), status=status)


# Called by the gateway, which has no session or CSRF cookie: it proves itself by signature.
@csrf_exempt
def sms_webhook(request: HttpRequest) -> JsonResponse:
    if request.method != "POST":
        response = JsonResponse(error_body("method", _("Only POST is accepted.")), status=405)
        response["Allow"] = "POST"
        return response
    if not webhook_secrets():
        return _refuse(request, 503, "disabled", _("SMS intake is not configured."))
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > settings.SMS_WEBHOOK_MAX_BYTES:
        return _refuse(request, 413, "too_large", _("The request is too large."))
    try:
        body = request.body
    except RequestDataTooBig:
        return _refuse(request, 413, "too_large", _("The request is too large."))
    if len(body) > settings.SMS_WEBHOOK_MAX_BYTES:
        return _refuse(request, 413, "too_large", _("The request is too large."))
    try:
        signature_check(
            timestamp=request.headers.get("X-Timestamp"),
            signature=request.headers.get("X-Signature"),
            body=body,
        )
    except SignatureRefused as refused:
        return _refuse(request, refused.status, refused.code, str(REFUSALS[refused.code]))
    try:
        sms = sms_parse(body)
    except SmsPayloadInvalid as exc:
        return JsonResponse(error_body(exc.code, str(exc.message), exc.fields), status=400)
    except ApplicationError as exc:
        return JsonResponse(error_body(exc.code, str(exc.message)), status=400)
    inbound = sms_receive(sms=sms)
    return JsonResponse({"id": inbound.pk, "status": inbound.status})
