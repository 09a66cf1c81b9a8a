"""Cases (penanganan pelanggaran): the reported persons, the case, its evidence, parties,
recipients, follow-up checklist and timeline.

States are stored as stable codes; their Indonesian labels live here only (subject statuses:
``models.reference``).
"""

import enum
from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, Index, String, Table, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .evidence import Capture
from .reference import Agency, LegalBasis, Route, ViolationCategory
from .types import UTCDateTime, utcnow
from .user import User


class CaseState(enum.StrEnum):
    DRAF = "draf"
    INFORMASI_AWAL = "informasi_awal"
    TEMUAN = "temuan"
    LAPORAN_DITERIMA = "laporan_diterima"
    PERLU_KELENGKAPAN = "perlu_kelengkapan"
    TIDAK_MEMENUHI_SYARAT = "tidak_memenuhi_syarat"
    DIREGISTRASI = "diregistrasi"
    DALAM_KLARIFIKASI = "dalam_klarifikasi"
    DALAM_KAJIAN = "dalam_kajian"
    BUKAN_PELANGGARAN = "bukan_pelanggaran"
    DIREKOMENDASIKAN_KPU = "direkomendasikan_kpu"
    DITERUSKAN_INSTANSI = "diteruskan_instansi"
    DIBAHAS_GAKKUMDU = "dibahas_gakkumdu"
    MENUNGGU_TINDAK_LANJUT = "menunggu_tindak_lanjut"
    SUDAH_DITINDAKLANJUTI = "sudah_ditindaklanjuti"
    TIDAK_DITINDAKLANJUTI = "tidak_ditindaklanjuti"
    SELESAI = "selesai"
    ARSIP = "arsip"

    @property
    def label(self):
        return STATE_LABELS[self]


# In the order of DOMAIN.md, which is also the order of the procedure.
STATE_LABELS = {
    CaseState.DRAF: "Draf",
    CaseState.INFORMASI_AWAL: "Informasi Awal",
    CaseState.TEMUAN: "Ditetapkan sebagai Temuan",
    CaseState.LAPORAN_DITERIMA: "Laporan Diterima",
    CaseState.PERLU_KELENGKAPAN: "Perlu Kelengkapan",
    CaseState.TIDAK_MEMENUHI_SYARAT: "Tidak Memenuhi Syarat",
    CaseState.DIREGISTRASI: "Diregistrasi",
    CaseState.DALAM_KLARIFIKASI: "Dalam Klarifikasi",
    CaseState.DALAM_KAJIAN: "Dalam Kajian",
    CaseState.BUKAN_PELANGGARAN: "Bukan Pelanggaran (Dihentikan)",
    CaseState.DIREKOMENDASIKAN_KPU: "Direkomendasikan ke KPU",
    CaseState.DITERUSKAN_INSTANSI: "Diteruskan ke Instansi Berwenang",
    CaseState.DIBAHAS_GAKKUMDU: "Dibahas Sentra Gakkumdu",
    CaseState.MENUNGGU_TINDAK_LANJUT: "Menunggu Tindak Lanjut",
    CaseState.SUDAH_DITINDAKLANJUTI: "Sudah Ditindaklanjuti",
    CaseState.TIDAK_DITINDAKLANJUTI: "Tidak Ditindaklanjuti",
    CaseState.SELESAI: "Selesai",
    CaseState.ARSIP: "Arsip",
}


CASE_SOURCES = {"temuan": "Temuan", "laporan": "Laporan"}


