"""Letters of a case (Surat): make one from a template (Buat Surat); the case page lists them
with their DOCX and PDF, downloaded through ``checklist_views.download_case_document``."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.loader import role_required
from ..extensions import db
from ..models import LetterTemplate
from ..services import deadlines, letters
from ..services.case_states import KOORDINATOR_UP, CaseError
from ..storage import StorageError
from . import bp, lookups
from .letter_forms import LetterForm
from .messages import explain


@bp.app_context_processor
def letter_helpers():
    return {"letter_kind_labels": letters.KIND_LABELS}


def _case_or_404(case_id):
    case = lookups.load_case(case_id)
    if case is None:
        abort(404)
    return case


def _prefill(case, templates):
    suggested = letters.suggested_template(case, templates)
    return {
        "template": str(suggested.id) if suggested else None,
        "number": case.letter_number,
        "letter_date": case.letter_date or deadlines.today(),
        "recipients": "\n".join(letters.letter_parties(case, "recipient")),
        "copies": "\n".join(letters.letter_parties(case, "copy")),
        "attachments": "\n".join(letters.default_attachments(case)),
    }


@bp.route("/<int:case_id>/letters/new", methods=["GET", "POST"])
@role_required(*KOORDINATOR_UP)
def new_letter(case_id):
    """Buat Surat: choose a template, check number, date, recipients and attachments."""
    case = _case_or_404(case_id)
    templates = letters.active_templates()
    if request.method == "POST":
        form = LetterForm(templates=templates)
    else:
        form = LetterForm(templates=templates, formdata=None, data=_prefill(case, templates))
    if form.validate_on_submit():
        template = db.session.get(LetterTemplate, int(form.template.data))
        try:
            letter = letters.generate_letter(case, template, current_user, **form.values())
        except letters.LetterTemplateError as exc:
            db.session.rollback()
            flash(
                _(
                    "The template “%(name)s” cannot be filled in (%(field)s: %(detail)s). "
                    "An admin can correct it under Referensi › Letter templates.",
                    name=template.name,
                    field=exc.field,
                    detail=exc.detail,
                ),
                "error",
            )
        except StorageError:
            db.session.rollback()
            current_app.logger.exception("evidence store failed while storing a letter")
            flash(_("The evidence store is not available right now. Try again later."), "error")
        except CaseError as exc:
            db.session.rollback()
            flash(explain(exc, current_user), "error")
        else:
            flash(
                _(
                    "Letter made: %(subject)s (DOCX SHA-256 %(docx)s, PDF SHA-256 %(pdf)s).",
                    subject=letter.subject,
                    docx=letter.docx.sha256,
                    pdf=letter.pdf.sha256,
                ),
                "success",
            )
            return redirect(url_for(".show_case", case_id=case.id, _anchor="letters"))
    return render_template("cases/letter_new.html", case=case, form=form, templates=templates)
