"""Planted duplicates for measuring duplicate detection (the `evaluate_duplicates` command).

Everything here is in memory: complaints are plain records, never saved, and they are scored
through the same function and thresholds as the selector (text_similarity.py), with the
selector's candidate rule (same category and kind; same district, or both map points within
the radius). The texts come from the demo generator's text maker (generator/drafts.py
`_words`); the re-tellings of one problem by other citizens come from `paraphrase` below.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from random import Random

from citizen_portal.complaints.models import Kind
from citizen_portal.complaints.services.generator import texts
from citizen_portal.complaints.services.generator.drafts import _words
from citizen_portal.complaints.services.generator.world import CategoryInfo, DistrictInfo
from citizen_portal.systemic.selectors.text_similarity import (
    complaint_text,
    distance_km,
    similarities,
    threshold_at,
)

# English ↔ Roman Urdu, and English synonyms: what another citizen might write instead.
_SWAPS: dict[str, tuple[str, ...]] = {
    "water": ("pani", "paani"),
    "electricity": ("bijli", "power"),
    "power": ("bijli", "electricity"),
    "road": ("sarak", "sadak", "street"),
    "street": ("gali", "road", "lane"),
    "garbage": ("kachra", "trash", "waste"),
    "problem": ("masla", "issue"),
    "issue": ("masla", "problem"),
    "broken": ("toota hua", "damaged"),
    "weeks": ("hafte", "hafton"),
    "days": ("din", "dino"),
    "months": ("mahine",),
    "office": ("daftar",),
    "please": ("plz", "meherbani kar ke", "kindly"),
    "urgently": ("jaldi", "asap", "fauran"),
    "children": ("bachay", "kids"),
    "families": ("gharane", "ghar", "households"),
    "many": ("bohat", "kai", "several"),
    "no": ("nahi", "not any"),
    "nobody": ("koi nahi", "no one"),
    "school": ("school", "madrasa"),
    "hospital": ("haspatal",),
    "doctor": ("daktar",),
    "police": ("polees",),
    "bill": ("bil",),
    "supply": ("supply", "sapplai"),
    "since": ("from",),
    "affected": ("pareshan", "suffering"),
    "complaint": ("shikayat",),
    "near": ("qareeb", "close to"),
    "pani": ("water",),
    "bijli": ("electricity",),
    "masla": ("problem",),
    "gali": ("street",),
    "kachra": ("garbage",),
    "sarak": ("road",),
    "مسئلہ": ("پریشانی", "مشکل"),
    "فوری": ("جلد", "فوراً"),
    "گلی": ("محلے",),
    "دفتر": ("آفس",),
    "پانی": ("واٹر",),
    "بجلی": ("لائٹ",),
}
_OPENINGS_EN = ("", "", "Respected sir, ", "Dear sir, ", "Sir ", "Assalam o alaikum. ")
_OPENINGS_UR = ("", "", "جناب عالی، ", "محترم، ")
_CLOSINGS_EN = ("", "", " Thank you.", " Please help.", " Shukriya.")
_CLOSINGS_UR = ("", "", " شکریہ۔", " مہربانی فرمائیں۔")


def _typo(rng: Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    choice = rng.random()
    if choice < 0.33:  # swap two letters
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if choice < 0.66:  # drop one
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]  # double one


def paraphrase(rng: Random, text: str, *, urdu: bool) -> str:
    """Another citizen's telling of the same problem: some words dropped or swapped for
    synonyms or Roman Urdu, a few typos, a greeting or thanks added, a detail left out."""
    sentences = [s.strip() for s in text.replace("۔", "۔|").replace(". ", ".|").split("|")]
    sentences = [s for s in sentences if s]
    if len(sentences) > 3 and rng.random() < 0.5:  # a detail left out (not what, not where)
        sentences.pop(rng.randrange(1, len(sentences) - 1))
    if rng.random() < 0.4:  # a detail of their own
        sentences.append(rng.choice(texts.DETAILS_UR if urdu else texts.DETAILS_EN))
    if len(sentences) > 1 and rng.random() < 0.3:
        i = rng.randrange(len(sentences) - 1)
        sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
    words: list[str] = []
    for word in " ".join(sentences).split():
        bare = word.strip(".,;:!?—-").casefold()
        if rng.random() < 0.08 and len(words) > 2:
            continue  # dropped
        if bare in _SWAPS and rng.random() < 0.4:
            words.append(rng.choice(_SWAPS[bare]))
        elif rng.random() < 0.06:
            words.append(_typo(rng, word))
        else:
            words.append(word)
    if len(words) > 3 and rng.random() < 0.3:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    body = " ".join(words)
    if not urdu and rng.random() < 0.3:
        body = body.lower() if rng.random() < 0.7 else body.upper()
    opening = rng.choice(_OPENINGS_UR if urdu else _OPENINGS_EN)
    closing = rng.choice(_CLOSINGS_UR if urdu else _CLOSINGS_EN)
    return f"{opening}{body}{closing}"


@dataclass
class Planted:
    pk: int
    group: int  # complaints of one group are duplicates of each other; -pk: of none
    category: int
    district: int
    text: str  # normalised subject + description
    point: tuple[float, float] | None


@dataclass
class Scored:
    pairs: list[tuple[float, float | None, bool]] = field(default_factory=list)
    positives: int = 0  # ordered pairs of the same group: what a perfect detector finds
    complaints: int = 0
    groups: int = 0


# Where exactly: citizens who report one problem name the same street or landmark, and another
# problem of the category in the district is usually somewhere else.
_LANDMARKS = (
    ("Jamia Masjid Noor", "جامع مسجد نور"),
    ("the Government Girls High School", "گورنمنٹ گرلز ہائی اسکول"),
    ("the main bus stop", "مین بس اسٹاپ"),
    ("Bilal Market", "بلال مارکیٹ"),
    ("the old water tank", "پرانی پانی کی ٹنکی"),
    ("Chowk Yadgar", "چوک یادگار"),
    ("the BHU dispensary", "بنیادی مرکز صحت"),
    ("Madina Bakery", "مدینہ بیکری"),
    ("the railway crossing", "ریلوے پھاٹک"),
    ("the union council office", "یونین کونسل دفتر"),
    ("Al-Fatah Chowk", "الفتح چوک"),
    ("the graveyard gate", "قبرستان کا دروازہ"),
    ("Shah Jamal park", "شاہ جمال پارک"),
    ("the petrol pump on the main road", "مین روڈ والا پیٹرول پمپ"),
    ("Ittefaq Hospital", "اتفاق ہسپتال"),
    ("the girls college", "گرلز کالج"),
)
_BLOCKS = "ABCDEFGHJK"


def _where(rng: Random, urdu: bool) -> str:
    en, ur = rng.choice(_LANDMARKS)
    street, block = rng.randint(1, 40), rng.choice(_BLOCKS)
    if urdu:
        return f"{ur} کے قریب، گلی نمبر {street}، بلاک {block}۔"
    if rng.random() < 0.3:
        return f"{en} ke qareeb, gali number {street} block {block}."
    return f"Near {en}, street {street}, block {block}."


# Cities to put the planted map points near (the districts are drawn from these).
_CENTRES = ((31.55, 74.34), (33.68, 73.05), (24.86, 67.01), (34.01, 71.58), (30.18, 66.98))


def _jitter(rng: Random, centre: tuple[float, float], km: float) -> tuple[float, float]:
    return (centre[0] + rng.uniform(-km, km) / 111.0, centre[1] + rng.uniform(-km, km) / 95.0)


def plant(
    *,
    groups: int,
    seed: int,
    categories: Sequence[CategoryInfo],
    districts: Sequence[DistrictInfo],
    places: bool = True,
) -> list[Planted]:
    """`groups` problems, each told by 2 to 5 citizens in one category and district; for each,
    another problem of the same category and district, and the same words in another district
    (a different place: not a duplicate). With `places`, each problem's text names its street
    and landmark; without, the texts are the generator's alone."""
    rng = Random(seed)  # noqa: S311 (a repeatable stream, not a secret)
    found: list[Planted] = []

    def add(
        group: int,
        cat: CategoryInfo,
        dist: DistrictInfo,
        subject: str,
        body: str,
        point: tuple[float, float] | None,
    ) -> None:
        pk = len(found) + 1
        found.append(
            Planted(
                pk, group if group else -pk, cat.id, dist.id, complaint_text(subject, body), point
            )
        )

    for group in range(1, groups + 1):
        cat, dist = rng.choice(categories), rng.choice(districts)
        language = "ur" if rng.random() < 0.35 else "en"
        urdu = language == "ur"
        subject, body = _words(rng, Kind.COMPLAINT, cat, dist, language)
        if places:
            body = f"{body} {_where(rng, urdu)}"
        centre = _CENTRES[dist.id % len(_CENTRES)]
        spot = _jitter(rng, centre, 8.0) if rng.random() < 0.5 else None
        add(group, cat, dist, subject, body, spot)
        for _n in range(rng.randint(1, 4)):
            point = _jitter(rng, spot, 0.2) if spot and rng.random() < 0.7 else None
            told = paraphrase(rng, body, urdu=urdu)
            short = paraphrase(rng, subject, urdu=urdu) if rng.random() < 0.6 else subject
            add(group, cat, dist, short, told, point)
        # Distractors: another problem of the category in the district (told in other
        # sentences), and these words from another district.
        other_subject, other_body = _other_problem(rng, cat, dist, language, body)
        if places:
            other_body = f"{other_body} {_where(rng, urdu)}"
        add(0, cat, dist, other_subject, other_body, _jitter(rng, centre, 8.0))
        elsewhere = rng.choice([d for d in districts if d.id != dist.id] or [dist])
        if elsewhere.id != dist.id:
            far = _CENTRES[elsewhere.id % len(_CENTRES)]
            add(0, cat, elsewhere, subject, body, _jitter(rng, far, 8.0))
    return found


