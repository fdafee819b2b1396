"""The timeline as the pages show it: each event with its details turned from stored codes
into words in the reader's language. Citizens get public events only (the selector sees to
that) and not the instructions officers give each other."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from citizen_portal.complaints.models import Action, Attachment, DropReason, Event, Outcome
from citizen_portal.directory.models import OutOfScopeGround


@dataclass
class Entry:
    event: Event
    # (label, value) lines, and (label, text) passages quoted as their author wrote them.
    facts: list[tuple[StrOrPromise, StrOrPromise]] = field(default_factory=list)
    quotes: list[tuple[StrOrPromise, str]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)


def _date(value: Any) -> str:
    parsed = parse_date(str(value)) if value else None
    return date_format(parsed, "DATE_FORMAT") if parsed else ""


def _label(choices: Any, value: Any) -> StrOrPromise:
    return choices(value).label if value in choices.values else str(value)


# Quoted as written, under a label; which keys hold text depends on the action.
_QUOTED: list[tuple[str, StrOrPromise]] = [
    ("question", _("Question")),
    ("answer", _("Answer")),
    ("explanation", _("Explanation")),
    ("remark", _("Remark")),
    ("comment", _("Comment")),
]


def _facts(event: Event, data: dict[str, Any], grounds: dict[str, OutOfScopeGround]) -> Entry:
    entry = Entry(event)
    action = event.action
    if action == Action.RESOLVE and data.get("outcome"):
        entry.facts.append((_("Outcome"), _label(Outcome, data["outcome"])))
    if action == Action.DROP:
        entry.facts.append((_("Ground"), _label(DropReason, data.get("reason"))))
        ground = grounds.get(str(data.get("ground", "")))
        if ground is not None:
            entry.facts.append((ground.name, ground.reason))
    if action in {Action.TRANSFER, Action.INTERIM_REPLY} and data.get("reason"):
        entry.quotes.append((_("Reason"), str(data["reason"])))
    if action == Action.INTERIM_REPLY and data.get("expected_on"):
        entry.facts.append((_("Relief expected by"), _date(data["expected_on"])))
    if data.get("to_complaint_cell"):
        entry.facts.append(
            (_("Sent to"), _("the government's complaint cell (most transfers reached)"))
        )
    if data.get("duplicate_of"):
        entry.facts.append((_("Followed under"), str(data["duplicate_of"])))
    if action == Action.REVIEW_DROP and "upheld" in data:
        upheld = data["upheld"]
        entry.facts.append((_("Decision"), _("Drop upheld") if upheld else _("Drop overturned")))
    if data.get("appeal"):
        entry.facts.append((_("Appeal"), str(data["appeal"])))
    if data.get("final"):
        entry.facts.append((_("Decision"), _("Both appeals were heard: the resolution stands.")))
    if data.get("rating"):
        entry.facts.append((_("Rating"), _("%(n)s of 5 stars") % {"n": data["rating"]}))
    return entry


def timeline_entries(
    events: Iterable[Event], *, staff: bool, attachments: Iterable[Attachment] = ()
) -> list[Entry]:
    """The entries of `events` and `attachments`, each list already filtered to what the
    reader may see (`public_timeline` or `full_timeline`; `attachments_shown`); each file goes
    with the event it came with."""
    events = list(events)
    files: dict[int | None, list[Attachment]] = {}
    for attachment in attachments:
        files.setdefault(attachment.event_id, []).append(attachment)
    codes = {str(e.data.get("ground")) for e in events if e.action == Action.DROP and e.data}
    grounds = {g.code: g for g in OutOfScopeGround.objects.filter(code__in=codes)} if codes else {}
    entries = []
    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        entry = _facts(event, data, grounds)
        if staff and data.get("instructions"):
            entry.quotes.append((_("Instructions"), str(data["instructions"])))
        entry.quotes.extend((label, str(data[key])) for key, label in _QUOTED if data.get(key))
        entry.attachments = files.get(event.pk, [])
        entries.append(entry)
    return entries
