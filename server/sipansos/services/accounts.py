"""Accounts: sign-in, self-service password change and the admin's user management rules."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import Role, User
from ..models.types import utcnow
from ..models.user import new_session_id
from . import audit
from .passwords import MIN_PASSWORD_LENGTH, burn_time, hash_password, needs_rehash, verify_password


class AccountError(Exception):
    """A rule refused the change; the message is shown to the user (already translatable)."""


def normalise_username(username):
    return (username or "").strip().lower()


def find_by_username(username):
    return db.session.scalar(select(User).where(User.username == normalise_username(username)))


def authenticate(username, password, *, ip=None):
    """Return the user for valid credentials of an active account, else None.

    Every attempt is audited; a failure records why, but the caller shows one message for all.
    """
    user = find_by_username(username)
    if user is None:
        burn_time(password)
        audit.record(
            "login_failed",
            actor_username=normalise_username(username)[:64],
            details={"reason": "unknown_user"},
            ip=ip,
        )
        db.session.commit()
        return None
    if not verify_password(user.password_hash, password):
        audit.record("login_failed", actor=user, details={"reason": "wrong_password"}, ip=ip)
        db.session.commit()
        return None
    if not user.active:
        audit.record("login_failed", actor=user, details={"reason": "deactivated"}, ip=ip)
        db.session.commit()
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_login(user, *, ip=None, via="web"):
    user.last_login_at = utcnow()
    audit.record("login", actor=user, details={"via": via}, ip=ip)
    db.session.commit()


def record_logout(user, *, ip=None):
    audit.record("logout", actor=user, ip=ip)
    db.session.commit()


def check_password_strength(password, *, username=None):
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _l("Password must be at least %(count)d characters.", count=MIN_PASSWORD_LENGTH)
        )
    if username and password.lower() == username.lower():
        raise AccountError(_l("Password must not be the username."))


def change_own_password(user, current_password, new_password, *, ip=None):
    """A user changes their own password; other sessions of theirs end."""
    if not verify_password(user.password_hash, current_password):
        raise AccountError(_l("Current password is wrong."))
    if current_password == new_password:
        raise AccountError(_l("The new password must differ from the current one."))
    check_password_strength(new_password, username=user.username)
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.session_id = new_session_id()
    audit.record("password_changed", actor=user, target=user, ip=ip)
    db.session.commit()


def search_users(query=None, *, role=None, active=None, page=1, per_page=25):
    """Users matching a text query (username, name, e-mail), newest last, paginated."""
    stmt = select(User).order_by(User.username)
    if query:
        like = f"%{query.strip().lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(User.username).like(like),
                func.lower(User.full_name).like(like),
                func.lower(User.email).like(like),
            )
        )
    if role:
        stmt = stmt.where(User.role == Role(role))
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def create_user(
    actor, *, username, full_name, role, password, email=None, ip=None, must_change_password=True
):
    """Create an account. ``actor`` is None only for the first admin made from the CLI."""
    username = normalise_username(username)
    if find_by_username(username) is not None:
        raise AccountError(_l("That username is already taken."))
    check_password_strength(password, username=username)
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=(email or "").strip() or None,
        role=Role(role),
        password_hash=hash_password(password),
        must_change_password=must_change_password,
    )
    db.session.add(user)
    audit.record(
        "user_created",
        actor=actor,
        actor_username=None if actor else "cli",
        target=user,
        details={"username": username, "role": user.role.value},
        ip=ip,
    )
    db.session.commit()
    return user


def _active_admin_count():
    return db.session.scalar(
        select(func.count(User.id)).where(User.role == Role.ADMIN, User.active.is_(True))
    )


def _ensure_admin_remains(actor, user, *, new_role=None, deactivating=False):
    losing_admin = (
        user.role == Role.ADMIN
        and user.active
        and (deactivating or (new_role is not None and new_role != Role.ADMIN))
    )
    if not losing_admin:
        return
    if user.id == actor.id:
        raise AccountError(
            _l("You cannot deactivate yourself.")
            if deactivating
            else _l("You cannot remove your own admin role.")
        )
    if _active_admin_count() <= 1:
        raise AccountError(_l("This is the last active admin; make another admin first."))


def update_user(actor, user, *, full_name, email, role, ip=None):
    """Edit name, e-mail and role; role changes are guarded so an admin always remains."""
    new_role = Role(role)
    _ensure_admin_remains(actor, user, new_role=new_role)
    changes = {}
    for field, value in (
        ("full_name", full_name.strip()),
        ("email", (email or "").strip() or None),
        ("role", new_role),
    ):
        old = getattr(user, field)
        if old != value:
            changes[field] = {
                "from": getattr(old, "value", old),
                "to": getattr(value, "value", value),
            }
            setattr(user, field, value)
    if changes:
        audit.record("user_updated", actor=actor, target=user, details=changes, ip=ip)
        db.session.commit()
    return changes


def set_active(actor, user, active, *, ip=None):
    """Deactivate or reactivate an account; deactivation ends its sessions and tokens."""
    if user.active == active:
        return
    if not active:
        _ensure_admin_remains(actor, user, deactivating=True)
        user.session_id = new_session_id()
    user.active = active
    audit.record(
        "user_reactivated" if active else "user_deactivated", actor=actor, target=user, ip=ip
    )
    db.session.commit()


def reset_password(actor, user, new_password, *, ip=None):
    """An admin (or the CLI, ``actor`` None) sets a temporary password to change at next login."""
    check_password_strength(new_password, username=user.username)
    user.password_hash = hash_password(new_password)
    user.must_change_password = True
    user.session_id = new_session_id()
    audit.record(
        "password_reset", actor=actor, actor_username=None if actor else "cli", target=user, ip=ip
    )
    db.session.commit()
