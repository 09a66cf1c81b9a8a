"""The form that makes a letter (Buat Surat) for a case from a letter template."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .forms import choices


def lines(text):
    """The non-empty lines of a text area."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class LetterForm(FlaskForm):
    template = SelectField(_l("Template"), validators=[DataRequired()])
    number = StringField(
        _l("Letter number"),
        validators=[Optional(), Length(max=200)],
        description=_l("From the office's agenda; leave empty for a draft to number later."),
    )
    letter_date = DateField(_l("Letter date"), validators=[DataRequired()])
    recipients = TextAreaField(
        _l("Recipients"),
        validators=[Optional(), Length(max=5000)],
        description=_l("One per line; prefilled from the route. Not used by Form A."),
    )
    copies = TextAreaField(
        _l("Copies (Tembusan)"),
        validators=[Optional(), Length(max=5000)],
        description=_l("One per line; prefilled from the route. Not used by Form A."),
    )
    attachments = TextAreaField(
        _l("Attachments"),
        validators=[Optional(), Length(max=50_000)],
        description=_l("One per line; prefilled with the kajian, the evidence and the "
                       "documents of done follow-up steps."),
    )  # fmt: skip

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.template.choices = choices((str(t.id), t.name) for t in templates)

    def values(self):
        """The keyword arguments of ``services.letters.generate_letter`` but the template."""
        return {
            "number": (self.number.data or "").strip() or None,
            "letter_date": self.letter_date.data,
            "recipients": lines(self.recipients.data),
            "copies": lines(self.copies.data),
            "attachments": lines(self.attachments.data),
        }
