"""Indonesian is complete and current; English is the second locale."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.conftest import csrf_token

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "server" / "sipansos" / "translations" / "id" / "LC_MESSAGES"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _source_messages():
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT / "server" / "sipansos", method_map, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_ui_string_has_an_indonesian_translation():
    with open(TRANSLATIONS / "messages.po", "rb") as fh:
        catalog = read_po(fh)
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalog
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string) and not m.fuzzy
    }
    missing = sorted(_source_messages() - translated)
    assert missing == [], f"untranslated strings (run pybabel extract/update): {missing}"


def _entries(catalog):
    def plain(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    return {plain(m.id): plain(m.string) for m in catalog if m.id}


def test_compiled_catalog_matches_the_po_file():
    with open(TRANSLATIONS / "messages.po", "rb") as fh:
        po = _entries(read_po(fh))
    with open(TRANSLATIONS / "messages.mo", "rb") as fh:
        mo = _entries(read_mo(fh))
    assert mo == po, "messages.mo is stale: run pybabel compile -d server/sipansos/translations"


def test_pages_speak_indonesian_by_default_and_english_on_request(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="id">' in html and "Masuk" in html
    token = csrf_token(client)
    response = client.post("/language/en", data={"csrf_token": token, "next": "/login"})
    assert response.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html and "Sign in" in html


def test_unknown_language_is_404(client):
    token = csrf_token(client)
    assert client.post("/language/xx", data={"csrf_token": token}).status_code == 404


def test_times_are_shown_in_jakarta_time_with_the_zone(app):
    from datetime import UTC, datetime

    with app.test_request_context():
        shown = app.jinja_env.filters["datetime"](datetime(2026, 11, 25, 1, 0, tzinfo=UTC))
    assert shown == "25 Nov 2026 08:00:00 WIB"


def test_a_render_inside_force_locale_speaks_that_language_and_the_next_one_the_users(app):
    from flask import render_template_string, session
    from flask_babel import force_locale

    page = "{{ _('Sign in') }} · {{ ngettext('%(num)d day left', '%(num)d days left', 2) }}"
    with app.test_request_context("/"):
        session["lang"] = "en"
        assert render_template_string(page) == "Sign in · 2 days left"
        with force_locale("id"):
            indonesian = render_template_string(page)
        assert render_template_string(page) == "Sign in · 2 days left"
    assert indonesian == "Masuk · 2 hari lagi"
