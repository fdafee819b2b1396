"""Whether citizens can reply to the portal's SMS (intake/services/sms_follow_ups.py): the
notifications offer "reply YES …" only where the gateway's webhook is configured, so that no
citizen is told to send an SMS that nothing receives."""

from __future__ import annotations

from django import template

from citizen_portal.intake.services.sms_signature import webhook_secrets

register = template.Library()


@register.simple_tag
def sms_replies_on() -> bool:
    return bool(webhook_secrets())
