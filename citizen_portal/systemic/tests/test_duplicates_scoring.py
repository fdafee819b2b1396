"""The text scoring behind likely duplicates, and its evaluation on planted duplicates."""

from __future__ import annotations

from io import StringIO
from random import Random

import pytest
from django.core.management import call_command
from sklearn.feature_extraction.text import TfidfVectorizer

from citizen_portal.systemic.selectors.planted import paraphrase
from citizen_portal.systemic.selectors.text_similarity import (
    complaint_text,
    normalise,
    similarities,
)

TEXTS = [
    "no water in street 7 block c for nine days, buying tankers",
    "10 din se paani nahi aa raha gali 7 block c main",
    "گلی نمبر 7 میں نو دن سے پانی نہیں آ رہا",
    "the street light outside house 12 has been off for a month",
    "a",
    "",
]


def test_the_scores_are_sklearns_tfidf_cosine_on_character_ngrams():
    text = normalise("No WATER in Street 7, Block C for 9 days!")
    others = [normalise(t) for t in TEXTS]
    fitted = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    matrix = fitted.fit_transform([text, *others])
    expected = (matrix[1:] @ matrix[0].T).toarray().ravel()

    assert similarities(text, others) == pytest.approx(list(expected), abs=1e-9)


def test_urdu_letter_forms_digits_and_case_do_not_matter():
    arabic_keyboard = "بجلي كا بل ٣ گنا"  # Arabic yeh and kaf, Arabic-Indic digit
    urdu_keyboard = "بجلی کا بل 3 گنا"
    assert normalise(arabic_keyboard) == normalise(urdu_keyboard)
    assert normalise("Street ۷, BLOCK C!") == "street 7 block c"
    assert similarities(complaint_text("", arabic_keyboard), [normalise(urdu_keyboard)]) == [
        pytest.approx(1.0)
    ]


def test_odd_input_scores_zero_without_an_error():
    assert similarities("", ["anything"]) == [0.0]
    assert similarities("water", []) == []
    assert similarities("a", ["b", ""]) == [0.0, 0.0]
    assert len(similarities("x" * 20_000, ["x" * 10_000, "🙂" * 50])) == 2


def test_a_paraphrase_says_the_same_in_other_words():
    text = "There has been no water in our taps for nine days. Please look into it urgently."
    told = paraphrase(Random(4), text, urdu=False)
    assert told != text
    assert similarities(normalise(text), [normalise(told)])[0] > 0.3


@pytest.mark.django_db
def test_the_evaluation_reports_precision_and_recall_on_planted_duplicates():
    out = StringIO()
    call_command("evaluate_duplicates", "--groups", "15", "--seed", "2", stdout=out)
    report = out.getvalue()
    assert "duplicate groups" in report
    assert "threshold  precision  recall" in report
    assert "At 0.50 (radius 2 km): precision " in report
    assert "Scoring one text against 300 candidates: median" in report
