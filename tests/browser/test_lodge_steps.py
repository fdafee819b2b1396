"""The citizen's lodge form, step by step, in a real Chromium on a phone-sized screen, in
English and in Urdu: what → where (with the phone's location) → details → a photo, with its
upload progress → review (with a similar complaint nearby) → lodged. Screenshots of each step
go to test-artifacts/ for a person to look at."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Geolocation, Page, expect

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.tests.factories import lodge
from tests.browser.helpers import photo, shot

LAHORE_POINT: Geolocation = {"latitude": 31.520370, "longitude": 74.358749}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def citizen_context(browser: Browser, base: str, user: User, language: str) -> BrowserContext:
    """A phone, already logged in as `user` (the login pages have tests of their own), with
    the language chosen and the location allowed."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="ur-PK" if language == "ur" else "en-GB",
        geolocation=LAHORE_POINT,
        permissions=["geolocation"],
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base},
        ]
    )
    return context


def next_step(page: Page, heading: str) -> None:
    page.locator("button[name=action][value=next]").click()
    expect(page.locator("#step-heading")).to_have_text(heading)


def slow_uploads(context: BrowserContext, page: Page) -> Any:
    """A slow mobile connection for the upload, so that its progress can be seen."""
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 80,
            "downloadThroughput": 400_000,
            "uploadThroughput": 60_000,
        },
    )
    return cdp


@pytest.mark.parametrize("language", ["en", "ur"])
def test_a_citizen_lodges_through_the_five_steps_with_a_photo(
    browser: Browser, live_server: Any, world: Any, settings: Any, tmp_path: Path, language: str
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    world.lesco.name_ur = "لیسکو"
    world.lesco.save()
    lodge(world, citizen=world.other_citizen)  # someone else's, nearby: shown on review
    context = citizen_context(browser, live_server.url, world.citizen, language)
    page = context.new_page()
    failures: list[str] = []
    page.on("response", lambda r: failures.append(r.url) if r.status >= 500 else None)
    page.goto(live_server.url + "/complaints/new/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ur" else "ltr")
    prefix = f"lodge-{language}"

    # 1. What is it about: the department, then its categories (swapped in place).
    next_step(page, page.locator("#step-heading").inner_text())  # Next with nothing chosen
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-summary")).to_be_focused()
    page.locator("#id_department").select_option(str(world.lesco.pk))
    page.locator("button[name=action][value=department]").click()
    expect(page.locator("#id_category")).to_be_visible()
    expect(page.locator("#id_department")).to_have_value(str(world.lesco.pk))
    page.locator("#id_category").select_option(str(world.overbilling.pk))
    shot(page, f"{prefix}-1-what")
    where_heading = "Where is the problem?" if language == "en" else re.compile(".+")
    page.locator("button[name=action][value=next]").click()
    expect(page).to_have_url(re.compile(r"/complaints/new/where/$"))
    expect(page.locator("#step-heading")).to_have_text(where_heading)
    expect(page.locator("#step-heading")).to_be_focused()

    # 2. Where: the district, and the phone's location with the citizen's consent.
    page.locator("#id_district").select_option(str(world.lahore.pk))
    page.locator("[data-locate]").click()
    expect(page.locator("#id_latitude")).to_have_value("31.520370")
    expect(page.locator("#id_longitude")).to_have_value("74.358749")
    expect(page.locator("#id_share_location")).to_be_checked()
    shot(page, f"{prefix}-2-where")
    page.locator("button[name=action][value=next]").click()
    expect(page).to_have_url(re.compile(r"/complaints/new/details/$"))

    # 3. Details, with the post it is about; "Back" and on again loses nothing.
    page.locator("#id_subject").fill("بجلی کا بل تین گنا" if language == "ur" else "Bill tripled")
    page.locator("#id_description").fill(
        "My November bill is Rs 45,000; I usually pay about Rs 15,000. Meter no. 12345."
    )
    page.locator("#id_against").select_option(str(world.positions.se.pk))
    shot(page, f"{prefix}-3-details")
    page.locator("button[name=action][value=back]").click()
    expect(page).to_have_url(re.compile(r"/complaints/new/where/$"))
    expect(page.locator("#id_district")).to_have_value(str(world.lahore.pk))
    page.locator("button[name=action][value=next]").click()
    expect(page.locator("#id_description")).to_have_value(re.compile("Rs 45,000"))
    page.locator("button[name=action][value=next]").click()
    expect(page).to_have_url(re.compile(r"/complaints/new/attachments/$"))

    # 4. A photo, sent with its progress shown.
    page.locator("#id_files").set_input_files([photo(400 if language == "en" else 40)])
    cdp = slow_uploads(context, page) if language == "en" else None
    page.locator("button[name=action][value=next]").click()
    if cdp is not None:
        expect(page.locator(".upload-progress")).to_be_visible()
        expect(page.locator(".upload-percent")).to_have_text(re.compile(r"^[1-9]\d*%$"))
        shot(page, f"{prefix}-4-uploading")
    expect(page).to_have_url(re.compile(r"/complaints/new/review/$"), timeout=30_000)
    if cdp is not None:
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1,
        })  # fmt: skip

    # 5. Review: everything back, a similar complaint nearby without its details, then send.
    review = page.locator("#main")
    expect(review).to_contain_text("meter.jpg")
    expect(review).to_contain_text("31.520370, 74.358749")
    # The other citizen's open complaint is listed once: as a likely duplicate where it says
    # the same in the same words (English), else among the others nearby.
    expect(page.locator(".similar .card")).to_have_count(1)
    expect(page.locator("#main")).not_to_contain_text(world.other_citizen.full_name)
    shot(page, f"{prefix}-5-review")
    page.locator(".send button").click()
    expect(page).to_have_url(re.compile(r"/complaints/[A-Z]{2}-\d{4}-\d{7}-[A-Z]/$"))
    complaint = Complaint.objects.get(citizen=world.citizen)
    expect(page.locator("#main")).to_contain_text(complaint.reference)
    shot(page, f"{prefix}-6-lodged")

    assert complaint.language == language
    assert complaint.against_position == world.positions.se
    assert complaint.assigned_position == world.positions.ceo  # never the named post
    assert (complaint.latitude, complaint.longitude) == (Decimal("31.520370"), Decimal("74.358749"))
    assert complaint.attachments.get().original_name == "meter.jpg"
    assert failures == []
    context.close()
