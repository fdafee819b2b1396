"""Receiving a report of an accessibility problem: limit per address, keep it, and e-mail it
to the team that answers (ACCESSIBILITY_REPORT_EMAIL) once it is stored."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from citizen_portal.accessibility.models import BarrierReport
from citizen_portal.accounts.models import Language, User
from citizen_portal.core.errors import ApplicationError
from citizen_portal.notifications.services.delivery import absolute, render_text


@dataclass(frozen=True)
class BarrierReportInput:
    problem: str
    page: str = ""
    technology: str = ""
    name: str = ""
    email: str = ""
    phone: str = ""  # E.164, already checked


def _refuse_if_too_many(ip: str | None) -> None:
    # Counted in the table itself, like the one-time codes: no cache needed, and the limit
    # holds across web processes. Two reports racing past the count both get in; the limit is
    # against floods, not an exact quota.
    if not ip:
        return
    since = timezone.now() - timedelta(hours=1)
    sent = BarrierReport.objects.filter(submitted_ip=ip, created_at__gte=since).count()
    if sent >= settings.ACCESSIBILITY_REPORTS_PER_HOUR:
        raise ApplicationError(
            _(
                "Too many reports were sent from your connection in the last hour. Please try "
                "again later, or reach us another way (see the accessibility statement)."
            ),
            code="rate_limited",
        )


def _email(report: BarrierReport) -> tuple[str, str]:
    """The subject and body for the team, in the portal's default language: the team is one
    group of people, whatever language each sender used."""
    context = {
        "report": report,
        "response_days": settings.ACCESSIBILITY_RESPONSE_WORKING_DAYS,
        "admin_url": absolute(
            reverse("admin:accessibility_barrierreport_change", args=[report.pk])
        ),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_text("accessibility/report_email_subject.txt", context)
        body = render_text("accessibility/report_email.txt", context)
    return " ".join(subject.split()), body + "\n"


def barrier_report_submit(
    *, data: BarrierReportInput, language: str, user: User | None = None, ip: str | None = None
) -> BarrierReport:
    """Keep the report and queue its e-mail for after the commit (the notifications' own
    e-mail task, with its retries). Refused past ACCESSIBILITY_REPORTS_PER_HOUR per address."""
    from citizen_portal.notifications.tasks import deliver_email

    _refuse_if_too_many(ip)
    with transaction.atomic():
        report = BarrierReport.objects.create(
            problem=data.problem,
            page=data.page,
            technology=data.technology,
            name=data.name,
            email=data.email,
            phone=data.phone,
            language=language if language in Language.values else settings.LANGUAGE_CODE,
            user=user if user is not None and user.is_authenticated else None,
            submitted_ip=ip or None,
        )
        subject, body = _email(report)
        if settings.ACCESSIBILITY_REPORT_EMAIL:
            transaction.on_commit(
                functools.partial(deliver_email, settings.ACCESSIBILITY_REPORT_EMAIL, subject, body)
            )
    return report
