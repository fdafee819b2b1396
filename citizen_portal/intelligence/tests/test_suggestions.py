"""Category suggestion (issue 14): families, the corpus, training, versions, suggestions."""

from __future__ import annotations

import io
import zipfile
from types import SimpleNamespace

import numpy as np
import pytest
import scipy.sparse as sp
from django.urls import reverse

from citizen_portal.accounts.models import Role
from citizen_portal.complaints.models import Complaint, Status
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.complaints.services.officer_actions import complaint_transfer
from citizen_portal.directory.models import Department
from citizen_portal.directory.tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    OfficeFactory,
    PositionFactory,
    StaffFactory,
    hold,
)
from citizen_portal.intelligence.models import CategoryModel
from citizen_portal.intelligence.selectors.families import families_compute
from citizen_portal.intelligence.selectors.suggest import active_text_model, suggest_categories
from citizen_portal.intelligence.services.corpus import Example, corpus_examples
from citizen_portal.intelligence.services.textmodel import (
    Params,
    TextModel,
    _vectorizers,
    normalise,
)
from citizen_portal.intelligence.services.training import _newest_per_topic, category_model_train

BILL = {
    "en": [
        "My electricity bill is far too high this month",
        "Excessive electricity bill, units charged three times normal",
        "The bill came 40000 rupees although the house was locked",
    ],
    "ur": [
        "اس مہینے بجلی کا بل بہت زیادہ آیا ہے",
        "بجلی کا بل تین گنا زیادہ بھیج دیا گیا",
        "گھر بند تھا پھر بھی بجلی کا بل چالیس ہزار آیا",
    ],
    "roman": [
        "bijli ka bill bohat zyada aya hai is mahine",
        "mera bijli ka bill teen guna zyada bheja gaya",
        "ghar band tha phir bhi bill itna zyada",
    ],
}
SUPPLY = {
    "en": [
        "No electricity since yesterday morning, power cut all day",
        "Power outage in our street for ten hours",
        "Load shedding without schedule, light goes every hour",
    ],
    "ur": [
        "کل صبح سے بجلی نہیں ہے، لوڈشیڈنگ جاری ہے",
        "ہماری گلی میں دس گھنٹے سے بجلی غائب ہے",
        "بغیر شیڈول کے ہر گھنٹے بجلی چلی جاتی ہے",
    ],
    "roman": [
        "kal subah se light nahi hai, loadshedding ho rahi hai",
        "hamari gali mein das ghante se bijli gayab hai",
        "har ghante light chali jati hai bina schedule",
    ],
}
WATER = {
    "en": [
        "Dirty water coming from the tap, smells of sewage",
        "No water supply in our area for a week",
        "The water pipeline is leaking on the main road",
    ],
    "ur": [
        "نلکے سے گندا پانی آ رہا ہے",
        "ہمارے علاقے میں ایک ہفتے سے پانی نہیں آیا",
        "مین روڈ پر پانی کی پائپ لائن لیک ہے",
    ],
    "roman": [
        "nalkay se ganda pani aa raha hai",
        "hamaray ilaqay mein hafte se pani nahi aya",
        "main road par pani ki pipeline leak hai",
    ],
}


@pytest.fixture
def town(world: SimpleNamespace, settings) -> SimpleNamespace:
    """The world plus IESCO (LESCO's category tree, an office in Kasur) and WASA's water."""
    settings.LODGE_MAX_PER_HOUR = 10_000
    settings.LODGE_MAX_PER_DAY = 10_000
    iesco = DepartmentFactory(code="FED-IESCO", tier=world.tier, name_en="IESCO")
    office = OfficeFactory(department=iesco, name_en="IESCO Kasur", jurisdiction=world.kasur)
    focal = PositionFactory(office=office, title_en="Complaint Cell")
    hold(StaffFactory(username="iesco.focal"), focal)
    iesco.focal_position = focal
    iesco.save()
    bill = CategoryFactory(code="FED-IESCO.BILL", department=iesco, name_en="Billing")
    over = CategoryFactory(
        code="FED-IESCO.BILL.OVER", department=iesco, parent=bill, depth=1, name_en="Over"
    )
    CategoryFactory(code="FED-IESCO.SUPPLY", department=iesco, name_en="Power supply")
    wasa = Department.objects.get(code="PB-WASA")
    water = CategoryFactory(code="PB-WASA.WATER", department=wasa, name_en="Water")
    return SimpleNamespace(world=world, iesco=iesco, iesco_over=over, water=water)