class Terlapor(db.Model):
    """A reported person; one person has many accounts and can be in many cases."""

    __tablename__ = "terlapor"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Lower case, titles and punctuation removed: what duplicate checks and search compare.
    name_normalised: Mapped[str] = mapped_column(String(200), index=True)
    nip: Mapped[str | None] = mapped_column(String(18), unique=True)
    rank_grade: Mapped[str | None] = mapped_column(String(100))  # pangkat/golongan
    position: Mapped[str | None] = mapped_column(String(200))  # jabatan
    agency: Mapped[str | None] = mapped_column(String(300))  # instansi / unit kerja
    employment_status: Mapped[str] = mapped_column(String(32), index=True)  # SubjectStatus code
    responsible_ppk: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    accounts: Mapped[list["TerlaporAccount"]] = relationship(
        back_populates="terlapor", order_by="TerlaporAccount.id", cascade="all, delete-orphan"
    )
    cases: Mapped[list["Case"]] = relationship(
        secondary="case_terlapor", back_populates="terlapor", viewonly=True, order_by="Case.id"
    )


class TerlaporAccount(db.Model):
    """A social-media account of a reported person."""

    __tablename__ = "terlapor_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    terlapor_id: Mapped[int] = mapped_column(ForeignKey("terlapor.id"), index=True)
    platform: Mapped[str] = mapped_column(String(32))
    handle: Mapped[str] = mapped_column(String(200))
    handle_normalised: Mapped[str] = mapped_column(String(200), index=True)
    profile_url: Mapped[str | None] = mapped_column(Text)

    terlapor: Mapped[Terlapor] = relationship(back_populates="accounts")


case_terlapor = Table(
    "case_terlapor",
    db.metadata,
    Column("case_id", ForeignKey("cases.id"), primary_key=True),
    Column("terlapor_id", ForeignKey("terlapor.id"), primary_key=True, index=True),
)

case_legal_bases = Table(
    "case_legal_bases",
    db.metadata,
    Column("case_id", ForeignKey("cases.id"), primary_key=True),
    Column("legal_basis_id", ForeignKey("legal_bases.id"), primary_key=True),
)


# The small columns the case list filters, counts and sorts on. The list's indexes on them carry
# the others too (PostgreSQL INCLUDE): a count per state, a date range or a walk of a sort's
# index is then read from the index alone, where visiting the table cost several microseconds
# per row.
_LISTED = ("id", "state", "category_id", "known_date", "next_due_date", "updated_at")


def _listed_except(*keys):
    return [name for name in _LISTED if name not in keys]


