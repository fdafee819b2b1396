"""The officer's complaint page as a whole: the citizen masked by the reader's capacity, the
shared map point, the files, related complaints, a form per action that says what it does,
in-place updates with htmx, and a fixed number of queries however long the timeline."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from citizen_portal.accounts import crypto
from citizen_portal.accounts.disclosure import mask_email
from citizen_portal.accounts.identity import DocumentType, document_parse
from citizen_portal.accounts.models import CitizenProfile
from citizen_portal.complaints.models import Complaint, DropReason, Status
from citizen_portal.complaints.selectors.related import RELATED_LIMIT
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.complaints.services.officer_actions import (
    complaint_drop,
    complaint_mark_down,
    complaint_remark,
    complaint_return_up,
)
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.complaints.views_officer import EFFECTS, STEPS
from citizen_portal.directory.models import AdminUnit, Country
from citizen_portal.directory.tests.factories import (
    AdminUnitFactory,
    CategoryFactory,
    CitizenFactory,
    PositionFactory,
    StaffFactory,
    hold,
    rule,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sdo(world):
    """A Sub-Divisional Officer below the Superintending Engineer, and the officer holding it."""
    position = PositionFactory(
        office=world.positions.se.office,
        supervisor=world.positions.se,
        title_en="Sub-Divisional Officer",
    )
    officer = StaffFactory(username="lesco.sdo")
    hold(officer, position)
    return position, officer


def url(complaint: Complaint) -> str:
    return reverse("complaints:work_detail", args=[complaint.reference])


def page_of(client, complaint: Complaint):
    response = client.get(url(complaint))
    assert response.status_code == 200
    return response.content.decode()


def act(client, complaint, action, data, **headers):
    target = reverse("complaints:work_act", args=[complaint.reference, action])
    return client.post(target, data, headers=headers)


def with_profile(citizen, *, document="35202-7654321-4", country="PK", home=None, email=""):
    parsed = document_parse(doc_type=DocumentType.CNIC, number=document)
    CitizenProfile.objects.create(
        user=citizen,
        document_type=parsed.type,
        document_encrypted=crypto.encrypt(parsed.number),
        document_masked=parsed.masked,
        gender="female",
        date_of_birth=date(1990, 5, 1),
        home_district=home,
        country_of_residence=Country.objects.get(code=country),
    )
    if email:
        citizen.email = email
        citizen.save(update_fields=["email"])
    return citizen


def png_upload(name="meter.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 120, 0)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf_upload(name="bill.pdf") -> SimpleUploadedFile:
    content = (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def lodged(
    world, *, citizen=None, category=None, area=None, subject="Bill three times", files=(), **extra
):
    return complaint_lodge(
        citizen=citizen or world.citizen,
        data=ComplaintInput(
            category=category or world.overbilling,
            area=area or world.lahore,
            subject=subject,
            description="My November bill is Rs 45,000 while I usually pay Rs 15,000.",
            **extra,
        ),
        files=files,
    )


# --- The citizen, masked by capacity ------------------------------------------------------


def test_an_officer_sees_the_name_and_a_masked_phone_but_no_document(client, world, sms_outbox):
    with_profile(world.citizen, home=world.lahore, email="ayesha.khan@example.pk")
    complaint = lodge(world)
    client.force_login(world.officers.se)
    page = page_of(client, complaint)
    assert "Ayesha Khan" in page
    assert "+923••••••233" in page
    assert "+923001112233" not in page
    assert "Home district" in page
    for hidden in ["35202", "•••••••-4", "ayesha.khan", "a••••••••••@example.pk"]:
        assert hidden not in page, hidden
    assert "Reach the citizen through the portal" in page


def test_the_focal_person_also_sees_the_document_and_email_masked(client, world, sms_outbox):
    with_profile(world.citizen, home=world.lahore, email="ayesha.khan@example.pk")
    complaint = lodge(world, category=world.supply)  # no rule: triage at the focal position
    assert complaint.status == Status.TRIAGE
    client.force_login(world.officers.focal)
    page = page_of(client, complaint)
    assert "35202-•••••••-4" in page
    assert "a••••••••••@example.pk" in page
    assert "35202-7654321-4" not in page
    assert "ayesha.khan@" not in page
    assert "+923001112233" not in page


def test_an_overseas_citizen_shows_the_country_they_live_in(client, world, sms_outbox):
    with_profile(world.citizen, country="GB")
    complaint = lodge(world)
    client.force_login(world.officers.se)
    page = page_of(client, complaint)
    assert "Lives abroad, in" in page
    assert "United Kingdom" in page


def test_a_citizen_without_a_profile_still_shows(client, world, sms_outbox):
    complaint = lodge(world)  # intake accounts have no profile
    client.force_login(world.officers.se)
    page = page_of(client, complaint)
    assert "Ayesha Khan" in page
    assert "Home district" not in page


def test_email_masking_keeps_the_first_letter_and_the_domain():
    assert mask_email("ayesha@example.pk") == "a•••••@example.pk"
    assert mask_email("not-an-address") == "•" * len("not-an-address")


# --- The place ----------------------------------------------------------------------------


def test_a_shared_point_shows_coordinates_a_map_link_and_the_district(client, world, sms_outbox):
    tehsil = AdminUnitFactory(
        code="PK-PB-LHR-LHR-MT",
        parent=world.lahore,
        level=AdminUnit.Level.TEHSIL,
        name_en="Model Town",
        depth=4,
    )
    complaint = lodged(
        world,
        area=tehsil,
        latitude=Decimal("31.520400"),
        longitude=Decimal("74.358700"),
        share_location=True,
    )
    client.force_login(world.officers.se)
    page = page_of(client, complaint)
    assert "31.520400, 74.358700" in page
    assert (
        "https://www.openstreetmap.org/?mlat=31.520400&amp;mlon=74.358700"
        "#map=17/31.520400/74.358700" in page
    )
    assert "In Model Town, Lahore district." in page
    assert "<iframe" not in page  # no tiles from outside


def test_no_point_is_shown_when_the_citizen_did_not_share_it(client, world, sms_outbox):
    complaint = lodged(
        world, latitude=Decimal("31.5"), longitude=Decimal("74.3"), share_location=False
    )
    client.force_login(world.officers.se)
    page = page_of(client, complaint)
    assert "The citizen did not share a map point. The complaint is about Lahore." in page
    assert "openstreetmap" not in page


# --- Files --------------------------------------------------------------------------------


def test_photos_show_as_thumbnails_and_pdfs_as_links_through_the_checked_view(
    client, world, sms_outbox
):
    complaint = lodged(world, files=[png_upload(), pdf_upload()])
    photo, bill = complaint.attachments.order_by("pk")
    client.force_login(world.officers.se)
    page = page_of(client, complaint)
    photo_url = reverse("complaints:attachment", args=[photo.pk])
    bill_url = reverse("complaints:attachment", args=[bill.pk])
    assert f'<img src="{photo_url}" alt="meter.png" loading="lazy"' in page
    assert f'<a href="{bill_url}" class="thumb doc">' in page
    assert "2 files" in page
    served = client.get(photo_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    client.force_login(world.stranger)
    assert client.get(photo_url).status_code == 404


# --- Related complaints -------------------------------------------------------------------


def test_related_lists_the_citizens_other_complaints_and_open_similar_ones_nearby(
    client, world, sms_outbox
):
    complaint = lodge(world)
    earlier = lodged(world, category=world.supply, subject="Load shedding 12 hours a day")
    neighbour = lodged(world, citizen=world.other_citizen, subject="Whole street over-billed")
    closed = lodged(world, citizen=CitizenFactory(), subject="Old bill, sorted out")
    complaint_drop(
        complaint=closed,
        officer=world.officers.se,
        reason=DropReason.ABUSIVE,
        explanation="Abusive words.",
    )
    elsewhere = lodged(world, citizen=CitizenFactory(), area=world.kasur, subject="Kasur bill")
    elsewhere_other = lodged(world, citizen=CitizenFactory(), category=world.supply)
    client.force_login(world.officers.se)
    page = page_of(client, complaint)
    related = page[page.index('id="related"') :]
    assert "Load shedding 12 hours a day" in related
    assert "Whole street over-billed" in related
    assert earlier.reference in related
    assert neighbour.reference in related
    assert "Old bill, sorted out" not in related  # dropped: not open
    assert elsewhere.reference not in related  # another district
    assert elsewhere_other.reference not in related  # another category, another citizen
    # The SE may open the neighbour's (at the SE's post), not the triage one at the focal post.
    assert reverse("complaints:work_detail", args=[neighbour.reference]) in related
    assert reverse("complaints:work_detail", args=[earlier.reference]) not in related
    client.force_login(world.officers.focal)  # the focal person reaches the whole department
    related = page_of(client, complaint)
    assert reverse("complaints:work_detail", args=[earlier.reference]) in related


def test_only_the_newest_ten_similar_complaints_are_listed(client, world, sms_outbox):
    complaint = lodge(world)
    others = [
        lodged(world, citizen=CitizenFactory(), subject=f"Street {n} over-billed")
        for n in range(RELATED_LIMIT + 2)
    ]
    client.force_login(world.officers.se)
    page = page_of(client, complaint)
    for older in others[:2]:
        assert older.reference not in page
    for newer in others[2:]:
        assert newer.reference in page
    assert "Only the newest 10 are shown." in page


def test_the_citizens_complaints_to_other_departments_are_not_listed(client, world, sms_outbox):
    wasa = world.stranger.holdings.get().position.office.department
    sewer = CategoryFactory(department=wasa, name_en="Sewerage")
    rule(sewer, world.lahore, world.stranger.holdings.get().position)
    private = lodged(world, category=sewer, subject="Sewer overflowing at my house")
    complaint = lodge(world)
    client.force_login(world.officers.se)
    related = page_of(client, complaint).split('id="related"')[1]
    assert private.reference not in related
    assert "Sewer overflowing" not in related
    assert "None: this is the citizen's first complaint to the department." in related


# --- Actions ------------------------------------------------------------------------------


def test_every_action_has_a_sentence_saying_what_happens():
    assert set(STEPS) <= set(EFFECTS)


def test_each_offered_form_says_who_is_told_and_what_the_deadline_does(
    client, world, sms_outbox, sdo
):
    complaint = lodge(world)
    client.force_login(world.officers.se)
    page = page_of(client, complaint)
    assert page.count("What happens:") == page.count('<details class="action"')
    mark_down = page[page.index('id="act-mark_down"') :]
    assert "The officer at the chosen post is notified" in mark_down
    assert "the deadline stays as it is" in mark_down
    resolve = page[page.index('id="act-resolve"') :]
    assert "without an answer the complaint closes after 7 days" in resolve
    # The action the state calls for starts open; the others are one click away.
    assert '<details class="action" id="act-resolve" open>' in page
    assert '<details class="action" id="act-mark_down">' in page


def test_a_form_sent_back_with_errors_is_the_one_open(client, world, sms_outbox):
    complaint = lodge(world)
    client.force_login(world.officers.se)
    response = act(client, complaint, "remark", {"remark": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<details class="action" id="act-remark" open>' in page
    assert '<details class="action" id="act-resolve">' in page


def test_an_action_sent_with_htmx_answers_with_the_page_in_place(client, world, sms_outbox):
    complaint = lodge(world)
    client.force_login(world.officers.se)
    response = act(
        client, complaint, "remark", {"remark": "Meter visit on Monday."}, hx_request="true"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert '<main id="main"' in page  # the whole page, not a fragment
    assert "Your remark on" in page  # the message, above the page
    assert "Meter visit on Monday." in page[page.index('id="timeline"') :]
    response = act(client, complaint, "remark", {"remark": ""}, hx_request="true")
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_an_action_that_takes_it_away_sends_htmx_to_the_inbox(client, world, sms_outbox, sdo):
    position, _officer = sdo
    complaint = lodge(world)
    client.force_login(world.officers.se)
    data = {"to": position.pk, "instructions": "Re-read the meter this week."}
    response = act(client, complaint, "mark_down", data, hx_request="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("complaints:inbox")
    assert Complaint.objects.get(pk=complaint.pk).assigned_position == position


def test_a_refused_action_with_htmx_is_explained_in_place(client, world, sms_outbox):
    complaint = lodge(world)
    client.force_login(world.officers.ceo)  # the supervisor may not resolve
    response = act(client, complaint, "resolve", {"remark": "Done from above."}, hx_request="true")
    assert response.status_code == 403
    assert "You may not do this on this complaint." in response.content.decode()


# --- Urdu ---------------------------------------------------------------------------------


def test_the_page_renders_right_to_left_in_urdu(client, world, sms_outbox, sdo):
    with_profile(world.citizen, home=world.lahore)
    complaint = lodged(
        world, latitude=Decimal("31.5204"), longitude=Decimal("74.3587"), share_location=True
    )
    lodged(world, citizen=world.other_citizen)
    client.force_login(world.officers.se)
    client.cookies["portal_language"] = "ur"
    page = page_of(client, complaint)
    assert 'dir="rtl"' in page
    assert "+923••••••233" in page


# --- Queries ------------------------------------------------------------------------------


def queries_for(client, complaint) -> int:
    with CaptureQueriesContext(connection) as captured:
        page_of(client, complaint)
    return len(captured)


def test_the_page_costs_the_same_queries_however_long_the_timeline_and_related_lists(
    client, world, sms_outbox, sdo, django_assert_max_num_queries
):
    position, sdo_officer = sdo
    with_profile(world.citizen, home=world.lahore)

    def related(n: int) -> None:
        for i in range(n):
            lodged(world, subject=f"My earlier bill {i}")  # the same citizen
            other = lodged(world, citizen=CitizenFactory(), subject=f"Street {i} over-billed")
            if i % 2 == 0:  # some at the post below: the page works out that the SE may open it
                complaint_mark_down(
                    complaint=other,
                    officer=world.officers.se,
                    to=position,
                    instructions="Read the street's meters.",
                )

    related(1)
    few = lodged(world, files=[png_upload()])
    client.force_login(world.officers.se)
    baseline = queries_for(client, few)
    assert baseline <= 45  # a budget: the page must stay cheap

    related(RELATED_LIMIT + 3)
    many = lodged(world, files=[png_upload(), pdf_upload()])
    for n in range(10):
        complaint_mark_down(
            complaint=many, officer=world.officers.se, to=position, instructions=f"Visit {n} now."
        )
        complaint_return_up(complaint=many, officer=sdo_officer, remark=f"Visited {n}; for you.")
        complaint_remark(complaint=many, officer=world.officers.se, remark=f"Visit number {n}.")
        complaint_remark(
            complaint=many, officer=world.officers.se, remark=f"Note {n}.", internal=True
        )
    with django_assert_max_num_queries(baseline):
        page = page_of(client, many)
    assert page.count('<li class="event') >= 42
    assert page.count("Only the newest 10 are shown.") == 2
