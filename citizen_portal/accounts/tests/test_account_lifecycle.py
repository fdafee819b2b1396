"""A citizen downloads their data or closes their account; an administrator blocks one."""

import json

import pytest
from django.urls import reverse

from citizen_portal.accounts.models import AccountEvent, Role
from citizen_portal.accounts.tests.test_personal_data import _register
from citizen_portal.complaints.services.officer_actions import (
    complaint_mark_down,
    complaint_return_up,
)
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.directory.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_citizen_downloads_everything_held_about_them(client, world, sms_outbox):
    user = _register(world)
    complaint = lodge(world, citizen=user)
    client.force_login(user)
    response = client.get(reverse("accounts:me_export"))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["phone"] == user.phone
    assert data["identity"]["document_number"] == "35202-1234567-1"
    [exported] = data["complaints"]
    assert exported["reference"] == complaint.reference
    assert [e["action"] for e in exported["timeline"]] == ["lodge", "auto_route"]
    assert AccountEvent.objects.filter(user=user, action="exported").exists()


def test_the_download_leaves_out_what_officers_wrote_to_one_another(client, world):
    complaint = lodge(world)
    complaint_return_up(complaint=complaint, officer=world.officers.se, remark="For the CEO.")
    complaint_mark_down(
        complaint=complaint,
        officer=world.officers.ceo,
        to=world.positions.se,
        instructions="Re-read meter 12345 in person.",
    )
    client.force_login(world.citizen)
    data = json.loads(client.get(reverse("accounts:me_export")).content)
    [exported] = data["complaints"]
    returned, marked_down = exported["timeline"][-2:]
    assert (returned["action"], returned["details"]) == ("return_up", {"remark": "For the CEO."})
    assert (marked_down["action"], marked_down["details"]) == ("mark_down", {})
    assert "Re-read meter" not in json.dumps(data)


def test_closing_an_account_logs_out_and_frees_the_document(client, world, sms_outbox):
    user = _register(world)
    client.cookies["portal_language"] = "en"  # this browser chose English; the account says Urdu
    client.force_login(user)
    wrong = client.post(reverse("accounts:me"), {"password": "not-my-password"})
    assert "That password is not right." in wrong.content.decode()
    response = client.post(reverse("accounts:me"), {"password": "kinnow-orchard-42"})
    assert response["Location"] == reverse("core:home")
    assert client.get(reverse("complaints:mine")).status_code == 302  # logged out
    user.refresh_from_db()
    assert not user.is_active
    # The same person may register again, with the same number and the same CNIC.
    again = _register(world)
    assert again.pk != user.pk


def test_an_administrator_blocks_an_abusive_account_with_a_reason(client, world, sms_outbox):
    user = _register(world)
    citizen = client.__class__()
    citizen.force_login(user)
    admin = StaffFactory(username="root", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(admin)
    changelist = reverse("admin:accounts_user_changelist")
    no_reason = client.post(
        changelist, {"action": "block_accounts", "_selected_action": [user.pk], "reason": ""},
        follow=True,
    )  # fmt: skip
    assert "Give the reason" in no_reason.content.decode()
    user.refresh_from_db()
    assert user.is_active
    reason = "Abusive language in 40 complaints"
    client.post(
        changelist, {"action": "block_accounts", "_selected_action": [user.pk], "reason": reason}
    )
    user.refresh_from_db()
    assert user.is_blocked  # a citizen keeps the account, to read their complaints
    event = AccountEvent.objects.get(user=user, action="blocked")
    assert (event.actor, event.reason) == (admin, reason)
    # The blocked citizen's open session no longer works, and the document stays taken.
    assert citizen.get(reverse("complaints:mine")).status_code == 302
    with pytest.raises(Exception, match="identity document"):
        _register(world, phone="+923211234567")


def test_only_a_citizen_has_this_page(client, world):
    client.force_login(world.officers.se)
    assert client.get(reverse("accounts:me")).status_code == 403
    assert client.get(reverse("accounts:me_export")).status_code == 403


def test_changing_the_number_needs_codes_from_both_numbers(client, world, sms_outbox, settings):
    settings.OTP_RESEND_INTERVAL_SECONDS = 0
    user = _register(world)
    client.cookies["portal_language"] = "en"  # this browser chose English; the account says Urdu
    client.force_login(user)
    response = client.post(
        reverse("accounts:me_phone"), {"phone": "+44 7911 123456", "password": "kinnow-orchard-42"}
    )
    assert response["Location"] == reverse("accounts:me_phone_verify")
    old_code = sms_outbox.last_code(user.phone)
    new_code = sms_outbox.last_code("+447911123456")
    typo = f"{(int(new_code) + 1) % 10**6:06d}"
    response = client.post(
        reverse("accounts:me_phone_verify"), {"old_code": old_code, "new_code": typo}
    )
    assert "not right" in response.content.decode()
    user.refresh_from_db()
    assert user.phone == "+923001239999"  # nothing changed yet
    response = client.post(
        reverse("accounts:me_phone_verify"), {"old_code": old_code, "new_code": new_code}
    )
    assert response["Location"] == reverse("accounts:me")
    user.refresh_from_db()
    assert (user.phone, user.username) == ("+447911123456", "+447911123456")
    assert AccountEvent.objects.filter(user=user, action="phone_changed").exists()


def test_changing_the_number_needs_the_password(client, world, sms_outbox):
    user = _register(world)
    client.cookies["portal_language"] = "en"  # this browser chose English; the account says Urdu
    client.force_login(user)
    response = client.post(
        reverse("accounts:me_phone"), {"phone": "+44 7911 123456", "password": "guess"}
    )
    assert "That password is not right." in response.content.decode()
    assert not any(m["to"] == "+447911123456" for m in sms_outbox.messages())


def test_an_administrator_unblocks_and_resets_a_staff_app(client, world):
    from citizen_portal.accounts.models import StaffTotp
    from citizen_portal.accounts.tests.two_factor import enable_totp

    admin = StaffFactory(username="root", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    officer = world.officers.se
    enable_totp(officer)
    client.force_login(admin)
    changelist = reverse("admin:accounts_user_changelist")
    client.post(changelist, {"action": "reset_authenticator", "_selected_action": [officer.pk]})
    assert not StaffTotp.objects.filter(user=officer).exists()
    client.post(
        changelist,
        {
            "action": "block_accounts",
            "_selected_action": [officer.pk],
            "reason": "Left the service",
        },
    )
    client.post(
        changelist,
        {"action": "unblock_accounts", "_selected_action": [officer.pk], "reason": "Rejoined"},
    )
    officer.refresh_from_db()
    assert officer.is_active
    assert AccountEvent.objects.filter(user=officer, action="unblocked", actor=admin).exists()
