"""Mail the portal must not answer or lodge: bounces, automatic replies, and its own mail coming
back round. Answering any of these is how two robots end up writing to each other forever."""

from __future__ import annotations

import re

from django.conf import settings

from citizen_portal.intake.services.email_parse import ParsedMail

# Set on every message the portal sends (intake replies and notifications): seeing it on
# incoming mail means the portal is reading its own mail.
PORTAL_HEADER = "X-Citizen-Portal"
BOUNCE_SENDERS = {"mailer-daemon", "postmaster", "mail-daemon", "bounce", "bounces"}
_AUTO_SUBJECT = re.compile(
    r"^\s*(out of (the )?office|automatic reply|auto(matic)?[- ]?reply|auto:|"
    r"autoresponse|delivery status notification|undeliverable|undelivered mail|"
    r"mail delivery failed|returned mail|failure notice)",
    re.IGNORECASE,
)


def ignore_reason(mail: ParsedMail) -> str:
    """Why this message should be recorded and left alone ("" when it should be handled)."""
    return _bounce(mail) or _automatic(mail) or _loop(mail)


def _bounce(mail: ParsedMail) -> str:
    if mail.header("Return-Path").strip() == "<>":
        return "bounce: empty envelope sender"
    if mail.message.get_content_type() == "multipart/report":
        return "bounce: delivery status report"
    if mail.sender.partition("@")[0] in BOUNCE_SENDERS:
        return f"bounce: sent by {mail.sender.partition('@')[0]}"
    return ""


def _automatic(mail: ParsedMail) -> str:
    auto_submitted = mail.header("Auto-Submitted").lower()
    if auto_submitted and auto_submitted != "no":
        return f"automatic reply (Auto-Submitted: {auto_submitted[:40]})"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply"):
        if mail.header(name):
            return f"automatic reply ({name})"
    precedence = mail.header("Precedence").lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return f"automatic or bulk mail (Precedence: {precedence})"
    suppress = mail.header("X-Auto-Response-Suppress").lower()
    if any(word in suppress for word in ("all", "oof", "autoreply")):
        return "automatic reply (X-Auto-Response-Suppress)"
    if mail.header("List-Id") or mail.header("List-Unsubscribe"):
        return "mailing list message"
    if _AUTO_SUBJECT.match(mail.subject):
        return "automatic reply (subject)"
    return ""


def _loop(mail: ParsedMail) -> str:
    if mail.header(PORTAL_HEADER):
        return "loop: the portal's own mail came back"
    hops = len(mail.message.get_all("Received") or [])
    if hops > settings.INTAKE_EMAIL_MAX_HOPS:
        return f"loop: {hops} Received headers"
    return ""
