"""``flask load-reference-data`` restores missing defaults and keeps what an admin changed."""

from sqlalchemy import func, select

from sipansos.extensions import db
from sipansos.models import Route, ViolationCategory


def test_load_reference_data_adds_only_what_is_missing(ctx):
    runner = ctx.test_cli_runner()
    result = runner.invoke(args=["load-reference-data"])
    assert result.exit_code == 0, result.output
    routes = db.session.scalar(select(func.count(Route.id)))
    categories = db.session.scalar(select(func.count(ViolationCategory.id)))
    assert routes > 0 and categories > 0

    renamed = db.session.scalars(select(ViolationCategory).order_by(ViolationCategory.id)).first()
    renamed.name = "Nama yang diubah admin"
    db.session.commit()

    result = runner.invoke(args=["load-reference-data"])
    assert result.exit_code == 0 and "0 categories" in result.output and "0 routes" in result.output
    assert db.session.scalar(select(func.count(Route.id))) == routes
    assert db.session.get(ViolationCategory, renamed.id).name == "Nama yang diubah admin"
