"""A small trained model for the tests of the suggestion pages and API (test_ui_*.py):
confirmed complaints with clear texts in three categories of two departments (LESCO over-billing
and power supply, WASA water supply), in English, Urdu and Roman Urdu, then the real training."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

from citizen_portal.complaints.models import Complaint, Status
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.directory.models import Category, Department
from citizen_portal.directory.tests.factories import CategoryFactory, CitizenFactory
from citizen_portal.intelligence.models import CategoryModel
from citizen_portal.intelligence.selectors.resolution import table_forget
from citizen_portal.intelligence.selectors.suggest import active_text_model
from citizen_portal.intelligence.services.training import category_model_train

TEXTS = {
    "overbilling": [
        ("Electricity bill too high", "My electricity bill is three times the usual amount."),
        ("Wrong meter reading on bill", "The bill shows a wrong meter reading, overcharged."),
        ("Excessive electricity bill", "I was billed Rs 40,000 for a month, the bill is wrong."),
        ("بجلی کا بل بہت زیادہ", "اس مہینے بجلی کا بل تین گنا زیادہ آیا ہے۔"),
        ("غلط بل", "میٹر ریڈنگ غلط ہے اور بل زیادہ آیا ہے۔"),
        ("bijli ka bill zyada", "is mahine bijli ka bill bohat zyada aya hai"),
        ("galat bill", "meter reading galat hai aur bill teen guna aya"),
    ],
    "supply": [
        ("No electricity for two days", "Power cut in our area since Monday, no electricity."),
        ("Load shedding all night", "Twelve hours of load shedding, the power goes off."),
        ("Transformer burnt, power outage", "The transformer is burnt and there is no power."),
        ("بجلی غائب ہے", "ہمارے علاقے میں دو دن سے بجلی نہیں ہے، لوڈ شیڈنگ۔"),
        ("ٹرانسفارمر خراب", "ٹرانسفارمر جل گیا ہے اور بجلی بند ہے۔"),
        ("light nahi hai", "hamare ilaqe mein do din se light nahi hai, load shedding"),
        ("transformer kharab", "transformer jal gaya hai aur bijli band hai"),
    ],
    "water": [
        ("No water in our street", "The taps have been dry for a week, no water supply."),
        ("Dirty water from the tap", "Dirty, smelly water comes from the water pipe."),
        ("Water pipe leaking", "The water main is leaking and there is no water pressure."),
        ("پانی نہیں آ رہا", "ہماری گلی میں ایک ہفتے سے پانی نہیں آ رہا۔"),
        ("گندا پانی", "نلکے سے گندا پانی آ رہا ہے۔"),
        ("pani nahi aa raha", "hamari gali mein ek hafte se pani nahi aa raha"),
        ("ganda pani", "nalkay se ganda pani aa raha hai, pipe toota hua hai"),
    ],
}


def water_category(world: SimpleNamespace) -> Category:
    department = Department.objects.get(code="PB-WASA")
    return Category.objects.filter(code="PB-WASA.WATER").first() or CategoryFactory(
        code="PB-WASA.WATER", department=department, name_en="Water supply"
    )


def trained(world: SimpleNamespace) -> SimpleNamespace:
    """Lodge the texts as confirmed (closed) complaints, train and activate a model."""
    categories = {
        "overbilling": world.overbilling,
        "supply": world.supply,
        "water": water_category(world),
    }
    lodged = []
    for name, texts in TEXTS.items():
        citizen = CitizenFactory()
        for subject, description in texts:
            data = ComplaintInput(
                category=categories[name],
                area=world.lahore,
                subject=subject,
                description=description,
            )
            lodged.append(complaint_lodge(citizen=citizen, data=data).pk)
    Complaint.objects.filter(pk__in=lodged).update(status=Status.CLOSED)
    model = category_model_train(activate=True, evaluate=False)
    active_text_model(force=True)
    return SimpleNamespace(model=model, **categories)


def untrained() -> None:
    """No model: what the portal has before its first training. Also what each test that
    trained one leaves behind: the process keeps the active model in memory, and the tests
    that come after in the same process must not meet it."""
    CategoryModel.objects.all().delete()
    table_forget()
    active_text_model(force=True)


def model_for_a_test(world: SimpleNamespace) -> Iterator[SimpleNamespace]:
    """For a fixture: a trained, active model during the test; none again after it."""
    yield trained(world)
    untrained()
