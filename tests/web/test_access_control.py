"""One parametrised access-control check over every protected page."""

import re

import pytest

from tests.conftest import login

# (method, path, roles allowed); paths with ids use user 999 / token 999 / capture NO_CAPTURE,
# which do not exist: a permitted role then gets 404, never 500.
NO_CAPTURE = "00000000-0000-4000-8000-000000000000"
EVIDENCE = f"/evidence/{NO_CAPTURE}"
ALL_ROLES = {"admin", "koordinator", "operator"}

PROTECTED = [
    ("GET", "/", {"admin", "koordinator", "operator"}),
    ("GET", "/cases", {"admin", "koordinator", "operator"}),
    # cases: case page, new case, transitions
    ("GET", "/cases/new", ALL_ROLES),
    ("POST", "/cases/new", ALL_ROLES),
    ("GET", "/cases/999", ALL_ROLES),
    ("GET", "/cases/999/edit", ALL_ROLES),
    ("POST", "/cases/999/edit", ALL_ROLES),
    ("POST", "/cases/999/actions/x", ALL_ROLES),
    ("POST", "/cases/999/evidence", ALL_ROLES),
    ("POST", "/cases/999/evidence/999/remove", ALL_ROLES),
    ("POST", "/cases/999/terlapor", ALL_ROLES),
    ("POST", "/cases/999/terlapor/999/remove", ALL_ROLES),
    ("POST", "/cases/999/parties", ALL_ROLES),
    # cases: checklist
    ("POST", "/cases/999/checklist", {"admin", "koordinator"}),
    ("POST", "/cases/999/checklist/999/done", {"admin", "koordinator"}),
    ("POST", "/cases/999/checklist/999/reopen", {"admin", "koordinator"}),
    ("POST", "/cases/999/checklist/999/documents", {"admin", "koordinator"}),
    ("GET", "/cases/999/documents/999", ALL_ROLES),
    ("GET", "/cases/999/letters/new", {"admin", "koordinator"}),
    ("POST", "/cases/999/letters/new", {"admin", "koordinator"}),
    # terlapor
    ("GET", "/terlapor", ALL_ROLES),
    ("GET", "/terlapor/new", ALL_ROLES),
    ("POST", "/terlapor/new", ALL_ROLES),
    ("GET", "/terlapor/999", ALL_ROLES),
    ("GET", "/terlapor/999/edit", ALL_ROLES),
    ("POST", "/terlapor/999/edit", ALL_ROLES),
    ("POST", "/terlapor/999/accounts", ALL_ROLES),
    # admin: reference data
    ("GET", "/admin/reference", {"admin"}),
    ("GET", "/admin/reference/x", {"admin"}),
    ("POST", "/admin/reference/x", {"admin"}),
    ("GET", "/admin/reference/x/999", {"admin"}),
    ("POST", "/admin/reference/x/999", {"admin"}),
    ("POST", "/admin/reference/x/999/verify", {"admin"}),
    ("GET", "/admin/reference/routes", {"admin"}),
    ("GET", "/admin/reference/routes/new", {"admin"}),
    ("POST", "/admin/reference/routes/new", {"admin"}),
    ("GET", "/admin/reference/routes/999", {"admin"}),
    ("POST", "/admin/reference/routes/999", {"admin"}),
    ("POST", "/admin/reference/routes/999/copies", {"admin"}),
    ("POST", "/admin/reference/routes/999/copies/999/remove", {"admin"}),
    ("POST", "/admin/reference/routes/999/items", {"admin"}),
    ("GET", "/admin/reference/routes/999/items/999", {"admin"}),
    ("POST", "/admin/reference/routes/999/items/999", {"admin"}),
    ("POST", "/admin/reference/routes/999/items/999/move", {"admin"}),
    ("POST", "/admin/reference/routes/999/items/999/remove", {"admin"}),
    ("GET", "/admin/reference/holidays", {"admin"}),
    ("POST", "/admin/reference/holidays", {"admin"}),
    ("POST", "/admin/reference/holidays/999/remove", {"admin"}),
    ("GET", "/admin/reference/letter-templates", {"admin"}),
    ("GET", "/admin/reference/letter-templates/new", {"admin"}),
    ("POST", "/admin/reference/letter-templates/new", {"admin"}),
    ("GET", "/admin/reference/letter-templates/999", {"admin"}),
    ("POST", "/admin/reference/letter-templates/999", {"admin"}),
    # dashboard and capture → case
    ("POST", f"{EVIDENCE}/cases", ALL_ROLES),
    ("POST", f"{EVIDENCE}/cases/new", ALL_ROLES),
    ("GET", "/evidence", {"admin", "koordinator", "operator"}),
    ("GET", "/evidence/upload", ALL_ROLES),
    ("POST", "/evidence/upload", ALL_ROLES),
    ("GET", EVIDENCE, ALL_ROLES),
    ("GET", f"{EVIDENCE}/thumbnail", ALL_ROLES),
    ("GET", f"{EVIDENCE}/artifacts/x.png", ALL_ROLES),
    ("GET", f"{EVIDENCE}/artifacts/x.png/view", ALL_ROLES),
    ("GET", f"{EVIDENCE}/replay", ALL_ROLES),
    ("POST", f"{EVIDENCE}/verify", ALL_ROLES),
    ("POST", f"{EVIDENCE}/withdraw", {"admin", "koordinator"}),
    ("GET", f"{EVIDENCE}/export.wacz", ALL_ROLES),
    ("GET", "/cases/999/export.wacz", ALL_ROLES),
    ("GET", "/cases/export.xlsx", ALL_ROLES),
    ("GET", "/cases/export.csv", ALL_ROLES),
    ("GET", "/evidence/export.xlsx", ALL_ROLES),
    ("GET", "/evidence/export.csv", ALL_ROLES),
    ("GET", "/cases/999/dossier.pdf", ALL_ROLES),
    ("GET", "/account/tokens", {"admin", "koordinator", "operator"}),
    ("GET", "/account/password", {"admin", "koordinator", "operator"}),
    ("GET", "/admin/users", {"admin"}),
    ("GET", "/admin/users/new", {"admin"}),
    ("GET", "/admin/users/999", {"admin"}),
    ("POST", "/admin/users/999/active", {"admin"}),
    ("POST", "/admin/users/999/password", {"admin"}),
    ("POST", "/admin/users/999/tokens/999/revoke", {"admin"}),
    ("GET", "/admin/audit", {"admin"}),
    ("POST", "/admin/audit/verify", {"admin"}),
]


