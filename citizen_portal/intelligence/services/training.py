"""Training a new version of the category-suggestion model, and evaluating the active one.

category_model_train reads the corpus (services/corpus.py), holds out 20 % (stratified where
every label has two examples, fixed seed) to measure top-1 and top-3 accuracy, then trains on
everything and stores the new version; the labelled set (data/evaluation/labelled.jsonl), when
present, is scored too, per language. The last KEEP_VERSIONS versions are kept.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import AdminUnit
from citizen_portal.intelligence.models import CategoryModel
from citizen_portal.intelligence.selectors.families import Families, families_compute
from citizen_portal.intelligence.services.corpus import MAX_EXAMPLES, Example, corpus_examples
from citizen_portal.intelligence.services.textmodel import (
    Params,
    TextModel,
    fit,
    temperature_fit,
    top_k_hits,
)

logger = logging.getLogger(__name__)

LABELLED = Path(__file__).resolve().parent.parent / "data" / "evaluation" / "labelled.jsonl"
HELD_OUT = 0.2
SEED = 14
KEEP_VERSIONS = 10
MIN_EXAMPLES = 2
# At most this many complaints of one topic, its newest, are learnt from: see _newest_per_topic.
MAX_PER_TOPIC = 1_000
# Each category name and phrasebook sentence counts as one complaint.
NAME_WEIGHT = 1.0
# A topic's complaints weigh together at most as much as this many (or the median topic's
# count, when larger): see _balanced.
TOPIC_WEIGHT_FLOOR = 20


def category_model_train(
    *, activate: bool = True, evaluate: bool = True, limit: int = MAX_EXAMPLES
) -> CategoryModel:
    """Train, store and (by default) activate a new version. Raises ApplicationError when
    there is nothing to learn from."""
    started = time.monotonic()
    families = families_compute()
    examples = list(corpus_examples(limit=limit))
    if len(examples) < MIN_EXAMPLES:
        raise ApplicationError(
            _("There are not enough confirmed complaints to train on yet."), code="no_examples"
        )
    labels = [families.topic(e.category_code, e.department_code) for e in examples]
    examples, labels = _newest_per_topic(examples, labels)
    if len(set(labels)) < 2:
        raise ApplicationError(
            _("Confirmed complaints name a single category: there is nothing to choose between."),
            code="one_label",
        )
    texts = [e.text for e in examples]
    weights = _balanced([e.weight for e in examples], labels)
    evaluation: dict[str, Any] = {}
    temperature = 1.0
    names = _phrase_examples(families)
    names += _name_examples(families, set(labels) | {label for _text, label in names})
    if evaluate:
        evaluation["held_out"], temperature = _held_out(texts, labels, weights, examples, names)
    model = fit(
        texts + [text for text, _label in names],
        labels + [label for _text, label in names],
        weights + [NAME_WEIGHT] * len(names),
    )
    model.meta["temperature"] = temperature
    model.meta["topics"] = _topics(examples, labels, families, model.labels)
    if evaluate:
        labelled = labelled_evaluate(model)
        if labelled is not None:
            evaluation["labelled"] = labelled
    evaluation["seconds"] = round(time.monotonic() - started, 1)
    evaluation["languages"] = dict(Counter(e.language for e in examples))
    blob = model.to_bytes()
    held = evaluation.get("held_out", {}).get("all", {})
    with transaction.atomic():
        latest = CategoryModel.objects.select_for_update().aggregate(Max("version"))
        version = (latest["version__max"] or 0) + 1
        if activate:
            CategoryModel.objects.filter(is_active=True).update(is_active=False)
        record = CategoryModel.objects.create(
            version=version,
            examples=len(examples),
            labels=len(model.labels),
            corrections=sum(1 for e in examples if e.corrected),
            top1=held.get("top1"),
            top3=held.get("top3"),
            evaluation=evaluation,
            blob=blob,
            size=len(blob),
            sha256=hashlib.sha256(blob).hexdigest(),
            is_active=activate,
        )
        old = CategoryModel.objects.filter(is_active=False).order_by("-version")[KEEP_VERSIONS:]
        CategoryModel.objects.filter(pk__in=[m.pk for m in old]).delete()
    if activate:
        from citizen_portal.intelligence.selectors.suggest import active_model_forget

        transaction.on_commit(active_model_forget)
        active_model_forget()
    logger.info("category model v%s trained on %s examples", version, len(examples))
    return record


def _newest_per_topic(
    examples: list[Example], labels: list[str], cap: int = MAX_PER_TOPIC
) -> tuple[list[Example], list[str]]:
    """Keep each topic's newest `cap` complaints (the corpus comes newest first). A
    busy topic's thousandth complaint teaches little its first thousand did not, and _balanced
    would give each of its complaints a sliver of weight anyway. Learning from all of them, a
    training on the benchmark's corpus (200,000 of 1,000,000 complaints) was still counting
    n-grams after 8 minutes, most of them the few busiest topics'; with the cap, 238 s."""
    kept: Counter[str] = Counter()
    pairs = []
    for example, label in zip(examples, labels, strict=True):
        if kept[label] < cap:
            kept[label] += 1
            pairs.append((example, label))
    return [example for example, _label in pairs], [label for _example, label in pairs]


