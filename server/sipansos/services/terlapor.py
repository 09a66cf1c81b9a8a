"""Reported persons (terlapor): records, their social-media accounts, duplicate warnings, search.

One person has many accounts and may appear in many cases, so before a new record is made the
UI asks ``find_similar`` whether the person is already known.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

from sqlalchemy import false as sa_false
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import SubjectStatus, Terlapor, TerlaporAccount
from ..models.case import case_terlapor
from . import audit
from .case_states import OPERATOR_UP, CaseError, require_role

# Academic and religious titles that do not tell two people apart.
_TITLES = {
    "dr", "drs", "dra", "ir", "h", "hj", "prof", "st", "se", "sh", "mh", "msi", "mpd", "spd",
    "ssos", "sip", "sag", "skom", "skm", "mm", "mt", "ma", "amd", "kh", "ust", "bapak", "ibu",
}  # fmt: skip
_NON_ALNUM = re.compile(r"[^0-9a-z ]+")
NAME_SIMILARITY = 0.85
EDITABLE = ("name", "nip", "rank_grade", "position", "agency", "employment_status",
            "responsible_ppk", "notes")  # fmt: skip


class TerlaporError(CaseError):
    """A reported-person record was refused; the message says why.

    ``code`` and ``params`` let a page show the reason in the user's language.
    """

    def __init__(self, message, *, code=None, **params):
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Match:
    """A possibly already known person: ``level`` is "certain", "likely" or "possible"."""

    terlapor: Terlapor
    level: str
    reason: str
    # What matched ("nip", "handle" or "name") and the matching value, for a translated reason.
    kind: str = ""
    value: str = ""
    platform: str = ""


def normalise_name(name):
    """Lower case without accents, punctuation or titles.

    "Drs. H. Budi Santoso, M.Si." → "budi santoso".
    """
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    words = []
    for word in re.split(r"[\s,]+", text):
        bare = _NON_ALNUM.sub("", word)
        if bare and bare not in _TITLES:
            words.append(bare)
    return " ".join(words)


def normalise_handle(handle):
    return (handle or "").strip().lstrip("@").strip().lower()


def normalise_nip(nip):
    """The NIP as 18 digits, or None when empty; raises ``TerlaporError`` when invalid.

    A NIP starts with the date of birth (YYYYMMDD); spaces and dots as printed are allowed.
    """
    digits = re.sub(r"[\s.]", "", nip or "")
    if not digits:
        return None
    if not digits.isdigit() or len(digits) != 18:
        raise TerlaporError(
            f"NIP must be 18 digits, got “{nip}” ({len(digits)} characters)",
            code="nip_length",
            nip=nip,
            length=len(digits),
        )
    try:
        date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError as exc:
        raise TerlaporError(
            f"NIP “{nip}” does not start with a valid date of birth (YYYYMMDD)",
            code="nip_birth_date",
            nip=nip,
        ) from exc
    return digits


def _status(value):
    try:
        return SubjectStatus(value).value
    except ValueError as exc:
        allowed = ", ".join(s.value for s in SubjectStatus)
        raise TerlaporError(
            f"unknown employment status {value!r}; use one of {allowed}", code="status"
        ) from exc


def _clean(fields):
    out = {}
    for key, value in fields.items():
        if key not in EDITABLE:
            raise TerlaporError(f"unknown field {key!r}")
        value = value.strip() if isinstance(value, str) else value
        out[key] = value or None
    if "name" in out and not out["name"]:
        raise TerlaporError("a name is required", code="name_required")
    if "nip" in out:
        out["nip"] = normalise_nip(out["nip"])
    if "employment_status" in out:
        out["employment_status"] = _status(out["employment_status"] or SubjectStatus.LAINNYA)
    return out


def _refuse_duplicate_nip(nip, exclude_id=None):
    if nip is None:
        return
    other = db.session.scalar(select(Terlapor).where(Terlapor.nip == nip))
    if other is not None and other.id != exclude_id:
        raise TerlaporError(
            f"NIP {nip} already belongs to {other.name} (terlapor #{other.id})",
            code="nip_taken",
            nip=nip,
            name=other.name,
            id=other.id,
        )


def create_terlapor(actor, *, name, employment_status="lainnya", accounts=(), **fields):
    """Create a reported person; ``accounts`` is a list of {platform, handle, profile_url}."""
    require_role(actor, OPERATOR_UP, "record reported persons")
    data = _clean({"name": name, "employment_status": employment_status, **fields})
    _refuse_duplicate_nip(data.get("nip"))
    person = Terlapor(**data, name_normalised=normalise_name(data["name"]), created_by_id=actor.id)
    for account in accounts:
        person.accounts.append(_account(**account))
    db.session.add(person)
    audit.record(
        "terlapor_created",
        actor=actor,
        target=person,
        details={"name": person.name, "nip": person.nip, "accounts": len(person.accounts)},
    )
    db.session.commit()
    return person


def update_terlapor(actor, person, **fields):
    """Change fields of a reported person; returns the {field: {from, to}} changes."""
    require_role(actor, OPERATOR_UP, "edit reported persons")
    data = _clean(fields)
    _refuse_duplicate_nip(data.get("nip"), exclude_id=person.id)
    changes = {}
    for key, value in data.items():
        if getattr(person, key) != value:
            changes[key] = {"from": getattr(person, key), "to": value}
            setattr(person, key, value)
    if "name" in changes:
        person.name_normalised = normalise_name(person.name)
    if changes:
        audit.record("terlapor_updated", actor=actor, target=person, details=changes)
        db.session.commit()
    return changes


def _account(platform, handle, profile_url=None):
    platform = (platform or "").strip().lower()
    handle = (handle or "").strip()
    if not platform or not normalise_handle(handle):
        raise TerlaporError("an account needs a platform and a handle", code="account_incomplete")
    return TerlaporAccount(
        platform=platform[:32],
        handle=handle[:200],
        handle_normalised=normalise_handle(handle)[:200],
        profile_url=_profile_url(profile_url),
    )


def _profile_url(url):
    url = (url or "").strip()
    if url and not re.match(r"https?://[^\s/]", url, re.IGNORECASE):
        raise TerlaporError(
            f"a profile URL must start with http:// or https://, got “{url}”", code="profile_url"
        )
    return url or None


def add_account(actor, person, *, platform, handle, profile_url=None):
    """Add a social-media account to a reported person."""
    require_role(actor, OPERATOR_UP, "edit reported persons")
    account = _account(platform, handle, profile_url)
    for known in person.accounts:
        if (known.platform, known.handle_normalised) == (
            account.platform,
            account.handle_normalised,
        ):
            raise TerlaporError(
                f"{person.name} already has @{account.handle_normalised} on {account.platform}",
                code="account_exists",
                handle=account.handle_normalised,
                platform=account.platform,
            )
    person.accounts.append(account)
    audit.record(
        "terlapor_account_added",
        actor=actor,
        target=person,
        details={"platform": account.platform, "handle": account.handle},
    )
    db.session.commit()
    return account


def find_similar(*, name=None, nip=None, handle=None, platform=None, exclude_id=None):
    """Known persons who may be the one described, most certain first.

    Same NIP: certain. Same handle on the same platform: likely (any platform, when none is
    given: possible). Similar normalised name: possible.
    """
    found = {}

    def note(person, level, reason, **why):
        rank = {"certain": 0, "likely": 1, "possible": 2}
        if person.id == exclude_id:
            return
        current = found.get(person.id)
        if current is None or rank[level] < rank[current.level]:
            found[person.id] = Match(person, level, reason, **why)

    try:
        nip = normalise_nip(nip)
    except TerlaporError:
        nip = None
    if nip:
        for person in db.session.scalars(select(Terlapor).where(Terlapor.nip == nip)):
            note(person, "certain", f"same NIP {nip}", kind="nip", value=nip)
    wanted = normalise_handle(handle)
    if wanted:
        stmt = select(TerlaporAccount).where(TerlaporAccount.handle_normalised == wanted)
        if platform:
            stmt = stmt.where(TerlaporAccount.platform == platform.strip().lower())
        for account in db.session.scalars(stmt.options(selectinload(TerlaporAccount.terlapor))):
            level = "likely" if platform else "possible"
            note(
                account.terlapor,
                level,
                f"same handle @{wanted} on {account.platform}",
                kind="handle",
                value=wanted,
                platform=account.platform,
            )
    wanted_name = normalise_name(name)
    if wanted_name:
        words = [w for w in wanted_name.split() if len(w) >= 3] or wanted_name.split()
        stmt = select(Terlapor).where(
            or_(*(Terlapor.name_normalised.contains(w, autoescape=True) for w in words))
        )
        for person in db.session.scalars(stmt):
            if _names_similar(wanted_name, person.name_normalised):
                note(person, "possible", f"similar name “{person.name}”", kind="name", value=name)
    order = {"certain": 0, "likely": 1, "possible": 2}
    return sorted(found.values(), key=lambda m: (order[m.level], m.terlapor.name))


def _names_similar(a, b):
    if sorted(a.split()) == sorted(b.split()):
        return True
    return SequenceMatcher(None, a, b).ratio() >= NAME_SIMILARITY


def find_duplicates(*, name=None, nip=None, accounts=(), exclude_id=None):
    """``find_similar`` over the name, the NIP and every account of a new record, merged."""
    rank = {"certain": 0, "likely": 1, "possible": 2}
    found = {}
    probes = [{"name": name, "nip": nip}]
    probes += [{"handle": a.get("handle"), "platform": a.get("platform")} for a in accounts]
    for probe in probes:
        for match in find_similar(exclude_id=exclude_id, **probe):
            current = found.get(match.terlapor.id)
            if current is None or rank[match.level] < rank[current.level]:
                found[match.terlapor.id] = match
    return sorted(found.values(), key=lambda m: (rank[m.level], m.terlapor.name))


def _search_conditions(text):
    """Conditions matching ``text`` in the name, the NIP or an account handle (OR-ed)."""
    conditions = []
    name = normalise_name(text)
    if name:
        conditions.append(Terlapor.name_normalised.contains(name, autoescape=True))
    digits = re.sub(r"[\s.]", "", text)
    if digits.isdigit():
        conditions.append(Terlapor.nip.contains(digits, autoescape=True))
    handle = normalise_handle(text)
    if handle:
        conditions.append(
            Terlapor.id.in_(
                select(TerlaporAccount.terlapor_id).where(
                    TerlaporAccount.handle_normalised.contains(handle, autoescape=True)
                )
            )
        )
    return conditions


def search_terlapor(query, *, limit=50):
    """Reported persons whose name, NIP or account handle contains ``query``."""
    text = (query or "").strip()
    conditions = _search_conditions(text) if text else []
    if not conditions:
        return []
    stmt = (
        select(Terlapor)
        .where(or_(*conditions))
        .options(selectinload(Terlapor.accounts))
        .order_by(func.lower(Terlapor.name), Terlapor.id)
        .limit(limit)
    )
    return db.session.scalars(stmt).all()


def list_terlapor(query=None, *, page=1, per_page=25):
    """One page of reported persons by name, all or those matching ``query`` (as search)."""
    stmt = select(Terlapor).options(selectinload(Terlapor.accounts))
    text = (query or "").strip()
    if text:
        conditions = _search_conditions(text)
        # Text with nothing searchable in it (only punctuation) matches nobody.
        stmt = stmt.where(or_(*conditions) if conditions else sa_false())
    stmt = stmt.order_by(func.lower(Terlapor.name), Terlapor.id)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def case_counts(people):
    """``{terlapor id: number of cases naming them}`` for ``people``."""
    ids = [person.id for person in people]
    if not ids:
        return {}
    stmt = (
        select(case_terlapor.c.terlapor_id, func.count())
        .where(case_terlapor.c.terlapor_id.in_(ids))
        .group_by(case_terlapor.c.terlapor_id)
    )
    counts = dict(db.session.execute(stmt).all())
    return {person_id: counts.get(person_id, 0) for person_id in ids}
