"""The reasons the terlapor service gives, in the user's language."""

from flask_babel import gettext as _

from ..evidence.forms import PLATFORM_LABELS
from ..services.case_states import PermissionDenied


def refusal(exc):
    """A translated message for a ``TerlaporError`` (or another ``CaseError``)."""
    code = getattr(exc, "code", None)
    params = getattr(exc, "params", {})
    if code == "nip_length":
        return _(
            "A NIP has 18 digits; “%(nip)s” has %(length)d.",
            nip=params["nip"],
            length=params["length"],
        )
    if code == "nip_birth_date":
        return _(
            "NIP “%(nip)s” does not start with a valid date of birth (YYYYMMDD).",
            nip=params["nip"],
        )
    if code == "nip_taken":
        return _(
            "NIP %(nip)s is already recorded for %(name)s (terlapor #%(id)d). Open that "
            "record instead of creating a new one.",
            **params,
        )
    if code == "name_required":
        return _("A name is required.")
    if code == "account_incomplete":
        return _("An account needs a platform and a handle.")
    if code == "account_exists":
        return _("This person already has the account @%(handle)s on that platform.", **params)
    if code == "profile_url":
        return _("A profile URL must start with http:// or https://.")
    if code == "status":
        return _("Choose an employment status from the list.")
    if isinstance(exc, PermissionDenied):
        return _("Your role may not do this.")
    return _("The change was refused: %(reason)s", reason=str(exc))


def match_reason(match):
    """Why a known person may be the one being recorded, in the user's language."""
    if match.kind == "nip":
        return _("same NIP %(nip)s", nip=match.value)
    if match.kind == "handle":
        platform = PLATFORM_LABELS.get(match.platform, match.platform)
        return _("same handle @%(handle)s on %(platform)s", handle=match.value, platform=platform)
    return _("similar name")
