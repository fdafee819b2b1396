"""The access matrix's rules for the JSON API (/api/) and Open311 (/open311/v2/). Each role calls
the API with a bearer token of its own (objects.tokens; staff tokens carry the second factor),
never with the website's session; anonymous sends none. The objects named are the owner's, so
every other citizen and every member of staff outside the chain asks for someone else's."""

from __future__ import annotations

from tests.access.actions import action_probes, reference
from tests.access.objects import Objects
from tests.access.probe import (
    ALL,
    CHAIN,
    CITIZENS,
    NOBODY,
    OWNER,
    SIGNED_IN,
    STAFF,
    Probe,
)


def _attachment(o: Objects) -> list[int]:
    return [o.attachment.pk]


def _notification(o: Objects) -> list[int]:
    return [o.notification.pk]


API = [
    Probe("api-schema", ALL),
    Probe("api-docs", ALL),
    # Logging in: open to all, the credentials decide (here wrong ones: 400, not a refusal).
    Probe("api-auth-code", ALL, method="POST", data={"phone": "", "purpose": "login"}),
    Probe("api-auth-verify", ALL, method="POST", data={"challenge": "x", "code": "1"}),
    Probe("api-auth-staff", ALL, method="POST", data={"username": "x", "password": "y"}),
    Probe("api-auth-logout", SIGNED_IN, method="POST"),
    Probe("api-auth-me", SIGNED_IN),
    Probe("api-auth-tokens", SIGNED_IN),
    Probe("api-areas", ALL),
    Probe("api-tiers", ALL),
    Probe("api-departments", ALL),
    Probe("api-categories", ALL),
    Probe("api-category", ALL, args=lambda o: [o.world.overbilling.code]),
    Probe("api-out-of-scope", ALL),
    # Category suggestions (issue 14): any signed-in account, citizen or staff.
    Probe("api-categories-suggest", SIGNED_IN, method="POST", data={"text": "electricity bill"}),
    # The owner's picture: the owner and the chain; another citizen or department gets 404.
    Probe("api-attachment", OWNER | CHAIN, args=_attachment),
    # A citizen's own list (and lodging): the other citizen is let through to an empty list of
    # their own, and the leak check makes sure it is empty of the owner's complaint.
    Probe("api-complaints", CITIZENS),
    Probe("api-complaints", CITIZENS, method="POST", data={}),
    Probe("api-complaint", OWNER, args=reference),
    Probe("api-complaint-timeline", OWNER, args=reference),
    Probe(
        "api-complaint-answer", OWNER, method="POST", args=reference, data={"answer": "Here it is"}
    ),
    Probe("api-complaint-feedback", OWNER, method="POST", args=reference, data={"satisfied": True}),
    *action_probes("api-complaint-action"),
    # Officers' lists are their own: the stranger and national staff get theirs (empty of the
    # owner's complaint); only the chain opens the complaint itself.
    Probe("api-work-inbox", STAFF),
    Probe("api-work-drops", STAFF),
    Probe("api-work-scorecard", STAFF),
    Probe("api-work-complaint", CHAIN, args=reference),
    Probe("api-notifications", SIGNED_IN),
    Probe("api-notifications-read-all", SIGNED_IN, method="POST"),
    Probe("api-notification-read", OWNER, method="POST", args=_notification),
    Probe("api/^(?P<rest>.*)$", NOBODY, path=lambda o: "/api/v1/nothing-here/"),
]


def _requests_with_key(o: Objects) -> str:
    return f"/open311/v2/requests.json?api_key={o.partner_key}"


OPEN311 = [
    Probe("open311:discovery", ALL, path=lambda o: "/open311/v2/discovery.json"),
    Probe("open311:services", ALL, path=lambda o: "/open311/v2/services.json"),
    Probe(
        "open311:service",
        ALL,
        path=lambda o: f"/open311/v2/services/{o.world.overbilling.code}.json",
    ),
    # The public list and a public request: no names, no description of a citizen's (the leak
    # check holds it to that).
    Probe("open311:requests", ALL, path=lambda o: "/open311/v2/requests.json"),
    # Posting needs a partner's key, whoever is signed in to the website; with one, the
    # partner gets through whoever else is signed in (an empty post: 400).
    Probe(
        "open311:requests",
        NOBODY,
        method="POST",
        path=lambda o: "/open311/v2/requests.json",
        data={},
        label="no key",
    ),
    Probe(
        "open311:requests",
        ALL,
        method="POST",
        path=_requests_with_key,
        data={},
        label="partner key",
    ),
    Probe(
        "open311:request",
        ALL,
        path=lambda o: f"/open311/v2/requests/{o.complaint.reference}.json",
    ),
    # A token is the partner's own Idempotency-Key: without the partner's key, 403 to all.
    Probe("open311:token", NOBODY, path=lambda o: "/open311/v2/tokens/unknown.json"),
    Probe("open311:unknown", NOBODY, path=lambda o: "/open311/v2/nothing.json"),
]
