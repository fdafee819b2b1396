"""Signal 2, near-identical remarks: one officer's resolution remarks that are the same after
normalising, or nearly the same, across many different complaints.

Normalising: lower case; complaint references (PU-2026-0001234) and then every run of digits
become one placeholder each; punctuation goes; runs of white space become one space. "Nearly
the same": the sets of word pairs (shingles of two words) of two normalised remarks overlap by
SIMILARITY (Jaccard) or more. Groups are joined transitively (A like B, B like C: one group).

An officer is flagged when a group covers MIN_GROUP or more different complaints, and the share
of their resolutions in such groups is at least MIN_SHARE and at least MIN_RATIO times their
peers' (the department's other officers, pooled). Response templates give a whole department
the same wording, which raises the peers' share too: the flag is about one officer standing
out, not about templates.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from itertools import pairwise

from citizen_portal.integrity.selectors.resolutions import Resolution

SIMILARITY = 0.8
MIN_GROUP = 5
MIN_SHARE = 0.5
MIN_RATIO = 2.0
# Beyond this many distinct remarks for one officer, only exact matches are grouped: pairwise
# comparison grows with the square of the number.
MAX_PAIRWISE = 1500
EXCERPT = 160

_REFERENCE = re.compile(r"\b[a-z]{2,3}-\d{4}-\d+(?:-[a-z0-9])?\b")
_DIGITS = re.compile(r"\d+")
_PUNCTUATION = re.compile(r"[^\w\s#]")
_SPACE = re.compile(r"\s+")


def normalise(remark: str) -> str:
    text = remark.lower()
    text = _REFERENCE.sub(" #ref ", text)
    text = _DIGITS.sub("#", text)
    text = _PUNCTUATION.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def shingles(normalised: str) -> frozenset[str]:
    words = normalised.split()
    if len(words) < 2:
        return frozenset(words)
    return frozenset(f"{a} {b}" for a, b in pairwise(words))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def remark_groups(rows: Sequence[Resolution]) -> list[list[Resolution]]:
    """One officer's resolutions grouped by remark (exact after normalising, then near),
    largest first; groups of one complaint are left out."""
    by_text: dict[str, list[Resolution]] = defaultdict(list)
    for row in rows:
        if row.remark:
            by_text[normalise(row.remark)].append(row)
    texts = list(by_text)
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if len(texts) <= MAX_PAIRWISE:
        sets = [shingles(t) for t in texts]
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                if jaccard(sets[i], sets[j]) >= SIMILARITY:
                    parent[root(i)] = root(j)
    merged: dict[int, list[Resolution]] = defaultdict(list)
    for i, text in enumerate(texts):
        merged[root(i)].extend(by_text[text])
    groups = [g for g in merged.values() if len({r.complaint_id for r in g}) > 1]
    return sorted(groups, key=lambda g: (-len({r.complaint_id for r in g}), g[0].event_id))


def templated(groups: list[list[Resolution]]) -> list[list[Resolution]]:
    """The groups big enough to count: MIN_GROUP or more different complaints."""
    return [g for g in groups if len({r.complaint_id for r in g}) >= MIN_GROUP]


def excerpt(remark: str) -> str:
    remark = " ".join(remark.split())
    return remark if len(remark) <= EXCERPT else remark[: EXCERPT - 1] + "…"
