"""The portal as an installed app, in a real Chromium (issue 9): the manifest and the service
worker make it installable; the citizen's own pages read offline with a banner saying how old
the copy is; a complaint written offline waits on the phone and is lodged exactly once when
the connection returns, even across reloads; logging out forgets everything stored.
Screenshots (phone viewport) go to test-artifacts/."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.core.pwa import service_worker_config
from tests.browser.helpers import LANGUAGES, choose_language, say

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WAITING = "Waiting to send — will be sent when you are back online."

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def phone(browser: Browser, live_server, user: User | None = None) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
    return context, context.new_page()


def controlled(page: Page) -> None:
    """Wait until the service worker is active and controls the page."""
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    if not page.evaluate("() => !!navigator.serviceWorker.controller"):
        page.reload()
    page.wait_for_function("() => !!navigator.serviceWorker.controller")


def stored_pages(page: Page) -> list[str]:
    paths: list[str] = page.evaluate(
        """async () => {
            if (!(await caches.has('portal-pages'))) return [];
            const cache = await caches.open('portal-pages');
            return (await cache.keys()).map((request) => new URL(request.url).pathname);
        }"""
    )
    return paths


def poll(page: Page, script: str, tries: int = 100) -> None:
    """Wait until an async script is true (wait_for_function does not await a promise)."""
    for _attempt in range(tries):
        if page.evaluate(script):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {script}")


def wait_until_stored(page: Page, path: str) -> None:
    for _attempt in range(100):
        if path in stored_pages(page):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{path} was never stored")


def test_the_portal_is_installable_and_its_worker_takes_control(
    browser_type, browser_type_launch_args, live_server, tmp_path
):
    # A profile on disk: Chromium never offers to install from an incognito-like context,
    # which is what browser.new_context() gives.
    context = browser_type.launch_persistent_context(
        tmp_path / "profile", **browser_type_launch_args, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto(live_server.url)
    href = page.locator('link[rel="manifest"]').get_attribute("href")
    assert href is not None
    manifest = page.request.get(live_server.url + href).json()
    assert manifest["name"] == "Citizen Portal"
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        fetched = page.request.get(live_server.url + icon["src"])
        assert fetched.status == 200
        width, height = Image.open(io.BytesIO(fetched.body())).size
        assert f"{width}x{height}" == icon["sizes"]

    controlled(page)
    shells = page.evaluate("async () => await caches.keys()")
    assert any(name.startswith("portal-shell-") for name in shells)
    # Chromium's own verdict: nothing stands in the way of installing the app.
    cdp = context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    manifest_errors = cdp.send("Page.getAppManifest")["errors"]
    assert manifest_errors == []
    context.close()


def test_the_citizens_own_pages_read_offline_with_a_banner(browser: Browser, live_server, world):
    opened = lodge(world)
    never_opened = lodge(world)
    context, page = phone(browser, live_server, world.citizen)
    page.goto(live_server.url + "/complaints/")
    controlled(page)
    page.goto(f"{live_server.url}/complaints/{opened.reference}/")
    page.goto(live_server.url + "/complaints/")
    assert {"/complaints/", f"/complaints/{opened.reference}/"} <= set(stored_pages(page))

    context.set_offline(True)
    page.goto(live_server.url + "/complaints/")
    expect(page.get_by_text(re.compile("You are offline — this is the copy from"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(opened.reference))).to_be_visible()
    shot(page, "offline-1-list")
    page.get_by_role("link", name=re.compile(opened.reference)).click()
    expect(page.get_by_role("heading", name=opened.subject)).to_be_visible()
    expect(page.get_by_text(re.compile("You are offline — this is the copy from"))).to_be_visible()
    shot(page, "offline-2-detail")
    # A complaint never opened on this phone was never stored: the offline page says so.
    page.goto(f"{live_server.url}/complaints/{never_opened.reference}/")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    shot(page, "offline-3-not-stored")
    context.close()


def test_offline_in_urdu_the_pages_stay_right_to_left(browser: Browser, live_server, world):
    complaint = lodge(world)
    context, page = phone(browser, live_server, world.citizen)
    context.add_cookies([{"name": "portal_language", "value": "ur", "url": live_server.url}])
    page.goto(live_server.url + "/complaints/")
    controlled(page)
    page.reload()
    # The Urdu fonts join the shell when an Urdu page first uses them (never precached).
    # The Urdu faces join the shell the first time a page asks for one (never precached). This
    # machine has them installed, so the stylesheet's local() wins: ask as a page would.
    (font,) = [url for url in service_worker_config()["onDemand"] if "nastaliq" in url][:1]
    assert page.evaluate("async (url) => (await fetch(url, {cache: 'no-store'})).ok", font)
    context.set_offline(True)
    assert page.evaluate("async (url) => (await fetch(url, {cache: 'no-store'})).ok", font)
    page.goto(live_server.url + "/complaints/")
    expect(page.locator(".offline-banner")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    shot(page, "offline-7-list-urdu")
    # Never opened: the offline page, in the language the citizen last used.
    page.goto(f"{live_server.url}/complaints/{complaint.reference}/")
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("link", name="میری شکایات").last).to_be_visible()
    shot(page, "offline-8-not-stored-urdu")
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_complaint_written_offline_is_lodged_once_when_back_online(
    browser: Browser, live_server, world, language
):
    context, page = phone(browser, live_server, world.citizen)
    choose_language(context, live_server.url, language)
    page.goto(live_server.url + "/complaints/")
    controlled(page)
    page.reload()
    # The worker fetches the one-page offline form by itself: the citizen never opened it.
    wait_until_stored(page, "/offline/lodge/")
    waiting = say(WAITING, language)
    subject = "دو دن سے بجلی نہیں" if language == "ur" else "No electricity for two days"

    context.set_offline(True)
    page.goto(live_server.url + "/complaints/")
    page.get_by_role("link", name=say("Lodge a new complaint", language)).click()  # the steps
    copy_from = say("You are offline — this is the copy from %(time)s.", language)
    expect(page.get_by_text(re.compile(re.escape(copy_from.split("%(time)s")[0])))).to_be_visible()
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ur" else "ltr")
    page.get_by_label(say("What is it about?", language)).select_option(str(world.overbilling.pk))
    page.get_by_label(say("District", language)).select_option(str(world.lahore.pk))
    page.get_by_label(say("Subject", language)).fill(subject)
    page.get_by_label(say("Describe the problem", language)).fill(
        "The transformer on our street burnt out on Monday and nobody has come to fix it."
    )
    shot(page, f"offline-4-drafting-{language}")
    page.get_by_role("button", name=say("Lodge complaint", language)).click()
    expect(page.get_by_text(waiting)).to_be_visible()
    expect(page.get_by_text(subject)).to_be_visible()
    shot(page, f"offline-5-waiting-{language}")
    page.reload()  # still offline: the draft is still there, still waiting
    expect(page.get_by_text(waiting)).to_be_visible()
    assert Complaint.objects.count() == 0

    context.set_offline(False)
    # At once, while the worker may be sending: two requests to send, one lodging. The page's
    # own script may navigate at the same moment (it shows the sent draft), which aborts the
    # reload: that is the race being tested, not a failure.
    try:
        page.reload()
    except PlaywrightError as error:
        if "ERR_ABORTED" not in str(error):
            raise
        page.wait_for_load_state()
    sent = say("Sent. Its reference is %(ref)s.", language).split("%(ref)s")[0]
    expect(page.get_by_text(re.compile(re.escape(sent)))).to_be_visible()
    complaint = Complaint.objects.get()
    assert complaint.subject == subject
    assert complaint.language == language
    expect(page.get_by_role("link", name=complaint.reference, exact=True)).to_be_visible()
    shot(page, f"offline-6-sent-{language}")
    # Reloading, opening other pages, coming back: never a second complaint.
    page.reload()
    page.goto(live_server.url + "/complaints/")
    expect(page.get_by_role("link", name=re.compile(complaint.reference)).first).to_be_visible()
    assert Complaint.objects.count() == 1


def test_the_step_by_step_forms_last_step_sent_offline_is_lodged_once_later(
    browser: Browser, live_server, world
):
    """The network drops just as the citizen presses "Lodge complaint" on the review step:
    the press is kept (the draft itself is on the server) and sent when it returns."""
    context, page = phone(browser, live_server, world.citizen)
    page.goto(live_server.url + "/complaints/")
    controlled(page)
    page.goto(live_server.url + "/complaints/new/")
    page.locator("#id_department").select_option(str(world.lesco.pk))
    page.locator("button[name=action][value=department]").click()
    page.locator("#id_category").select_option(str(world.overbilling.pk))
    page.locator("button[name=action][value=next]").click()
    expect(page).to_have_url(re.compile(r"/complaints/new/where/$"))
    page.locator("#id_district").select_option(str(world.lahore.pk))
    page.locator("button[name=action][value=next]").click()
    page.locator("#id_subject").fill("Bill tripled")
    page.locator("#id_description").fill("My November bill is Rs 45,000; I usually pay 15,000.")
    page.locator("button[name=action][value=next]").click()
    expect(page).to_have_url(re.compile(r"/complaints/new/attachments/$"))
    page.locator("button[name=action][value=next]").click()
    expect(page).to_have_url(re.compile(r"/complaints/new/review/$"))

    context.set_offline(True)
    page.locator(".send button").click()
    expect(page.get_by_text(WAITING)).to_be_visible()
    expect(page.get_by_text("Your complaint", exact=True)).to_be_visible()
    assert Complaint.objects.count() == 0
    context.set_offline(False)
    # Sent when the browser says it is online again: longer than expect's 5 s on a busy machine.
    expect(page.get_by_text(re.compile("Sent. Its reference is"))).to_be_visible(timeout=20_000)
    complaint = Complaint.objects.get()
    assert complaint.subject == "Bill tripled"
    page.reload()
    assert Complaint.objects.count() == 1
    context.close()


def test_logging_out_forgets_the_stored_pages(browser: Browser, live_server, world):
    complaint = lodge(world)
    context, page = phone(browser, live_server, world.citizen)
    page.goto(live_server.url + "/complaints/")
    controlled(page)
    page.goto(f"{live_server.url}/complaints/{complaint.reference}/")
    assert stored_pages(page)
    page.evaluate("() => localStorage.setItem('left-behind', 'yes')")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You have logged out.")).to_be_visible()
    # Chromium applied the logout's Clear-Site-Data: "storage" (the worker's own clearing
    # never touches local storage).
    assert page.evaluate("() => localStorage.getItem('left-behind')") is None
    controlled(page)  # a new worker, for whoever comes next
    assert stored_pages(page) == []
    context.set_offline(True)
    page.goto(f"{live_server.url}/complaints/{complaint.reference}/")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(page.get_by_text(complaint.subject)).to_have_count(0)
    context.close()
