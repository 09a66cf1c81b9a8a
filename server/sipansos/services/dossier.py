"""The case dossier (Berkas Perkara) as a PDF, for people outside SIPANSOS to read and check.

Rendered by WeasyPrint from ``templates/exports/dossier.html`` and ``static/dossier.css`` with
the fonts under ``static/fonts`` (so the PDF looks the same on every server). Screenshots are
read from the evidence store, checked against their SHA-256 while read, and downscaled with
Pillow before they are embedded: a 20-megapixel screenshot must not go into the PDF whole.
"""

import base64
import io
import warnings
from dataclasses import dataclass
from tempfile import SpooledTemporaryFile

from flask import current_app, render_template
from flask_babel import force_locale, format_date
from PIL import Image, UnidentifiedImageError
from sqlalchemy import or_, select

from ..admin import TRANSITION_AUDIT_LABELS
from ..admin.forms import AUDIT_ACTION_LABELS
from ..cases.forms import DECISION_LABELS
from ..cases.timeline import describe_events
from ..evidence.forms import KIND_LABELS, PLATFORM_LABELS
from ..extensions import db
from ..models import AuditEvent, Case, SubjectStatus
from ..models.case import CASE_SOURCES
from ..storage import DigestMismatch, ObjectNotFound
from .evidence_queries import first_artifact
from .letters import KIND_LABELS as LETTER_KIND_LABELS
from .pdf import render_pdf

# Pixels across an embedded screenshot: sharp at about 170 dpi over the A4 text width.
IMAGE_WIDTH = 1100
# A taller screenshot shows its top part only (the first screen of a full page).
MAX_ASPECT = 1.4
SPOOL_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Picture:
    """A screenshot ready for the PDF, or the reason it cannot be shown."""

    artifact: object
    data_uri: str | None = None
    cropped: bool = False
    problem: str | None = None


@dataclass
class Dossier:
    """The rendered PDF (an open temporary file) and its page count."""

    file: object
    pages: int


def _downscale(stream):
    """JPEG bytes of the image, at most ``IMAGE_WIDTH`` wide; and whether its top was cut."""
    box = (IMAGE_WIDTH, int(IMAGE_WIDTH * MAX_ASPECT))
    with warnings.catch_warnings():
        # An image of absurd pixel count is refused instead of decoded.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(stream) as image:
            image.draft("RGB", box)  # JPEG decodes at a reduced size directly
            width, height = image.size
            cropped = height > width * MAX_ASPECT
            if cropped:
                image = image.crop((0, 0, width, int(width * MAX_ASPECT)))
            image.thumbnail(box)
            if image.mode in ("RGBA", "LA", "P"):
                image = image.convert("RGBA")
                background = Image.new("RGB", image.size, (255, 255, 255))
                background.paste(image, mask=image.getchannel("A"))
                image = background
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue(), cropped


def picture(store, artifact):
    """The artifact as an embeddable picture; problems are shown in the PDF, not hidden."""
    if artifact is None:
        return None
    try:
        with store.open(artifact.sha256) as reader, SpooledTemporaryFile(SPOOL_BYTES) as spool:
            for chunk in reader:  # the reader raises DigestMismatch after the last chunk
                spool.write(chunk)
            spool.seek(0)
            data, cropped = _downscale(spool)
    except DigestMismatch:
        return Picture(artifact, problem="Berkas di penyimpanan TIDAK cocok dengan SHA-256-nya.")
    except ObjectNotFound:
        return Picture(artifact, problem="Berkas tidak ditemukan di penyimpanan bukti.")
    except (
        UnidentifiedImageError,
        OSError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        return Picture(artifact, problem="Berkas gambar tidak dapat dibaca.")
    uri = "data:image/jpeg;base64," + base64.b64encode(data).decode()
    return Picture(artifact, data_uri=uri, cropped=cropped)


def _evidence_items(case, store):
    items = []
    for number, link in enumerate(case.evidence, start=1):
        capture = link.capture
        page = first_artifact(
            capture, "screenshot_full", "screenshot_viewport", media_prefix="image/"
        )
        post = first_artifact(capture, "post_screenshot", media_prefix="image/")
        items.append(
            {
                "number": number,
                "link": link,
                "capture": capture,
                "screenshot": picture(store, page),
                "post_screenshot": picture(store, post),
            }
        )
    return items


def audit_trail(case):
    """Audit events about the case, its evidence captures and its checklist items, in order."""
    targets = [("cases", [str(case.id)])]
    targets.append(("captures", [str(link.capture_id) for link in case.evidence]))
    targets.append(("case_checklist_items", [str(item.id) for item in case.checklist]))
    conditions = [
        (AuditEvent.target_type == kind) & AuditEvent.target_id.in_(ids)
        for kind, ids in targets
        if ids
    ]
    stmt = select(AuditEvent).where(or_(*conditions)).order_by(AuditEvent.seq)
    return db.session.scalars(stmt).all()


def _day(value):
    """A calendar date as Indonesian letters write it: 10 November 2026."""
    return format_date(value, "d MMMM yyyy") if value else "—"


def audit_label(action):
    """The name of an audit action, as the audit log page shows it."""
    return (AUDIT_ACTION_LABELS | TRANSITION_AUDIT_LABELS).get(action, action)


LABELS = {
    "source": CASE_SOURCES,
    "decision": DECISION_LABELS,
    "platform": PLATFORM_LABELS,
    "kind": KIND_LABELS,
    "letter_kind": LETTER_KIND_LABELS,
    "audit": audit_label,
    "subject_status": lambda code: SubjectStatus(code).label if code else "—",
}


def render_dossier(case: Case, *, store, generated_by, generated_at):
    """Render the dossier of ``case`` (loaded with ``cases.lookups.load_case``) to a PDF."""
    # The dossier is an Indonesian legal document whatever the reader's interface language.
    with force_locale("id"):
        html = render_template(
            "exports/dossier.html",
            case=case,
            events=list(reversed(describe_events(case.events))),
            evidence=_evidence_items(case, store),
            audit_events=audit_trail(case),
            recipients=[r for r in case.recipients if r.kind == "recipient"],
            copies=[r for r in case.recipients if r.kind == "copy"],
            labels=LABELS,
            day=_day,
            generated_by=generated_by,
            generated_at=generated_at,
            office_name=current_app.config.get("OFFICE_NAME"),
            region_code=current_app.config.get("CASE_REGION_CODE"),
        )
    pdf, pages = render_pdf(html)
    return Dossier(file=pdf, pages=pages)
