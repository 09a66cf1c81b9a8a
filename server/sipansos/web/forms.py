"""Forms of the signed-in user's own pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length


class CreateTokenForm(FlaskForm):
    name = StringField(
        _l("Token name"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("The browser or device it is for, e.g. “Chrome laptop kantor”."),
    )
    submit = SubmitField(_l("Create token"))
