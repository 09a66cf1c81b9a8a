"""Forms of the reported-person pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ..evidence.forms import PLATFORM_LABELS
from ..models.reference import SUBJECT_STATUS_LABELS
from ..services import terlapor as service
from .messages import refusal

# Empty account rows offered on the new-person form; more are added on the person's page.
NEW_ACCOUNT_ROWS = 3


def _platform_choices(blank):
    choices = [SelectChoice(value, label) for value, label in PLATFORM_LABELS.items()]
    return [SelectChoice("", blank), *choices] if blank else choices


class AccountRow(Form):
    """One social-media account; a row left entirely empty is ignored."""

    platform = SelectField(_l("Platform"), validators=[Optional()])
    handle = StringField(_l("Handle"), validators=[Optional(), Length(max=200)])
    profile_url = URLField(
        _l("Profile URL"),
        validators=[
            Optional(),
            Length(max=2000),
            Regexp(
                r"(?i)^https?://[^\s/]+\S*$",
                message=_l("Enter a web address starting with https://"),
            ),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.platform.choices = _platform_choices(_l("— platform —"))

    @property
    def is_empty(self):
        return not (self.platform.data or (self.handle.data or "").strip() or self.profile_url.data)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.is_empty:
            return ok
        if not self.platform.data:
            self.platform.errors.append(_l("Choose the platform of this account."))
            ok = False
        if not service.normalise_handle(self.handle.data):
            self.handle.errors.append(_l("Enter the account's handle."))
            ok = False
        return ok

    def value(self):
        return {
            "platform": self.platform.data,
            "handle": self.handle.data.strip(),
            "profile_url": self.profile_url.data or None,
        }


class TerlaporForm(FlaskForm):
    """The person's own fields (Identitas Terlapor)."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    nip = StringField(
        _l("NIP"),
        validators=[Optional(), Length(max=40)],
        description=_l("18 digits; spaces and dots as printed are fine. Leave empty if unknown."),
    )
    rank_grade = StringField(_l("Rank / grade"), validators=[Optional(), Length(max=100)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    agency = StringField(_l("Agency / work unit"), validators=[Optional(), Length(max=300)])
    employment_status = SelectField(
        _l("Employment status"),
        choices=[SelectChoice(s.value, label) for s, label in SUBJECT_STATUS_LABELS.items()],
        default="lainnya",
        validators=[DataRequired()],
    )
    responsible_ppk = StringField(
        _l("Responsible PPK"),
        validators=[Optional(), Length(max=200)],
        description=_l("Pejabat Pembina Kepegawaian, e.g. Bupati Belitung Timur."),
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))

    def validate_nip(self, field):
        try:
            service.normalise_nip(field.data)
        except service.TerlaporError as exc:
            raise ValidationError(refusal(exc)) from exc

    def values(self):
        """The person's fields as the service takes them."""
        return {name: getattr(self, name).data for name in service.EDITABLE}


class NewTerlaporForm(TerlaporForm):
    """A new person with a few accounts, and the acknowledgement of possible duplicates."""

    accounts = FieldList(FormField(AccountRow), min_entries=NEW_ACCOUNT_ROWS, max_entries=20)
    # The ids of the possible duplicates the user was shown; "save anyway" covers only those.
    seen_matches = HiddenField()
    save_anyway = BooleanField(_l("This is a different person: save anyway"))

    def account_values(self):
        return [row.form.value() for row in self.accounts if not row.form.is_empty]

    def seen_match_ids(self):
        return {int(part) for part in (self.seen_matches.data or "").split(",") if part.isdigit()}


class AccountForm(FlaskForm):
    """An account added to a known person."""

    platform = SelectField(_l("Platform"), validators=[DataRequired()])
    handle = StringField(_l("Handle"), validators=[DataRequired(), Length(max=200)])
    profile_url = AccountRow.profile_url
    submit = SubmitField(_l("Add account"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.platform.choices = _platform_choices(None)
