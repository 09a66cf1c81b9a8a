"""Migration 0003 loads the default reference data on a fresh database, once."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from sipansos import reference_data
from sipansos.extensions import db
from sipansos.models import HariLibur, Route, RouteChecklistItem
from sipansos.services.reference import load_default_reference_data, route_by_code


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_upgrade_seeds_the_defaults_and_downgrade_removes_them(fresh_app):
    with fresh_app.app_context():
        upgrade()
        assert _count(Route) == len(reference_data.ROUTES)
        assert _count(RouteChecklistItem) == sum(len(r["items"]) for r in reference_data.ROUTES)
        assert _count(HariLibur) == len(reference_data.HOLIDAYS)
        assert [i.position for i in route_by_code("pns").items] == list(range(1, 9))
        assert set(load_default_reference_data().values()) == {0}
        db.session.remove()

        downgrade(revision="0002")
        upgrade()
        assert _count(Route) == len(reference_data.ROUTES)
