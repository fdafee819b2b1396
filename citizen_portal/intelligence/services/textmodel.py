"""The text model itself, apart from the database: normalising Urdu, English and Roman Urdu,
training (TF-IDF character and word n-grams, a linear classifier), storing it without pickle,
and scoring one text quickly.

Stored as an .npz archive of plain arrays, read with allow_pickle=False: the vocabularies and
labels are JSON text in a uint8 array, the idf vectors float32, the weights a pruned float32
sparse matrix. Scoring one text does not use scikit-learn: it applies the same analyzers, tf
and idf by hand (the test checks it matches scikit-learn's transform), which is what keeps a
suggestion to about a millisecond.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

FORMAT = 1
# Urdu letter variants typed from Arabic or Persian keyboards, and digits of every script.
_LETTERS = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ه": "ہ",
        "ة": "ہ",
        "ۃ": "ہ",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "ۓ": "ے",
        "ـ": None,  # tatweel
        "\u200c": " ",
        "\u200d": None,
        **{chr(code): "0" for code in range(0x0660, 0x066A)},
        **{chr(code): "0" for code in range(0x06F0, 0x06FA)},
        **{chr(code): "0" for code in range(0x30, 0x3A)},
    }
)
_MARKS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")  # short vowels and Quranic marks
_TAGS = re.compile(r"<[^>]{0,200}>")
_SPACES = re.compile(r"\s+")
_ZEROS = re.compile(r"0{2,}")


def normalise(text: str) -> str:
    """Lower case, one spelling per Urdu letter, no vowel marks or HTML tags, digits folded."""
    text = unicodedata.normalize("NFC", text)
    text = _TAGS.sub(" ", text).lower().translate(_LETTERS)
    text = _MARKS.sub("", text)
    text = _ZEROS.sub("0", text)
    return _SPACES.sub(" ", text).strip()


_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern, used below
_WHITE_SPACES = re.compile(r"\s\s+")


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """scikit-learn's analyzer="char_wb": n-grams inside words padded with a space."""
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text).split():
        word = f" {word} "
        length = len(word)
        for n in range(low, high + 1):
            offset = 0
            grams.append(word[offset : offset + n])
            while offset + n < length:
                offset += 1
                grams.append(word[offset : offset + n])
            if offset == 0:  # a word shorter than n counts once
                break
    return grams


def word_ngrams(tokens: list[str], low: int, high: int) -> list[str]:
    """scikit-learn's word n-grams: the tokens (when low is 1), then pairs and longer runs."""
    if high == 1:
        return tokens
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high + 1, len(tokens) + 1)):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


@dataclass(frozen=True)
class Params:
    char_ngrams: tuple[int, int] = (2, 5)
    word_ngrams: tuple[int, int] = (1, 2)
    min_df: int = 2
    max_char_features: int = 150_000
    max_word_features: int = 60_000
    alpha: float = 0.3  # ComplementNB smoothing
    prune: float = 0.05  # weights smaller than this (in absolute value) are dropped
    seed: int = 14


def _vectorizers(params: Params, min_df: int) -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    common: dict[str, Any] = {
        "preprocessor": normalise,
        "lowercase": False,
        "sublinear_tf": True,
        "min_df": min_df,
        "dtype": np.float32,
    }
    chars = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=params.char_ngrams,
        max_features=params.max_char_features,
        **common,
    )
    words = TfidfVectorizer(
        analyzer="word",
        ngram_range=params.word_ngrams,
        token_pattern=_TOKEN.pattern,
        max_features=params.max_word_features,
        **common,
    )
    return chars, words


