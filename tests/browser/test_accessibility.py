"""Every citizen page, in English and in Urdu, at a phone's size, checked by axe-core (vendored
in tests/browser/vendor/axe-core, MPL-2.0): no serious or critical violation of WCAG 2.2 AA,
no page wider than the phone (reflow), and a visible keyboard focus. Screenshots of each page
go to test-artifacts/a11y-*.png for a person to look at."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from citizen_portal.core.tests.journey import (
    anonymous_pages,
    citizen_pages,
    complaints_in_every_state,
    urdu_directory,
)
from tests.browser.helpers import LOCALES, PASSWORD, PHONE, Audit, choose_language, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _context(browser: Browser, language: str) -> BrowserContext:
    return browser.new_context(viewport=PHONE, locale=LOCALES[language])


def _anonymous_walk(audit: Audit, page: Page, base: str, sms_outbox: Any) -> None:
    language = audit.language
    page.goto(base + "/")
    audit.check(page, "home, first visit")
    page.locator(f'.language-choice button[value="{language}"]').click()
    expect(page.locator(".language-choice")).to_have_count(0)
    for item in anonymous_pages():
        page.goto(base + item.path)
        audit.check(page, item.name)
    page.goto(base + "/accounts/login/")
    page.locator("main button[type=submit]").click()
    audit.check(page, "log in: errors")
    page.goto(base + "/accounts/register/")
    page.locator("#id_phone").fill("0321 7654321")
    page.locator("main button[type=submit]").click()
    audit.check(page, "register: code")
    page.locator("#id_code").fill("12a")
    page.locator("main button[type=submit]").click()
    audit.check(page, "register: code, errors")
    page.locator('a[href$="/accounts/register/email/"]').first.click()
    audit.check(page, "register: by e-mail")
    page.go_back()
    page.locator("#id_code").fill(sms_outbox.last_code("+923217654321"))
    page.locator("main button[type=submit]").click()
    audit.check(page, "register: details")
    page.locator("main button[type=submit]").click()
    audit.check(page, "register: details, errors")


def _citizen_walk(audit: Audit, page: Page, base: str, world: Any, complaints: Any) -> None:
    for item in citizen_pages(complaints):
        page.goto(base + item.path)
        audit.check(page, item.name)
    page.goto(base + "/complaints/" + complaints["resolved"].reference + "/")
    page.locator(".feedback button[type=submit]").click()
    audit.check(page, "complaint: feedback, errors")
    # A message after an action (a live region) and the complaint that moved on.
    page.goto(base + "/complaints/" + complaints["awaiting_citizen"].reference + "/")
    page.locator("#id_answer").fill("میٹر نمبر 12345 ہے۔")
    page.locator(".request button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    audit.check(page, "complaint: answered, with a message")
    page.goto(base + "/accounts/me/phone/")
    page.locator("#id_phone").fill("0333 1112233")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    audit.check(page, "my account: both codes")


def _citizen(world: Any) -> None:
    urdu_directory(world)
    world.citizen.set_password(PASSWORD)
    world.citizen.save(update_fields=["password"])


@pytest.mark.parametrize("language", ["en", "ur"])
def test_every_citizen_page_passes_axe_at_a_phones_size(
    browser: Browser, live_server, world, sms_outbox, language
):
    _citizen(world)
    complaints = complaints_in_every_state(world)
    audit = Audit(language)
    anonymous = _context(browser, language)
    _anonymous_walk(audit, anonymous.new_page(), live_server.url, sms_outbox)
    anonymous.close()
    citizen = _context(browser, language)
    choose_language(citizen, live_server.url, language)
    log_in(citizen, live_server.url, world.citizen)
    _citizen_walk(audit, citizen.new_page(), live_server.url, world, complaints)
    citizen.close()
    staff = _context(browser, language)
    choose_language(staff, live_server.url, language)
    log_in(staff, live_server.url, world.officers.se)
    page = staff.new_page()
    page.goto(live_server.url + "/complaints/")
    audit.check(page, "a citizen's page, opened by staff")
    staff.close()
    assert len(audit.pages) >= 25
    audit.assert_clean()


def _next(page: Page) -> None:
    page.locator("button[name=action][value=next]").click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("language", ["en", "ur"])
def test_every_step_of_the_lodge_form_passes_axe(
    browser: Browser, live_server, world, sms_outbox, language
):
    """The step-by-step lodge form, each step as it opens and as it comes back refused."""
    _citizen(world)
    audit = Audit(language)
    context = _context(browser, language)
    choose_language(context, live_server.url, language)
    log_in(context, live_server.url, world.citizen)
    page = context.new_page()
    page.goto(live_server.url + "/complaints/new/")
    audit.check(page, "lodge: what")
    _next(page)
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check(page, "lodge: what, refused")
    page.locator("#id_department").select_option(str(world.lesco.pk))
    page.locator("button[name=action][value=department]").click()
    expect(page.locator("#id_category")).to_be_visible()
    audit.check(page, "lodge: what, the department's categories")
    page.locator("#id_category").select_option(str(world.overbilling.pk))
    _next(page)
    expect(page).to_have_url(re.compile(r"/complaints/new/where/$"))
    audit.check(page, "lodge: where")
    _next(page)
    audit.check(page, "lodge: where, refused")
    page.locator("#id_district").select_option(str(world.lahore.pk))
    _next(page)
    expect(page).to_have_url(re.compile(r"/complaints/new/details/$"))
    audit.check(page, "lodge: details")
    _next(page)
    audit.check(page, "lodge: details, refused")
    page.locator("#id_subject").fill("بل معمول سے تین گنا زیادہ")
    page.locator("#id_description").fill("میرا نومبر کا بل 45,000 روپے ہے، عام طور پر 15,000۔")
    _next(page)
    expect(page).to_have_url(re.compile(r"/complaints/new/attachments/$"))
    audit.check(page, "lodge: attachments")
    _next(page)
    expect(page).to_have_url(re.compile(r"/complaints/new/review/$"))
    audit.check(page, "lodge: review")
    context.close()
    assert len(audit.pages) == 9
    audit.assert_clean()


@pytest.mark.parametrize("language", ["en", "ur"])
def test_keyboard_focus_is_always_visible(browser: Browser, live_server, world, language):
    """Tab through the home page and the login form: every stop shows an outline."""
    context = _context(browser, language)
    choose_language(context, live_server.url, language)
    page = context.new_page()
    hidden = []
    for path in ("/", "/accounts/login/"):
        page.goto(live_server.url + path)
        for _ in range(12):
            page.keyboard.press("Tab")
            style = page.evaluate(
                """() => { const e = document.activeElement, s = getComputedStyle(e);
                   return {tag: e.tagName, text: (e.innerText || e.name || "").slice(0, 30),
                           outline: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }"""
            )
            if style["tag"] == "BODY":
                break
            if style["outline"] == "none" or style["width"] < 2:
                hidden.append(f"{path}: {style['tag']} {style['text']!r}")
    context.close()
    assert hidden == []


def test_urdu_is_set_in_nastaliq_and_english_pages_load_no_font(browser: Browser, live_server):
    fonts: list[str] = []
    context = _context(browser, "en")
    choose_language(context, live_server.url, "en")
    page = context.new_page()
    page.on("request", lambda r: fonts.append(r.url) if r.resource_type == "font" else None)
    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    assert fonts == [], "an English page downloads fonts"
    assert page.locator('link[rel="preload"][as="font"]').count() == 0
    # The vendored files are real WOFF2 fonts a browser can load.
    for path in (
        "fonts/noto-nastaliq-urdu/noto-nastaliq-urdu-arabic-400-normal.woff2",
        "fonts/noto-nastaliq-urdu/noto-nastaliq-urdu-arabic-700-normal.woff2",
        "fonts/noto-naskh-arabic/noto-naskh-arabic-arabic-400-normal.woff2",
        "fonts/noto-naskh-arabic/noto-naskh-arabic-arabic-700-normal.woff2",
    ):
        status = page.evaluate(
            "async (url) => (await new FontFace('Probe', `url(${url})`).load()).status",
            f"{live_server.url}/static/{path}",
        )
        assert status == "loaded", path
    choose_language(context, live_server.url, "ur")
    page.goto(live_server.url + "/")
    family = page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontFamily")
    assert family.startswith('"Noto Nastaliq Urdu"')
    assert page.evaluate(
        "async () => { await document.fonts.ready;"
        " return document.fonts.check('16px \"Noto Nastaliq Urdu\"', 'اردو'); }"
    )
    context.close()
