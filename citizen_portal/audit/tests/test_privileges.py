"""Changes to what an account may do and to who holds which post are recorded, with the
administrator who made them: through the admin's own forms and actions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from citizen_portal.accounts.models import Role
from citizen_portal.audit.models import AuditAction
from citizen_portal.audit.tests.conftest import records
from citizen_portal.directory.models import PositionHolding
from citizen_portal.directory.tests.factories import StaffFactory


def _administrator(client: Any) -> Any:
    admin = StaffFactory(username="root", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(admin)
    return admin


def _change_form_data(client: Any, url: str, **changes: Any) -> dict[str, Any]:
    """The admin change form as the browser would send it back, with `changes` made."""
    form = client.get(url).context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        widget = form[name].field.widget
        if hasattr(widget, "widgets"):  # a date and a time in two boxes
            for index, part in enumerate(widget.decompress(value)):
                data[f"{name}_{index}"] = "" if part is None else part
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def test_an_administrator_giving_a_group_and_a_role_is_recorded(client, world):
    admin = _administrator(client)
    officer = world.officers.se
    reviewers = Group.objects.create(name="Reviewers")
    url = reverse("admin:accounts_user_change", args=[officer.pk])
    data = _change_form_data(client, url, groups=[reviewers.pk], role=Role.FOCAL_PERSON)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    [groups] = records(AuditAction.GROUPS_CHANGED)
    assert (groups.actor, groups.target_id) == (admin, str(officer.pk))
    assert groups.details["groups"] == [reviewers.pk]
    assert groups.details["operation"] == "add"
    [role] = records(AuditAction.PRIVILEGES_CHANGED, actor=admin)
    assert role.actor == admin
    assert role.details["changes"] == {"role": [Role.OFFICER, Role.FOCAL_PERSON]}


def test_blocking_an_account_is_recorded_with_its_reason_and_administrator(client, world):
    admin = _administrator(client)
    officer = world.officers.se
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "block_accounts", "_selected_action": [officer.pk], "reason": "Left service"},
    )
    # The service switches the account off in one UPDATE; its AccountEvent is the record.
    [event] = records(AuditAction.ACCOUNT_EVENT)
    assert (event.actor, event.details) == (admin, {"event": "blocked", "reason": "Left service"})


def test_a_login_alone_changes_no_privilege_and_costs_no_record_of_one(client, world):
    before = len(records(AuditAction.PRIVILEGES_CHANGED))  # the world's accounts, as created
    client.force_login(world.officers.se)
    assert len(records(AuditAction.LOGIN)) == 1
    assert len(records(AuditAction.PRIVILEGES_CHANGED)) == before


def test_handing_a_post_to_another_officer_is_recorded(client, world):
    admin = _administrator(client)
    holding = PositionHolding.objects.get(user=world.officers.se, ended_at__isnull=True)
    url = reverse("admin:directory_positionholding_change", args=[holding.pk])
    ended = timezone.localtime().replace(microsecond=0)
    data = _change_form_data(
        client, url, ended_at_0=ended.date().isoformat(), ended_at_1=ended.time().isoformat()
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    [change] = records(AuditAction.DIRECTORY_CHANGED, actor=admin)
    assert change.target_type == "directory.positionholding"
    assert change.details["operation"] == "changed"
    assert change.details["user"] == world.officers.se.pk
    assert change.details["ended_at"] is not None


def test_a_routing_rule_deleted_in_the_admin_is_recorded(client, world):
    admin = _administrator(client)
    rule = world.officers.se.holdings.first().position.routing_rules.first()
    if rule is None:  # the world routes through a position the SE does not hold
        from citizen_portal.directory.models import RoutingRule

        rule = RoutingRule.objects.first()
    url = reverse("admin:directory_routingrule_delete", args=[rule.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    [deleted] = records(AuditAction.DIRECTORY_CHANGED, actor=admin)
    assert (deleted.target_id, deleted.details["operation"]) == (str(rule.pk), "deleted")


def test_a_directory_import_that_moves_officers_is_recorded_once_with_its_counts(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from citizen_portal.directory.tests.test_bulk_import import FOCAL, OFFICER, csv_file, officer

    admin = _administrator(client)
    content = csv_file(OFFICER, officer("lesco.se", positions=FOCAL), officer("lesco.focal"))
    upload = SimpleUploadedFile("officers.csv", content, content_type="text/csv")
    response = client.post(
        reverse("directory:bulk_import", args=["officers"]), {"officers-file": upload}
    )
    assert response.status_code == 200
    [applied] = records(AuditAction.DIRECTORY_CHANGED, actor=admin)
    assert (applied.actor_label, applied.target_label) == ("root", "officers")
    assert applied.details["operation"] == "bulk_import"
    assert (applied.details["holdings_ended"], applied.details["holdings_started"]) == (2, 1)
