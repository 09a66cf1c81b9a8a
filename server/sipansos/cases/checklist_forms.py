"""Forms of a case's follow-up checklist (Tindak Lanjut): tick, reopen, attach, add a step.

The partial ``cases/_checklist.html`` writes these forms out by hand, once per item, with ids
made unique per item; these classes validate what comes back, field names matching the HTML.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..services import deadlines

UNIT_LABELS = {"calendar": _l("calendar days"), "working": _l("working days")}
ANCHOR_LABELS = {
    "known_date": _l("the date the violation became known"),
    "registered_date": _l("the registration date"),
    "decision_date": _l("the decision (pleno) date"),
    "dispatch_date": _l("the date the letter was sent"),
    "previous_item": _l("the day the previous step was done"),
}
MAX_DEADLINE_DAYS = 366


def _choices(labels):
    return [SelectChoice("", "—"), *(SelectChoice(value, label) for value, label in labels.items())]


class CompleteItemForm(FlaskForm):
    """Tandai selesai: when the step happened, with an optional note and letter."""

    done_on = DateField(
        _l("Done on"), validators=[DataRequired(message=_l("Give the date the step was done."))]
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    letter_number = StringField(_l("Letter number"), validators=[Optional(), Length(max=200)])
    letter_date = DateField(_l("Letter date"), validators=[Optional()])

    def validate_done_on(self, field):
        if field.data and field.data > deadlines.today():
            raise ValidationError(_l("A step cannot be done on a date in the future."))

    def values(self):
        """The keyword arguments of ``services.checklists.complete_item``."""
        return {
            "done_on": self.done_on.data,
            "note": (self.note.data or "").strip() or None,
            "letter_number": (self.letter_number.data or "").strip() or None,
            "letter_date": self.letter_date.data,
        }


class ReopenItemForm(FlaskForm):
    """Buka kembali: a done step is open again; the reason goes on the timeline."""

    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(message=_l("Give the reason for reopening this step.")),
            Length(max=1000),
        ],
    )


class DocumentForm(FlaskForm):
    """A letter, receipt or decree attached to a step."""

    file = FileField(_l("Document"))

    def validate_file(self, field):
        if not getattr(field.data, "filename", None):
            raise ValidationError(_l("Choose a file to upload."))


class AddItemForm(FlaskForm):
    """A step added to this case only, with an optional deadline rule."""

    title = TextAreaField(
        _l("Step"),
        validators=[DataRequired(message=_l("Describe the step.")), Length(max=2000)],
    )
    actor = StringField(_l("Who acts"), validators=[Optional(), Length(max=200)])
    deadline_days = IntegerField(
        _l("Deadline (days)"),
        validators=[
            Optional(),
            NumberRange(
                min=0,
                max=MAX_DEADLINE_DAYS,
                message=_l("The deadline must be from 0 to %(max)d days.", max=MAX_DEADLINE_DAYS),
            ),
        ],
    )
    deadline_unit = SelectField(
        _l("Counted in"),
        choices=lambda: _choices(UNIT_LABELS),
        validators=[Optional()],
    )
    deadline_anchor = SelectField(
        _l("Counted from"),
        choices=lambda: _choices(ANCHOR_LABELS),
        validators=[Optional()],
    )

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        given = [self.deadline_days.data is not None, *(bool(f.data) for f in self._rule()[1:])]
        if any(given) and not all(given):
            self.deadline_days.errors.append(
                _l("A deadline needs the number of days, the kind of days and the starting date.")
            )
            return False
        return True

    def _rule(self):
        return self.deadline_days, self.deadline_unit, self.deadline_anchor

    def values(self):
        """The arguments of ``services.checklists.add_item`` after the case and the actor."""
        has_rule = self.deadline_days.data is not None
        return {
            "title": self.title.data.strip(),
            "who": (self.actor.data or "").strip() or None,
            "days": self.deadline_days.data if has_rule else None,
            "unit": self.deadline_unit.data if has_rule else None,
            "anchor": self.deadline_anchor.data if has_rule else None,
        }
