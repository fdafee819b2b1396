"""The lodge form's suggestions in a real Chromium on a phone-sized screen (issue 14): as the
citizen types, the suggested categories appear in place, without reloading the page; choosing
one goes on to step 2. The only browser test of the suggestions; the rest are in
test_ui_lodge.py."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from citizen_portal.intelligence.tests.ui_model import model_for_a_test
from tests.browser.helpers import phone, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def model(world):
    yield from model_for_a_test(world)


def test_suggestions_appear_as_the_citizen_types(
    model, browser: Browser, live_server: Any, world: Any
) -> None:
    context = phone(browser, live_server.url, language="en", user=world.citizen)
    page = context.new_page()
    page.goto(f"{live_server.url}/complaints/new/")
    reloads: list[str] = []
    page.on("framenavigated", lambda frame: reloads.append(frame.url))
    region = page.locator("#lodge-suggestions")
    expect(region).to_have_attribute("aria-live", "polite")
    page.get_by_label("Describe the problem in your own words").press_sequentially(
        "bijli ka bill bohat zyada aya", delay=20
    )
    first = region.get_by_role("radio").first
    expect(region).to_contain_text("Suggested for you")
    expect(region.locator("label").first).to_contain_text("Billing › Over-billing — LESCO")
    assert reloads == []  # in place, no page load
    shot(page, "intelligence-lodge-suggestions")
    first.check()
    page.locator("button[name=action][value=next]").click()
    expect(page.locator("#step-heading")).to_have_text("Where is the problem?")
    context.close()