class Case(db.Model):
    __tablename__ = "cases"
    # The register number is unique, and so is its (year, sequence) pair. The other indexes
    # serve the case list's sorts (``services.case_queries``), with id so that ties (cases
    # without a number) come out of the index in order too; the GIN index is its full-text
    # search on PostgreSQL and is kept empty on SQLite, where the search is a LIKE scan.
    __table_args__ = (
        UniqueConstraint("number_year", "number_seq"),
        Index("ix_cases_number_id", "number_year", "number_seq", "id"),
        # The operator filter reads case ids by creator without touching the table.
        Index("ix_cases_created_by_id_id", "created_by_id", "id"),
        Index("ix_cases_state_id", "state", "id", postgresql_include=_listed_except("state", "id")),
        Index(
            "ix_cases_updated_at_id",
            "updated_at",
            "id",
            postgresql_include=_listed_except("updated_at", "id"),
        ),
        Index(
            "ix_cases_known_date_id",
            "known_date",
            "id",
            postgresql_include=_listed_except("known_date", "id"),
        ),
        Index("ix_cases_title_id", "title", "id"),
        Index(
            "ix_cases_search_document",
            "search_document",
            postgresql_using="gin",
            sqlite_where=text("0"),
        ),
        # The filters (``models.case_facets``): labels by GIN on PostgreSQL (LIKE on SQLite),
        # overdue by next due date, category; with state, so the status tabs count from the
        # index alone.
        Index("ix_cases_facets", "facets", postgresql_using="gin", sqlite_where=text("0")),
        Index(
            "ix_cases_next_due_date_state",
            "next_due_date",
            "state",
            postgresql_include=_listed_except("next_due_date", "state"),
        ),
        Index(
            "ix_cases_category_id_state",
            "category_id",
            "state",
            postgresql_include=_listed_except("category_id", "state"),
        ),
        # The agency filter matches any part of an agency: trigrams on PostgreSQL (pg_trgm,
        # migration 0005), a LIKE scan on SQLite.
        Index(
            "ix_cases_terlapor_agencies_trgm",
            "terlapor_agencies",
            postgresql_using="gin",
            postgresql_ops={"terlapor_agencies": "gin_trgm_ops"},
            sqlite_where=text("0"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(100), unique=True)
    number_year: Mapped[int | None]
    number_seq: Mapped[int | None]
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))  # CASE_SOURCES
    state: Mapped[str] = mapped_column(String(32), default=CaseState.DRAF.value)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("violation_categories.id"))

    # Jakarta calendar dates from which deadlines count.
    known_date: Mapped[date | None] = mapped_column(Date)  # tanggal diketahui
    received_date: Mapped[date | None] = mapped_column(Date)  # laporan diterima
    registered_date: Mapped[date | None] = mapped_column(Date)
    decision_date: Mapped[date | None] = mapped_column(Date)  # pleno
    dispatch_date: Mapped[date | None] = mapped_column(Date)  # letter sent

    kajian_notes: Mapped[str | None] = mapped_column(Text)
    pleno_result: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(String(32))  # pelanggaran / bukan_pelanggaran
    route_id: Mapped[int | None] = mapped_column(ForeignKey("routes.id"))
    letter_number: Mapped[str | None] = mapped_column(String(200))
    letter_date: Mapped[date | None] = mapped_column(Date)
    follow_up_outcome: Mapped[str | None] = mapped_column(Text)
    follow_up_reference: Mapped[str | None] = mapped_column(String(200))  # decree number
    follow_up_date: Mapped[date | None] = mapped_column(Date)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Derived from the case's text, its terlapor and its captures' post text; rebuilt on every
    # flush that changes one of them (``models.case_search``). A ``tsvector`` on PostgreSQL,
    # the plain text on SQLite. Never loaded with the case: it can be large.
    search_document: Mapped[str | None] = mapped_column(
        TSVECTOR().with_variant(Text(), "sqlite"), deferred=True
    )
    # Derived, for the list's filters (``models.case_facets``): platform, terlapor status and
    # operator labels (``text[]`` on PostgreSQL, space-separated on SQLite), and the earliest
    # due date of an open checklist item.
    facets: Mapped[list[str] | None] = mapped_column(
        ARRAY(Text()).with_variant(Text(), "sqlite"), deferred=True
    )
    next_due_date: Mapped[date | None] = mapped_column(Date)
    # The agencies of its terlapor, one per line: the agency filter is a substring match.
    terlapor_agencies: Mapped[str | None] = mapped_column(Text, deferred=True)

    category: Mapped[ViolationCategory | None] = relationship()
    route: Mapped[Route | None] = relationship()
    created_by: Mapped[User] = relationship()
    terlapor: Mapped[list[Terlapor]] = relationship(
        secondary=case_terlapor, back_populates="cases", order_by=Terlapor.id
    )
    legal_bases: Mapped[list[LegalBasis]] = relationship(
        secondary=case_legal_bases, order_by=LegalBasis.id
    )
    evidence: Mapped[list["CaseEvidence"]] = relationship(
        back_populates="case", order_by="CaseEvidence.id", cascade="all, delete-orphan"
    )
    parties: Mapped[list["CaseParty"]] = relationship(
        back_populates="case", order_by="CaseParty.id", cascade="all, delete-orphan"
    )
    recipients: Mapped[list["CaseRecipient"]] = relationship(
        back_populates="case", order_by="CaseRecipient.position", cascade="all, delete-orphan"
    )
    checklist: Mapped[list["CaseChecklistItem"]] = relationship(
        back_populates="case", order_by="CaseChecklistItem.position", cascade="all, delete-orphan"
    )
    events: Mapped[list["CaseEvent"]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )
    letters: Mapped[list["CaseLetter"]] = relationship(  # noqa: F821 - models.letter
        back_populates="case", order_by="CaseLetter.id", cascade="all, delete-orphan"
    )

    @property
    def state_enum(self):
        return CaseState(self.state)

    @property
    def state_label(self):
        return STATE_LABELS[CaseState(self.state)]

    def __repr__(self):
        return f"<Case {self.id} {self.number or '(draf)'} {self.state}>"


