"""Default reference data: loaded once by the migration, loadable again without effect."""

import pytest
from sqlalchemy import func, select

from sipansos.extensions import db
from sipansos.models import Agency, HariLibur, LegalBasis, Route, RouteChecklistItem
from sipansos.services import deadlines, reference
from sipansos.services.case_states import PermissionDenied
from sipansos.services.reference import ReferenceDataError, load_default_reference_data


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_loading_again_adds_nothing_and_keeps_admin_edits(reference_data, users):
    counts = {m: _count(m) for m in (Route, RouteChecklistItem, Agency, LegalBasis, HariLibur)}
    assert counts[Route] >= 13 and counts[RouteChecklistItem] > 50
    reference.update_reference(users["admin"], reference.route_by_code("pns"), name="PNS → BKN*")
    assert load_default_reference_data() == {
        "categories": 0, "legal_bases": 0, "agencies": 0, "routes": 0, "holidays": 0,
    }  # fmt: skip
    assert {m: _count(m) for m in counts} == counts
    assert reference.route_by_code("pns").name == "PNS → BKN*"


def test_unverified_defaults_are_marked(reference_data):
    assert reference.route_by_code("polri").verified is False
    assert reference.route_by_code("pns").verified is True
    assert db.session.scalar(select(Agency).where(Agency.code == "kapolres_propam")).note
    holidays = db.session.scalars(select(HariLibur)).all()
    assert holidays and all(not h.verified and "belum diverifikasi" in h.name for h in holidays)
    # Deadlines whose calendar/working nature DOMAIN.md leaves open say so.
    kajian = reference.route_by_code("pns").items[2]
    assert kajian.verified is False and "belum diverifikasi" in kajian.note


def test_every_seeded_deadline_rule_is_valid(reference_data):
    for item in db.session.scalars(select(RouteChecklistItem)):
        deadlines.check_rule(item.deadline_days, item.deadline_unit, item.deadline_anchor)


def test_routes_are_suggested_most_specific_first(reference_data):
    def codes(status, category):
        return [r.code for r in reference.suggest_routes(status, category)]

    assert codes("pns", "netralitas_asn") == ["pns", "gakkumdu"]
    assert codes("ptt_honorer", None) == ["ptt_honorer", "gakkumdu"]
    assert codes("kepala_desa", "konten_kampanye") == ["konten_kampanye", "kepala_desa", "gakkumdu"]
    assert codes("lainnya", "lainnya") == ["gakkumdu"]
    reference.route_by_code("pns").active = False
    assert codes("pns", None) == ["gakkumdu"]


def test_only_admins_edit_reference_data(reference_data, users):
    route = reference.route_by_code("pns")
    with pytest.raises(PermissionDenied, match="koordinator"):
        reference.update_reference(users["koordinator"], route, name="X")
    with pytest.raises(ReferenceDataError, match="channel"):
        reference.update_reference(users["admin"], route, channel="pos")
    with pytest.raises(ReferenceDataError, match="cannot edit code"):
        reference.update_reference(users["admin"], route, code="x")
    with pytest.raises(ReferenceDataError, match="subject status"):
        reference.update_reference(users["admin"], route, subject_status="pejabat")
    with pytest.raises(ReferenceDataError, match="unit"):
        reference.update_reference(users["admin"], route.items[1], deadline_unit="weeks")


def test_admin_adds_a_holiday(reference_data, users):
    from datetime import date

    reference.add_holiday(users["admin"], date(2026, 12, 24), "Cuti bersama Natal")
    assert deadlines.add_days(date(2026, 12, 23), 1, "working") == date(2026, 12, 28)
    with pytest.raises(ReferenceDataError, match="already"):
        reference.add_holiday(users["admin"], date(2026, 12, 24), "Lagi")
