"""Letter templates (Referensi › Templat Surat): list, add and edit. Admin only (the
blueprint's guard); every change goes through ``services.letter_templates``."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..models import LetterTemplate
from ..services import letter_templates as service
from ..services import letters
from ..services.case_states import CaseError
from ..services.reference import list_rows
from . import bp
from .reference import refusal
from .reference_forms import LETTER_KIND_LABELS, LetterTemplateForm


def _saved(change, success):
    """Run ``change``; flash its outcome. Returns False when it was refused."""
    try:
        result = change()
    except letters.LetterTemplateError as exc:
        db.session.rollback()
        flash(
            _("%(field)s cannot be filled in: %(detail)s", field=exc.field, detail=exc.detail),
            "error",
        )
        return False
    except CaseError as exc:
        db.session.rollback()
        flash(refusal(exc), "error")
        return False
    flash(_("Nothing changed.") if result == {} else success, "success")
    return True


def _page(template_name, **context):
    return render_template(
        template_name,
        kind_labels=LETTER_KIND_LABELS,
        placeholders=letters.PLACEHOLDERS,
        **context,
    )


@bp.route("/reference/letter-templates")
def reference_letter_templates():
    return _page("admin/letter_templates.html", templates=list_rows(LetterTemplate))


@bp.route("/reference/letter-templates/new", methods=["GET", "POST"])
def reference_letter_template_new():
    form = LetterTemplateForm()
    del form.active  # a new template is in use
    if form.validate_on_submit() and _saved(
        lambda: service.create_letter_template(current_user, **form.create_values()),
        _("Letter template added."),
    ):
        return redirect(url_for(".reference_letter_templates"))
    return _page("admin/letter_template.html", form=form, template=None)


@bp.route("/reference/letter-templates/<int:template_id>", methods=["GET", "POST"])
def reference_letter_template(template_id):
    template = db.get_or_404(LetterTemplate, template_id)
    form = LetterTemplateForm(obj=template)
    del form.kind  # fixed once made: letters of this template keep their kind
    if form.validate_on_submit() and _saved(
        lambda: service.update_letter_template(current_user, template, **form.values()),
        _("Changes saved; letters made from now on use them."),
    ):
        return redirect(url_for(".reference_letter_templates"))
    return _page("admin/letter_template.html", form=form, template=template)
