import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import select, text, update

from sipansos.extensions import db
from sipansos.models import AuditEvent
from sipansos.services import audit
from tests.conftest import as_database_owner


@pytest.fixture
def chain(app):
    with app.app_context():
        for index in range(5):
            audit.record("test_event", actor_username="tester", details={"n": index, "ü": "ß"})
        db.session.commit()
        yield
        db.session.rollback()


def test_intact_chain_verifies(app, chain):
    report = audit.verify_chain()
    assert report.ok and report.checked == 5 and report.problems == []
    last = db.session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()))
    assert report.head_hash == last.hash


def test_each_event_links_to_the_previous(app, chain):
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert events[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]


def _tamper(statement, params=None):
    db.session.rollback()  # end the session's read transaction so SQLite lets the owner write
    with as_database_owner() as conn:
        conn.execute(statement, params or {})


def test_the_application_cannot_change_or_delete_events(app, chain):
    for statement in (
        update(AuditEvent).where(AuditEvent.seq == 3).values(actor_username="x"),
        text("DELETE FROM audit_events WHERE seq = 5"),
    ):
        with pytest.raises(sa_exc.DatabaseError, match="append-only"):
            db.session.execute(statement)
            db.session.flush()
        db.session.rollback()
    assert audit.verify_chain().ok


def test_editing_a_row_is_detected(app, chain):
    _tamper(update(AuditEvent).where(AuditEvent.seq == 3).values(actor_username="x"))
    report = audit.verify_chain()
    assert not report.ok
    assert any("seq 3" in p and "altered" in p for p in report.problems)


def test_editing_details_json_is_detected(app, chain):
    _tamper(text("UPDATE audit_events SET details = :d WHERE seq = 2"), {"d": '{"n": 99}'})
    assert not audit.verify_chain().ok


def test_rehashing_an_edited_row_breaks_the_next_link(app, chain):
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.seq == 2))
    event.details = {"n": "forged"}
    forged_hash = audit.event_digest(event)
    db.session.rollback()
    _tamper(
        update(AuditEvent)
        .where(AuditEvent.seq == 2)
        .values(details={"n": "forged"}, hash=forged_hash)
    )
    report = audit.verify_chain()
    assert any("seq 3" in p and "link" in p for p in report.problems)


def test_deleting_a_row_is_detected(app, chain):
    _tamper(text("DELETE FROM audit_events WHERE seq = 4"))
    report = audit.verify_chain()
    assert not report.ok
    assert any("missing" in p for p in report.problems)


def test_deleting_the_first_row_is_detected(app, chain):
    _tamper(text("DELETE FROM audit_events WHERE seq = 1"))
    assert not audit.verify_chain().ok


def test_cli_verify_exit_status(app, chain):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 0 and "5 events" in result.output
    _tamper(update(AuditEvent).where(AuditEvent.seq == 1).values(action="edited"))
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 1 and "altered" in result.output


def test_admin_page_verifies_and_lists(app, client, login_as, chain):
    from tests.conftest import post_form

    login_as("admin")
    html = client.get("/admin/audit?action=test_event").get_data(as_text=True)
    assert html.count(">test_event</code>") == 5
    html = post_form(client, "/admin/audit/verify", token_page="/admin/audit").get_data(
        as_text=True
    )
    assert "utuh" in html
    _tamper(update(AuditEvent).where(AuditEvent.seq == 2).values(ip_address="1.2.3.4"))
    html = post_form(client, "/admin/audit/verify", token_page="/admin/audit").get_data(
        as_text=True
    )
    assert "telah diubah" in html