def _lodge(world: SimpleNamespace, category, text: str, language: str) -> Complaint:
    subject, _sep, rest = text.partition(",")
    return complaint_lodge(
        citizen=world.citizen,
        data=ComplaintInput(
            category=category,
            area=world.lahore,
            subject=subject[:200],
            description=f"{text}. {rest}".strip() + " Please help.",
            language="ur" if language == "ur" else "en",
        ),
    )


def _corpus(town: SimpleNamespace, rounds: int = 2) -> None:
    """Lodged complaints in each language, closed: confirmed in their category."""
    world = town.world
    for _round in range(rounds):
        for texts, category in (
            (BILL, world.overbilling),
            (SUPPLY, world.supply),
            (WATER, town.water),
        ):
            for language, sentences in texts.items():
                for sentence in sentences:
                    _lodge(world, category, sentence, language)
    Complaint.objects.update(status=Status.CLOSED)


def test_families_group_departments_with_the_same_tree(town: SimpleNamespace) -> None:
    families = families_compute()
    assert families.family_of["FED-LESCO"] == families.family_of["FED-IESCO"]
    assert families.family_of["PB-WASA"] != families.family_of["FED-LESCO"]
    assert families.topic("FED-IESCO.BILL.OVER", "FED-IESCO") == families.topic(
        "FED-LESCO.BILL.OVER", "FED-LESCO"
    )


def test_corpus_takes_confirmed_complaints_and_counts_corrections(town: SimpleNamespace) -> None:
    world = town.world
    closed = _lodge(world, world.overbilling, BILL["en"][0], "en")
    Complaint.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    _lodge(world, world.supply, SUPPLY["en"][0], "en")  # still open, never placed: not taken
    wrong = _lodge(world, world.overbilling, WATER["en"][0], "en")  # with the SE by rule
    complaint_transfer(
        complaint=wrong, officer=world.officers.se, category=town.water, reason="It is about water"
    )
    examples = {e.text.split("\n")[0]: e for e in corpus_examples()}
    assert set(examples) == {closed.subject, wrong.subject}
    assert examples[wrong.subject].corrected
    assert examples[wrong.subject].category_code == "PB-WASA.WATER"
    assert not examples[closed.subject].corrected


def test_a_busy_topic_is_learnt_from_its_newest_complaints_only() -> None:
    """Training on a national corpus reads each topic's newest complaints, up to a cap: the
    busiest topics no longer cost most of the training's time, and rare topics keep all."""
    newest_first = [
        Example(f"bill {n}", "FED-LESCO.BILL.OVER", "FED-LESCO", "en", corrected=False)
        for n in (5, 4, 3, 2, 1)
    ] + [Example("no water", "PB-WASA.WATER", "PB-WASA", "ur", corrected=True)]
    labels = ["bill"] * 5 + ["water"]
    kept, kept_labels = _newest_per_topic(newest_first, labels, cap=2)
    assert [e.text for e in kept] == ["bill 5", "bill 4", "no water"]
    assert kept_labels == ["bill", "bill", "water"]


def test_no_model_no_suggestion(town: SimpleNamespace) -> None:
    active_text_model(force=True)
    assert suggest_categories("my electricity bill is too high") == []


