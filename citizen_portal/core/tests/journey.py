"""Every page a citizen sees, with complaints in each state that shows a different form, for
the tests that go through all of them (untranslated text, accessibility in a real browser).

The directory and the people are given Urdu names, and what citizens and officers write is in
Urdu, so that any English left on an Urdu page is the portal's own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

from django.urls import NoReverseMatch, reverse

from citizen_portal.complaints.models import Complaint, DropReason, Kind
from citizen_portal.complaints.services.citizen_actions import (
    FeedbackInput,
    complaint_give_feedback,
)
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.complaints.services.officer_actions import (
    complaint_drop,
    complaint_interim_reply,
    complaint_request_info,
    complaint_resolve,
)
from citizen_portal.core import clock
from citizen_portal.directory.models import Country

URDU_NAMES = {
    "punjab": "پنجاب",
    "lahore": "لاہور",
    "kasur": "قصور",
    "lesco": "لاہور الیکٹرک سپلائی کمپنی",
    "billing": "بلنگ",
    "overbilling": "زائد بل",
    "supply": "بجلی کی فراہمی",
}
COUNTRY_NAMES = {"PK": "پاکستان", "GB": "برطانیہ", "AE": "متحدہ عرب امارات"}
POSITION_TITLES = {
    "ceo": "چیف ایگزیکٹو آفیسر",
    "focal": "شکایات سیل",
    "se": "سپرنٹنڈنگ انجینئر",
    "cell": "شکایات سیل کا جائزہ کار",
}


def urdu_directory(world: SimpleNamespace) -> None:
    """Urdu names for everything the `world` fixture made, and an Urdu-speaking citizen."""
    for key, name in URDU_NAMES.items():
        item = getattr(world, key)
        item.name_ur = name
        item.save(update_fields=["name_ur"])
    for key, title in POSITION_TITLES.items():
        position = getattr(world.positions, key)
        position.title_ur = title
        position.save(update_fields=["title_ur"])
        office = position.office
        office.name_ur = office.name_ur or "دفتر " + title
        office.save(update_fields=["name_ur"])
        department = office.department
        department.name_ur = department.name_ur or "محکمہ " + title
        department.save(update_fields=["name_ur"])
    for code, name in COUNTRY_NAMES.items():
        Country.objects.filter(code=code).update(name_ur=name)
    world.tier.name_ur = "پنجاب"
    world.tier.save(update_fields=["name_ur"])
    world.citizen.full_name = "عائشہ خان"
    world.citizen.preferred_language = "ur"
    world.citizen.save(update_fields=["full_name", "preferred_language"])


def _lodge(world: SimpleNamespace, subject: str, kind: Kind = Kind.COMPLAINT) -> Complaint:
    return complaint_lodge(
        citizen=world.citizen,
        data=ComplaintInput(
            category=world.overbilling,
            area=world.lahore,
            subject=subject,
            description="میرا نومبر کا بل 45,000 روپے ہے جبکہ میں عام طور پر 15,000 روپے دیتی ہوں۔",
            language="ur",
            kind=kind,
        ),
    )


def complaints_in_every_state(world: SimpleNamespace) -> dict[str, Complaint]:
    """One complaint for each state whose page differs: with the office (with an interim
    reply), waiting for the citizen's information, resolved and waiting for feedback, closed,
    dropped; and a suggestion."""
    se = world.officers.se
    assigned = _lodge(world, "بل معمول سے تین گنا زیادہ")
    complaint_interim_reply(
        complaint=assigned,
        officer=se,
        expected_on=clock.today() + timedelta(days=10),
        reason="میٹر کی دوبارہ ریڈنگ کے لیے عملہ بھیجا جا رہا ہے۔",
    )
    awaiting = _lodge(world, "میٹر کی ریڈنگ غلط ہے")
    complaint_request_info(complaint=awaiting, officer=se, question="میٹر نمبر کیا ہے؟")
    resolved = _lodge(world, "بل میں غلط یونٹ")
    complaint_resolve(
        complaint=resolved, officer=se, remark="میٹر دوبارہ پڑھا گیا؛ بل درست کر دیا۔"
    )
    closed = _lodge(world, "پرانا بل درست کریں")
    complaint_resolve(complaint=closed, officer=se, remark="بل درست کر دیا گیا۔")
    complaint_give_feedback(
        complaint=closed,
        citizen=world.citizen,
        data=FeedbackInput(satisfied=True, rating=4, comment="شکریہ، مسئلہ حل ہو گیا۔"),
    )
    dropped = _lodge(world, "عدالت میں زیر سماعت معاملہ")
    complaint_drop(
        complaint=dropped,
        officer=se,
        reason=DropReason.SUB_JUDICE,
        explanation="یہ معاملہ عدالت میں زیر سماعت ہے۔",
    )
    suggestion = _lodge(world, "آن لائن بل کی سہولت", kind=Kind.SUGGESTION)
    return {
        "assigned": assigned,
        "awaiting_citizen": awaiting,
        "resolved": resolved,
        "closed": closed,
        "dropped": dropped,
        "suggestion": suggestion,
    }


@dataclass(frozen=True)
class Page:
    name: str
    path: str


def anonymous_pages() -> list[Page]:
    """The pages anyone can open without a step before them."""
    return [
        Page("home", reverse("core:home")),
        Page("log in", reverse("accounts:login")),
        Page("register: mobile number", reverse("accounts:register")),
        Page("forgotten password", reverse("accounts:reset")),
        Page("accessibility statement", reverse("accessibility:statement")),
        Page("accessibility: report a problem", reverse("accessibility:report")),
    ]


def lodge_pages() -> list[Page]:
    """The steps of the lodge form, as far as they exist: a later step without the earlier
    ones sends the citizen back, so tests fill each step before opening the next."""
    pages = []
    for name, url in (
        ("lodge: what", "complaints:lodge"),
        ("lodge: where", "complaints:lodge_where"),
        ("lodge: details", "complaints:lodge_details"),
        ("lodge: attachments", "complaints:lodge_attachments"),
        ("lodge: review", "complaints:lodge_review"),
    ):
        try:
            pages.append(Page(name, reverse(url)))
        except NoReverseMatch:
            break
    return pages


def citizen_pages(complaints: dict[str, Complaint]) -> list[Page]:
    """The pages of a logged-in citizen who has `complaints`."""
    pages = [
        Page("my complaints", reverse("complaints:mine")),
        Page("notifications", reverse("notifications:list")),
        Page("my account", reverse("accounts:me")),
        Page("my account: change number", reverse("accounts:me_phone")),
        Page("my account: change name", reverse("accounts:me_name")),
        Page("my account: e-mail address", reverse("accounts:me_email")),
    ]
    for state, complaint in complaints.items():
        pages.append(
            Page(f"complaint: {state}", reverse("complaints:detail", args=[complaint.reference]))
        )
    pages.append(Page("page not found", "/complaints/PB-2026-9999999-X/"))
    return pages
