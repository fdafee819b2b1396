"""The database itself refuses to change the audit log (the approach of
complaints/migrations/0003_event_immutability.py).

The ORM already refuses (AuditRecord.save on an existing row, AuditRecord.delete,
AuditRecordQuerySet.update and .delete); these triggers refuse whatever the client, so that
raw SQL, a shell or another program cannot quietly rewrite who did what.

- PostgreSQL: a row trigger refuses UPDATE and DELETE. TRUNCATE is left alone because the test
  suite's flush uses it, and only the table's owner (or a superuser) may truncate: production
  runs the portal as a role that owns nothing (docs/operators.md).
- SQLite: a trigger refuses UPDATE only. The test suite's flush empties tables with
  DELETE FROM, so refusing DELETE would break every transactional test.

SQLite drops a table's triggers when Django rebuilds the table (any later migration that alters
audit_auditrecord there): such a migration must create the trigger again. The test
test_the_database_refuses_to_update_a_record fails if it does not.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TRIGGER = "audit_auditrecord_append_only"

POSTGRESQL_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit records are append-only: % refused', TG_OP
            USING HINT = 'The audit log is never changed; append a record.';
    END;
    $$
    """,
    f"""
    CREATE TRIGGER {TRIGGER}
    BEFORE UPDATE OR DELETE ON audit_auditrecord
    FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()
    """,
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON audit_auditrecord",
    f"DROP FUNCTION IF EXISTS {TRIGGER}()",
]
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER {TRIGGER}
    BEFORE UPDATE ON audit_auditrecord
    BEGIN
        SELECT RAISE(ABORT, 'audit records are append-only');
    END
    """,
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS {TRIGGER}"]


def _run(
    schema_editor: BaseDatabaseSchemaEditor, statements_by_vendor: dict[str, list[str]]
) -> None:
    for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
        # params=None: the SQL is sent as it is, "%" and all, never formatted.
        schema_editor.execute(sql, params=None)


def forward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, {"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD})


def reverse(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE})


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, reverse),
    ]
