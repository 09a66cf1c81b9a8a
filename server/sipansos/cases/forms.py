"""Forms of the case page: new case, edit, evidence, terlapor, parties, and one per action."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..models.case import CASE_SOURCES
from ..services import deadlines

PARTY_ROLE_LABELS = {"pelapor": _l("Pelapor (reporter)"), "saksi": _l("Saksi (witness)")}
DECISION_LABELS = {
    "pelanggaran": _l("Violation (pelanggaran)"),
    "bukan_pelanggaran": _l("Not a violation (bukan pelanggaran)"),
}


def choices(pairs, optgroup=None):
    """``SelectChoice`` options from ``(value, label)`` pairs (WTForms deprecates tuples)."""
    return [SelectChoice(value, label, optgroup=optgroup) for value, label in pairs]


def not_in_future(form, field):
    """Dates of things that already happened cannot lie after today (Jakarta)."""
    if field.data and field.data > deadlines.today():
        raise ValidationError(_l("This date lies in the future."))


def _text(label, *validators, max_length=20_000, **kwargs):
    return TextAreaField(label, validators=[*validators, Length(max=max_length)], **kwargs)


def _date(label, required=False, **kwargs):
    first = DataRequired() if required else Optional()
    return DateField(label, validators=[first, not_in_future], **kwargs)


class CaseFieldsForm(FlaskForm):
    """What a case says about itself; categories come from the reference data."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    category = SelectField(_l("Category"), validators=[Optional()])
    known_date = _date(
        _l("Date the violation became known"),
        required=True,
        description=_l("Temuan and Laporan must be set within 7 days of this date."),
    )
    summary = _text(_l("Summary"), Optional())

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = choices(
            [("", _("— no category —"))] + [(str(c.id), c.name) for c in categories]
        )


class NewCaseForm(CaseFieldsForm):
    source = RadioField(
        _l("Source"),
        choices=choices(CASE_SOURCES.items()),
        default="temuan",
        validators=[DataRequired()],
    )
    capture = HiddenField()
    submit = SubmitField(_l("Create case"))


class EditCaseForm(CaseFieldsForm):
    received_date = _date(_l("Date the report was received"))
    kajian_notes = _text(_l("Kajian notes"), Optional(), max_length=100_000)
    legal_bases = SelectMultipleField(_l("Legal bases (Dasar Hukum)"), coerce=int)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, legal_bases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.legal_bases.choices = choices((b.id, b.citation) for b in legal_bases)


class AttachEvidenceForm(FlaskForm):
    capture = StringField(
        _l("Capture"),
        validators=[DataRequired(), Length(max=8000)],
        description=_l(
            "The capture ID (UUID) from its evidence page, the address of that page, or the "
            "URL of the captured post."
        ),
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Attach evidence"))


class RemoveEvidenceForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for removing it from the case"), validators=[DataRequired(), Length(max=2000)]
    )


class AddTerlaporForm(FlaskForm):
    terlapor_id = HiddenField(validators=[DataRequired()])


