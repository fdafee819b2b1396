"""Every citizen page in Urdu shows no English: neither a msgid of our catalogue left without
its Urdu, nor a string of Django's that its Urdu catalogue lacks (form errors, password rules),
nor English written into a template or a view outside every catalogue. The pages are rendered
with their forms empty, wrong and right, so that the errors show too."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from citizen_portal.core.tests.catalogues import Catalogue, latin_words, visible_texts
from citizen_portal.core.tests.journey import (
    anonymous_pages,
    citizen_pages,
    complaints_in_every_state,
    lodge_pages,
    urdu_directory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "kinnow-orchard-42"


class UrduPages:
    """Collects, page by page, the English each one shows."""

    def __init__(self) -> None:
        self.catalogue = Catalogue()
        self.found: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.seen = 0

    def check(self, name: str, response: Any) -> None:
        assert response.status_code in {200, 400, 403, 404}, (name, response.status_code)
        html = response.content.decode()
        assert '<html lang="ur" dir="rtl">' in html, f"{name} is not in Urdu, right to left"
        self.seen += 1
        for text in visible_texts(html, "ur"):
            words = [w for w in latin_words(text) if w.lower() not in self.catalogue.kept_words]
            if words:
                text = text.strip(" :·—")
                self.found[(self.catalogue.source(text), text)].append(name)

    def report(self) -> str:
        titles = {
            "ours": "In our catalogue without Urdu (translate in django.po):",
            "django": "Django's, missing from its Urdu catalogue (list in core/django_strings.py):",
            "none": "In no catalogue (not marked for translation, or `make messages` not run):",
        }
        lines = []
        for source, title in titles.items():
            items = sorted((text, pages) for (s, text), pages in self.found.items() if s == source)
            if items:
                lines.append(title)
                lines += [f"  {text!r}  — {_where(pages)}" for text, pages in items]
        return "\n".join(lines)


def _where(pages: list[str]) -> str:
    names = sorted(set(pages))
    if len(names) <= 3:
        return "on " + ", ".join(names)
    return f"on {len(names)} pages ({', '.join(names[:3])}, …)"


def _urdu_client() -> Client:
    client = Client()
    client.cookies["portal_language"] = "ur"
    return client


def _anonymous_pages(pages: UrduPages) -> None:
    client = _urdu_client()
    for page in anonymous_pages():
        pages.check(page.name, client.get(page.path))
    # The first visit, before any choice: the banner, in Urdu from Accept-Language.
    pages.check("home, first visit", Client().get("/", headers={"accept-language": "ur"}))
    login = reverse("accounts:login")
    pages.check("log in: empty", client.post(login, {}))
    pages.check("log in: wrong", client.post(login, {"phone": "0300 1234567", "password": "x"}))
    register = reverse("accounts:register")
    pages.check("register: bad number", client.post(register, {"phone": "12ab"}))
    pages.check("register: landline", client.post(register, {"phone": "042 35761234"}))
    reset = reverse("accounts:reset")
    pages.check("forgotten password: empty", client.post(reset, {}))
    wrong = {"problem": "x", "email": "not-an-address", "phone": "12ab"}
    report = reverse("accessibility:report")
    pages.check("accessibility: report, refused", client.post(report, wrong))


def _register_pages(pages: UrduPages, world: Any, sms_outbox: Any) -> None:
    client = _urdu_client()
    client.post(reverse("accounts:register"), {"phone": "0321 7654321"})
    verify = reverse("accounts:verify")
    pages.check("register: code", client.get(verify))
    pages.check("register: short code", client.post(verify, {"code": "12a"}))
    right = sms_outbox.last_code("+923217654321")
    pages.check(
        "register: wrong code", client.post(verify, {"code": f"{(int(right) + 1) % 10**6:06d}"})
    )
    email = reverse("accounts:register_email")
    pages.check("register: by e-mail", client.get(email))
    pages.check("register: by e-mail, bad address", client.post(email, {"email": "not-an-address"}))
    client.post(verify, {"code": right})
    details = reverse("accounts:register_details")
    pages.check("register: details", client.get(details))
    pages.check("register: details, empty", client.post(details, {}))
    wrong = {
        "full_name": "ز",
        "gender": "۹",
        "date_of_birth": "31/02/1990",
        "document_type": "cnic",
        "document_number": "123",
        "country_of_residence": "PK",
        "email": "not-an-address",
        "preferred_language": "ur",
        "password1": "12345678",
        "password2": "12345679",
    }
    pages.check("register: details, wrong", client.post(details, wrong))
    weak = {**wrong, "gender": "female", "password1": "pass", "password2": "pass"}
    pages.check("register: details, weak password", client.post(details, weak))
    common = {**weak, "password1": "password123", "password2": "password123"}
    pages.check("register: details, common password", client.post(details, common))


def _reset_pages(pages: UrduPages, world: Any, sms_outbox: Any) -> None:
    client = _urdu_client()
    client.post(reverse("accounts:reset"), {"phone": world.citizen.phone})
    client.post(reverse("accounts:verify"), {"code": sms_outbox.last_code(world.citizen.phone)})
    reset = reverse("accounts:reset_password")
    pages.check("forgotten password: new password", client.get(reset))
    pages.check("forgotten password: empty", client.post(reset, {}))
    weak = {"password1": "password", "password2": "password"}
    pages.check("forgotten password: common password", client.post(reset, weak))


def _citizen_pages(pages: UrduPages, world: Any) -> None:
    complaints = complaints_in_every_state(world)
    client = _urdu_client()
    client.force_login(world.citizen)
    for page in citizen_pages(complaints):
        pages.check(page.name, client.get(page.path))
    detail = reverse("complaints:detail", args=[complaints["awaiting_citizen"].reference])
    pages.check("complaint: empty answer", client.post(detail, {"answer": ""}))
    detail = reverse("complaints:detail", args=[complaints["resolved"].reference])
    pages.check("complaint: feedback, empty", client.post(detail, {}))
    pages.check(
        "complaint: feedback, wrong", client.post(detail, {"satisfied": "x", "rating": "9"})
    )
    me = reverse("accounts:me")
    pages.check("my account: wrong password", client.post(me, {"password": "wrong"}))
    me_phone = reverse("accounts:me_phone")
    pages.check("my account: change number, empty", client.post(me_phone, {}))
    pages.check(
        "my account: change number, wrong",
        client.post(me_phone, {"phone": "12ab", "password": "wrong"}),
    )
    me_name = reverse("accounts:me_name")
    pages.check("my account: change name, empty", client.post(me_name, {"full_name": ""}))
    pages.check("my account: change name, wrong", client.post(me_name, {"full_name": "ز 2"}))
    me_email = reverse("accounts:me_email")
    pages.check("my account: e-mail, empty", client.post(me_email, {}))
    pages.check(
        "my account: e-mail, wrong",
        client.post(me_email, {"email": "not-an-address", "password": "wrong"}),
    )
    pages.check(
        "my account: e-mail, wrong password",
        client.post(me_email, {"email": "ayesha@example.pk", "password": "wrong"}),
    )
    client.post(me_email, {"email": "ayesha@example.pk", "password": PASSWORD})
    verify = reverse("accounts:me_email_verify")
    pages.check("my account: e-mail code", client.get(verify))
    pages.check("my account: e-mail code, wrong", client.post(verify, {"code": "000000"}))
    world.citizen.email = "ayesha@example.pk"
    world.citizen.save(update_fields=["email"])
    remove = reverse("accounts:me_email_remove")
    pages.check("my account: remove e-mail", client.get(remove))
    pages.check("my account: remove e-mail, wrong", client.post(remove, {"password": "wrong"}))


def _staff_on_a_citizen_page(pages: UrduPages, world: Any) -> None:
    client = _urdu_client()
    client.force_login(world.officers.se)
    pages.check("a citizen's page, opened by staff", client.get(reverse("complaints:mine")))


def test_no_citizen_page_in_urdu_shows_english(world, sms_outbox):
    urdu_directory(world)
    world.citizen.set_password(PASSWORD)
    world.citizen.save(update_fields=["password"])
    pages = UrduPages()
    _anonymous_pages(pages)
    _register_pages(pages, world, sms_outbox)
    _reset_pages(pages, world, sms_outbox)
    _citizen_pages(pages, world)
    _staff_on_a_citizen_page(pages, world)
    assert pages.seen > 40
    if pages.found:
        pytest.fail("English on Urdu pages:\n" + pages.report(), pytrace=False)


def test_no_lodge_step_in_urdu_shows_english(world):
    """The step-by-step lodge form, each step as it opens and as it comes back refused."""
    urdu_directory(world)
    pages = UrduPages()
    client = _urdu_client()
    client.force_login(world.citizen)
    steps = {page.name: page.path for page in lodge_pages()}
    what, where, details = steps["lodge: what"], steps["lodge: where"], steps["lodge: details"]
    pages.check("lodge: what", client.get(what))
    pages.check("lodge: what, refused", client.post(what, {"action": "next"}, follow=True))
    department = {"department": world.lesco.pk, "action": "department"}
    pages.check("lodge: what, categories", client.post(what, department, follow=True))
    search = {"query": "بل", "action": "search"}
    pages.check("lodge: what, search", client.post(what, search, follow=True))
    chosen = {"department": world.lesco.pk, "category": world.overbilling.pk, "action": "next"}
    pages.check("lodge: where", client.post(what, chosen, follow=True))
    pages.check("lodge: where, refused", client.post(where, {"action": "next"}, follow=True))
    district = {"district": world.lahore.pk, "action": "next"}
    pages.check("lodge: details", client.post(where, district, follow=True))
    short = {"subject": "ab", "description": "x", "action": "next"}
    pages.check("lodge: details, refused", client.post(details, short, follow=True))
    text = {
        "subject": "بل معمول سے تین گنا زیادہ",
        "description": "میرا نومبر کا بل 45,000 روپے ہے، عام طور پر 15,000۔",
        "action": "next",
    }
    pages.check("lodge: attachments", client.post(details, text, follow=True))
    attachments = {"action": "next"}
    pages.check("lodge: review", client.post(steps["lodge: attachments"], attachments, follow=True))
    assert pages.seen == 10
    if pages.found:
        pytest.fail("English on Urdu pages:\n" + pages.report(), pytrace=False)


def test_a_visible_text_is_told_from_markup_scripts_and_other_languages():
    html = (
        '<html lang="ur"><head><title>شکایات</title><script>var x = "Hello";</script></head>'
        '<body><button lang="en">English</button><p>Welcome <b>back</b></p>'
        '<img alt="A photo" src="x.png"><input type="submit" value="Send">'
        '<script type="application/json">{"sw": "/sw.js", "strings": {"a": "Sending it now"}}'
        "</script></body></html>"
    )
    assert visible_texts(html, "ur") == [
        "شکایات",
        "Welcome",
        "back",
        "A photo",
        "Send",
        "Sending it now",
    ]


def test_english_is_traced_to_the_catalogue_it_comes_from():
    catalogue = Catalogue()
    assert catalogue.source("This field is required.") in {"ours", "django"}
    assert catalogue.source("Ensure this value has at least 5 characters (it has 2).") in {
        "ours",
        "django",
    }
    assert catalogue.source("Track my complaints") == "ours"
    assert catalogue.source("Some words nobody wrote into a catalogue") == "none"
    assert latin_words("PB-2026-0000001-Q · SMS · ayesha@example.com") == []


def test_the_django_strings_we_list_are_djangos_own_msgids():
    """A listed string that differs from Django's by a letter would never be looked up."""
    import ast
    from pathlib import Path

    from citizen_portal.core import django_strings
    from citizen_portal.core.tests.catalogues import django_catalogues, read_po

    tree = ast.parse(Path(django_strings.__file__).read_text("utf-8"))
    listed = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.args[0], ast.Constant)
    }
    djangos = {e.msgid for path in django_catalogues("en") for e in read_po(path)}
    assert len(listed) >= 8
    assert listed - djangos == set()