def concrete_path(rule):
    """The rule with every id set to 999 (or NO_CAPTURE) and the artifact name ``x.png``."""
    path = re.sub(r"<int:\w+>", "999", rule)
    path = re.sub(r"<uuid:\w+>", NO_CAPTURE, path)
    path = path.replace("<name>", "x.png")
    return re.sub(r"<(?:string:)?\w+>", "x", path)


def test_every_route_is_listed(app):
    """A new page must be added to PROTECTED (or be deliberately public) to pass."""
    public = {"/login", "/language/<lang>", "/static/<path:filename>"}
    listed = {path for _, path, _ in PROTECTED}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") or rule.rule in public:
            continue
        concrete = concrete_path(rule.rule)
        assert concrete in listed or rule.rule in (
            "/logout",
            "/account/tokens/<int:token_id>/revoke",
        ), f"{rule.rule} has no access-control entry"


@pytest.mark.parametrize("method,path,allowed", PROTECTED, ids=[p for _, p, _ in PROTECTED])
def test_anonymous_is_sent_to_login(client, method, path, allowed):
    response = client.open(path, method=method)
    if method == "POST":
        assert response.status_code == 400  # CSRF check comes first for anonymous posts
    else:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("role", ["admin", "koordinator", "operator"])
@pytest.mark.parametrize("method,path,allowed", PROTECTED, ids=[p for _, p, _ in PROTECTED])
def test_role_matrix(app, client, make_user, role, method, path, allowed):
    make_user("someone", role=role)
    login(client, "someone")
    if method == "POST":
        from tests.conftest import post_form

        response = post_form(client, path)
    else:
        response = client.get(path)
    if role in allowed:
        assert response.status_code in (200, 302, 404), response.status_code
    else:
        assert response.status_code == 403
        assert "akses" in response.get_data(as_text=True)
