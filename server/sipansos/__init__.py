"""SIPANSOS — Sistem Informasi Pengawasan Media Sosial."""

import os
from pathlib import Path

from flask import Flask, current_app, request, session
from psycopg.pq import TransactionStatus
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix

from . import storage
from .config import load_settings
from .extensions import babel, csrf, db, limiter, migrate
from .services.signing import load_or_create_private_key

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def create_app(config=None):
    """Build the application. ``config`` overrides settings read from the environment."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("SIPANSOS_INSTANCE_PATH") or None,
        instance_relative_config=True,
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(load_settings(app.instance_path, overrides=config))
    # Werkzeug answers 413 for larger bodies; file parts spool to disk, never held in memory.
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_UPLOAD_BYTES"]
    app.config.setdefault("MAX_FORM_MEMORY_SIZE", 8 * 1024 * 1024)
    if app.config["TRUSTED_PROXY_COUNT"]:
        count = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_security_headers(app)

    from .cli import register_commands

    register_commands(app)
    return app


def select_locale():
    """The language chosen in the footer, else Indonesian."""
    from flask import current_app, has_request_context

    chosen = session.get("lang") if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def register_extensions(app):
    from .auth.loader import init_login

    db.init_app(app)
    app.teardown_request(end_read_only_transaction)
    migrate.init_app(
        app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True
    )
    init_login(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
    storage.init_app(app)
    app.extensions["receipt_key"] = load_or_create_private_key(app.config["SIGNING_KEY_PATH"])


def end_read_only_transaction(exc):
    """End a PostgreSQL transaction that wrote nothing with COMMIT rather than ROLLBACK.

    psycopg forgets its prepared statements on every ROLLBACK, and removing the session when
    the request's app context ends (after this) rolls back: each request would plan all its
    queries again (a few milliseconds per page). Committing a transaction that wrote nothing
    changes no data; one that failed, left changes pending or wrote anything (it was assigned
    a transaction id) is left to the rollback."""
    if exc is not None or not db.session.registry.has():
        return
    db_session = db.session()
    if not db_session.in_transaction():
        return
    if db_session.new or db_session.dirty or db_session.deleted:
        return
    connection = db_session.connection()
    if connection.dialect.driver != "psycopg":
        return
    if connection.connection.driver_connection.info.transaction_status != TransactionStatus.INTRANS:
        return
    try:
        wrote = connection.exec_driver_sql("SELECT pg_current_xact_id_if_assigned() IS NOT NULL")
        if not wrote.scalar():
            db_session.commit()
    except SQLAlchemyError:
        # The response is already made; the session's removal rolls back whatever is left.
        current_app.logger.exception("could not end a read-only transaction")


def register_blueprints(app):
    from .admin import bp as admin_bp
    from .api import init_api
    from .auth import bp as auth_bp
    from .cases import bp as cases_bp
    from .evidence import bp as evidence_bp
    from .exports import bp as exports_bp
    from .terlapor import bp as terlapor_bp
    from .web import bp as web_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(web_bp)
    app.register_blueprint(evidence_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(terlapor_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    init_api(app)


def register_errorhandlers(app):
    from werkzeug.exceptions import HTTPException

    from .errors import handle_http_exception

    app.register_error_handler(HTTPException, handle_http_exception)


def register_template_helpers(app):
    from datetime import UTC
    from zoneinfo import ZoneInfo

    from babel.dates import LC_TIME, parse_pattern
    from flask import before_render_template, g
    from flask_babel import get_locale, get_translations

    # Flask-Babel looks the translations up again on each of the hundreds of ``_()`` calls of
    # a page; each render (a dossier's inside ``force_locale`` too) looks them up once.
    def remember_translations(sender, template, context, **extra):
        g.template_translations = get_translations()

    before_render_template.connect(remember_translations, app, weak=False)

    def translations():
        found = g.get("template_translations")
        return get_translations() if found is None else found

    app.jinja_env.install_gettext_callables(
        lambda string: translations().ugettext(string),
        lambda singular, plural, n: translations().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, string: translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: translations().unpgettext(
            context, singular, plural, n
        ),
    )

    # No timezone selector: every request shows times in the configured zone, looked up here
    # once, not by Flask-Babel on each of the page's dozens of calls.
    zone = ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])

    def format_datetime(value, fmt="d MMM yyyy HH:mm:ss z"):
        """``value`` (UTC when naive) in the zone and the request's language; "—" for none.
        Evidence times must be unambiguous: always with the zone (WIB, or +0700 in English)."""
        if not value:
            return "—"
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return parse_pattern(fmt).apply(value.astimezone(zone), get_locale() or LC_TIME)

    def format_date(value, fmt="d MMM yyyy"):
        """A calendar date in the request's language; "—" for none."""
        return parse_pattern(fmt).apply(value, get_locale() or LC_TIME) if value else "—"

    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())


def register_security_headers(app):
    @app.after_request
    def add_security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # A response that sets its own CSP (the replay, the evidence page) also decides framing.
        if (
            not request.path.startswith("/api/")
            and "Content-Security-Policy" not in response.headers
        ):
            response.headers["X-Frame-Options"] = "DENY"
            response.headers["Content-Security-Policy"] = (
                "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
            )
        return response
