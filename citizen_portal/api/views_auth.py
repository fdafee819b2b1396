"""API v1 auth: citizens sign in with a code sent by SMS and their password, staff with their
password and authenticator app; either way the answer is a bearer token for this device.

The rules are the web's (accounts/views.py, views_staff.py), through the same services:
- No answer tells a stranger whether a number is registered: a code goes to any valid
  mobile number, and only the person who proves the number learns more.
- The code proves the phone, the password the person: a new device needs both, as on the web.
- Wrong passwords and wrong staff codes count towards django-axes' lockout, shared with the
  web's login pages (same username, same address).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any, cast

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in, user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from citizen_portal.accounts.models import OneTimeCode, User
from citizen_portal.accounts.services.citizens import (
    RegistrationInput,
    citizen_by_phone,
    citizen_register,
)
from citizen_portal.accounts.services.lifecycle import account_release_unproved_phone
from citizen_portal.accounts.services.login_pace import LoginTooSoon, login_pace_check
from citizen_portal.accounts.services.otp import otp_consume, otp_send, otp_verify, resend_wait
from citizen_portal.accounts.services.two_factor import has_totp, second_factor_check
from citizen_portal.api.models import ApiToken
from citizen_portal.api.serializers_auth import (
    AuthChallengeSerializer,
    AuthCodeSerializer,
    AuthRegistrationSerializer,
    AuthRevokedSerializer,
    AuthStaffLoginSerializer,
    AuthTokenIssuedSerializer,
    AuthTokenSerializer,
    AuthUserSerializer,
    AuthVerifySerializer,
)
from citizen_portal.api.serializers_common import errors
from citizen_portal.api.services.tokens import (
    token_issue,
    token_revoke,
    tokens_live,
    tokens_revoke_others,
)
from citizen_portal.api.throttling import CodeRequestThrottle, LoginThrottle, PerAddressThrottle
from citizen_portal.core.errors import ApplicationError, NotAllowed


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """Describes `Authorization: Bearer <token>` in the OpenAPI schema, for every API view."""

    target_class = "citizen_portal.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}


RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    int,
    OpenApiParameter.HEADER,
    response=[429],
    description="Seconds to wait before trying again.",
)
HOUR, DAY = timedelta(hours=1), timedelta(hours=24)


class _TooMany(Throttled):
    """429 with Retry-After and the service's own message (DRF would append an English one)."""

    def __init__(self, message: StrOrPromise, *, code: str, wait: float) -> None:
        super().__init__(detail=str(message), code=code)
        self.wait = max(1, math.ceil(wait))


def _until_below(times: list[datetime], limit: int, window: timedelta, now: datetime) -> float:
    """Seconds until fewer than `limit` of `times` (oldest first) lie inside the window."""
    excess = len(times) - limit
    return 0.0 if excess < 0 else (times[excess] + window - now).total_seconds()


def _code_retry_after(*, phone: str, ip: str | None) -> float:
    """When the code service would send a code to `phone` for `ip` again: the latest of its
    limits that refuse now (accounts/services/otp.py gives one error code to three of them)."""
    now = timezone.now()
    waits = [0.0]
    if ip:
        asked = OneTimeCode.objects.filter(requested_ip=ip, created_at__gte=now - HOUR)
        times = list(asked.order_by("created_at").values_list("created_at", flat=True))
        waits.append(_until_below(times, settings.OTP_MAX_PER_IP_PER_HOUR, HOUR, now))
    codes = list(
        OneTimeCode.objects.filter(phone=phone, created_at__gte=now - DAY)
        .order_by("created_at")
        .values_list("created_at", "attempts", "email")
    )
    failures = sum(attempts for _at, attempts, _email in codes)
    for created_at, attempts, _email in codes:  # wrong codes count for 24 hours
        if failures < settings.OTP_MAX_FAILURES_PER_DAY:
            break
        failures -= attempts
        waits.append((created_at + DAY - now).total_seconds())
    this_hour = [(at, email) for at, _attempts, email in codes if at >= now - HOUR]
    waits.append(_until_below([at for at, _ in this_hour], settings.OTP_MAX_PER_HOUR, HOUR, now))
    by_sms = [at for at, email in this_hour if not email]
    if by_sms:
        waits.append(resend_wait(len(this_hour)) - (now - by_sms[-1]).total_seconds())
    return max(waits)