class CaseEvidence(db.Model):
    """A capture used as evidence in a case; a capture may be in any number of cases."""

    __tablename__ = "case_evidence"
    __table_args__ = (
        UniqueConstraint("case_id", "capture_id"),
        # The case list's operator filter: case ids by who added evidence, from the index alone.
        Index("ix_case_evidence_added_by_id_case_id", "added_by_id", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    capture_id: Mapped[int] = mapped_column(ForeignKey("captures.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    # Kind of act seen in the post (SKB 2020: like, share, comment, photo with a candidate, …).
    act_kind: Mapped[str | None] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="evidence")
    capture: Mapped[Capture] = relationship()
    added_by: Mapped[User] = relationship()


class CaseParty(db.Model):
    """A reporter (pelapor) or witness (saksi) of a case."""

    __tablename__ = "case_parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # "pelapor" or "saksi"
    name: Mapped[str] = mapped_column(String(200))
    identity_number: Mapped[str | None] = mapped_column(String(32))  # NIK
    address: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(50))
    notes: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="parties")


class CaseRecipient(db.Model):
    """A recipient or copy (tembusan) of the case's letter, copied from the route at decision."""

    __tablename__ = "case_recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "recipient" or "copy"
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    # The name as written on the letter; kept even if the agency is renamed later.
    name: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(default=0)

    case: Mapped[Case] = relationship(back_populates="recipients")
    agency: Mapped[Agency | None] = relationship()


class CaseChecklistItem(db.Model):
    """A case's own copy of a follow-up step; template edits never change it."""

    __tablename__ = "case_checklist_items"
    # Open items by case and due date: the overdue filter and the next deadline of list rows.
    __table_args__ = (
        Index(
            "ix_case_checklist_items_open_case_id_due_date",
            "case_id",
            "due_date",
            postgresql_where=text("NOT done"),
            sqlite_where=text("NOT done"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(200))
    # Provenance only (no foreign key): the template item may be edited or removed later.
    template_item_id: Mapped[int | None]
    route_code: Mapped[str | None] = mapped_column(String(48))
    deadline_days: Mapped[int | None]
    deadline_unit: Mapped[str | None] = mapped_column(String(16))
    deadline_anchor: Mapped[str | None] = mapped_column(String(32))
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    done: Mapped[bool] = mapped_column(default=False)
    done_on: Mapped[date | None] = mapped_column(Date)  # the date it happened (Jakarta)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # when it was recorded
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)
    letter_number: Mapped[str | None] = mapped_column(String(200))
    letter_date: Mapped[date | None] = mapped_column(Date)

    case: Mapped[Case] = relationship(back_populates="checklist")
    done_by: Mapped[User | None] = relationship()
    documents: Mapped[list["CaseDocument"]] = relationship(
        back_populates="item", order_by="CaseDocument.id", cascade="all, delete-orphan"
    )


class CaseDocument(db.Model):
    """A document (letter, receipt, decree) kept in the evidence store under its SHA-256.

    Attached to a checklist item (proof of dispatch, a reply) or, with no item, a letter
    SIPANSOS generated for the case (``models.letter.CaseLetter``).
    """

    __tablename__ = "case_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("case_checklist_items.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship()
    item: Mapped[CaseChecklistItem | None] = relationship(back_populates="documents")
    uploaded_by: Mapped[User] = relationship()


class CaseEvent(db.Model):
    """One line of a case's timeline: a transition, evidence added, a checklist change, …"""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(48))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str | None] = mapped_column(String(32))
    details: Mapped[dict] = mapped_column(db.JSON, default=dict)

    case: Mapped[Case] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
