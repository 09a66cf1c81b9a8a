"""Letters (Surat): the templates an admin edits and the letters generated from them for a case.

A template's texts are small Jinja templates over plain values of the case (see
``services.letters``); the layout around them — letterhead, number block, addressee,
signature, tembusan — follows the usual form of an Indonesian official letter and is the
generator's. A generated letter is kept as two case documents (DOCX to edit, PDF to read)
under their SHA-256, with what was filled in, so later template edits never change it.
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .case import Case, CaseDocument
from .types import UTCDateTime, utcnow
from .user import User

# Penerusan (to the competent agency), Rekomendasi (administrative, to KPU), and Form A, the
# supervision report (Laporan Hasil Pengawasan) that a Temuan starts from.
LETTER_KINDS = ("penerusan", "rekomendasi", "form_a")
# Form A is a report: a title instead of an addressee, no tembusan.
REPORT_KINDS = frozenset({"form_a"})


class LetterTemplate(db.Model):
    """An admin-editable letter template (Templat Surat)."""

    __tablename__ = "letter_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # LETTER_KINDS
    name: Mapped[str] = mapped_column(String(200))
    letterhead: Mapped[str | None] = mapped_column(Text)  # kop surat, one line each
    place: Mapped[str | None] = mapped_column(String(100))  # "Musi Rawas, 10 November 2026"
    classification: Mapped[str | None] = mapped_column(String(50))  # sifat
    subject: Mapped[str] = mapped_column(Text)  # perihal, or the title of a report
    body: Mapped[str] = mapped_column(Text)
    closing: Mapped[str | None] = mapped_column(Text)
    signer_title: Mapped[str | None] = mapped_column(Text)
    signer_name: Mapped[str | None] = mapped_column(String(200))
    verified: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @property
    def is_report(self):
        return self.kind in REPORT_KINDS


class CaseLetter(db.Model):
    """A letter generated for a case: what was filled in, and its DOCX and PDF documents."""

    __tablename__ = "case_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    template_id: Mapped[int | None] = mapped_column(ForeignKey("letter_templates.id"))
    kind: Mapped[str] = mapped_column(String(16))
    template_name: Mapped[str] = mapped_column(String(200))  # as it was named then
    number: Mapped[str | None] = mapped_column(String(200))
    letter_date: Mapped[date] = mapped_column(Date)
    subject: Mapped[str] = mapped_column(Text)
    recipients: Mapped[list] = mapped_column(db.JSON, default=list)
    copies: Mapped[list] = mapped_column(db.JSON, default=list)
    attachments: Mapped[list] = mapped_column(db.JSON, default=list)
    docx_document_id: Mapped[int] = mapped_column(ForeignKey("case_documents.id"))
    pdf_document_id: Mapped[int] = mapped_column(ForeignKey("case_documents.id"))
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    generated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="letters")
    template: Mapped[LetterTemplate | None] = relationship()
    docx: Mapped[CaseDocument] = relationship(foreign_keys=[docx_document_id])
    pdf: Mapped[CaseDocument] = relationship(foreign_keys=[pdf_document_id])
    generated_by: Mapped[User] = relationship()