def _refuse_if_locked(request: Request) -> None:
    # django-axes flags the request it was given. It is given the DRF request, so that its
    # middleware (which looks at the Django request) does not swap this JSON answer for the
    # web's HTML lockout page.
    if getattr(request, "axes_locked_out", False):
        raise _TooMany(
            _("Too many failed attempts. This login is locked for one hour."),
            code="locked",
            wait=get_cool_off(request).total_seconds(),
        )


def _authenticate(request: Request, username: str, password: str) -> User | None:
    try:
        login_pace_check(request=cast(HttpRequest, request), username=username)
    except LoginTooSoon as exc:
        raise _TooMany(exc.message, code=exc.code, wait=exc.seconds) from None
    user = authenticate(cast(HttpRequest, request), username=username, password=password)
    _refuse_if_locked(request)
    return user if isinstance(user, User) else None


def _device(request: Request, label: str) -> str:
    return label.strip() or request.headers.get("User-Agent", "")


def _signed_in(request: Request, token: ApiToken, raw: str, code: int) -> Response:
    # As login() does on the web: last_login, and django-axes clears the failures.
    user_logged_in.send(sender=User, request=request, user=token.user)
    body = {"token": raw, "expires_at": token.expires_at, "user": token.user}
    return Response(AuthTokenIssuedSerializer(body).data, status=code)


class CodeRequestView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PerAddressThrottle, CodeRequestThrottle]

    @extend_schema(
        operation_id="auth_code_request",
        tags=["auth"],
        summary="Send a one-time code by SMS",
        description="The answer is the same whether or not the number has an account. Limits: "
        "API_RATE_CODES per address, and the code service's own limits per number and "
        "address (resend wait, codes per hour, wrong codes per day).",
        request=AuthCodeSerializer,
        responses={202: AuthChallengeSerializer, **errors(400, 429)},
        parameters=[RETRY_AFTER],
    )
    def post(self, request: Request) -> Response:
        form = AuthCodeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        phone, purpose = form.validated_data["phone"], form.validated_data["purpose"]
        ip = request.META.get("REMOTE_ADDR")
        try:
            record, nonce = otp_send(phone=phone, purpose=purpose, language=get_language(), ip=ip)
        except ApplicationError as exc:
            if exc.code in {"rate_limited", "locked"}:
                wait = _code_retry_after(phone=phone, ip=ip)
                raise _TooMany(exc.message, code=exc.code, wait=wait) from None
            raise
        sent = OneTimeCode.objects.filter(phone=phone, created_at__gte=timezone.now() - HOUR)
        body = {
            "challenge": f"{record.pk}.{nonce}",
            "expires_in": max(0, int((record.expires_at - timezone.now()).total_seconds())),
            "resend_after": resend_wait(sent.count()),
        }
        return Response(AuthChallengeSerializer(body).data, status=status.HTTP_202_ACCEPTED)


class VerifyView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PerAddressThrottle, LoginThrottle]

    @extend_schema(
        operation_id="auth_verify",
        tags=["auth"],
        summary="Prove the number with the code; log in or register",
        description="Login challenge: code and password → 200. Register challenge: code, "
        "password and the registration fields → 201 with the new account. The code is spent "
        "only when the request succeeds.",
        request=AuthVerifySerializer,
        responses={200: AuthTokenIssuedSerializer, 201: AuthTokenIssuedSerializer}
        | errors(400, 403, 429),
        parameters=[RETRY_AFTER],
    )
    def post(self, request: Request) -> Response:
        form = AuthVerifySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        otp_id, nonce = data["challenge"]
        # Not spent yet: a mistyped password or a refused field should not cost a new SMS.
        record = otp_verify(otp_id=otp_id, nonce=nonce, code=data["code"], consume=False)
        device = _device(request, data["device"])
        if record.purpose == OneTimeCode.Purpose.LOGIN:
            user = self._citizen(request, record.phone, data["password"])
            with transaction.atomic():
                otp_consume(otp_ids=[record.pk])
                token, raw = token_issue(user=user, label=device, second_factor=True)
            return _signed_in(request, token, raw, status.HTTP_200_OK)
        if record.purpose == OneTimeCode.Purpose.REGISTER and not record.email:
            details = AuthRegistrationSerializer(data=request.data)
            details.is_valid(raise_exception=True)
            with transaction.atomic():
                user = self._register(record.phone, details.validated_data)
                otp_consume(otp_ids=[record.pk])
                token, raw = token_issue(user=user, label=device, second_factor=True)
            return _signed_in(request, token, raw, status.HTTP_201_CREATED)
        # A code the web asked for another step (a password reset, an e-mail address).
        raise ApplicationError(
            _("This code has expired. Please ask for a new one."), code="expired"
        )

    @staticmethod
    def _citizen(request: Request, phone: str, password: str) -> User:
        user = _authenticate(request, phone, password)
        if user is None or not user.is_citizen:
            raise ApplicationError(
                _("The number or the password is not right."), code="wrong_credentials"
            )
        if not user.phone_verified:
            # SMS never reached this number when it registered: on the web its second factor
            # is the authenticator app, which the API does not take from citizens.
            raise NotAllowed(
                _("This account signs in with an authenticator app. Please log in on the website."),
                code="second_factor_app",
            )
        return user

    @staticmethod
    def _register(phone: str, data: dict[str, Any]) -> User:
        existing = citizen_by_phone(phone)
        if existing is not None and not existing.phone_verified:
            # As on the web: the number was only claimed (its account proved an e-mail
            # address); whoever receives its SMS holds it, so the claim gives way. In the same
            # transaction as the registration, so a refused registration leaves it alone.
            account_release_unproved_phone(user=existing)
        return citizen_register(
            data=RegistrationInput(
                phone=phone, full_name=data["full_name"], gender=data["gender"],
                date_of_birth=data["date_of_birth"], document=data["document"],
                country_of_residence=data["residence"], home_district=data["district"],
                email=data["email"], language=data["preferred_language"],
                password=data["password"],
            )
        )  # fmt: skip


