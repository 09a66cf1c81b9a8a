"""What the server stored for a capture, read from its database and evidence store."""

import io
import uuid

from PIL import Image


def stored_capture(app, capture_id):
    """{"capture": {…columns…}, "artifacts": {name: {kind, media_type, size, sha256, data,
    verified}}} for a capture id, or None when the server has no such capture."""
    from sipansos.services.captures import find_capture
    from sipansos.storage import get_store

    with app.app_context():
        capture = find_capture(uuid.UUID(capture_id))
        if capture is None:
            return None
        store = get_store()
        artifacts = {}
        for artifact in capture.artifacts:
            with store.open(artifact.sha256) as reader:
                data = reader.read()
            artifacts[artifact.name] = {
                "kind": artifact.kind,
                "media_type": artifact.media_type,
                "size": artifact.size,
                "sha256": artifact.sha256,
                "data": data,
                "verified": store.verify(artifact.sha256),
            }
        row = {
            column: getattr(capture, column)
            for column in (
                "url",
                "title",
                "platform",
                "category",
                "note",
                "client_info",
                "client_captured_at",
                "post_author_name",
                "post_author_handle",
                "post_author_url",
                "post_id",
                "post_posted_at",
                "post_text",
                "post_permalink",
                "manifest_sha256",
            )
        }
        return {"capture": row, "artifacts": artifacts}


def count_captures(app, capture_ids=None):
    from sqlalchemy import func, select

    from sipansos.extensions import db
    from sipansos.models import Capture

    with app.app_context():
        query = select(func.count(Capture.id))
        if capture_ids is not None:
            query = query.where(Capture.capture_uuid.in_([uuid.UUID(c) for c in capture_ids]))
        return db.session.scalar(query)


def image(data):
    return Image.open(io.BytesIO(data)).convert("RGB")


def full_page_tiles(stored):
    """The full-page screenshot tiles in order, as images."""
    names = sorted(n for n, a in stored["artifacts"].items() if a["kind"] == "screenshot_full")
    return [image(stored["artifacts"][name]["data"]) for name in names]


def stitched(tiles):
    """The tiles one below the other (for pixel checks)."""
    width = tiles[0].width
    whole = Image.new("RGB", (width, sum(tile.height for tile in tiles)))
    top = 0
    for tile in tiles:
        whole.paste(tile, (0, top))
        top += tile.height
    return whole


def close_to(color, expected, tolerance=12):
    return all(abs(a - b) <= tolerance for a, b in zip(color, expected, strict=True))
