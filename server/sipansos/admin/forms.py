"""Admin forms for user management."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from ..models import Role
from ..services.passwords import MIN_PASSWORD_LENGTH

ROLE_LABELS = {
    Role.ADMIN.value: _l("Admin"),
    Role.KOORDINATOR.value: _l("Coordinator"),
    Role.OPERATOR.value: _l("Operator"),
}


AUDIT_ACTION_LABELS = {
    "login": _l("Signed in"),
    "login_failed": _l("Failed sign-in"),
    "logout": _l("Signed out"),
    "password_changed": _l("Changed own password"),
    "password_reset": _l("Password reset"),
    "user_created": _l("User created"),
    "user_updated": _l("User changed"),
    "user_deactivated": _l("User deactivated"),
    "user_reactivated": _l("User reactivated"),
    "token_created": _l("API token created"),
    "token_revoked": _l("API token revoked"),
    "capture_received": _l("Capture received"),
    "capture_withdrawn": _l("Capture withdrawn"),
    "capture_exported": _l("Evidence package downloaded"),
    "case_exported": _l("Case evidence package downloaded"),
    "case_dossier_exported": _l("Case dossier (PDF) downloaded"),
}


def _role_choices():
    return list(ROLE_LABELS.items())


class UserEditForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=_role_choices, validators=[DataRequired()])
    submit = SubmitField(_l("Save"))


class UserCreateForm(UserEditForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(min=3, max=64),
            Regexp(
                r"^[A-Za-z0-9._-]+$",
                message=_l("Use letters, digits, dot, dash or underscore only."),
            ),
        ],
    )
    password = PasswordField(
        _l("Temporary password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=1024)],
        description=_l("The user must change it at first sign-in."),
    )
    submit = SubmitField(_l("Create user"))


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New temporary password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=1024)],
    )
    submit = SubmitField(_l("Reset password"))
