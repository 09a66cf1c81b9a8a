"""An admin's edits of letter templates (Referensi › Templat Surat), checked before they are
saved: a template that would not fill in is refused with the field and the reason."""

from ..models import LetterTemplate, Role
from ..models.letter import LETTER_KINDS
from . import letters, reference
from .case_states import require_role


def create_letter_template(actor, *, kind, name, subject, body, **fields):
    """An admin adds a template of ``kind`` (see ``LETTER_KINDS``)."""
    require_role(actor, {Role.ADMIN}, "edit reference data")
    if kind not in LETTER_KINDS:
        raise reference.ReferenceDataError(f"kind must be one of {', '.join(LETTER_KINDS)}")
    reference.require_fields(name=name, subject=subject, body=body)
    letters.check_template({"subject": subject, "body": body, **fields})
    row = LetterTemplate(
        code=reference.unique_code(LetterTemplate, name),
        kind=kind,
        name=name.strip(),
        subject=subject,
        body=body,
        active=True,
        **fields,
    )
    return reference.created(actor, row, name=row.name, kind=kind)


def update_letter_template(actor, template, **fields):
    """An admin changes a template; letters made before keep their own stored text."""
    require_role(actor, {Role.ADMIN}, "edit reference data")
    reference.require_fields(**{k: fields[k] for k in ("name", "subject", "body") if k in fields})
    letters.check_template(fields)
    return reference.update_reference(actor, template, **fields)