def test_trained_model_suggests_by_language_and_place(town: SimpleNamespace) -> None:
    _corpus(town, rounds=1)
    record = category_model_train()
    assert record.is_active
    assert record.version == 1
    assert record.examples == 27
    assert record.top3 is not None
    active_text_model(force=True)
    world = town.world
    cases = [
        ("the electricity bill is too high, excessive units charged", "BILL.OVER"),
        ("بجلی کا بل بہت زیادہ آیا", "BILL.OVER"),
        ("bijli ka bill bohat zyada hai", "BILL.OVER"),
        ("no electricity since morning, power cut", "SUPPLY"),
        ("کل سے بجلی نہیں ہے", "SUPPLY"),
        ("ganda pani aa raha hai nalkay se", "WATER"),
    ]
    for text, suffix in cases:
        found = suggest_categories(text, district=world.lahore)
        assert found, text
        assert found[0].category.code.endswith(suffix), (text, found)
        assert 0 <= found[0].score <= 1
        assert found[0].category.department.tier.pk == world.tier.pk
    # The same topic goes to the company serving the district: a rule in Lahore for LESCO,
    # only an office in Kasur for IESCO.
    assert suggest_categories(cases[0][0], district=world.lahore)[0].department.code == (
        "FED-LESCO"
    )
    assert suggest_categories(cases[0][0], district=world.kasur)[0].department.code == ("FED-IESCO")
    # Odd input never raises.
    for text in ("", "  ", "ab", "😀😀😀", "<script>alert(1)</script>", "x" * 100_000, "\x00bill"):
        suggest_categories(text, district=None)
    assert suggest_categories("😀") == []


def test_versions_and_no_pickle(town: SimpleNamespace) -> None:
    _corpus(town, rounds=1)
    first = category_model_train(evaluate=False)
    second = category_model_train(evaluate=False)
    first.refresh_from_db()
    assert (first.is_active, second.is_active) == (False, True)
    assert CategoryModel.objects.count() == 2
    archive = zipfile.ZipFile(io.BytesIO(bytes(second.blob)))
    for name in archive.namelist():
        array = np.load(archive.open(name), allow_pickle=False)  # raises on a pickled object
        assert array.dtype != object
    assert active_text_model(force=True) is not None


def test_hand_scoring_matches_scikit_learn() -> None:
    texts = [
        t for group in (BILL, SUPPLY, WATER) for sentences in group.values() for t in sentences
    ]
    params = Params()
    chars, words = _vectorizers(params, 1)
    expected = sp.hstack([chars.fit_transform(texts), words.fit_transform(texts)]).toarray()
    model = TextModel(
        labels=["a"],
        char_vocabulary=dict(chars.vocabulary_),
        word_vocabulary=dict(words.vocabulary_),
        char_idf=chars.idf_.astype(np.float32),
        word_idf=words.idf_.astype(np.float32),
        weights=sp.csr_matrix((expected.shape[1], 1), dtype=np.float32),
        intercepts=np.zeros(1, dtype=np.float32),
        params=params,
    )
    assert np.allclose(model.features(texts).toarray(), expected, atol=1e-5)
    assert normalise("بجلي كا بل ۱۲۳") == normalise("بجلی کا بل 456")


def test_models_page_for_administrators_only(town: SimpleNamespace, client) -> None:
    _corpus(town, rounds=1)
    admin = StaffFactory(username="admin.ai", role=Role.ADMINISTRATOR, is_staff=True)
    client.force_login(admin)
    page = client.get(reverse("intelligence:models"))
    assert page.status_code == 200
    assert "No model is active" in page.content.decode()
    assert client.post(reverse("intelligence:models")).status_code == 302
    assert CategoryModel.objects.filter(is_active=True).get().version == 1
    page = client.get(reverse("intelligence:models"))
    assert "Active version: 1" in page.content.decode()
    client.force_login(town.world.officers.focal)
    assert client.get(reverse("intelligence:models")).status_code == 403
