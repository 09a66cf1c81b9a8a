"""Forms of the evidence pages: list filters, manual upload, withdrawal."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    DateField,
    DateTimeLocalField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError

from ..schemas.captures import PLATFORMS

PLATFORM_LABELS = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "x": "X (Twitter)",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "whatsapp": "WhatsApp",
    "telegram": "Telegram",
    "web": _l("Website"),
    "other": _l("Other"),
}

SOURCE_LABELS = {"extension": _l("Browser extension"), "manual": _l("Manual upload")}

KIND_LABELS = {
    "screenshot_full": _l("Full-page screenshot"),
    "screenshot_viewport": _l("Visible-area screenshot"),
    "post_screenshot": _l("Post screenshot"),
    "page_mhtml": _l("Page archive (MHTML)"),
    "dom_html": _l("Page HTML (DOM)"),
    "extra": _l("Additional file"),
}


def _platform_choices():
    return [(value, PLATFORM_LABELS.get(value, value)) for value in PLATFORMS]


class EvidenceFilterForm(FlaskForm):
    """The filters of the evidence list, read from the query string (no CSRF for a GET)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=200)])
    platform = SelectField(_l("Platform"), validators=[Optional()])
    operator = SelectField(_l("Operator"), validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Until"), validators=[Optional()])
    in_case = SelectField(_l("Case"), validators=[Optional()])

    def __init__(self, formdata, uploaders, **kwargs):
        super().__init__(formdata, **kwargs)
        self.platform.choices = [("", _l("All platforms")), *_platform_choices()]
        self.operator.choices = [("", _l("All operators"))] + [
            (str(user.id), f"{user.full_name} (@{user.username})") for user in uploaders
        ]
        self.in_case.choices = [
            ("", _l("With or without a case")),
            ("yes", _l("In a case")),
            ("no", _l("Not in any case")),
        ]

    def value(self, field):
        """The field's value when it passed validation, else None (a bad filter is ignored)."""
        return None if field.errors or field.data in ("", None) else field.data


class ManualUploadForm(FlaskForm):
    """Evidence that did not come through the extension: phone screenshots, recordings, PDFs."""

    files = MultipleFileField(
        _l("Files"),
        description=_l(
            "One or more files: screenshots, screen recordings, PDFs of chats. Accepted: PNG, "
            "JPEG, WebP, GIF, PDF, MP4, WebM, HTML, MHTML, JSON and plain text."
        ),
    )
    url = URLField(
        _l("URL of the post"),
        validators=[DataRequired(), URL(require_tld=False), Length(max=8000)],
    )
    platform = SelectField(_l("Platform"), choices=_platform_choices, default="other")
    title = StringField(_l("Title"), validators=[Optional(), Length(max=2000)])
    author_name = StringField(_l("Author name"), validators=[Optional(), Length(max=500)])
    author_handle = StringField(
        _l("Author account (handle)"), validators=[Optional(), Length(max=200)]
    )
    post_text = TextAreaField(_l("Post text"), validators=[Optional(), Length(max=100_000)])
    category = StringField(_l("Category"), validators=[Optional(), Length(max=64)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=20_000)])
    captured_at = DateTimeLocalField(
        _l("Capture time"),
        validators=[Optional()],
        description=_l("When the evidence was captured (WIB). Leave empty for now."),
    )
    submit = SubmitField(_l("Upload evidence"))

    def validate_files(self, field):
        if not self.chosen_files():
            raise ValidationError(_l("Choose at least one file."))

    def validate_url(self, field):
        if not field.data.lower().startswith(("http://", "https://")):
            raise ValidationError(_l("The URL must start with http:// or https://."))

    def chosen_files(self):
        """The uploaded files, without the empty part a browser sends when none is chosen."""
        return [f for f in (self.files.data or []) if getattr(f, "filename", None)]


class WithdrawForm(FlaskForm):
    """Withdrawing a capture from the evidence list; the reason is kept and shown."""

    reason = TextAreaField(
        _l("Reason for withdrawal"), validators=[DataRequired(), Length(max=2000)]
    )
    submit = SubmitField(_l("Withdraw evidence"))


class ConfirmForm(FlaskForm):
    """A POST button with only the CSRF token (integrity check)."""


class AttachCaseForm(FlaskForm):
    """Attach a capture to a case chosen from the list of open cases or by register number."""

    case_id = IntegerField(_l("Case"), validators=[Optional()])
    number = StringField(_l("or register number"), validators=[Optional(), Length(max=100)])
    submit = SubmitField(_l("Attach to case"))


class StartCaseForm(FlaskForm):
    """Start a draft case (Temuan) with a capture as its first evidence."""

    title = StringField(_l("Case title"), validators=[Optional(), Length(max=300)])
    category = SelectField(_l("Category"), validators=[Optional()])
    submit = SubmitField(_l("Start a new case"))

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [("", _l("No category yet"))] + [
            (c.code, c.name) for c in categories
        ]
