"""Response templates: a focal person writes them for the department, officers find them filled
in next to the matching action form, and what an officer sent stays as sent whatever happens to
the template afterwards. Unknown placeholders, other departments' templates and officers who
keep no department are refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from citizen_portal.complaints.models import Action, Complaint, ResponseTemplate, TemplateAction
from citizen_portal.complaints.selectors.responses import response_templates_for
from citizen_portal.complaints.services.responses import (
    TemplateInput,
    response_template_create,
)
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.core.errors import ApplicationError, NotAllowed
from citizen_portal.directory.models import Department
from citizen_portal.directory.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db(transaction=True)

RESOLVED_EN = (
    "Your complaint {reference} about “{subject}” was looked into by the {position}, {office}: "
    "the meter was re-read and the bill corrected."
)
RESOLVED_UR = "آپ کی شکایت {reference} پر کارروائی مکمل ہو گئی ہے۔"


def template(world, **overrides) -> ResponseTemplate:
    data = {
        "department": world.lesco,
        "category": world.billing,
        "action": TemplateAction.RESOLVE,
        "title": "Bill corrected",
        "text_en": RESOLVED_EN,
        "text_ur": RESOLVED_UR,
        **overrides,
    }
    return response_template_create(user=world.officers.focal, data=TemplateInput(**data))


def work_page(client, complaint) -> str:
    response = client.get(reverse("complaints:work_detail", args=[complaint.reference]))
    assert response.status_code == 200
    page: str = response.content.decode()
    return page


def test_the_focal_person_writes_a_template_and_the_officer_finds_it_filled_in(
    client, world, sms_outbox
):
    client.force_login(world.officers.focal)
    assert client.get(reverse("complaints:template_new")).status_code == 200
    response = client.post(
        reverse("complaints:template_new"),
        {
            "department": world.lesco.pk,
            "category": world.billing.pk,
            "action": "resolve",
            "title": "Bill corrected",
            "text_en": RESOLVED_EN,
            "text_ur": RESOLVED_UR,
        },
    )
    assert response.status_code == 302
    listing = client.get(reverse("complaints:templates")).content.decode()
    assert "Bill corrected" in listing
    assert "{reference}" in listing  # the focal person sees the wording as written

    complaint = lodge(world)  # Over-billing, below Billing: the template applies
    client.force_login(world.officers.se)
    page = work_page(client, complaint)
    assert "Bill corrected" in page
    filled = f"Your complaint {complaint.reference} about “Bill three times the usual”"
    assert filled in page  # listed in full, to copy without JavaScript
    assert "Superintending Engineer, LESCO Lahore Circle" in page
    assert f"آپ کی شکایت {complaint.reference} پر" in page
    assert "{reference}" not in page
    # "Use this text" fills the resolve form's remark box.
    assert 'data-template-fill="id_resolve_remark"' in page
    assert "js/response-templates.js" in page


def test_an_unknown_placeholder_is_refused_naming_it(client, world):
    client.force_login(world.officers.focal)
    response = client.post(
        reverse("complaints:template_new"),
        {
            "department": world.lesco.pk,
            "action": "request_info",
            "title": "Consumer number",
            "text_en": "Please send the consumer number for {refrence}.",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "“{refrence}” is not a placeholder the portal knows" in page
    assert "{reference}" in page  # the ones it knows are listed
    assert "Please send the consumer number for {refrence}." in page  # what was typed is kept
    assert not ResponseTemplate.objects.exists()


def test_a_template_needs_a_text_and_a_category_of_its_own_department(client, world):
    client.force_login(world.officers.focal)
    url = reverse("complaints:template_new")
    data = {"department": world.lesco.pk, "action": "remark", "title": "Empty"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Write the text in English, in Urdu, or both." in response.content.decode()
    wasa_category = CategoryFactory(department=Department.objects.get(code="PB-WASA"))
    response = client.post(url, {**data, "text_en": "Noted.", "category": wasa_category.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(ApplicationError, match="same department"):
        template(world, category=wasa_category)
    assert not ResponseTemplate.objects.exists()


def test_only_the_templates_for_the_action_and_the_category_are_offered(client, world, sms_outbox):
    template(world)  # Billing, resolve
    template(world, category=None, action=TemplateAction.REMARK, title="We are on it")
    template(world, category=world.supply, title="Supply restored")
    template(world, category=world.overbilling, action=TemplateAction.DROP, title="Not ours")
    retired = template(world, title="Old wording")
    client.force_login(world.officers.focal)
    client.post(reverse("complaints:template_retire", args=[retired.pk]), follow=True)

    complaint = lodge(world)
    groups = {g.action: g for g in response_templates_for(complaint)}
    assert {o.title for o in groups["resolve"].options} == {"Bill corrected"}
    assert {o.title for o in groups["remark"].options} == {"We are on it"}
    assert {o.title for o in groups["drop"].options} == {"Not ours"}
    client.force_login(world.officers.se)
    page = work_page(client, complaint)
    assert "Supply restored" not in page  # another category
    assert "Old wording" not in page  # retired
    resolve_form = page.split('id="act-resolve"')[1].split('id="act-')[0]
    assert "Bill corrected" in resolve_form
    assert "We are on it" not in resolve_form  # a remark's wording, next to the remark form
    assert "We are on it" in page.split('id="act-remark"')[1].split('id="act-')[0]

    supply = lodge(world, category=world.supply)
    assert {g.action for g in response_templates_for(supply)} == {"resolve", "remark"}


def test_changing_a_template_after_use_leaves_the_sent_text_alone(client, world, sms_outbox):
    kept = template(world)
    complaint = lodge(world)
    [option] = [
        o
        for g in response_templates_for(complaint)
        if g.action == "resolve"
        for o in g.options
        if o.language == "en"
    ]
    client.force_login(world.officers.se)
    url = reverse("complaints:work_act", args=[complaint.reference, "resolve"])
    assert client.post(url, {"remark": option.text, "outcome": "relief_granted"}).status_code == 302

    client.force_login(world.officers.focal)
    response = client.post(
        reverse("complaints:template_edit", args=[kept.pk]),
        {
            "department": world.lesco.pk,
            "category": world.billing.pk,
            "action": "resolve",
            "title": "Bill corrected (new wording)",
            "text_en": "Complaint {reference}: settled.",
        },
    )
    assert response.status_code == 302
    assert client.post(reverse("complaints:template_retire", args=[kept.pk])).status_code == 302
    event = Complaint.objects.get(pk=complaint.pk).events.get(action=Action.RESOLVE)
    assert event.data["remark"] == option.text
    client.force_login(world.citizen)
    page = client.get(reverse("complaints:detail", args=[complaint.reference])).content.decode()
    assert "the meter was re-read and the bill corrected" in page
    assert "settled." not in page


def test_retiring_hides_a_template_and_restoring_offers_it_again(client, world, sms_outbox):
    kept = template(world)
    complaint = lodge(world)
    client.force_login(world.officers.focal)
    response = client.post(reverse("complaints:template_retire", args=[kept.pk]), follow=True)
    assert "officers no longer see it" in response.content.decode()
    assert response_templates_for(complaint) == []
    response = client.post(
        reverse("complaints:template_retire", args=[kept.pk]), {"restore": "1"}, follow=True
    )
    assert "offered to officers again" in response.content.decode()
    assert [g.action for g in response_templates_for(complaint)] == ["resolve"]


def test_another_departments_templates_are_not_found(client, world):
    kept = template(world)
    client.force_login(world.stranger)  # WASA's focal person
    assert client.get(reverse("complaints:templates")).status_code == 200
    assert "Bill corrected" not in client.get(reverse("complaints:templates")).content.decode()
    assert client.get(reverse("complaints:template_edit", args=[kept.pk])).status_code == 404
    retire = reverse("complaints:template_retire", args=[kept.pk])
    assert client.post(retire).status_code == 404
    response = client.post(
        reverse("complaints:template_new"),
        {"department": world.lesco.pk, "action": "remark", "title": "Mine", "text_en": "Noted."},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(NotAllowed):
        response_template_create(
            user=world.stranger,
            data=TemplateInput(
                department=world.lesco, category=None, action="remark", title="X", text_en="Y"
            ),
        )
    assert ResponseTemplate.objects.get().is_active


@pytest.mark.parametrize("who", ["se", "citizen", "anonymous"])
def test_only_focal_persons_open_the_template_pages(client, world, who):
    kept = template(world)
    if who == "se":
        client.force_login(world.officers.se)
    elif who == "citizen":
        client.force_login(world.citizen)
    expected = 302 if who == "anonymous" else 403
    for url in [
        reverse("complaints:templates"),
        reverse("complaints:template_new"),
        reverse("complaints:template_edit", args=[kept.pk]),
    ]:
        assert client.get(url).status_code == expected
    assert client.post(reverse("complaints:template_retire", args=[kept.pk])).status_code == (
        expected
    )
    assert ResponseTemplate.objects.get().is_active


def test_the_template_pages_read_right_to_left_in_urdu(client, world):
    template(world)
    client.force_login(world.officers.focal)
    client.cookies["django_language"] = "ur"
    page = client.get(reverse("complaints:template_new")).content.decode()
    assert 'dir="rtl"' in page
    assert 'lang="ur"' in page