@dataclass
class TextModel:
    labels: list[str]
    char_vocabulary: dict[str, int]
    word_vocabulary: dict[str, int]
    char_idf: np.ndarray
    word_idf: np.ndarray
    weights: sp.csr_matrix  # (features, labels), char features first
    intercepts: np.ndarray
    params: Params = field(default_factory=Params)
    meta: dict[str, Any] = field(default_factory=dict)
    _analyzers: tuple[Callable[[str], list[str]], Callable[[str], list[str]]] | None = None

    # Scoring -------------------------------------------------------------------------------

    def analyzers(self) -> tuple[Callable[[str], list[str]], Callable[[str], list[str]]]:
        """The n-grams scikit-learn's vectorizers would make (the test compares them), written
        out so that a web process scoring suggestions never imports scikit-learn (about 65 MB
        per process)."""
        if self._analyzers is None:
            low, high = self.params.char_ngrams
            word_low, word_high = self.params.word_ngrams

            def chars(text: str) -> list[str]:
                return char_wb_ngrams(normalise(text), low, high)

            def words(text: str) -> list[str]:
                return word_ngrams(_TOKEN.findall(normalise(text)), word_low, word_high)

            self._analyzers = (chars, words)
        return self._analyzers

    def features(self, texts: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF rows as scikit-learn's vectorizers would make them (sublinear tf, l2)."""
        char_analyzer, word_analyzer = self.analyzers()
        blocks = []
        for analyzer, vocabulary, idf in (
            (char_analyzer, self.char_vocabulary, self.char_idf),
            (word_analyzer, self.word_vocabulary, self.word_idf),
        ):
            indptr, indices, values = [0], [], []
            for text in texts:
                counts: dict[int, int] = {}
                for gram in analyzer(text):
                    column = vocabulary.get(gram)
                    if column is not None:
                        counts[column] = counts.get(column, 0) + 1
                columns = sorted(counts)
                row = np.array([counts[c] for c in columns], dtype=np.float32)
                row = (1.0 + np.log(row)) * idf[columns] if columns else row
                norm = float(np.sqrt((row * row).sum())) if columns else 0.0
                if norm > 0:
                    row = row / norm
                indices.extend(columns)
                values.extend(row.tolist())
                indptr.append(len(indices))
            blocks.append(
                sp.csr_matrix(
                    (np.array(values, dtype=np.float32), indices, indptr),
                    shape=(len(texts), len(vocabulary)),
                )
            )
        return sp.hstack(blocks, format="csr")

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Rows of label probabilities (softmax of the linear scores), each summing to 1."""
        decision = np.asarray((self.features(texts) @ self.weights).todense()) + self.intercepts
        return softmax(decision * float(self.meta.get("temperature", 1.0)))

    # Storage -------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        head = {
            "format": FORMAT,
            "labels": self.labels,
            "char_vocabulary": _as_list(self.char_vocabulary),
            "word_vocabulary": _as_list(self.word_vocabulary),
            "params": {
                **self.params.__dict__,
                "char_ngrams": list(self.params.char_ngrams),
                "word_ngrams": list(self.params.word_ngrams),
            },
            "meta": self.meta,
        }
        weights = self.weights.tocsr().astype(np.float32)
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            head=np.frombuffer(json.dumps(head, ensure_ascii=False).encode(), dtype=np.uint8),
            char_idf=self.char_idf.astype(np.float32),
            word_idf=self.word_idf.astype(np.float32),
            data=weights.data,
            indices=weights.indices.astype(np.int32),
            indptr=weights.indptr.astype(np.int64),
            shape=np.array(weights.shape, dtype=np.int64),
            intercepts=self.intercepts.astype(np.float32),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> TextModel:
        with np.load(io.BytesIO(blob), allow_pickle=False) as archive:
            head = json.loads(archive["head"].tobytes().decode())
            if head.get("format") != FORMAT:
                raise ValueError("unknown model format")
            shape = tuple(int(n) for n in archive["shape"])
            weights = sp.csr_matrix(
                (archive["data"], archive["indices"], archive["indptr"]), shape=shape
            )
            raw = head["params"]
            params = Params(
                **{
                    **raw,
                    "char_ngrams": tuple(raw["char_ngrams"]),
                    "word_ngrams": tuple(raw["word_ngrams"]),
                }
            )
            return cls(
                labels=list(head["labels"]),
                char_vocabulary={gram: n for n, gram in enumerate(head["char_vocabulary"])},
                word_vocabulary={gram: n for n, gram in enumerate(head["word_vocabulary"])},
                char_idf=archive["char_idf"],
                word_idf=archive["word_idf"],
                weights=weights,
                intercepts=archive["intercepts"],
                params=params,
                meta=dict(head.get("meta") or {}),
            )


def _as_list(vocabulary: dict[str, int]) -> list[str]:
    grams = [""] * len(vocabulary)
    for gram, column in vocabulary.items():
        grams[column] = gram
    return grams


def softmax(decision: np.ndarray) -> np.ndarray:
    shifted = decision - decision.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    out: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
    return out


# Training ----------------------------------------------------------------------------------


def fit(
    texts: Sequence[str],
    labels: Sequence[str],
    weights: Sequence[float] | None = None,
    params: Params | None = None,
) -> TextModel:
    """Train on `texts` → `labels` (sample weights: corrections count more)."""
    from sklearn.naive_bayes import ComplementNB

    params = params or Params()
    min_df = params.min_df if len(texts) >= 50 else 1
    chars, words = _vectorizers(params, min_df)
    x = sp.hstack([chars.fit_transform(texts), words.fit_transform(texts)], format="csr")
    classifier = ComplementNB(alpha=params.alpha)
    classifier.fit(x, list(labels), sample_weight=None if weights is None else list(weights))
    dense = classifier.feature_log_prob_.astype(np.float32)  # (labels, features)
    # A constant per n-gram adds the same to every label's score: taking each n-gram's mean
    # away changes no ranking, and leaves most weights near zero, to be pruned.
    dense -= dense.mean(axis=0, keepdims=True)
    dense[np.abs(dense) < params.prune] = 0.0
    coef = sp.csr_matrix(dense.T)
    intercepts = np.zeros(len(classifier.classes_), dtype=np.float32)
    names = [str(label) for label in classifier.classes_]
    n_char = len(chars.vocabulary_)
    model = TextModel(
        labels=names,
        char_vocabulary={k: int(v) for k, v in chars.vocabulary_.items()},
        word_vocabulary={k: int(v) for k, v in words.vocabulary_.items()},
        char_idf=chars.idf_.astype(np.float32),
        word_idf=words.idf_.astype(np.float32),
        weights=coef,
        intercepts=intercepts,
        params=params,
    )
    return _shrunk(model, n_char)


def _shrunk(model: TextModel, n_char: int) -> TextModel:
    """Drop the n-grams every label gave a zero weight: they cannot change a score."""
    weights = model.weights.tocsr()
    used = np.flatnonzero(np.diff(weights.indptr))
    if len(used) == weights.shape[0] or len(model.labels) == 1:
        return model
    new_column = {int(old): new for new, old in enumerate(used)}
    char_keep = [int(c) for c in used if c < n_char]
    word_keep = [int(c) - n_char for c in used if c >= n_char]
    char_grams = _as_list(model.char_vocabulary)
    word_grams = _as_list(model.word_vocabulary)
    model.char_vocabulary = {char_grams[c]: new_column[c] for c in char_keep}
    model.word_vocabulary = {
        word_grams[c]: new_column[c + n_char] - len(char_keep) for c in word_keep
    }
    model.char_idf = model.char_idf[char_keep]
    model.word_idf = model.word_idf[word_keep]
    model.weights = weights[used]
    return model


def top_k_hits(scores: np.ndarray, labels: list[str], truth: Sequence[str], k: int) -> list[bool]:
    """Whether each true label is among its row's k best."""
    index = {label: n for n, label in enumerate(labels)}
    order = np.argsort(-scores, axis=1)[:, :k]
    return [index.get(t, -1) in set(row.tolist()) for t, row in zip(truth, order, strict=True)]


def temperature_fit(model: TextModel, texts: Sequence[str], truth: Sequence[str]) -> float:
    """The factor on the linear scores that makes the softmax's probabilities honest on
    held-out texts (highest likelihood of the true labels, on a coarse grid)."""
    index = {label: n for n, label in enumerate(model.labels)}
    rows = [(n, index[t]) for n, t in enumerate(truth) if t in index]
    if not rows:
        return 1.0
    saved = model.meta.get("temperature")
    model.meta["temperature"] = 1.0
    decision = np.log(np.clip(model.scores(texts), 1e-30, None))  # softmax at 1 = shifted scores
    if saved is None:
        model.meta.pop("temperature")
    else:
        model.meta["temperature"] = saved
    best, best_loss = 1.0, float("inf")
    for factor in (0.5, 1, 2, 3, 5, 8, 12, 20, 30, 50, 80, 120, 200):
        probabilities = softmax(decision * factor)
        loss = -float(np.mean([np.log(probabilities[n, c] + 1e-12) for n, c in rows]))
        if loss < best_loss:
            best, best_loss = float(factor), loss
    return best
