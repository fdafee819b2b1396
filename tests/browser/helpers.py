"""What the browser tests share: a phone-sized browser in a chosen language (logged in or
not), screenshots saved as test artefacts, the text a page shows in its language (read from the
Urdu catalogue), and the axe-core audit (vendored in tests/browser/vendor/axe-core, MPL-2.0)."""

from __future__ import annotations

import functools
import io
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.test import Client
from django.utils import formats, translation
from PIL import Image
from playwright.sync_api import (
    Browser,
    BrowserContext,
    FilePayload,
    Locator,
    Page,
    ViewportSize,
    expect,
)

from citizen_portal.accounts.models import User
from citizen_portal.accounts.tests.two_factor import enable_totp
from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.core.tests.catalogues import Catalogue, latin_words, visible_texts
from citizen_portal.core.tests.journey import COUNTRY_NAMES, urdu_directory
from citizen_portal.directory.models import Country
from citizen_portal.directory.tests.factories import STAFF_PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
PHONE: ViewportSize = {"width": 390, "height": 844}
LOCALES = {"en": "en-GB", "ur": "ur-PK"}
LANGUAGES = ["en", "ur"]
PASSWORD = "kinnow-orchard-42"


def phone_page(browser: Browser) -> Page:
    """A page at a phone's size, in a browser that asks for English."""
    return browser.new_page(viewport=PHONE, locale=LOCALES["en"])


def phone(
    browser: Browser,
    base: str,
    *,
    language: str | None = None,
    user: User | None = None,
    **options: Any,
) -> BrowserContext:
    """A phone whose browser asks for `language`; with the language already chosen (the
    cookie the language switcher sets) unless it is None, and logged in as `user` if given."""
    context = browser.new_context(viewport=PHONE, locale=LOCALES[language or "en"], **options)
    if language is not None:
        choose_language(context, base, language)
    if user is not None:
        log_in(context, base, user)
    return context


def choose_language(context: BrowserContext, base: str, language: str) -> None:
    """What the language switcher leaves behind: the language cookie."""
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])


def log_in(context: BrowserContext, base: str, user: User) -> None:
    """The session of a logged-in user, without going through the login form (which has a test
    of its own, test_citizen_journey.py)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])


def shot(page: Page, name: str) -> None:
    """A full-page screenshot in test-artifacts/, for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def photo(kilobytes: int, name: str = "meter.jpg") -> FilePayload:
    """A JPEG of noise (so that it does not compress) of about `kilobytes`."""
    side = int((kilobytes * 1024 / 1.5) ** 0.5)
    noise = random.Random(9).randbytes(side * side * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), noise).save(out, "JPEG", quality=95)
    return {"name": name, "mimeType": "image/jpeg", "buffer": out.getvalue()}


def say(msgid: str, language: str, **values: Any) -> str:
    """What the page shows for `msgid` in `language`, from the portal's catalogue. In Urdu the
    catalogue must have it: a test asserting English text on an Urdu page would pass for the
    very defect it should catch."""
    with translation.override(language):
        text = translation.gettext(msgid)
    if language != "en":
        assert text != msgid, f"no {language} translation of {msgid!r}"
    return text % values if values else text


def day(value: date, language: str) -> str:
    """A date as the pages write it (DATE_FORMAT) in `language`."""
    with translation.override(language):
        return formats.date_format(value, "DATE_FORMAT")


@functools.cache
def _catalogue() -> Catalogue:
    return Catalogue()


def expect_no_english(page: Page, language: str, written: Iterable[str] = ()) -> None:
    """On an Urdu page, no English in <main> but what people `written` (a subject, a remark, a
    file's name): neither a msgid left without its Urdu nor text outside every catalogue. As
    the page stands in the browser, after its scripts and with the message of the step before.
    (The header and footer, the same on every page, are test_urdu_pages.py's.)"""
    if language != "ur":
        return
    written = list(written)
    kept = _catalogue().kept_words
    main = page.locator("#main").evaluate("main => main.outerHTML")
    english = [
        text
        for text in visible_texts(main, language)
        if not any(mine in text or text in mine for mine in written)
        and any(word.lower() not in kept for word in latin_words(text))
    ]
    assert english == [], f"English on the Urdu page {page.url}: {english}"


def direction(locator: Locator) -> str:
    """The direction the element is laid out in: what people wrote (dir="auto") follows its
    own script, whatever the page's language."""
    return str(locator.evaluate("element => getComputedStyle(element).direction"))


def reads_left_to_right(locator: Locator, text: str) -> bool:
    """Whether `text` (on one line, inside the element) is laid out left to right, as it
    reads: its last character (a full stop, a question mark) to the right of its first."""
    return bool(
        locator.evaluate(
            """(element, text) => {
              const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
              for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(text);
                if (at < 0) continue;
                const left = (i) => {
                  const range = document.createRange();
                  range.setStart(node, i);
                  range.setEnd(node, i + 1);
                  return range.getBoundingClientRect().left;
                };
                return left(at + text.length - 1) > left(at);
              }
              throw new Error("not on the page: " + text);
            }""",
            text,
        )
    )


