"""A record, once written, stays as it was: the ORM refuses to change or delete it, and so
does the database for raw SQL (a trigger, migrations/0002_append_only.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from citizen_portal.audit.models import AuditAction, AuditOutcome, AuditRecord
from citizen_portal.audit.services.records import record

pytestmark = pytest.mark.django_db


def _one() -> AuditRecord:
    return record(AuditAction.LOGIN_FAILED, outcome=AuditOutcome.FAILURE, actor_label="ali")


def test_the_orm_refuses_to_change_or_delete_a_record() -> None:
    entry = _one()
    entry.actor_label = "someone-else"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        AuditRecord.objects.filter(pk=entry.pk).update(actor_label="someone-else")
    with pytest.raises(ValidationError):
        AuditRecord.objects.all().delete()
    assert AuditRecord.objects.get(pk=entry.pk).actor_label == "ali"


def test_the_database_refuses_to_update_a_record() -> None:
    entry = _one()
    update = "UPDATE audit_auditrecord SET actor_label = %s WHERE id = %s"
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(update, ["x", entry.pk])
    assert AuditRecord.objects.get(pk=entry.pk).actor_label == "ali"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's flush needs DELETE")
def test_the_database_refuses_to_delete_a_record() -> None:
    entry = _one()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditrecord WHERE id = %s", [entry.pk])
    assert AuditRecord.objects.filter(pk=entry.pk).exists()
