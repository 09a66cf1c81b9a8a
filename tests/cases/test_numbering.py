"""Register numbers: configurable format, per-year sequence, assigned at registration, unique."""

import threading
from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from sipansos.extensions import db
from sipansos.models import Case, CaseState, User
from sipansos.services import cases
from sipansos.services.case_states import TransitionRefused
from tests.cases.flow import walk


@pytest.fixture
def region(app, monkeypatch):
    monkeypatch.setitem(app.config, "CASE_REGION_CODE", "16.12")


def _finding(make_case, koordinator):
    return walk(make_case(), koordinator, CaseState.TEMUAN.value)


def test_number_follows_the_register_format(make_case, users, region):
    koordinator = users["koordinator"]
    first, second = (_finding(make_case, koordinator) for _ in range(2))
    cases.register_case(first, koordinator, registered_date=date(2020, 10, 5))
    cases.register_case(second, koordinator, registered_date=date(2020, 10, 30))
    assert first.number == "001/PL/PB/Kab/16.12/X/2020"
    assert second.number == "002/PL/PB/Kab/16.12/X/2020"
    assert (second.number_year, second.number_seq) == (2020, 2)
    assert second.registered_date == date(2020, 10, 30)
    assert second.events[-1].details["number"] == second.number


def test_sequence_starts_again_each_year(make_case, users, region):
    koordinator = users["koordinator"]
    for day in (date(2025, 12, 31), date(2025, 12, 31), date(2026, 1, 1)):
        cases.register_case(_finding(make_case, koordinator), koordinator, registered_date=day)
    numbers = db.session.scalars(db.select(Case.number).order_by(Case.id)).all()
    assert numbers == [
        "001/PL/PB/Kab/16.12/XII/2025",
        "002/PL/PB/Kab/16.12/XII/2025",
        "001/PL/PB/Kab/16.12/I/2026",
    ]


def test_number_is_given_at_registration_not_before(make_case, users):
    koordinator = users["koordinator"]
    case = make_case()
    assert case.number is None
    with pytest.raises(TransitionRefused):
        cases.register_case(case, koordinator)  # a draft cannot be registered
    db.session.rollback()
    walk(case, koordinator, CaseState.TEMUAN.value)
    assert case.number is None
    cases.register_case(case, koordinator, registered_date=date(2026, 11, 25))
    assert case.number == "001/PL/PB/Kab/00.00/XI/2026"  # the refused attempt used no number


def test_format_is_configurable(app, make_case, users, monkeypatch):
    koordinator = users["koordinator"]
    monkeypatch.setitem(app.config, "CASE_NUMBER_FORMAT", "{seq:04d}/Reg/LP/{month:02d}.{year}")
    case = _finding(make_case, koordinator)
    cases.register_case(case, koordinator, registered_date=date(2026, 3, 9))
    assert case.number == "0001/Reg/LP/03.2026"

    monkeypatch.setitem(app.config, "CASE_NUMBER_FORMAT", "{seq}/{kabupaten}")
    broken = _finding(make_case, koordinator)
    with pytest.raises(cases.CaseError, match="kabupaten"):
        cases.register_case(broken, koordinator)
    db.session.rollback()
    assert broken.state == CaseState.TEMUAN and broken.number is None


def test_the_database_refuses_a_number_twice(make_case, users):
    koordinator = users["koordinator"]
    first, second = (_finding(make_case, koordinator) for _ in range(2))
    cases.register_case(first, koordinator, registered_date=date(2026, 11, 25))
    second.number_year, second.number_seq, second.number = 2026, 1, "other"
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    second.number_year, second.number_seq, second.number = 2026, 2, first.number
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_simultaneous_registrations_get_different_numbers(app, make_case, users):
    koordinator = users["koordinator"]
    ids = [_finding(make_case, koordinator).id for _ in range(4)]
    koordinator_id = koordinator.id
    db.session.remove()  # let the workers write (SQLite)
    barrier = threading.Barrier(len(ids))
    outcomes = []

    def register(case_id):
        with app.app_context():
            case = db.session.get(Case, case_id)
            actor = db.session.get(User, koordinator_id)
            barrier.wait()
            try:
                cases.register_case(case, actor, registered_date=date(2026, 11, 25))
                outcomes.append(case.number)
            except Exception as exc:  # noqa: BLE001 - the outcome is what is checked
                outcomes.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=register, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = [o for o in outcomes if isinstance(o, str)]
    assert len(numbers) == len(set(numbers))
    # PostgreSQL serialises numbering with an advisory lock; SQLite retries on the unique
    # constraint. Either way everyone gets a number, and no number twice.
    assert sorted(numbers) == [f"00{n}/PL/PB/Kab/00.00/XI/2026" for n in range(1, 5)], outcomes
