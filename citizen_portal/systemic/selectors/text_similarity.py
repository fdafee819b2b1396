"""How alike two complaints' words are: TF-IDF over character n-grams, compared by cosine.

Character n-grams within words (3 to 5 letters) match across Urdu script, Roman Urdu and
English spelled many ways, and forgive typos and word endings, without a dictionary or a
model. The vectoriser is fitted on the candidates and the new text together, so n-grams that
every complaint of the category and place shares ("water supply", the district's name) weigh
little and the words of the particular problem weigh most.

No database here: the selector (duplicates.py) and the evaluation command score through the
same function.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

import numpy as np

# Letters written more than one way in Urdu text (Arabic code points typed on Arabic
# keyboards, and the forms of alif, yeh, heh), mapped to one.
_LETTERS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh → Farsi yeh
        "ى": "ی",  # alef maksura
        "ې": "ی",
        "ئ": "ی",
        "ۓ": "ے",
        "ك": "ک",  # Arabic kaf → keheh
        "ه": "ہ",  # heh → heh goal
        "ۀ": "ہ",
        "ة": "ہ",  # teh marbuta
        "ۃ": "ہ",
        "ھ": "ہ",  # do chashmi heh (in aspirates) — one letter for matching
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "۔": ".",
        "،": ",",
        "؟": "?",
    }
)
# Urdu (extended Arabic-Indic) and Arabic-Indic digits → ASCII.
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
# Harakat, tatweel and other marks that writers add or leave out.
_MARKS = re.compile(r"[\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d\u200e\u200f]")
_PUNCTUATION = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")
# n-grams of 3 to 5 letters, hashed to the 50-odd bits left beside the text's number (a
# collision among the few thousand n-grams of one comparison is vanishingly rare).
_MIN_N, _MAX_N = 3, 5
_BASE = np.uint64(1_000_003)
_SPACE = 32


def normalise(text: str) -> str:
    """Lower case, one form per Urdu letter, no diacritics, ASCII digits (a street or house
    number tells two problems apart), no punctuation, single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _MARKS.sub("", text.translate(_LETTERS).translate(_DIGITS))
    text = _PUNCTUATION.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def complaint_text(subject: str, description: str) -> str:
    return normalise(f"{subject} {description}")


def similarities(text: str, others: Sequence[str]) -> list[float]:
    """The cosine similarity (0 to 1) of `text` to each of `others`, all already normalised,
    by TF-IDF over the character 3- to 5-grams within words.

    The same figures as scikit-learn's `TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5),
    sublinear_tf=True)` fitted on `[text, *others]` (test_duplicates_scoring.py checks it),
    computed with whole-array operations instead: sklearn's analyser walks every n-gram in
    Python, several times slower for the few hundred candidates of a lodging.
    """
    if not others:
        return []
    texts = [f" {t} " for t in (text, *others)]
    count = len(texts)
    # One 64-bit key per n-gram occurrence: the n-gram's hash above, the text's number below,
    # so that one sort groups them by n-gram, then by text.
    doc_bits = np.uint64(max(1, count.bit_length()))
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=count)
    codes = np.frombuffer("\x00".join(texts).encode("utf-32-le"), dtype=np.uint32)
    codes = codes.astype(np.uint64)
    doc_of = np.repeat(np.arange(count, dtype=np.uint64), lengths + 1)[: len(codes)]
    separator, space = codes == 0, codes == _SPACE
    keys = []
    for n in range(_MIN_N, _MAX_N + 1):
        m = len(codes) - n + 1
        if m <= 0:
            continue
        # A polynomial hash of each window of n letters; windows across two texts, or with a
        # space inside (across two words), are not n-grams.
        hashed = np.full(m, np.uint64(n))
        bad = np.zeros(m, dtype=bool)
        for k in range(n):
            hashed = hashed * _BASE + codes[k : k + m]
            bad |= separator[k : k + m]
            if 0 < k < n - 1:
                bad |= space[k : k + m]
        ok = ~bad
        keys.append((hashed[ok] << doc_bits) | doc_of[:m][ok])
    if not keys:
        return [0.0] * len(others)
    ordered = np.sort(np.concatenate(keys))
    if not len(ordered):
        return [0.0] * len(others)
    # Runs of one key: an n-gram in one text, and how often (tf).
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    tf = np.diff(np.append(starts, len(ordered)))
    pairs = ordered[starts]
    doc = (pairs & ((np.uint64(1) << doc_bits) - np.uint64(1))).astype(np.int64)
    grams = pairs >> doc_bits
    # Runs of one n-gram among those: how many texts have it (df).
    new_gram = np.concatenate(([True], grams[1:] != grams[:-1]))
    gram_of = np.cumsum(new_gram) - 1
    df = np.bincount(gram_of)
    idf = np.log((1 + count) / (1 + df)) + 1.0  # smoothed, as sklearn's default
    weight = (1.0 + np.log(tf)) * idf[gram_of]  # sublinear tf
    norms = np.sqrt(np.bincount(doc, weights=weight * weight, minlength=count))
    if norms[0] == 0:
        return [0.0] * len(others)
    query = np.zeros(len(df))
    mine = doc == 0
    query[gram_of[mine]] = weight[mine]
    dots = np.bincount(doc, weights=weight * query[gram_of], minlength=count)
    with np.errstate(divide="ignore", invalid="ignore"):
        cosine = np.nan_to_num(dots / (norms * norms[0]))
    return [min(1.0, max(0.0, float(v))) for v in cosine[1:]]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def threshold_at(distance: float | None, base: float, close_km: float, bonus: float) -> float:
    """The similarity a pair needs: `base`, lowered by `bonus` when both points are within
    `close_km` of each other (two people describing one broken pipe from the same street)."""
    if distance is not None and distance <= close_km:
        return max(0.0, base - bonus)
    return base
