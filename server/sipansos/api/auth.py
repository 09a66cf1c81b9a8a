"""Bearer-token authentication for /api/v1."""

from functools import wraps

from flask import abort, g, request
from werkzeug.datastructures import WWWAuthenticate

from ..services import tokens


def bearer_secret():
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else None


def token_required(*roles):
    """Require a live bearer token (and one of ``roles`` if given); sets ``g.api_user``."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            token = tokens.authenticate_token(bearer_secret())
            if token is None:
                abort(
                    401,
                    description="A valid API token is required (Authorization: Bearer …).",
                    www_authenticate=WWWAuthenticate("bearer", {"realm": "sipansos"}),
                )
            if roles and not token.user.has_role(*roles):
                abort(403, description="Your role does not allow this.")
            g.api_token = token
            g.api_user = token.user
            return view(*args, **kwargs)

        return wrapped

    return decorator
