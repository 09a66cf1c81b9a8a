"""Forms of the reference-data pages (Referensi)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..models.reference import SUBJECT_STATUS_LABELS

CHANNEL_LABELS = {
    "rekomendasi": _l("Rekomendasi (administrative, to KPU)"),
    "penerusan": _l("Penerusan (to the competent agency)"),
    "gakkumdu": _l("Sentra Gakkumdu (criminal)"),
}
UNIT_LABELS = {"calendar": _l("calendar days"), "working": _l("working days")}
ANCHOR_LABELS = {
    "known_date": _l("the date the violation became known"),
    "registered_date": _l("the registration date"),
    "decision_date": _l("the decision (pleno) date"),
    "dispatch_date": _l("the date the letter was sent"),
    "previous_item": _l("the day the previous item was done"),
}


def _choices(pairs):
    """SelectField choices from (value, label) pairs (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


def _text(field):
    """The field's text stripped, or None when empty (the database stores NULL, not "")."""
    return (field.data or "").strip() or None


def _id_or_none(value):
    return int(value) if value not in (None, "") else None


class CategoryForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    position = IntegerField(
        _l("Order in lists"), validators=[Optional(), NumberRange(min=0, max=10000)]
    )
    active = BooleanField(_l("In use"), default=True)
    submit = SubmitField(_l("Save"))

    def values(self):
        values = {"name": _text(self.name), "description": _text(self.description),
                  "active": self.active.data}  # fmt: skip
        if self.position.data is not None:
            values["position"] = self.position.data
        return values

    def create_values(self):
        return {"name": _text(self.name), "description": _text(self.description)}


class LegalBasisForm(FlaskForm):
    regulation = StringField(
        _l("Regulation"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("e.g. UU 10/2016, PP 94/2021 tentang Disiplin PNS"),
    )
    article = StringField(
        _l("Article"), validators=[Optional(), Length(max=200)], description=_l("e.g. Pasal 71")
    )
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=5000)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    verified = BooleanField(_l("Verified against the source"), default=True)
    active = BooleanField(_l("In use"), default=True)
    submit = SubmitField(_l("Save"))

    def values(self):
        return {**self.create_values(), "active": self.active.data}

    def create_values(self):
        return {
            "regulation": _text(self.regulation),
            "article": _text(self.article),
            "summary": _text(self.summary),
            "note": _text(self.note),
            "verified": self.verified.data,
        }


class AgencyForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    verified = BooleanField(_l("Verified against the source"), default=True)
    active = BooleanField(_l("In use"), default=True)
    submit = SubmitField(_l("Save"))

    def values(self):
        return {**self.create_values(), "active": self.active.data}

    def create_values(self):
        return {"name": _text(self.name), "note": _text(self.note), "verified": self.verified.data}


class RouteForm(FlaskForm):
    """Where a finding about a kind of subject (and optionally a category) goes."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    subject_status = SelectField(_l("Subject status"), validators=[Optional()])
    category_id = SelectField(_l("Violation category"), coerce=_id_or_none, validate_choice=True)
    channel = SelectField(
        _l("Channel"), choices=_choices(CHANNEL_LABELS.items()), validators=[DataRequired()]
    )
    recipient_id = SelectField(_l("Recipient"), coerce=_id_or_none)
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    verified = BooleanField(_l("Verified against the source"), default=True)
    active = BooleanField(_l("In use"), default=True)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, categories=(), agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.subject_status.choices = _choices(
            [
                ("", _l("Any status")),
                *((s.value, label) for s, label in SUBJECT_STATUS_LABELS.items()),
            ]
        )
        self.category_id.choices = _choices(
            [("", _l("Any category")), *((str(c.id), c.name) for c in categories)]
        )
        self.recipient_id.choices = _choices(
            [("", _l("No recipient (handled by Bawaslu itself)")),
             *((str(a.id), a.name) for a in agencies)]
        )  # fmt: skip

    def values(self):
        return {**self.create_values(), "active": self.active.data}

    def create_values(self):
        return {
            "name": _text(self.name),
            "subject_status": self.subject_status.data or None,
            "category_id": self.category_id.data,
            "channel": self.channel.data,
            "recipient_id": self.recipient_id.data,
            "description": _text(self.description),
            "note": _text(self.note),
            "verified": self.verified.data,
        }


class RouteItemForm(FlaskForm):
    """One step of a route's checklist template, with an optional deadline rule."""

    title = TextAreaField(_l("What is to be done"), validators=[DataRequired(), Length(max=2000)])
    actor = StringField(
        _l("Who acts"),
        validators=[Optional(), Length(max=200)],
        description=_l("e.g. Bawaslu Kabupaten/Kota, BKN, PPK"),
    )
    deadline_days = IntegerField(
        _l("Deadline (days)"), validators=[Optional(), NumberRange(min=0, max=3650)]
    )
    deadline_unit = SelectField(
        _l("Counted in"),
        choices=_choices([("", "—"), *UNIT_LABELS.items()]),
        validators=[Optional()],
    )
    deadline_anchor = SelectField(
        _l("Counted from"),
        choices=_choices([("", "—"), *ANCHOR_LABELS.items()]),
        validators=[Optional()],
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    verified = BooleanField(_l("Verified against the source"), default=True)
    submit = SubmitField(_l("Save"))

    def validate_deadline_days(self, field):
        parts = (field.data, self.deadline_unit.data or None, self.deadline_anchor.data or None)
        if any(part is not None for part in parts) and any(part is None for part in parts):
            raise ValidationError(
                _l("A deadline needs the number of days, the unit and the date it counts from.")
            )

    def values(self):
        return {
            "title": _text(self.title),
            "actor": _text(self.actor),
            "deadline_days": self.deadline_days.data,
            "deadline_unit": self.deadline_unit.data or None,
            "deadline_anchor": self.deadline_anchor.data or None,
            "note": _text(self.note),
            "verified": self.verified.data,
        }


class CopyForm(FlaskForm):
    """An agency added to a route's copies (tembusan)."""

    agency_id = SelectField(_l("Agency"), coerce=int, validators=[DataRequired()])
    submit = SubmitField(_l("Add copy"))

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_id.choices = _choices((str(a.id), a.name) for a in agencies)


class HolidayForm(FlaskForm):
    date = DateField(_l("Date"), validators=[DataRequired()])
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("e.g. Hari Raya Natal, Cuti bersama Idulfitri"),
    )
    verified = BooleanField(_l("Verified against the official decree (SKB)"), default=True)
    submit = SubmitField(_l("Add holiday"))


LETTER_KIND_LABELS = {
    "penerusan": _l("Penerusan (to the competent agency)"),
    "rekomendasi": _l("Rekomendasi (administrative, to KPU)"),
    "form_a": _l("Form A (supervision report)"),
}


class LetterTemplateForm(FlaskForm):
    """A letter template's texts; placeholders are checked by the service when saved."""

    kind = SelectField(_l("Kind"), choices=_choices(LETTER_KIND_LABELS.items()))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    letterhead = TextAreaField(
        _l("Letterhead (kop surat)"),
        validators=[Optional(), Length(max=2000)],
        description=_l("One line each: office, address, telephone, e-mail."),
    )
    place = StringField(
        _l("Place of the letter"),
        validators=[Optional(), Length(max=100)],
        description=_l("Written before the date, e.g. Muara Beliti."),
    )
    classification = StringField(
        _l("Classification (Sifat)"), validators=[Optional(), Length(max=50)]
    )
    subject = TextAreaField(
        _l("Subject (Perihal) or report title"), validators=[DataRequired(), Length(max=2000)]
    )
    body = TextAreaField(
        _l("Body"),
        validators=[DataRequired(), Length(max=50_000)],
        description=_l("A blank line starts a paragraph; “# ” a heading; “- ” or “1. ” a "
                       "list item."),
    )  # fmt: skip
    closing = TextAreaField(_l("Closing"), validators=[Optional(), Length(max=5000)])
    signer_title = TextAreaField(_l("Signer's title"), validators=[Optional(), Length(max=2000)])
    signer_name = StringField(_l("Signer's name"), validators=[Optional(), Length(max=200)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    verified = BooleanField(_l("Checked against the office's format"), default=False)
    active = BooleanField(_l("In use"), default=True)
    submit = SubmitField(_l("Save"))

    def values(self):
        """The fields an edit may change (the kind is fixed once made)."""
        active = self.active.data if self.active is not None else True  # not on new ones
        texts = ("letterhead", "place", "classification", "closing", "signer_title",
                 "signer_name", "note")  # fmt: skip
        values = {name: _text(getattr(self, name)) for name in texts}
        values.update(
            name=_text(self.name),
            subject=self.subject.data.strip(),
            body=self.body.data.replace("\r\n", "\n").strip(),
            verified=self.verified.data,
            active=active,
        )
        return values

    def create_values(self):
        values = self.values()
        del values["active"]
        return {"kind": self.kind.data, **values}