def _words_of(text: str) -> set[str]:
    return set(complaint_text("", text).split())


def _other_problem(
    rng: Random, cat: CategoryInfo, dist: DistrictInfo, language: str, body: str
) -> tuple[str, str]:
    """Another complaint of the category and district about a different problem: the
    generator's words, drawn again until they share under half of their words with `body`
    (the generator has only a few sentences per category; 20 tries at most)."""
    mine = _words_of(body)
    subject, other = _words(rng, Kind.COMPLAINT, cat, dist, language)
    for _try in range(20):
        theirs = _words_of(other)
        if len(mine & theirs) < 0.5 * max(1, min(len(mine), len(theirs))):
            break
        subject, other = _words(rng, Kind.COMPLAINT, cat, dist, language)
    return subject, other


def _candidates(
    q: Planted, pool: Sequence[Planted], radius: float
) -> Iterator[tuple[Planted, float | None]]:
    for c in pool:
        if c.pk == q.pk or c.category != q.category:
            continue
        far = distance_km(*q.point, *c.point) if q.point and c.point else None
        if c.district == q.district or (far is not None and far <= radius):
            yield c, far


def score(planted: Sequence[Planted], *, radius: float) -> Scored:
    """Every complaint scored against its candidates, as the selector would at lodging."""
    out = Scored(complaints=len(planted))
    sizes: dict[int, int] = {}
    for p in planted:
        sizes[p.group] = sizes.get(p.group, 0) + 1
    out.groups = sum(1 for g, n in sizes.items() if g > 0)
    out.positives = sum(n * (n - 1) for g, n in sizes.items() if g > 0)
    for q in planted:
        found = list(_candidates(q, planted, radius))
        if not found:
            continue
        values = similarities(q.text, [c.text for c, _far in found])
        for (c, far), value in zip(found, values, strict=True):
            out.pairs.append((value, far, c.group == q.group))
    return out


@dataclass(frozen=True)
class Figures:
    threshold: float
    precision: float
    recall: float
    f1: float
    found: int
    wrong: int


def figures(scored: Scored, threshold: float, close_km: float, bonus: float) -> Figures:
    found = wrong = 0
    for value, far, same in scored.pairs:
        if value >= threshold_at(far, threshold, close_km, bonus):
            if same:
                found += 1
            else:
                wrong += 1
    precision = found / (found + wrong) if found + wrong else 1.0
    recall = found / scored.positives if scored.positives else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Figures(threshold, precision, recall, f1, found, wrong)


def timing(
    planted: Sequence[Planted], *, candidates: int = 300, runs: int = 30
) -> tuple[float, float]:
    """Median and slowest milliseconds to score one text against `candidates` texts."""
    texts_ = [p.text for p in planted][:candidates]
    while len(texts_) < candidates and texts_:
        texts_ += texts_[: candidates - len(texts_)]
    spent = []
    for n in range(runs):
        started = time.perf_counter()
        similarities(planted[n % len(planted)].text, texts_)
        spent.append(1000 * (time.perf_counter() - started))
    return statistics.median(spent), max(spent)
