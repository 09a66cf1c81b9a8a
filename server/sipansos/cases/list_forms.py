"""The filters of the case list, read from the query string."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import BooleanField, DateField, SearchField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import html_params

from ..evidence.forms import PLATFORM_LABELS
from ..models import CaseState
from ..models.case import STATE_LABELS
from ..models.reference import SUBJECT_STATUS_LABELS
from ..schemas.captures import PLATFORMS
from ..services.case_queries import DEFAULT_SORT, SORT_KEYS, CaseFilters

# WTForms has no Indonesian messages: every message a filter can show is ours.
_DATE = {"invalid_value_message": _l("Enter a date as YYYY-MM-DD.")}
_CHOICE = {"invalid_choice_message": _l("Choose one of the listed values.")}


def _at_most(n):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


class FilterSelect:
    """The ``<select>`` of a filter: the markup of WTForms' ``Select`` (one choice, no groups),
    the options written out directly. WTForms builds each of the list's ~60 options through
    ``html_params`` and ``Markup.format``, which was a quarter of the page's time."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        for value, label in field.choices:
            selected = " selected" if value == field.data else ""
            label = escape(label or value)
            html.append(f'<option{selected} value="{escape(value)}">{label}</option>')
        html.append("</select>")
        return Markup("".join(html))  # noqa: S704 - the tag, values and labels escaped above


def _filter_select(label):
    return SelectField(label, validators=[Optional()], widget=FilterSelect(), **_CHOICE)


class CaseFilterForm(FlaskForm):
    """Every filter of the case list (a GET form: no CSRF). A bad value is reported on its
    field and that filter is left out; the list still shows."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional(), _at_most(200)])
    state = _filter_select(_l("Status"))
    category = _filter_select(_l("Category"))
    platform = _filter_select(_l("Platform"))
    subject_status = _filter_select(_l("Terlapor status"))
    agency = StringField(_l("Terlapor agency"), validators=[Optional(), _at_most(300)])
    operator = _filter_select(_l("Operator"))
    date_from = DateField(_l("Known from"), validators=[Optional()], **_DATE)
    date_to = DateField(_l("Known until"), validators=[Optional()], **_DATE)
    overdue = BooleanField(_l("Overdue only"))
    sort = _filter_select(_l("Sort"))

    def __init__(self, formdata, *, categories, operators, **kwargs):
        super().__init__(formdata, **kwargs)
        self.state.choices = [("", _l("All statuses"))] + [
            (state.value, STATE_LABELS[state]) for state in CaseState
        ]
        self.category.choices = [("", _l("All categories"))] + [
            (category.code, category.name) for category in categories
        ]
        self.platform.choices = [("", _l("All platforms"))] + [
            (value, PLATFORM_LABELS.get(value, value)) for value in PLATFORMS
        ]
        self.subject_status.choices = [("", _l("All terlapor statuses"))] + [
            (status.value, label) for status, label in SUBJECT_STATUS_LABELS.items()
        ]
        self.operator.choices = [("", _l("All operators"))] + [
            (str(user.id), f"{user.full_name} (@{user.username})") for user in operators
        ]
        self.sort.choices = [
            (f"{sign}{key}", f"{sign}{key}") for key in SORT_KEYS for sign in ("", "-")
        ]

    def validate_date_to(self, field):
        if field.data and self.date_from.data and not self.date_from.errors:
            if field.data < self.date_from.data:
                raise ValidationError(_l("The end date is before the start date."))

    def value(self, field):
        """The field's value when it passed validation, else None (a bad filter is ignored)."""
        return None if field.errors or field.data in ("", None) else field.data

    def filters(self):
        """The ``CaseFilters`` of the valid fields."""
        operator = self.value(self.operator)
        agency = self.value(self.agency)
        return CaseFilters(
            state=self.value(self.state),
            category=self.value(self.category),
            platform=self.value(self.platform),
            subject_status=self.value(self.subject_status),
            agency=agency.strip() or None if agency else None,
            operator_id=int(operator) if operator else None,
            date_from=self.value(self.date_from),
            date_to=self.value(self.date_to),
            overdue=bool(self.overdue.data),
            text=self.value(self.q),
        )

    def sort_value(self):
        return self.value(self.sort) or DEFAULT_SORT

    def invalid_fields(self):
        """The fields whose values were refused, for the message above the list."""
        return [field for field in self if field.errors]
