"""Reference data (Referensi) that an admin edits: categories, legal bases, agencies, routes with
their checklist templates, and public holidays.

Rules change between elections, so none of this is code. Every row has a stable ``code`` that
the seed loader matches on, so loading the defaults again never duplicates or overwrites rows.
"""

import enum
from datetime import date

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class SubjectStatus(enum.StrEnum):
    """Employment status of a reported person; routes are chosen by it."""

    PNS = "pns"
    PPPK = "pppk"
    PTT_HONORER = "ptt_honorer"
    TNI = "tni"
    POLRI = "polri"
    PENYELENGGARA_ADHOC = "penyelenggara_adhoc"
    PENGAWAS_ADHOC = "pengawas_adhoc"
    ANGGOTA_KPU_BAWASLU = "anggota_kpu_bawaslu"
    KEPALA_DESA = "kepala_desa"
    LAINNYA = "lainnya"

    @property
    def label(self):
        return SUBJECT_STATUS_LABELS[self]


SUBJECT_STATUS_LABELS = {
    SubjectStatus.PNS: "PNS",
    SubjectStatus.PPPK: "PPPK",
    SubjectStatus.PTT_HONORER: "PTT / Honorer",
    SubjectStatus.TNI: "TNI",
    SubjectStatus.POLRI: "Polri",
    SubjectStatus.PENYELENGGARA_ADHOC: "Penyelenggara ad hoc (PPK/PPS/KPPS)",
    SubjectStatus.PENGAWAS_ADHOC: "Panwascam / PKD / PTPS",
    SubjectStatus.ANGGOTA_KPU_BAWASLU: "Anggota KPU / Bawaslu",
    SubjectStatus.KEPALA_DESA: "Kepala Desa",
    SubjectStatus.LAINNYA: "Lainnya",
}


# How a route's decision leaves Bawaslu: Rekomendasi (administrative, to KPU), Penerusan
# (violations of other laws, to the competent agency) or the criminal track (Sentra Gakkumdu).
ROUTE_CHANNELS = ("rekomendasi", "penerusan", "gakkumdu")
# The dates a checklist deadline can count from; "previous_item" is the previous item's done date.
DEADLINE_ANCHORS = (
    "known_date",
    "registered_date",
    "decision_date",
    "dispatch_date",
    "previous_item",
)
DEADLINE_UNITS = ("calendar", "working")


class ViolationCategory(db.Model):
    __tablename__ = "violation_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class LegalBasis(db.Model):
    """A regulation and article (Dasar Hukum), e.g. UU 10/2016 Pasal 71."""

    __tablename__ = "legal_bases"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    regulation: Mapped[str] = mapped_column(String(300))
    article: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text)
    # False where the sources could not confirm it; shown as "(belum diverifikasi)".
    verified: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def citation(self):
        return f"{self.regulation} {self.article}" if self.article else self.regulation


class Agency(db.Model):
    """An agency or office that letters go to, as recipient or copy (Instansi)."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    verified: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)


class Route(db.Model):
    """Where a finding about a kind of subject (and optionally a category) goes, and what follows.

    ``subject_status`` or ``category`` left empty matches any; the more specific route is offered
    first (see ``services.reference.suggest_routes``).
    """

    __tablename__ = "routes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    subject_status: Mapped[str | None] = mapped_column(String(32), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("violation_categories.id"))
    channel: Mapped[str] = mapped_column(String(16))
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    description: Mapped[str | None] = mapped_column(Text)
    verified: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)

    category: Mapped[ViolationCategory | None] = relationship()
    recipient: Mapped[Agency | None] = relationship()
    copies: Mapped[list["RouteCopy"]] = relationship(
        order_by="RouteCopy.position", cascade="all, delete-orphan"
    )
    items: Mapped[list["RouteChecklistItem"]] = relationship(
        back_populates="route",
        order_by="RouteChecklistItem.position",
        cascade="all, delete-orphan",
    )


class RouteCopy(db.Model):
    """An agency that receives a copy (tembusan) of the route's letter."""

    __tablename__ = "route_copies"
    __table_args__ = (UniqueConstraint("route_id", "agency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("routes.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    position: Mapped[int] = mapped_column(default=0)

    agency: Mapped[Agency] = relationship()


class RouteChecklistItem(db.Model):
    """One step of a route's follow-up checklist template; cases get copies of these."""

    __tablename__ = "route_checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("routes.id"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(200))  # who acts
    deadline_days: Mapped[int | None]
    deadline_unit: Mapped[str | None] = mapped_column(String(16))  # DEADLINE_UNITS
    deadline_anchor: Mapped[str | None] = mapped_column(String(32))  # DEADLINE_ANCHORS
    verified: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str | None] = mapped_column(Text)

    route: Mapped[Route] = relationship(back_populates="items")


class HariLibur(db.Model):
    """A public holiday or collective leave day (cuti bersama): not a working day."""

    __tablename__ = "hari_libur"

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[date] = mapped_column(Date, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    verified: Mapped[bool] = mapped_column(default=True)
