"""Sign-in for the extension: exchange credentials for a named token, check it, revoke it."""

from flask import current_app, g, request
from flask_smorest import Blueprint, abort

from ..extensions import db, limiter
from ..schemas.accounts import IssuedTokenSchema, MeSchema, TokenRequestSchema
from ..services import accounts, tokens
from .auth import token_required

bp = Blueprint("api_accounts", __name__, description="Accounts and API tokens")


@bp.route("/health")
@bp.response(200)
def health():
    """Whether the server and its database answer (the extension checks the server URL)."""
    db.session.execute(db.select(1))
    return {"status": "ok", "service": "sipansos"}


@bp.route("/tokens", methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"])
@bp.arguments(TokenRequestSchema)
@bp.response(201, IssuedTokenSchema)
def create_token(payload):
    """Sign in with username and password; the server issues a named token for this browser."""
    user = accounts.authenticate(payload["username"], payload["password"], ip=request.remote_addr)
    if user is None:
        abort(401, message="Wrong username or password, or the account is deactivated.")
    if user.must_change_password:
        abort(403, message="Set your own password in the web interface first.")
    accounts.record_login(user, ip=request.remote_addr, via="api")
    token, secret = tokens.create_token(user, payload["name"], ip=request.remote_addr, via="api")
    fields = ("id", "name", "prefix", "created_at", "last_used_at")
    return {**{name: getattr(token, name) for name in fields}, "secret": secret}


@bp.route("/me")
@bp.response(200, MeSchema)
@bp.doc(security=[{"bearer": []}])
@token_required()
def get_me():
    """Who the bearer token belongs to."""
    return {"user": g.api_user, "token": g.api_token}


@bp.route("/tokens/current", methods=["DELETE"])
@bp.response(204)
@bp.doc(security=[{"bearer": []}])
@token_required()
def revoke_current_token():
    """Sign the extension out: the token it used stops working."""
    tokens.revoke_token(g.api_user, g.api_token, ip=request.remote_addr)
