"""The database itself refuses to change a complaint's timeline.

The ORM already refuses (Event.save on an existing row, Event.delete, EventQuerySet.update and
.delete); these triggers refuse whatever the client, so that raw SQL, a shell or another
program has to go around the database's own rules to rewrite history. What still gets around
them (a superuser or the table's owner disabling the trigger) breaks the hash chain, which
`manage.py verify_timelines` and the admin report.

- PostgreSQL: a row trigger refuses UPDATE and DELETE. TRUNCATE is left alone because the test
  suite's flush uses it, and only the table's owner (or a superuser) may truncate: production
  runs the portal as a role that owns nothing (docs/operators.md, "Timeline integrity").
- SQLite: a trigger refuses UPDATE only. The test suite's flush empties tables with
  DELETE FROM, so refusing DELETE would break every transactional test; the hash chain and the
  complaint's head (event_count, head_hash) still expose a deleted event.

SQLite drops a table's triggers when Django rebuilds the table (any later migration that alters
complaints_event there): such a migration must create the trigger again. The test
test_the_database_refuses_to_update_an_event fails if it does not.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TRIGGER = "complaints_event_append_only"

POSTGRESQL_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'complaint events are append-only: % refused', TG_OP
            USING HINT = 'The timeline of a complaint is never changed; append an event.';
    END;
    $$
    """,
    f"""
    CREATE TRIGGER {TRIGGER}
    BEFORE UPDATE OR DELETE ON complaints_event
    FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()
    """,
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON complaints_event",
    f"DROP FUNCTION IF EXISTS {TRIGGER}()",
]
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER {TRIGGER}
    BEFORE UPDATE ON complaints_event
    BEGIN
        SELECT RAISE(ABORT, 'complaint events are append-only');
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
        ("complaints", "0002_lifecycle"),
    ]

    operations = [
        migrations.RunPython(forward, reverse),
    ]
