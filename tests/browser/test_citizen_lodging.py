"""Lodging beyond the complaint test_lodge_steps.py walks, in a real Chromium on a phone, in
English and in Urdu (right to left): a suggestion through the same step form, and a complaint
on a slow mobile network (Chrome's "Fast 3G": 1.6 Mbit/s down, 750 kbit/s up, 150 ms), where
the first page must stay light. Screenshots go to test-artifacts/lodging-*.png; pages
test_accessibility.py does not reach are checked by axe."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from citizen_portal.complaints.models import Action, Complaint, Kind, Status
from citizen_portal.complaints.services.officer_actions import suggestion_step
from citizen_portal.directory.tests.factories import COURT_REASON, court_matter
from tests.browser.helpers import (
    LANGUAGES,
    Audit,
    expect_language,
    expect_no_english,
    expect_no_names,
    people_and_posts,
    phone,
    say,
    shot,
    shown,
)

# What the citizen writes here, the only English an Urdu page may show.
SUGGESTION = "Bills by SMS as well as on paper"
WHY = "Send each month's bill by SMS too: paper bills reach some streets after the due date."
SUBJECT = "Bill three times the usual"
DESCRIPTION = "My November bill is Rs 45,000; I usually pay 15,000."
WRITTEN = (SUGGESTION, WHY, SUBJECT, DESCRIPTION)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Chrome DevTools' "Fast 3G" preset, in bytes per second.
FAST_3G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 // 8,
    "uploadThroughput": 750_000 // 8,
    "connectionType": "cellular3g",
}
# What the first page may weigh on the wire: its HTML, styles and scripts (not fonts or icons).
FIRST_PAGE_BUDGET = 100 * 1024
SLOW = 30_000  # ms: what a step may take on the slow network, before the test calls it broken


def _next(page: Page, url: str, timeout: float = 5_000) -> None:
    page.locator("button[name=action][value=next]").click()
    expect(page).to_have_url(re.compile(url), timeout=timeout)


def _what(page: Page, world: Any, timeout: float = 5_000) -> None:
    page.locator("#id_department").select_option(str(world.lesco.pk))
    page.locator("button[name=action][value=department]").click()
    expect(page.locator("#id_category")).to_be_visible(timeout=timeout)
    page.locator("#id_category").select_option(str(world.overbilling.pk))


# --- 6. A suggestion, not a complaint --------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_citizen_sends_a_suggestion_through_the_step_form(
    browser: Browser, live_server: Any, world: Any, language: str
) -> None:
    names = people_and_posts(world, language)
    audit = Audit(language)
    context = phone(browser, live_server.url, language=language, user=world.citizen)
    page = context.new_page()
    page.goto(live_server.url + "/complaints/new/")
    expect_language(page, language)
    page.get_by_role("radio", name=say("Suggestion", language), exact=True).check()
    _what(page, world)
    expect(page.get_by_role("radio", name=say("Suggestion", language), exact=True)).to_be_checked()
    expect(page.locator(".lodge-kind")).to_have_text(say("Send a suggestion", language))
    _next(page, r"/complaints/new/where/$")
    page.locator("#id_district").select_option(str(world.lahore.pk))
    _next(page, r"/complaints/new/details/$")

    # A suggestion names no officer, and says what should change.
    expect(page.locator("#id_against")).to_have_count(0)
    page.get_by_label(say("Subject", language)).fill(SUGGESTION)
    page.get_by_label(say("Describe your suggestion", language)).fill(WHY)
    audit.check(page, "lodge a suggestion: details")
    shot(page, f"lodging-{language}-1-suggestion-details")
    expect_no_english(page, language, WRITTEN)
    _next(page, r"/complaints/new/attachments/$")
    _next(page, r"/complaints/new/review/$")
    review = page.locator("dl.review")
    expect(review).to_contain_text(say("Suggestion", language))
    expect(review).not_to_contain_text(say("Reply due", language))
    audit.check(page, "lodge a suggestion: review")
    shot(page, f"lodging-{language}-2-suggestion-review")
    expect_no_english(page, language, WRITTEN)
    page.get_by_role("button", name=say("Send suggestion", language)).click()

    expect(page).to_have_url(re.compile(r"/complaints/[A-Z]{2}-\d{4}-\d{7}-[A-Z]/$"))
    suggestion = Complaint.objects.get(citizen=world.citizen)
    expect(page.locator(".messages")).to_contain_text(
        say(
            "Your suggestion has been received. Its reference is %(ref)s.",
            language,
            ref=suggestion.reference,
        )
    )
    expect(
        page.get_by_role("heading", name=say("Your suggestion", language), exact=True)
    ).to_be_visible()
    summary = page.locator("dl.summary")
    expect(summary.locator(".status")).to_have_text(say("Received", language))
    expect(summary).to_contain_text(shown(world.positions.focal, language))
    expect(summary).not_to_contain_text(say("Reply due by", language))
    audit.check(page, "suggestion: received, with a message")
    shot(page, f"lodging-{language}-3-suggestion-sent")
    expect_no_english(page, language, WRITTEN)
    assert (suggestion.kind, suggestion.status) == (Kind.SUGGESTION, Status.RECEIVED)
    assert suggestion.assigned_position == world.positions.focal

    # The department acknowledges it; the citizen sees it move, by post, not by name.
    suggestion_step(complaint=suggestion, officer=world.officers.focal, action=Action.ACKNOWLEDGE)
    page.goto(live_server.url + "/complaints/")
    card = page.locator("li.card", has_text=suggestion.reference)
    expect(card).to_contain_text(say("Suggestion", language))
    expect(card.locator(".status-acknowledged")).to_have_text(say("Acknowledged", language))
    card.get_by_role("link").click()
    expect(page.locator("ol.timeline > li").last).to_contain_text(
        shown(Action.ACKNOWLEDGE.label, language)
    )
    expect_no_names(page, names)
    expect_no_english(page, language, WRITTEN)
    context.close()
    audit.assert_clean()


# --- 10. On a slow mobile network --------------------------------------------------------------


class Wire:
    """What crosses the network for one page, from Chromium's own records (CDP): each
    response's type and its bytes on the wire, headers and compression included."""

    WEIGHED = {"Document", "Stylesheet", "Script"}

    def __init__(self) -> None:
        self.types: dict[str, str] = {}
        self.sizes: dict[str, float] = {}

    def listen(self, cdp: Any) -> None:
        cdp.on("Network.responseReceived", lambda e: self.types.update({e["requestId"]: e["type"]}))
        cdp.on(
            "Network.loadingFinished",
            lambda e: self.sizes.update({e["requestId"]: e["encodedDataLength"]}),
        )

    def weight(self) -> float:
        """The bytes of HTML, CSS and JavaScript received so far."""
        return sum(size for key, size in self.sizes.items() if self.types.get(key) in self.WEIGHED)


