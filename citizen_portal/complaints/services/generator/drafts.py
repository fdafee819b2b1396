"""Complaints as citizens would lodge them, in the order they would lodge them: where, about
what, who, through which channel, in which words; each with its simulated timeline."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from random import Random

from citizen_portal.complaints.models import Channel, Kind
from citizen_portal.complaints.services.generator import texts
from citizen_portal.complaints.services.generator.clock import Clock, seeded
from citizen_portal.complaints.services.generator.people import Citizens
from citizen_portal.complaints.services.generator.timeline import Case, Simulator, Timeline
from citizen_portal.complaints.services.generator.world import (
    CategoryInfo,
    DistrictInfo,
    Weighted,
    World,
)
from citizen_portal.intelligence.services import phrasebook

SUGGESTION_SHARE = 0.05
CHANNELS = Weighted(
    [Channel.WEB, Channel.APP, Channel.PHONE, Channel.EMAIL, Channel.LETTER, Channel.SMS],
    [45, 40, 7, 4, 2, 2],
)
# From abroad: no letters, and the helpline is an international call.
CHANNELS_ABROAD = Weighted([Channel.WEB, Channel.APP, Channel.EMAIL, Channel.PHONE], [50, 40, 8, 2])


@dataclass(slots=True)
class ComplaintDraft:
    kind: str
    citizen_id: int
    category: CategoryInfo
    district: DistrictInfo
    subject: str
    description: str
    language: str
    channel: str
    created: datetime  # local time
    timeline: Timeline


def complaint_drafts(
    *, total: int, world: World, clock: Clock, citizens: Citizens, seed: int
) -> Iterator[ComplaintDraft]:
    """`total` complaints over the clock's year, oldest first, so that reference numbers rise
    with time within each tier and year as they do when lodged one by one."""
    rng = seeded(seed, "complaints")
    simulator = Simulator(world=world, clock=clock, rng=rng)
    counts = clock.daily_counts(total, seeded(seed, "days"))
    for day, count in enumerate(counts):
        for created in sorted(clock.moment(day, rng) for _ in range(count)):
            yield _draft(created, world=world, citizens=citizens, simulator=simulator, rng=rng)


def _draft(
    created: datetime, *, world: World, citizens: Citizens, simulator: Simulator, rng: Random
) -> ComplaintDraft:
    district = world.districts.pick(rng)
    category = world.categories[district.province].pick(rng)
    citizen = citizens.pick(district.id, rng)
    citizen_id = citizens.ids[citizen]
    language = citizens.languages[citizen]
    channel = (CHANNELS_ABROAD if citizens.abroad[citizen] else CHANNELS).pick(rng).value
    kind = Kind.SUGGESTION if rng.random() < SUGGESTION_SHARE else Kind.COMPLAINT
    subject, description = _words(rng, kind, category, district, language)
    case = Case(citizen_id, category, world.route(category, district), channel, created)
    return ComplaintDraft(
        kind=kind.value,
        citizen_id=citizen_id,
        category=category,
        district=district,
        subject=subject,
        description=description,
        language=language,
        channel=channel,
        created=created,
        timeline=simulator.run(case),
    )


def _words(
    rng: Random, kind: Kind, category: CategoryInfo, district: DistrictInfo, language: str
) -> tuple[str, str]:
    """Subject and description in the citizen's language (category names fall back to
    English where the directory has no Urdu name yet). Where the phrasebook of issue 14 knows
    the category's department, in words citizens use (intelligence/services/phrasebook.py)."""
    urdu = language == "ur"
    topic = category.name_ur if urdu else category.name_en
    place = district.name_ur if urdu else district.name_en
    details: tuple[str, ...] = texts.DETAILS_UR if urdu else texts.DETAILS_EN
    suggestion = texts.SUGGESTION_UR if urdu else texts.SUGGESTION_EN
    # Roman Urdu is typed by people who chose English.
    script = "ur" if urdu else ("roman" if rng.random() < 0.35 else "en")
    found = phrasebook.topic_sentences(category.code, script)
    if found is None:
        subject = suggestion.format(topic) if kind == Kind.SUGGESTION else topic
        first, second = rng.sample(details, 2)
        return subject[:200], f"{topic} — {place}. {first} {second}"
    family, sentences = found
    chosen = rng.sample(sentences, min(len(sentences), rng.choice((1, 1, 2, 2, 3))))
    short = topic if rng.random() < 0.2 else phrasebook.short_form(rng.choice(chosen), rng)
    subject = suggestion.format(short) if kind == Kind.SUGGESTION else short
    parts = [phrasebook.noisy(sentence, rng, urdu) for sentence in chosen]
    context = family.context.get(script) or ()
    if context and rng.random() < 0.4:
        parts.insert(rng.randrange(len(parts) + 1), f"({rng.choice(context)})")
    if rng.random() < 0.3:
        parts.append(rng.choice(details))
    if rng.random() < 0.6:
        parts.append(f"— {place}")
    return subject[:200], " ".join(parts)[:5000]
