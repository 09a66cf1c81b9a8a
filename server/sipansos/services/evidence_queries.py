"""Finding captures for the evidence pages: filters, grouping into posts, versions.

Captures of the same post share a ``post_key``; the list shows the newest matching capture of
each post and how many versions of that post are stored.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import Capture, CaseEvidence, User

# Dates typed into the filters are calendar days in Jakarta (WIB), as shown on every page.
LOCAL_ZONE = ZoneInfo("Asia/Jakarta")
PER_PAGE = 25
_LIKE_ESCAPE = "\\"


@dataclass(frozen=True)
class EvidenceFilters:
    """What the evidence list is narrowed to; every field is optional."""

    platform: str | None = None
    uploader_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str | None = None
    include_withdrawn: bool = False
    # True: only captures used as evidence in at least one case; False: only those in none.
    in_case: bool | None = None


def local_day_start(day, zone=LOCAL_ZONE):
    """The UTC instant at which ``day`` begins in ``zone``."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def _like_pattern(text):
    escaped = text.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(filters):
    conditions = []
    if not filters.include_withdrawn:
        conditions.append(Capture.withdrawn_at.is_(None))
    if filters.platform:
        conditions.append(Capture.platform == filters.platform)
    if filters.uploader_id:
        conditions.append(Capture.uploader_id == filters.uploader_id)
    if filters.date_from:
        conditions.append(Capture.received_at >= local_day_start(filters.date_from))
    if filters.date_to:
        # The whole "to" day is included: stop at the start of the next day.
        conditions.append(Capture.received_at < local_day_start(filters.date_to + timedelta(1)))
    if filters.in_case is not None:
        linked = select(CaseEvidence.id).where(CaseEvidence.capture_id == Capture.id).exists()
        conditions.append(linked if filters.in_case else ~linked)
    text = (filters.text or "").strip()
    if text:
        # ILIKE on PostgreSQL, lower() LIKE lower() on SQLite.
        pattern = _like_pattern(text)
        conditions.append(
            or_(
                *(
                    column.ilike(pattern, escape=_LIKE_ESCAPE)
                    for column in (
                        Capture.url,
                        Capture.title,
                        Capture.post_author_name,
                        Capture.post_author_handle,
                        Capture.post_text,
                    )
                )
            )
        )
    return conditions


def search_posts(filters, *, page=1, per_page=PER_PAGE):
    """One page of posts: the newest capture matching ``filters`` for each ``post_key``.

    Returns a Flask-SQLAlchemy pagination of ``Capture`` rows, newest first.
    """
    newest_first = (Capture.received_at.desc(), Capture.id.desc())
    ranked = (
        select(
            Capture.id.label("id"),
            func.row_number()
            .over(partition_by=Capture.post_key, order_by=newest_first)
            .label("rank"),
        )
        .where(*_conditions(filters))
        .subquery()
    )
    statement = (
        select(Capture)
        .join(ranked, ranked.c.id == Capture.id)
        .where(ranked.c.rank == 1)
        .options(joinedload(Capture.uploader))
        .order_by(*newest_first)
    )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def version_counts(post_keys, *, include_withdrawn=False):
    """How many captures are stored for each of ``post_keys`` (a dict; missing keys mean 0)."""
    if not post_keys:
        return {}
    statement = (
        select(Capture.post_key, func.count(Capture.id))
        .where(Capture.post_key.in_(set(post_keys)))
        .group_by(Capture.post_key)
    )
    if not include_withdrawn:
        statement = statement.where(Capture.withdrawn_at.is_(None))
    return dict(db.session.execute(statement).all())


def versions_of(capture):
    """Every capture of the same post as ``capture``, withdrawn ones included, newest first."""
    return db.session.scalars(
        select(Capture)
        .where(Capture.post_key == capture.post_key)
        .options(joinedload(Capture.uploader))
        .order_by(Capture.received_at.desc(), Capture.id.desc())
    ).all()


def uploaders():
    """Users who have uploaded at least one capture, by username (for the operator filter)."""
    has_capture = select(Capture.id).where(Capture.uploader_id == User.id).exists()
    return db.session.scalars(select(User).where(has_capture).order_by(User.username)).all()


def get_capture(capture_uuid):
    """The capture with this UUID and its artifacts and people loaded, or None."""
    return db.session.scalar(
        select(Capture)
        .where(Capture.capture_uuid == capture_uuid)
        .options(
            selectinload(Capture.artifacts),
            joinedload(Capture.uploader),
            joinedload(Capture.withdrawn_by),
        )
    )


def find_artifact(capture, name):
    """The artifact of ``capture`` called ``name``, or None."""
    return next((a for a in capture.artifacts if a.name == name), None)


def first_artifact(capture, *kinds, media_prefix=None):
    """The first artifact (in capture order) of the earliest-listed kind present, or None."""
    for kind in kinds:
        for artifact in capture.artifacts:
            if artifact.kind == kind and (
                media_prefix is None or artifact.media_type.startswith(media_prefix)
            ):
                return artifact
    return None


def iter_posts(filters, batch_size=500):
    """Every row of the evidence list for ``filters`` (the newest matching capture of each
    post), in batches by ascending id (keyset), for exports, which take every row."""
    ranked = (
        select(
            Capture.id.label("id"),
            func.row_number()
            .over(
                partition_by=Capture.post_key,
                order_by=(Capture.received_at.desc(), Capture.id.desc()),
            )
            .label("rank"),
        )
        .where(*_conditions(filters))
        .subquery()
    )
    last_id = 0
    while True:
        batch = db.session.scalars(
            select(Capture)
            .join(ranked, ranked.c.id == Capture.id)
            .where(ranked.c.rank == 1, Capture.id > last_id)
            .options(joinedload(Capture.uploader))
            .order_by(Capture.id)
            .limit(batch_size)
        ).all()
        if not batch:
            return
        yield batch
        last_id = batch[-1].id