class PartyForm(FlaskForm):
    role = SelectField(_l("Role"), validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    identity_number = StringField(_l("NIK"), validators=[Optional(), Length(max=32)])
    address = TextAreaField(_l("Address"), validators=[Optional(), Length(max=2000)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=50)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Add"))

    def __init__(self, *args, source="temuan", **kwargs):
        super().__init__(*args, **kwargs)
        roles = ("pelapor", "saksi") if source == "laporan" else ("saksi",)
        self.role.choices = choices((r, PARTY_ROLE_LABELS[r]) for r in roles)


# --- One form per transition. Their fields carry the action as prefix, so the page can show
# all of them at once with unique ids.


class ActionForm(FlaskForm):
    """A transition with nothing to fill in: a button."""

    class Meta:
        # CSRFProtect checks the token of every POST app-wide; the template sends the
        # session token under its plain name whatever the form's prefix.
        csrf = False

    confirm_required = False


class ConfirmedActionForm(ActionForm):
    """Actions that stop a case: the user ticks a box to confirm."""

    confirm_required = True
    confirm = BooleanField(
        _l("I am sure: this stops the handling of the case."), validators=[DataRequired()]
    )


class ReceiveReportForm(ActionForm):
    received_date = _date(
        _l("Date the report was received"), description=_l("Leave empty for today.")
    )


class EstablishFindingForm(ActionForm):
    pleno_date = _date(_l("Pleno date"), description=_l("Leave empty for today."))
    note = _text(_l("Note"), Optional(), max_length=2000)


class DiscontinueForm(ConfirmedActionForm):
    reason = _text(_l("Reason (pleno result)"), DataRequired(), max_length=5000)


class RequestCompletionForm(ActionForm):
    missing = _text(
        _l("What is missing"),
        DataRequired(),
        max_length=5000,
        description=_l("The reporter has 2×24 hours to complete the report."),
    )


class RejectReportForm(ConfirmedActionForm):
    reason = _text(_l("Reason"), DataRequired(), max_length=5000)


class RegisterForm(ActionForm):
    registered_date = _date(_l("Registration date"), description=_l("Leave empty for today."))


class StartKajianForm(ActionForm):
    notes = _text(_l("Kajian notes"), Optional(), max_length=100_000)


class DecideForm(ActionForm):
    decision = RadioField(
        _l("Pleno decision"),
        choices=choices(DECISION_LABELS.items()),
        default="pelanggaran",
        validators=[DataRequired()],
    )
    route = SelectField(
        _l("Route"),
        validators=[Optional()],
        description=_l("Suggested routes fit the category and the first terlapor's status."),
    )
    decision_date = _date(_l("Decision date (pleno)"), description=_l("Leave empty for today."))
    pleno_result = _text(_l("Pleno result"), Optional(), max_length=20_000)
    legal_bases = SelectMultipleField(_l("Legal bases (Dasar Hukum)"), coerce=int)

    def __init__(self, *args, suggested=(), other_routes=(), legal_bases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.route.choices = (
            choices([("", _("— choose a route —"))])
            + choices([(str(r.id), r.name) for r in suggested], _("Suggested"))
            + choices([(str(r.id), r.name) for r in other_routes], _("Other routes"))
        )
        self.legal_bases.choices = choices((b.id, b.citation) for b in legal_bases)

    def validate(self, extra_validators=None):
        # Not a validate_route method: Optional() stops the chain before it for an empty value.
        valid = super().validate(extra_validators)
        if valid and self.decision.data == "pelanggaran" and not self.route.data:
            self.route.errors.append(_("A violation needs a route: where does the case go?"))
            return False
        return valid


class ForwardForm(ActionForm):
    letter_number = StringField(_l("Letter number"), validators=[DataRequired(), Length(max=200)])
    letter_date = _date(_l("Letter date"), required=True)
    dispatch_date = _date(_l("Dispatch date"), description=_l("Leave empty: the letter date."))
    recipients = _text(
        _l("Recipients"),
        DataRequired(),
        max_length=5000,
        description=_l("One per line; prefilled from the route."),
    )
    copies = _text(
        _l("Copies (Tembusan)"),
        Optional(),
        max_length=5000,
        description=_l("One per line; prefilled from the route."),
    )


class FollowUpForm(ActionForm):
    followed_up = RadioField(
        _l("Result"),
        choices=choices([("1", _l("Followed up (Sudah Ditindaklanjuti)")),
                         ("0", _l("Not followed up (Tidak Ditindaklanjuti)"))]),
        default="1",
        validators=[DataRequired()],
    )  # fmt: skip
    outcome = _text(
        _l("Outcome"),
        DataRequired(),
        max_length=5000,
        description=_l("Reply letter, sanction, decree …"),
    )
    reference_number = StringField(
        _l("Reference number (decree, reply letter)"), validators=[Optional(), Length(max=200)]
    )
    reference_date = _date(_l("Reference date"))


class CloseForm(ActionForm):
    note = _text(_l("Note"), Optional(), max_length=2000)


ACTION_FORMS = {
    "submit": ActionForm,
    "receive_report": ReceiveReportForm,
    "establish_finding": EstablishFindingForm,
    "discontinue": DiscontinueForm,
    "request_completion": RequestCompletionForm,
    "complete_report": ActionForm,
    "reject_report": RejectReportForm,
    "register": RegisterForm,
    "start_clarification": ActionForm,
    "start_kajian": StartKajianForm,
    "decide": DecideForm,
    "forward": ForwardForm,
    "record_follow_up": FollowUpForm,
    "close": CloseForm,
    "archive": ActionForm,
}