def _balanced(weights: list[float], labels: list[str]) -> list[float]:
    """Complaints are spread like Zipf's law over topics: a few topics have most of them. Left
    as they are, the busiest topics' words crowd the rare topics out of the top three (on the
    development set: top-3 91 % as they are, 96 % capped). So each topic's complaints weigh
    together at most as much as the median topic's count, and never less than
    TOPIC_WEIGHT_FLOOR complaints: a busy topic's complaints each weigh less, a rare topic's
    keep their full weight."""
    counts = Counter(labels)
    ordered = sorted(counts.values())
    cap = max(TOPIC_WEIGHT_FLOOR, ordered[len(ordered) // 2]) if ordered else TOPIC_WEIGHT_FLOOR
    return [
        weight * min(1.0, cap / counts[label])
        for weight, label in zip(weights, labels, strict=True)
    ]


def _name_examples(families: Families, labels: set[str]) -> list[tuple[str, str]]:
    """The directory's own words for each topic the corpus has: every family member's category
    name, alone and under its parent's, in English and Urdu. They teach the model the
    keywords of a topic that the complaints so far happened not to use. One query."""
    from citizen_portal.directory.models import Category

    found: dict[str, set[str]] = defaultdict(set)
    rows = Category.objects.filter(is_active=True, out_of_scope=False).values_list(
        "code",
        "department__code",
        "name_en",
        "name_ur",
        "parent__name_en",
        "parent__name_ur",
    )
    for code, department, name_en, name_ur, parent_en, parent_ur in rows:
        label = families.topic(code, department)
        if label not in labels:
            continue
        for name, parent in ((name_en, parent_en), (name_ur, parent_ur)):
            if name:
                found[label].add(name)
                if parent:
                    found[label].add(f"{parent}: {name}")
    return [(text, label) for label, texts in sorted(found.items()) for text in sorted(texts)]


def _phrase_examples(families: Families) -> list[tuple[str, str]]:
    """The phrasebook's sentences (data/phrasebook), each under its topic: what citizens say
    about a topic before the portal has confirmed complaints about it."""
    from citizen_portal.intelligence.services.phrasebook import phrasebook

    found: dict[str, set[str]] = defaultdict(set)
    for department, family in phrasebook().items():
        if department not in families.family_of:
            continue
        for suffix, languages in family.topics.items():
            label = families.topic(f"{department}.{suffix}", department)
            for sentences in languages.values():
                found[label].update(sentences)
    return [(text, label) for label, texts in sorted(found.items()) for text in sorted(texts)]


def _topics(
    examples: Sequence[Example], labels: Sequence[str], families: Families, known: list[str]
) -> dict[str, dict[str, int]]:
    """label → {department code: examples seen}, every member of the family included, so that
    a department with no complaints yet is still suggested where it serves."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for example, label in zip(examples, labels, strict=True):
        counts[label][example.department_code] += 1
    topics: dict[str, dict[str, int]] = {}
    for label in known:
        seen = counts[label]
        family = label.split("|", 1)[0]
        members = families.members.get(family, (family.rstrip("+"),))
        topics[label] = {code: seen.get(code, 0) for code in sorted(set(members) | set(seen))}
    return topics


def _held_out(
    texts: list[str],
    labels: list[str],
    weights: list[float],
    examples: list[Example],
    names: list[tuple[str, str]],
) -> tuple[dict[str, Any], float]:
    """Train on 80 %, score the other 20 %: top-1 and top-3, overall and per language; and
    the temperature that makes the scores honest probabilities."""
    from sklearn.model_selection import train_test_split

    counts = Counter(labels)
    indices = list(range(len(texts)))
    stratify = (
        labels if min(counts.values()) >= 2 and len(counts) <= len(texts) * HELD_OUT else None
    )
    try:
        train, test = train_test_split(
            indices, test_size=HELD_OUT, random_state=SEED, stratify=stratify
        )
    except ValueError:
        train, test = train_test_split(indices, test_size=HELD_OUT, random_state=SEED)
    if len({labels[i] for i in train}) < 2 or not test:
        return {}, 1.0
    model = fit(
        [texts[i] for i in train] + [text for text, _label in names],
        [labels[i] for i in train] + [label for _text, label in names],
        [weights[i] for i in train] + [NAME_WEIGHT] * len(names),
    )
    test_texts, truth = [texts[i] for i in test], [labels[i] for i in test]
    model.meta["temperature"] = temperature = temperature_fit(model, test_texts, truth)
    result = _accuracy(model, test_texts, truth, [examples[i].language for i in test])
    return result, temperature


def _accuracy(
    model: TextModel, texts: list[str], truth: list[str], languages: list[str]
) -> dict[str, Any]:
    scores = model.scores(texts)
    hits1 = top_k_hits(scores, model.labels, truth, 1)
    hits3 = top_k_hits(scores, model.labels, truth, 3)
    groups: dict[str, list[int]] = defaultdict(list)
    for n, language in enumerate(languages):
        groups[language].append(n)
    result: dict[str, Any] = {"all": _rates(range(len(truth)), hits1, hits3)}
    for language, rows in sorted(groups.items()):
        result[language] = _rates(rows, hits1, hits3)
    return result


def _rates(rows: Any, hits1: list[bool], hits3: list[bool]) -> dict[str, Any]:
    rows = list(rows)
    n = len(rows)
    return {
        "n": n,
        "top1": round(sum(hits1[i] for i in rows) / n, 4) if n else None,
        "top3": round(sum(hits3[i] for i in rows) / n, 4) if n else None,
    }


@dataclass(frozen=True)
class LabelledItem:
    text: str
    category: str
    district: str
    language: str


def labelled_items(path: Path = LABELLED) -> list[LabelledItem]:
    """The hand-labelled set; lines that are not complete JSON objects are skipped (the file
    may be missing, or still being written)."""
    items: list[LabelledItem] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return items
    for line in lines:
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if not isinstance(row, dict) or not isinstance(row.get("category"), str):
            continue
        text = f"{row.get('subject') or ''}\n{row.get('description') or ''}".strip()
        if text:
            items.append(
                LabelledItem(
                    text=text,
                    category=row["category"],
                    district=str(row.get("district") or ""),
                    language=str(row.get("language") or "?"),
                )
            )
    return items


def labelled_evaluate(model: TextModel, path: Path = LABELLED) -> dict[str, Any] | None:
    """Top-1 and top-3 of the topics on the labelled set, overall and per language; and the
    shares whose first (three) suggestions, resolved to a department by district, hold the
    exact category ("exact_top1", "exact_top3"). None without a labelled set."""
    items = labelled_items(path)
    if not items:
        return None
    families = families_compute()
    departments = _department_codes({item.category for item in items})
    truth = [families.topic(item.category, departments.get(item.category, "")) for item in items]
    result = _accuracy(model, [i.text for i in items], truth, [i.language for i in items])
    exact = _exact(model, items)
    if exact is not None:
        result["all"]["exact_top1"], result["all"]["exact_top3"] = exact
    return result


def _department_codes(category_codes: set[str]) -> dict[str, str]:
    from citizen_portal.directory.models import Category

    return dict(
        Category.objects.filter(code__in=category_codes).values_list("code", "department__code")
    )


def _exact(model: TextModel, items: list[LabelledItem]) -> tuple[float, float] | None:
    """Top-1 and top-3 of the exact categories (department included) that a citizen in the
    item's district would be offered: the suggestion path itself (suggest.ranked_categories)."""
    from citizen_portal.intelligence.selectors.resolution import table_for, table_forget
    from citizen_portal.intelligence.selectors.suggest import ranked_categories

    if not items:
        return None
    topics = model.meta.get("topics") or {}
    table = table_for("evaluation", topics)  # a throwaway, not the active version's
    districts = dict(
        AdminUnit.objects.filter(code__in={i.district for i in items if i.district}).values_list(
            "code", "pk"
        )
    )
    scores = model.scores([i.text for i in items])
    top1 = top3 = 0
    for item, row in zip(items, scores, strict=True):
        pk = districts.get(item.district)
        unit = AdminUnit(pk=pk) if pk is not None else None
        offered = [
            found.category.code
            for found in ranked_categories(model, table, row, district=unit, limit=3)
        ]
        top1 += offered[:1] == [item.category]
        top3 += item.category in offered
    table_forget()
    return round(top1 / len(items), 4), round(top3 / len(items), 4)


def active_model_evaluate(path: str | None = None) -> dict[str, Any] | None:
    """The labelled-set figures of the active version (None: no active version or no set);
    stored with the version, so the administrators' page shows them. With `path`, another
    labelled file (the development set) is scored and nothing is stored."""
    from citizen_portal.intelligence.selectors.suggest import active_text_model

    record = CategoryModel.objects.filter(is_active=True).first()
    model = active_text_model(force=True)
    if record is None or model is None:
        return None
    if path:
        return labelled_evaluate(model, Path(path))
    result = labelled_evaluate(model)
    if result is not None:
        record.evaluation = {**record.evaluation, "labelled": result}
        record.save(update_fields=["evaluation"])
    return result


__all__ = ["Params", "active_model_evaluate", "category_model_train", "labelled_evaluate"]
