"""`{% pwa_config %}`: what static/js/pwa.js and the service worker need to know about a page,
as a JSON block (never executable inline script, for the Content-Security-Policy): whose page
it is, whether it may be kept for reading offline, and the page's words in its language."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from citizen_portal.core.pwa import OFFLINE_PAGES, user_tag

register = template.Library()

REFERENCE_PLACEHOLDER = "__ref__"


def _strings() -> dict[str, str]:
    # %(time)s and %(ref)s are filled in by pwa.js; they stay in the sentence so that a
    # translation may put them where its grammar wants them.
    return {
        "offlineCopy": _("You are offline — this is the copy from %(time)s."),
        "queueTitle": _("Complaints waiting to be sent"),
        "waiting": _("Waiting to send — will be sent when you are back online."),
        "sending": _("Sending…"),
        "sent": _("Sent. Its reference is %(ref)s."),
        "login": _("Log in to send it: it is kept on this device until you do."),
        "failed": _(
            "The portal did not accept it. Check what you wrote and lodge it again: %(reason)s"
        ),
        "written": _("Written on %(time)s"),
        # The step-by-step form's last step sends no text (its draft is on the server).
        "untitled": _("Your complaint"),
        "remove": _("Remove from this list"),
    }


def _may_store(context: template.Context, user: Any) -> bool:
    """A citizen's own pages (their list, their complaints, the lodge form, home) may be kept
    for reading offline; no staff page, and nothing before signing in, ever is."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return bool(
        match is not None
        and match.view_name in OFFLINE_PAGES
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_citizen", False)
    )


@register.simple_tag(takes_context=True)
def pwa_config(context: template.Context) -> SafeString:
    user = context.get("user")
    # The offline page is shared by whoever uses this browser: it belongs to nobody.
    shared = bool(context.get("pwa_shared_page"))
    data = {
        "sw": reverse("core:service_worker"),
        "lang": get_language(),
        "user": None if shared else user_tag(user),
        "store": not shared and _may_store(context, user),
        "shared": shared,
        "detail": reverse("complaints:detail", args=[REFERENCE_PLACEHOLDER]),
        "strings": _strings(),
    }
    return json_script(data, "pwa-config")
