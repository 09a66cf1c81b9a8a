"""Flask-Login wiring and the role guard used by the web blueprints."""

from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db, login_manager
from ..models import User


def init_login(app):
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_id):
    """Sessions carry the user's rotating session id, so a password change ends the others."""
    user = db.session.scalar(select(User).where(User.session_id == session_id))
    return user if user is not None and user.active else None


def role_required(*roles):
    """Signed-in users with one of ``roles``; others get 403 (never a redirect loop or a 500)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
