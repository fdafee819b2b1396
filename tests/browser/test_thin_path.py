"""The whole path in a real Chromium: a citizen registers and lodges, the officer resolves, the
citizen confirms; then the same pages in Urdu, right to left. Screenshots of each step (phone
viewport) are saved in test-artifacts/ for a person to look at."""

import pytest
from playwright.sync_api import Browser, expect

from citizen_portal.accounts.tests.two_factor import enable_totp
from citizen_portal.complaints.models import Complaint, Status
from citizen_portal.directory.tests.factories import STAFF_PASSWORD
from tests.browser.helpers import phone_page, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_and_officer_walk_the_whole_path(browser: Browser, live_server, world, sms_outbox):
    citizen = phone_page(browser)
    citizen.goto(live_server.url)
    citizen.get_by_role("link", name="Register with your mobile number").click()
    citizen.get_by_label("Mobile number").fill("0321 7654321")
    citizen.get_by_role("button", name="Send me a code").click()
    expect(citizen.get_by_role("heading", name="Enter your code")).to_be_visible()
    citizen.get_by_label("6-digit code").fill(sms_outbox.last_code("+923217654321"))
    citizen.get_by_role("button", name="Continue").click()
    citizen.get_by_label("Full name").fill("Zainab Bibi")
    citizen.get_by_label("Gender").select_option("female")
    citizen.get_by_label("Date of birth").fill("1992-03-01")
    citizen.get_by_label("Document number").fill("35202-7654321-4")
    citizen.get_by_label("Home district").select_option(label="Lahore")
    citizen.get_by_label("Password", exact=True).fill("kinnow-orchard-42")
    citizen.get_by_label("Password again").fill("kinnow-orchard-42")
    shot(citizen, "0-citizen-registers")
    citizen.get_by_role("button", name="Create my account").click()
    expect(citizen.get_by_text("Your account is ready.")).to_be_visible()

    # Lodging, step by step (tests/browser/test_lodge_steps.py walks it in more detail).
    citizen.get_by_role("link", name="Lodge a new complaint").click()
    citizen.get_by_role("button", name="Next").click()
    expect(citizen.get_by_role("alert")).to_contain_text("Choose what it is about.")
    citizen.get_by_label("Department or ministry").select_option(label="LESCO")
    citizen.get_by_role("button", name="Show its categories").click()
    citizen.get_by_label("Category").select_option(label="Billing › Over-billing")
    citizen.get_by_role("button", name="Next").click()
    citizen.get_by_label("District").select_option(label="Lahore")
    citizen.get_by_role("button", name="Next").click()
    citizen.get_by_label("Subject").fill("Electricity bill three times the usual")
    citizen.get_by_label("Describe the problem").fill(
        "My November bill is Rs 45,000; I usually pay about Rs 15,000. Meter no. 12345."
    )
    citizen.get_by_role("button", name="Next").click()
    expect(citizen.get_by_role("heading", name="Photos and documents")).to_be_visible()
    citizen.get_by_role("button", name="Next").click()
    expect(citizen.get_by_role("heading", name="Check and send")).to_be_visible()
    shot(citizen, "1-citizen-lodge-form")
    citizen.get_by_role("button", name="Lodge complaint").click()
    complaint = Complaint.objects.get(citizen__phone="+923217654321")
    expect(citizen.get_by_text(f"Its reference is {complaint.reference}")).to_be_visible()
    expect(citizen.get_by_text("Superintending Engineer").first).to_be_visible()
    shot(citizen, "2-citizen-complaint-lodged")

    app = enable_totp(world.officers.se)
    officer = browser.new_page()
    officer.goto(live_server.url + "/accounts/staff/login/")
    officer.get_by_label("Username").fill("lesco.se")
    officer.get_by_label("Password").fill(STAFF_PASSWORD)
    officer.get_by_role("button", name="Log in").click()
    officer.get_by_label("Code from your authenticator app").fill(app.now())
    officer.get_by_role("button", name="Log in").click()
    officer.get_by_role("link", name=complaint.reference).click()
    officer.get_by_label("What was done").fill("Meter re-read; bill corrected to Rs 15,200.")
    shot(officer, "3-officer-resolves")
    officer.get_by_role("button", name="Mark as resolved").click()
    expect(officer.get_by_text(f"{complaint.reference} is resolved")).to_be_visible()

    citizen.reload()
    expect(citizen.get_by_text("Resolved (awaiting your feedback)").first).to_be_visible()
    expect(citizen.get_by_text("Meter re-read; bill corrected to Rs 15,200.")).to_be_visible()
    citizen.get_by_label("Yes, it was solved").check()
    citizen.get_by_label("5", exact=True).check()
    citizen.get_by_role("button", name="Send feedback").click()
    expect(citizen.get_by_text("Your complaint is now closed.")).to_be_visible()
    expect(citizen.get_by_text("Reply due by")).to_have_count(0)
    shot(citizen, "4-citizen-closed")
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED


def test_pages_flip_right_to_left_in_urdu(browser: Browser, live_server, world):
    page = phone_page(browser)
    page.goto(live_server.url)
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    page.get_by_role("button", name="اردو").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    header = page.locator(".site-header").bounding_box()
    brand = page.locator(".brand").bounding_box()
    assert header is not None
    assert brand is not None
    # Right to left: the site name sits at the right-hand edge.
    assert brand["x"] + brand["width"] > header["width"] * 0.6
    shot(page, "5-home-urdu")
    # The choice is remembered on the next page.
    page.goto(live_server.url + "/accounts/login/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    shot(page, "6-login-urdu")
