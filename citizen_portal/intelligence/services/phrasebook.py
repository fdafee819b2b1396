"""The phrasebook: how citizens describe each topic, in English, Urdu and Roman Urdu
(data/phrasebook/<FAMILY>.json). The demo generator writes complaint texts from it, so that a
fresh install has something to train the suggestion model on.

Read once per process; a file that is missing or malformed is skipped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from random import Random

FOLDER = Path(__file__).resolve().parent.parent / "data" / "phrasebook"
_CLAUSE = re.compile(r"[,.;!?،۔؛](?=\s|$)")
LANGUAGES = ("en", "ur", "roman")


@dataclass(frozen=True)
class Family:
    name: str
    context: dict[str, tuple[str, ...]]
    topics: dict[str, dict[str, tuple[str, ...]]]  # suffix → language → sentences


@cache
def phrasebook() -> dict[str, Family]:
    """Department code → its family's phrases."""
    found: dict[str, Family] = {}
    for path in sorted(FOLDER.glob("*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            family = Family(
                name=str(raw.get("family") or path.stem),
                context={
                    lang: tuple(str(p) for p in (raw.get("context") or {}).get(lang) or ())
                    for lang in LANGUAGES
                },
                topics={
                    str(suffix): {
                        lang: tuple(str(s) for s in (phrases or {}).get(lang) or ())
                        for lang in LANGUAGES
                    }
                    for suffix, phrases in (raw.get("topics") or {}).items()
                },
            )
        except (OSError, ValueError, AttributeError, TypeError):
            continue
        for department in raw.get("departments") or [family.name]:
            found.setdefault(str(department), family)
    return found


def topic_sentences(category_code: str, language: str) -> tuple[Family, tuple[str, ...]] | None:
    """The family and the sentences for a category (a parent category borrows its children's),
    in `language` ("en", "ur", "roman"); None when the phrasebook does not know it."""
    department, _dot, suffix = category_code.partition(".")
    family = phrasebook().get(department)
    if family is None or not suffix:
        return None
    phrases = family.topics.get(suffix)
    if phrases is not None:
        sentences = phrases.get(language) or ()
    else:
        prefix = f"{suffix}."
        sentences = tuple(
            s
            for key, value in sorted(family.topics.items())
            if key.startswith(prefix)
            for s in value.get(language) or ()
        )
    return (family, sentences) if sentences else None


def short_form(sentence: str, rng: Random, limit: int = 80) -> str:
    """A subject from a sentence: its first clause (or two), cut at a word."""
    clauses = [c.strip() for c in _CLAUSE.split(sentence) if c.strip()]
    if not clauses:
        return sentence[:limit]
    subject = clauses[0]
    if len(subject) < 25 and len(clauses) > 1 and rng.random() < 0.5:
        subject = f"{subject}, {clauses[1]}"
    if len(subject) > limit:
        subject = subject[:limit].rsplit(" ", 1)[0]
    return subject


def noisy(text: str, rng: Random, urdu: bool) -> str:
    """Light noise, as people type: a dropped word, a swapped pair of letters, case."""
    words = text.split()
    if len(words) > 6 and rng.random() < 0.4:
        del words[rng.randrange(len(words))]
    if rng.random() < 0.3 and words:
        n = rng.randrange(len(words))
        word = words[n]
        if len(word) > 3:
            i = rng.randrange(len(word) - 1)
            words[n] = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    text = " ".join(words)
    if not urdu:
        roll = rng.random()
        if roll < 0.15:
            text = text.lower()
        elif roll < 0.2:
            text = text.upper()
    return text
