"""Which complaints of one category and district are about one thing: the text scoring of the
duplicates selector (selectors/text_similarity.py), reused so that what a citizen is offered
as similar at lodging and what the daily job groups agree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

from citizen_portal.directory.models import AdminUnit


def district_of(area: AdminUnit) -> AdminUnit:
    """The district around a tehsil, or the area itself."""
    if area.level == AdminUnit.Level.TEHSIL and area.parent_id is not None:
        parent = area.parent
        assert parent is not None
        return parent
    return area


def min_similarity() -> float:
    # The same bar as the duplicates offered at lodging (selectors/duplicates.py).
    return float(settings.DUPLICATES_MIN_SIMILARITY)


@dataclass(frozen=True)
class Text:
    pk: int
    subject: str
    description: str


def _similarity_matrix(texts: list[str]) -> list[list[float]]:
    """Cosine similarity of every pair: the duplicates' TF-IDF over character n-grams
    (selectors/text_similarity.similarities), fitted once on all the texts rather than once
    per text, so that a district's few hundred complaints take one fit, not hundreds."""
    import numpy
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=numpy.float32
    )
    try:
        matrix = vectoriser.fit_transform(texts)
    except ValueError:  # no n-gram at all
        return [[0.0] * len(texts) for _ in texts]
    return (matrix @ matrix.T).toarray().tolist()  # type: ignore[no-any-return]


def largest_similar_group(texts: Sequence[Text]) -> list[int]:
    """The ids of the largest group of mutually similar texts: the text with the most
    neighbours above the bar, and those of its neighbours that are above the bar with each
    other (greedily, most connected first)."""
    from citizen_portal.systemic.selectors.text_similarity import complaint_text

    if len(texts) < 2:
        return [t.pk for t in texts]
    scores = _similarity_matrix([complaint_text(t.subject, t.description) for t in texts])
    bar = min_similarity()
    near = [
        {j for j, score in enumerate(row) if j != i and score >= bar}
        for i, row in enumerate(scores)
    ]
    seed = max(range(len(texts)), key=lambda i: (len(near[i]), -i))
    group = [seed]
    for j in sorted(near[seed], key=lambda j: (-len(near[j]), j)):
        if all(j in near[k] for k in group):
            group.append(j)
    return sorted(texts[i].pk for i in group)
