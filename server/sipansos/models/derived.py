"""Helpers of the flush hooks that keep derived columns of cases up to date
(``case_search``, ``case_facets``)."""

from sqlalchemy import inspect, select

from .case import Case, case_terlapor

_BATCH = 500


def changed(obj, names):
    """Whether this flush changes any of the attributes ``names`` of ``obj``."""
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def refresh_touched(session, refresh, case_ids, terlapor_ids):
    """Run ``refresh(connection, ids)`` for ``case_ids`` and the cases of ``terlapor_ids``,
    leaving out the cases this flush deletes."""
    if not (case_ids or terlapor_ids):
        return
    connection = session.connection()
    case_ids = case_ids | cases_of_terlapor(connection, terlapor_ids)
    case_ids -= {obj.id for obj in session.deleted if isinstance(obj, Case)}
    case_ids.discard(None)
    if case_ids:
        refresh(connection, case_ids)


def cases_of_terlapor(connection, terlapor_ids):
    """The ids of the cases the terlapor ``terlapor_ids`` are in."""
    if not terlapor_ids:
        return set()
    return set(
        connection.scalars(
            select(case_terlapor.c.case_id).where(case_terlapor.c.terlapor_id.in_(terlapor_ids))
        )
    )


def update_in_batches(connection, statement, id_column, ids=None):
    """Run the UPDATE ``statement`` for the rows whose ``id_column`` is in ``ids`` (every row
    when None), a batch at a time: an IN list of thousands of ids is slow to plan."""
    if ids is None:
        connection.execute(statement)
        return
    ids = sorted(ids)
    for start in range(0, len(ids), _BATCH):
        connection.execute(statement.where(id_column.in_(ids[start : start + _BATCH])))
