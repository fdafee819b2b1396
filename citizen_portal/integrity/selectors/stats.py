"""Comparing a subject's rate with its peers' in the same categories.

A subject (an officer, or an office) with `n` resolutions of which `k` have the property
(resolved at the deadline, disputed) is compared with what its peers' rates predict for the
same mix of categories: each of its resolutions is expected to have the property with the
peers' rate in that category (everyone else in the department, the subject left out), or the
peers' rate over all categories where a category has too few peer resolutions to judge. The
sum is the expected count. It is flagged when all three hold (docs/integrity.md):

- k >= MIN_HITS (a handful of cases is not a pattern);
- k / expected >= MIN_RATIO (far above peers);
- the chance of k or more under the peers' rates (a binomial tail at the mean expected rate)
  is at most MAX_P_VALUE (not plausibly luck).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

MIN_HITS = 5
MIN_RATIO = 2.0
MAX_P_VALUE = 0.01
# Fewer peer resolutions than this in a category: use the peers' rate over all categories;
# fewer than this in all: no comparison is possible, so no flag.
MIN_PEER_ROWS = 10
# A peer rate of (nearly) nothing counts as this, so that an expected count is never zero.
RATE_FLOOR = 0.02


@dataclass(frozen=True)
class Observation:
    subject: Hashable
    category: int
    hit: bool


@dataclass(frozen=True)
class Comparison:
    subject: Hashable
    n: int
    k: int
    expected: float
    p_value: float

    @property
    def rate(self) -> float:
        return self.k / self.n if self.n else 0.0

    @property
    def peer_rate(self) -> float:
        return self.expected / self.n if self.n else 0.0

    @property
    def ratio(self) -> float:
        return self.k / self.expected if self.expected else math.inf

    @property
    def flagged(self) -> bool:
        return self.k >= MIN_HITS and self.ratio >= MIN_RATIO and self.p_value <= MAX_P_VALUE


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), summed in log space (n may be in the thousands)."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    p = min(max(p, 1e-12), 1 - 1e-12)
    log_p, log_q = math.log(p), math.log1p(-p)
    total = 0.0
    for i in range(k, n + 1):
        log_term = (
            math.lgamma(n + 1)
            - math.lgamma(i + 1)
            - math.lgamma(n - i + 1)
            + i * log_p
            + (n - i) * log_q
        )
        total += math.exp(log_term)
    return min(total, 1.0)


def compare_with_peers(observations: Iterable[Observation]) -> dict[Hashable, Comparison]:
    """Each subject's count against the count its peers' rates predict (module docstring).
    Subjects without enough peers to judge by are left out."""
    per_subject: dict[Hashable, dict[int, list[int]]] = defaultdict(lambda: defaultdict(_pair))
    per_category: dict[int, list[int]] = defaultdict(_pair)
    for o in observations:
        per_subject[o.subject][o.category][0] += 1
        per_subject[o.subject][o.category][1] += int(o.hit)
        per_category[o.category][0] += 1
        per_category[o.category][1] += int(o.hit)
    all_n = sum(n for n, _k in per_category.values())
    all_k = sum(k for _n, k in per_category.values())
    found: dict[Hashable, Comparison] = {}
    for subject, categories in per_subject.items():
        n = sum(c[0] for c in categories.values())
        k = sum(c[1] for c in categories.values())
        others_n, others_k = all_n - n, all_k - k
        if others_n < MIN_PEER_ROWS:
            continue
        pooled = others_k / others_n
        expected = 0.0
        for category, (sub_n, sub_k) in categories.items():
            peer_n = per_category[category][0] - sub_n
            peer_k = per_category[category][1] - sub_k
            rate = peer_k / peer_n if peer_n >= MIN_PEER_ROWS else pooled
            expected += sub_n * max(rate, RATE_FLOOR)
        found[subject] = Comparison(
            subject=subject,
            n=n,
            k=k,
            expected=expected,
            p_value=binomial_tail(k, n, expected / n),
        )
    return found


def _pair() -> list[int]:
    return [0, 0]