def expect_language(page: Page, language: str) -> None:
    """The page is in `language`, and right to left in Urdu."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ur" else "ltr")


# WCAG 2.2 AA and axe's best practices; target-size (2.5.8, new in 2.2) is off by default.
AXE_RUN = """async () => {
  const result = await axe.run(document, {
    rules: {"target-size": {enabled: true}},
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
  }));
}"""


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


@dataclass
class Audit:
    """What axe and the reflow check find, page by page, for one language. axe is evaluated
    through the browser's DevTools protocol, which the page's Content-Security-Policy does not
    govern (an inline script tag would rightly be refused), so the pages are audited with their
    policy in force."""

    language: str
    problems: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def check(self, page: Page, name: str) -> None:
        page.wait_for_load_state("load")
        expect_language(page, self.language)
        page.evaluate(_axe_source())
        for violation in page.evaluate(AXE_RUN):
            if violation["impact"] in {"serious", "critical"}:
                self.problems.append(
                    f"{name} [{self.language}]: {violation['id']} ({violation['impact']}) "
                    f"{violation['help']} — {', '.join(violation['nodes'])}"
                )
        # WCAG 1.4.10: nothing may need sideways scrolling at a phone's width.
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 1:
            self.problems.append(f"{name} [{self.language}]: {overflow}px wider than the screen")
        self.pages.append(name)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        shot(page, f"a11y-{self.language}-{slug}")

    def assert_clean(self) -> None:
        assert not self.problems, "Accessibility problems:\n" + "\n".join(self.problems)


# Personal names for the `world` fixture's officers: a citizen sees posts, never these.
OFFICER_NAMES = {
    "ceo": "Naveed Akhtar",
    "focal": "Saima Riaz",
    "se": "Tariq Mehmood",
}
CELL_OFFICER_NAME = "Imran Qureshi"


def people_and_posts(world: SimpleNamespace, language: str) -> list[str]:
    """The `world` fixture's directory in both languages (journey.urdu_directory), its officers
    with personal names, and its citizen speaking `language` (the language of their SMS and
    notifications). Returns the officers' names, which no citizen's page may show."""
    urdu_directory(world)
    for key, name in OFFICER_NAMES.items():
        officer = getattr(world.officers, key)
        officer.full_name = name
        officer.save(update_fields=["full_name"])
    world.cell_officer.full_name = CELL_OFFICER_NAME
    world.cell_officer.save(update_fields=["full_name"])
    world.citizen.preferred_language = language
    world.citizen.save(update_fields=["preferred_language"])
    return [*OFFICER_NAMES.values(), CELL_OFFICER_NAME]


def shown(thing: object, language: str) -> str:
    """How a post (its title and office) or a label (an action's, on the timeline) reads on a
    page in `language`."""
    with translation.override(language):
        return str(thing)


def expect_no_names(page: Page, names: list[str]) -> None:
    """None of `names` is anywhere on the page (its text, or a title or label in its HTML)."""
    html = page.content()
    shown_names = [name for name in names if name in html]
    assert shown_names == [], f"{page.url} shows {shown_names}"


def give_password(user: User) -> None:
    """The citizen's password is PASSWORD (factories make accounts without one)."""
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])


def someone_elses_complaint(world: SimpleNamespace) -> Complaint:
    """A complaint of the `world` fixture's other citizen, in the same district and category
    as the citizen's own, which the citizen must never see."""
    return complaint_lodge(
        citizen=world.other_citizen,
        data=ComplaintInput(
            category=world.overbilling,
            area=world.lahore,
            subject="Transformer sparks every night",
            description="The transformer outside house 12 sparks every night after ten.",
        ),
    )


def directory_names(world: SimpleNamespace) -> list[str]:
    """What the `world` fixture's directory is called (in English only: it has no Urdu names)
    and the people in it: shown as written on Urdu pages, not the portal's words."""
    positions = vars(world.positions).values()
    return [
        *(p.title_en for p in positions),
        *(p.office.name_en for p in positions),
        *(p.office.department.name_en for p in positions),
        *(c.name_en for c in (world.billing, world.overbilling, world.supply)),
        world.lahore.name_en,
        world.kasur.name_en,
        world.punjab.name_en,
        world.tier.name_en,
        world.citizen.full_name,
    ]


def urdu_countries() -> None:
    """The countries' Urdu names, as the loaded directory has them."""
    for code, name in COUNTRY_NAMES.items():
        Country.objects.filter(code=code).update(name_ur=name)


def staff_log_in(page: Page, base: str, user: User, home: str) -> None:
    """The staff login form and the authenticator app's code, by the fields' ids; `home` is
    the address of the user's own screen, whose link the menu then shows."""
    app = enable_totp(user)
    page.goto(base + "/accounts/staff/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(STAFF_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.locator("#id_code").fill(app.now())
    page.locator("main form button[type=submit]").click()
    expect(page.locator(f"nav a[href='{home}']")).to_be_visible()
