"""What a flag is: a subject (an officer or an office), a signal, its strength against peers,
and the evidence behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class Signal(models.TextChoices):
    DEADLINE_BUNCHING = "deadline", _("Resolutions bunched at the deadline")
    SAME_REMARKS = "remarks", _("Near-identical resolution remarks")
    DISPUTES = "disputes", _("Disputes far above peers")
    STAFF_DEVICES = "devices", _("Feedback from staff addresses or devices")
    SAME_PEOPLE = "people", _("Lodged and resolved by the same people")


class SubjectKind(models.TextChoices):
    OFFICER = "officer", _("Officer")
    OFFICE = "office", _("Office")


@dataclass(frozen=True)
class Evidence:
    """One complaint behind a flag: its reference (linked to the complaint's page), the day
    that matters (the resolution, or the feedback), and what about it counts."""

    reference: str
    day: date
    detail: str
    excerpt: str = ""
    due: date | None = None


@dataclass(frozen=True)
class RemarkGroup:
    """Resolution remarks that are the same, or nearly, across different complaints."""

    excerpt: str
    references: tuple[str, ...]


@dataclass
class Flag:
    signal: Signal
    subject: SubjectKind
    subject_id: int
    # Cases behind the flag, out of `total` resolutions of the subject in the period.
    observed: int
    total: int
    # What the subject's peers' rates predict (rates in percent), and observed ÷ expected; None
    # where the signal is a count, not a comparison.
    rate: float | None = None
    peer_rate: float | None = None
    ratio: float | None = None
    p_value: float | None = None
    evidence: list[Evidence] = field(default_factory=list)
    groups: list[RemarkGroup] = field(default_factory=list)
    # The posts the officer resolved at, in the scope: who may review them follows from these.
    position_ids: frozenset[int] = frozenset()
    office_id: int | None = None
    name: str = ""
    where: str = ""

    @property
    def key(self) -> tuple[str, str, int]:
        return (str(self.signal), str(self.subject), self.subject_id)