@pytest.mark.parametrize("language", LANGUAGES)
def test_on_a_3g_network_the_home_page_is_light_and_a_complaint_gets_lodged(
    browser: Browser, live_server: Any, world: Any, language: str
) -> None:
    people_and_posts(world, language)
    context = phone(browser, live_server.url, language=language, user=world.citizen)
    page = context.new_page()
    broken: list[str] = []
    page.on("response", lambda r: broken.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    page.on("pageerror", lambda error: broken.append(f"script error: {error}"))
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", FAST_3G)
    wire = Wire()
    wire.listen(cdp)

    page.goto(live_server.url + "/", timeout=SLOW)
    page.wait_for_load_state("networkidle", timeout=SLOW)
    expect_language(page, language)
    weight = wire.weight()
    assert 0 < weight < FIRST_PAGE_BUDGET, f"the home page weighs {weight / 1024:.0f} KB"
    # The browser's own count agrees that the page did not come from a cache.
    transferred = page.evaluate(
        """() => [...performance.getEntriesByType("navigation"),
                  ...performance.getEntriesByType("resource")]
                 .filter(e => !e.name.includes("/fonts/"))
                 .reduce((sum, e) => sum + e.transferSize, 0)"""
    )
    assert 0 < transferred < FIRST_PAGE_BUDGET
    shot(page, f"lodging-{language}-4-3g-home")
    expect_no_english(page, language, WRITTEN)

    page.get_by_role("link", name=say("Lodge a complaint", language)).first.click()
    expect(page).to_have_url(re.compile(r"/complaints/new/$"), timeout=SLOW)
    expect(page.locator("#step-heading")).to_have_text(
        say("What is it about?", language), timeout=SLOW
    )
    _what(page, world, timeout=SLOW)
    _next(page, r"/complaints/new/where/$", SLOW)
    page.locator("#id_district").select_option(str(world.lahore.pk))
    _next(page, r"/complaints/new/details/$", SLOW)
    page.locator("#id_subject").fill(SUBJECT)
    page.locator("#id_description").fill(DESCRIPTION)
    _next(page, r"/complaints/new/attachments/$", SLOW)
    _next(page, r"/complaints/new/review/$", SLOW)
    shot(page, f"lodging-{language}-5-3g-review")
    expect_no_english(page, language, WRITTEN)
    page.locator(".send button").click()
    expect(page).to_have_url(re.compile(r"/complaints/[A-Z]{2}-\d{4}-\d{7}-[A-Z]/$"), timeout=SLOW)
    complaint = Complaint.objects.get(citizen=world.citizen)
    expect(page.locator("main")).to_contain_text(complaint.reference)
    expect_language(page, language)
    shot(page, f"lodging-{language}-6-3g-lodged")
    expect_no_english(page, language, WRITTEN)
    assert complaint.assigned_position == world.positions.se
    assert broken == []
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_matters_the_portal_cannot_take_are_shown_first_and_refused_up_front(
    browser: Browser, live_server: Any, world: Any, language: str
) -> None:
    people_and_posts(world, language)
    court = court_matter(world.lesco)
    reason = COURT_REASON[language]
    audit = Audit(language)
    context = phone(browser, live_server.url, language=language, user=world.citizen)
    page = context.new_page()
    page.goto(live_server.url + "/complaints/new/")
    expect_language(page, language)
    # Before anything is chosen: the matters it cannot take, each with its reason.
    grounds = page.locator("section.out-of-scope")
    expect(grounds.get_by_role("heading")).to_have_text(
        say("Before you start: matters the portal cannot take", language)
    )
    grounds.locator("summary").first.click()
    expect(grounds.get_by_text(reason)).to_be_visible()
    audit.check(page, "lodge: matters the portal cannot take")
    # Choosing one anyway is refused on this first step, with the reason; nothing is lodged.
    page.locator("#id_department").select_option(str(world.lesco.pk))
    page.locator("button[name=action][value=department]").click()
    page.locator("#id_category").select_option(str(court.pk))
    page.locator("button[name=action][value=next]").click()
    expect(page).to_have_url(re.compile(r"/complaints/new/$"))
    refusal = page.locator(".error-summary")
    expect(refusal).to_contain_text(say("The portal cannot take this matter.", language))
    expect(refusal).to_contain_text(reason)
    shot(page, f"lodging-{language}-out-of-scope")
    expect_no_english(page, language, WRITTEN)
    audit.check(page, "lodge: an out-of-scope matter refused")
    assert Complaint.objects.count() == 0
    context.close()
    audit.assert_clean()
