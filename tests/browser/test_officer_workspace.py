"""The officer's workspace in a real Chromium (issue 8, "Done when"): a supervisor finds an
overdue complaint through the inbox's overdue filter and marks it down with instructions; the
subordinate resolves it with a photo; the supervisor sees it move. Then the complaint page in
Urdu, right to left. Screenshots of each step (phone viewport) go to test-artifacts/."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, FilePayload, Page, expect

from citizen_portal.accounts.models import User
from citizen_portal.accounts.tests.two_factor import enable_totp
from citizen_portal.complaints.models import Complaint, Status
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.core import clock
from citizen_portal.directory.tests.factories import (
    STAFF_PASSWORD,
    PositionFactory,
    StaffFactory,
    hold,
)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def phone_page(browser: Browser) -> Page:
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="en-GB")
    failures: list[str] = []
    page.on(
        "response",
        lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 500 else None,
    )
    page.failures = failures  # type: ignore[attr-defined]
    return page


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page: Page, base: str, user: User) -> None:
    app = enable_totp(user)
    page.goto(base + "/accounts/staff/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Code from your authenticator app").fill(app.now())
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def photo_png() -> bytes:
    """A small real photo: a grey meter face on green."""
    image = Image.new("RGB", (64, 48), (20, 110, 40))
    for x in range(20, 44):
        for y in range(12, 36):
            image.putpixel((x, y), (220, 220, 220))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_overdue_complaint_is_marked_down_resolved_with_a_photo_and_seen_to_move(
    browser: Browser, live_server, world, sms_outbox, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    sdo_post = PositionFactory(
        office=world.positions.se.office,
        supervisor=world.positions.se,
        title_en="Sub-Divisional Officer",
    )
    sdo = StaffFactory(username="lesco.sdo", full_name="Kamran Iqbal")
    hold(sdo, sdo_post)
    overdue = lodge(world)
    clock.travel(timedelta(days=30))  # ten working days are long gone
    on_time = lodge(world, citizen=world.other_citizen)  # lodged today: not overdue
    base = live_server.url

    # 1. The supervisor finds it under "Overdue" and opens it.
    supervisor = phone_page(browser)
    log_in(supervisor, base, world.officers.se)
    supervisor.goto(base + "/work/")
    supervisor.locator("a[href*='tab=overdue']", has_text="Overdue").first.click()
    expect(supervisor).to_have_url(re.compile(r"tab=overdue"))
    listing = supervisor.locator("table.inbox").first
    expect(listing.get_by_role("link", name=overdue.reference)).to_be_visible()
    expect(listing.get_by_role("link", name=on_time.reference)).to_have_count(0)
    shot(supervisor, "w1-supervisor-overdue-tab")
    listing.get_by_role("link", name=overdue.reference).click()
    expect(supervisor.get_by_role("heading", level=1)).to_have_text(overdue.subject)
    expect(supervisor.locator(".work-deadline")).to_contain_text("Overdue")
    expect(supervisor.get_by_text("+923••••••233")).to_be_visible()  # masked
    expect(supervisor.get_by_text("+923001112233")).to_have_count(0)

    # 2. Marks it down to the Sub-Divisional Officer, with instructions. Each action explains
    # itself; the form opens with one click.
    mark_down = supervisor.locator("#act-mark_down")
    mark_down.locator("summary").click()
    expect(mark_down.get_by_text("the deadline stays as it is")).to_be_visible()
    mark_down.get_by_label("To the post").select_option(label=str(sdo_post))
    mark_down.get_by_label("Instructions").fill("Re-read the meter at the house this week.")
    shot(supervisor, "w2-supervisor-marks-down")
    mark_down.get_by_role("button", name="Mark down").click()
    expect(supervisor.get_by_text(f"{overdue.reference} is now with {sdo_post}")).to_be_visible()
    expect(supervisor).to_have_url(re.compile(r"/work/$"))
    # No longer the supervisor's to act on: gone from their inbox.
    expect(
        supervisor.locator("table.inbox").get_by_role("link", name=overdue.reference)
    ).to_have_count(0)

    # 3. The subordinate finds it in their inbox, reads the instructions, resolves with a photo.
    officer = phone_page(browser)
    log_in(officer, base, sdo)
    officer.goto(base + "/work/")
    officer.locator("table.inbox").get_by_role("link", name=overdue.reference).click()
    expect(officer.get_by_text("Re-read the meter at the house this week.")).to_be_visible()
    resolve = officer.locator("#act-resolve")
    expect(resolve).to_have_attribute("open", "")  # the action the state calls for is open
    resolve.get_by_label("What was done").fill("Meter re-read: 1,204 units; bill corrected.")
    resolve.get_by_label("Evidence (optional)").set_input_files(
        files=[FilePayload(name="meter-reading.png", mimeType="image/png", buffer=photo_png())]
    )
    shot(officer, "w3-officer-resolves")
    resolve.get_by_role("button", name="Mark as resolved").click()
    expect(officer.get_by_text(f"{overdue.reference} is resolved.")).to_be_visible()
    resolved = Complaint.objects.get(pk=overdue.pk)
    assert resolved.status == Status.RESOLVED
    assert resolved.attachments.filter(kind="image").count() == 1

    # 4. The supervisor sees it move: not in their inbox, and its timeline shows the
    # resolution with the photo (served through the permission-checked attachment view).
    supervisor.goto(base + "/work/?tab=overdue")
    expect(
        supervisor.locator("table.inbox").get_by_role("link", name=overdue.reference)
    ).to_have_count(0)
    supervisor.goto(base + f"/work/{overdue.reference}/")
    timeline = supervisor.locator("#timeline")
    expect(timeline.get_by_text("Marked to a subordinate officer")).to_be_visible()
    expect(timeline.get_by_text("Meter re-read: 1,204 units; bill corrected.")).to_be_visible()
    expect(supervisor.locator(".summary").get_by_text("Resolved").first).to_be_visible()
    thumbnail = supervisor.locator("#files img[alt='meter-reading.png']")
    expect(thumbnail).to_be_visible()
    # Visible is not loaded: on a busy machine the picture can still be on its way. Wait for
    # it to load (or fail) and check it is the 64-pixel photo.
    loaded_width = """img => img.complete ? img.naturalWidth : new Promise(done => {
        img.addEventListener('load', () => done(img.naturalWidth), {once: true});
        img.addEventListener('error', () => done(0), {once: true});
    })"""
    assert thumbnail.evaluate(loaded_width) == 64
    shot(supervisor, "w4-supervisor-sees-resolution")

    # 5. In place with htmx: a note from the supervisor updates the page without loading it.
    supervisor.evaluate("() => { window.stillTheSamePage = true; }")
    note = supervisor.locator("#act-internal_note")
    note.locator("summary").click()
    note.get_by_label("Note").fill("Photo checked against the meter register.")
    note.get_by_role("button", name="Add the note").click()
    expect(supervisor.get_by_text("Your internal note on")).to_be_visible()
    expect(
        supervisor.locator("#timeline").get_by_text("Photo checked against the meter register.")
    ).to_be_visible()
    assert supervisor.evaluate("() => window.stillTheSamePage === true")
    assert supervisor.failures == []  # type: ignore[attr-defined]
    assert officer.failures == []  # type: ignore[attr-defined]


def test_the_complaint_page_reads_right_to_left_in_urdu(
    browser: Browser, live_server, world, sms_outbox
):
    complaint = lodge(world)
    page = phone_page(browser)
    log_in(page, live_server.url, world.officers.se)
    page.goto(live_server.url + f"/work/{complaint.reference}/")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    page.get_by_role("button", name="اردو").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    expect(page.get_by_text(complaint.reference).first).to_be_visible()
    # Right to left: the open action's title starts at the right-hand edge of its box.
    box = page.locator("#act-resolve").bounding_box()
    title = page.locator("#act-resolve .action-title").bounding_box()
    assert box is not None
    assert title is not None
    assert title["x"] + title["width"] > box["x"] + box["width"] * 0.7
    shot(page, "w5-complaint-page-urdu")
    assert page.failures == []  # type: ignore[attr-defined]


def test_the_complaint_page_works_without_javascript(
    browser: Browser, live_server, world, sms_outbox
):
    complaint = lodge(world)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, live_server.url, world.officers.se)
    page.goto(live_server.url + f"/work/{complaint.reference}/")
    remark = page.locator("#act-remark")
    remark.locator("summary").click()  # <details> opens without JavaScript
    remark.get_by_label("Remark").fill("The meter reader visits on Monday.")
    remark.get_by_role("button", name="Add the remark").click()
    expect(page).to_have_url(re.compile(rf"/work/{complaint.reference}/$"))
    expect(
        page.get_by_text(f"Your remark on {complaint.reference} is on its timeline.")
    ).to_be_visible()
    expect(
        page.locator("#timeline").get_by_text("The meter reader visits on Monday.")
    ).to_be_visible()
    context.close()