class StaffLoginView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PerAddressThrottle, LoginThrottle]

    @extend_schema(
        operation_id="auth_staff_login",
        tags=["auth"],
        summary="Staff: log in with password and authenticator code",
        description="The authenticator app must have been set up on the website (at the first "
        "login there). The token lasts API_STAFF_TOKEN_HOURS hours.",
        request=AuthStaffLoginSerializer,
        responses={200: AuthTokenIssuedSerializer, **errors(400, 403, 429)},
        parameters=[RETRY_AFTER],
    )
    def post(self, request: Request) -> Response:
        form = AuthStaffLoginSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        user = _authenticate(request, data["username"], data["password"])
        if user is None or user.is_citizen:
            # Citizens log in with their number, as on the web's staff login page.
            raise ApplicationError(
                _("The username or the password is not right."), code="wrong_credentials"
            )
        if not has_totp(user):
            raise NotAllowed(
                _(
                    "Set up your authenticator app first: log in once on the website, "
                    "then sign in here."
                ),
                code="second_factor_not_set_up",
            )
        if not second_factor_check(user=user, code=data["code"]):
            # Counted with the password failures, as on the web (django-axes locks both).
            user_login_failed.send(
                sender=__name__, credentials={"username": user.username}, request=request
            )
            _refuse_if_locked(request)
            raise ApplicationError(
                _("That code is not right, or was already used."), code="wrong_code"
            )
        token, raw = token_issue(
            user=user, label=_device(request, data["device"]), second_factor=True
        )
        return _signed_in(request, token, raw, status.HTTP_200_OK)


class LogoutView(APIView):
    @extend_schema(
        operation_id="auth_logout",
        tags=["auth"],
        summary="Revoke the token of this request",
        request=None,
        responses={204: None, **errors(401, 429)},
        parameters=[RETRY_AFTER],
    )
    def post(self, request: Request) -> Response:
        token_revoke(cast(ApiToken, request.auth))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(
        operation_id="auth_me",
        tags=["auth"],
        summary="The signed-in user",
        responses={200: AuthUserSerializer, **errors(401, 429)},
        parameters=[RETRY_AFTER],
    )
    def get(self, request: Request) -> Response:
        return Response(AuthUserSerializer(cast(User, request.user)).data)


class TokensView(APIView):
    @extend_schema(
        operation_id="auth_tokens_list",
        tags=["auth"],
        summary="The user's live tokens (signed-in devices)",
        responses={200: AuthTokenSerializer(many=True), **errors(401, 429)},
        parameters=[RETRY_AFTER],
    )
    def get(self, request: Request) -> Response:
        user = cast(User, request.user)
        context = {"current": request.auth}
        return Response(AuthTokenSerializer(tokens_live(user), many=True, context=context).data)

    @extend_schema(
        operation_id="auth_tokens_revoke_others",
        tags=["auth"],
        summary="Sign out every other device",
        request=None,
        responses={200: AuthRevokedSerializer, **errors(401, 429)},
        parameters=[RETRY_AFTER],
    )
    def delete(self, request: Request) -> Response:
        user = cast(User, request.user)
        revoked = tokens_revoke_others(user=user, keep=cast(ApiToken, request.auth))
        return Response(AuthRevokedSerializer({"revoked": revoked}).data)
