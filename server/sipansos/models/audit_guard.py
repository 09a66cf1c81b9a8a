"""Database triggers that make ``audit_events`` append-only.

The hash chain proves an edit happened; these triggers stop the application's own database
account from making one. A database owner can still drop them, which is why the chain exists.
SQLite loses triggers when a batch migration rebuilds the table: a migration that alters
``audit_events`` must call ``install`` again afterwards.
"""

_MESSAGE = "audit_events is append-only"

_DDL = {
    "postgresql": {
        "install": [
            f"""CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
                LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{_MESSAGE}'; END $$""",
            """CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
                FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
            """CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
                FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()""",
        ],
        "remove": [
            "DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events",
            "DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events",
            "DROP FUNCTION IF EXISTS audit_events_append_only()",
        ],
    },
    "sqlite": {
        "install": [
            f"""CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
                BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END""",
            f"""CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
                BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END""",
        ],
        "remove": [
            "DROP TRIGGER IF EXISTS audit_events_no_update",
            "DROP TRIGGER IF EXISTS audit_events_no_delete",
        ],
    },
}


def _statements(dialect_name, which):
    if dialect_name not in _DDL:
        raise NotImplementedError(f"no append-only guard for {dialect_name}")
    return _DDL[dialect_name][which]


def install(execute, dialect_name):
    """Create the triggers; ``execute`` runs one SQL string (e.g. ``op.execute``)."""
    for statement in _statements(dialect_name, "install"):
        execute(statement)


def remove(execute, dialect_name):
    """Drop the triggers (for a downgrade, or maintenance by the database owner)."""
    for statement in _statements(dialect_name, "remove"):
        execute(statement)
