"""The search document of a case: its own text, its terlapor and its captures' post text.

The case list searches one column, ``cases.search_document``, instead of joining four tables at
query time: a word that is common in post text would otherwise make every search read a large
share of the captures. The document is derived data, rebuilt after every ORM flush that changes
what it is made of (the case's text, its terlapor or evidence links, a terlapor's name, NIP or
accounts). Captures are immutable, so their text never changes under a case. Writers that bypass
the ORM (bulk loads) call ``refresh`` themselves.

PostgreSQL stores a ``tsvector`` with the 'simple' configuration (no stemming, no stop words):
posts mix Indonesian, regional languages, slang, English, names, handles and numbers, which a
stemmer would conflate; users search for the exact words they saw. SQLite stores the plain text.
"""

from itertools import chain

from sqlalchemy import event, func, literal, literal_column, select
from sqlalchemy.orm import Session

from .case import Case, CaseEvidence, Terlapor, TerlaporAccount, case_terlapor
from .derived import changed, refresh_touched, update_in_batches
from .evidence import Capture

# Each capture contributes at most this much text, and a document at most MAX_DOCUMENT: a
# PostgreSQL tsvector cannot exceed 1 MB, and a post longer than this is rare.
MAX_CAPTURE_TEXT = 20_000
MAX_DOCUMENT = 200_000
TS_CONFIG = literal_column("'simple'::regconfig")
_CASE_TEXT = ("number", "title", "summary", "kajian_notes", "terlapor", "evidence")
_TERLAPOR_TEXT = ("name", "nip")


def _joined(*parts):
    """``part || ' ' || part …`` with NULLs as empty strings (``||`` is NULL-strict)."""
    expression = func.coalesce(parts[0], "")
    for part in parts[1:]:
        expression = expression + literal(" ") + func.coalesce(part, "")
    return expression


def document_expression(dialect_name):
    """The SQL expression of a case's search document, correlated to the ``cases`` row."""
    cases = Case.__table__
    terlapor = Terlapor.__table__
    accounts = TerlaporAccount.__table__
    captures = Capture.__table__
    evidence = CaseEvidence.__table__
    names = (
        select(func.aggregate_strings(_joined(terlapor.c.name, terlapor.c.nip), " "))
        .select_from(case_terlapor.join(terlapor))
        .where(case_terlapor.c.case_id == cases.c.id)
        .scalar_subquery()
    )
    handles = (
        select(func.aggregate_strings(accounts.c.handle, " "))
        .select_from(
            case_terlapor.join(accounts, accounts.c.terlapor_id == case_terlapor.c.terlapor_id)
        )
        .where(case_terlapor.c.case_id == cases.c.id)
        .scalar_subquery()
    )
    post_text = _joined(
        captures.c.title,
        captures.c.post_author_name,
        captures.c.post_author_handle,
        captures.c.post_text,
    )
    posts = (
        select(func.aggregate_strings(func.substr(post_text, 1, MAX_CAPTURE_TEXT), " "))
        .select_from(evidence.join(captures))
        .where(evidence.c.case_id == cases.c.id)
        .scalar_subquery()
    )
    number = cases.c.number
    if dialect_name == "postgresql":
        # "002/PL/PB/…" would be one token to the parser; its parts are what people type.
        number = func.replace(number, "/", " ")
    document = func.substr(
        _joined(number, cases.c.title, cases.c.summary, cases.c.kajian_notes, names, handles,
                posts),
        1,
        MAX_DOCUMENT,
    )  # fmt: skip
    if dialect_name == "postgresql":
        return func.to_tsvector(TS_CONFIG, document)
    return document


def refresh(connection, case_ids=None):
    """Rebuild the search document of ``case_ids`` (every case when None)."""
    cases = Case.__table__
    statement = cases.update().values(
        search_document=document_expression(connection.dialect.name),
        # Derived data: rebuilding it is not an edit of the case.
        updated_at=cases.c.updated_at,
    )
    update_in_batches(connection, statement, cases.c.id, case_ids)


@event.listens_for(Session, "after_flush")
def _refresh_after_flush(session, flush_context):
    """Rebuild the documents of the cases this flush changed (same transaction)."""
    case_ids, terlapor_ids = set(), set()
    for obj in chain(session.new, session.dirty):
        if isinstance(obj, Case):
            if obj in session.new or changed(obj, _CASE_TEXT):
                case_ids.add(obj.id)
        elif isinstance(obj, CaseEvidence):
            case_ids.add(obj.case_id)
        elif isinstance(obj, Terlapor):
            if obj not in session.new and changed(obj, _TERLAPOR_TEXT):
                terlapor_ids.add(obj.id)
        elif isinstance(obj, TerlaporAccount):
            terlapor_ids.add(obj.terlapor_id)
    for obj in session.deleted:
        if isinstance(obj, CaseEvidence):
            case_ids.add(obj.case_id)
        elif isinstance(obj, TerlaporAccount):
            terlapor_ids.add(obj.terlapor_id)
    refresh_touched(session, refresh, case_ids, terlapor_ids)
