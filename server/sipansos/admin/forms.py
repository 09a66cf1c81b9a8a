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
    "cases_exported": _l("Case list spreadsheet downloaded"),
    "evidence_exported": _l("Evidence list spreadsheet downloaded"),
    "case_created": _l("Case created"),
    "case_updated": _l("Case changed"),
    "case_legal_bases_set": _l("Legal bases of a case set"),
    "case_evidence_added": _l("Evidence added to a case"),
    "case_evidence_removed": _l("Evidence removed from a case"),
    "case_terlapor_added": _l("Terlapor added to a case"),
    "case_terlapor_removed": _l("Terlapor removed from a case"),
    "case_party_added": _l("Pelapor/saksi added to a case"),
    "case_route_chosen": _l("Route of a case chosen"),
    "case_checklist_item_added": _l("Follow-up step added"),
    "case_checklist_item_done": _l("Follow-up step done"),
    "case_checklist_item_reopened": _l("Follow-up step reopened"),
    "case_document_attached": _l("Document attached to a follow-up step"),
    "case_document_downloaded": _l("Case document downloaded"),
    "case_letter_generated": _l("Letter made for a case"),
    "terlapor_created": _l("Terlapor created"),
    "terlapor_updated": _l("Terlapor changed"),
    "terlapor_account_added": _l("Terlapor account added"),
    "reference_created": _l("Reference data added"),
    "reference_updated": _l("Reference data changed"),
    "reference_route_item_added": _l("Route checklist step added"),
    "reference_route_item_moved": _l("Route checklist step moved"),
    "reference_route_item_removed": _l("Route checklist step removed"),
    "reference_route_copy_added": _l("Route copy (tembusan) added"),
    "reference_route_copy_removed": _l("Route copy (tembusan) removed"),
    "holiday_added": _l("Holiday added"),
    "holiday_removed": _l("Holiday removed"),
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
