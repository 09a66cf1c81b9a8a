"""Evidence pages (Bukti): the list of captures and one capture as it was captured."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth.loader import role_required
from ..models import Role
from ..services import captures, integrity
from ..services import evidence_queries as queries
from ..storage import StorageError
from . import manual, media
from .forms import (
    KIND_LABELS,
    PLATFORM_LABELS,
    SOURCE_LABELS,
    ConfirmForm,
    EvidenceFilterForm,
    ManualUploadForm,
    WithdrawForm,
)

bp = Blueprint("evidence", __name__)

WITHDRAW_ROLES = (Role.ADMIN, Role.KOORDINATOR)


@bp.context_processor
def evidence_labels():
    """Labels the evidence templates show for stored codes."""
    return {
        "platform_labels": PLATFORM_LABELS,
        "source_labels": SOURCE_LABELS,
        "kind_labels": KIND_LABELS,
        "image_types": media.IMAGE_TYPES,
    }


@bp.errorhandler(StorageError)
def storage_unavailable(exc):
    current_app.logger.exception("evidence store failed")
    message = _("The evidence store is not available right now. Try again later.")
    return render_template("errors/error.html", status=503, message=message), 503


def _capture_or_404(capture_uuid):
    capture = queries.get_capture(capture_uuid)
    if capture is None:
        abort(404)
    return capture


def _artifact_or_404(capture, name):
    artifact = queries.find_artifact(capture, name)
    if artifact is None:
        abort(404)
    return artifact


def list_filters():
    """The evidence list's filter form and ``EvidenceFilters`` from the query string (the
    list and its spreadsheet export read them the same way)."""
    form = EvidenceFilterForm(request.args, queries.uploaders())
    form.validate()
    show_withdrawn = current_user.has_role(*WITHDRAW_ROLES) and request.args.get("withdrawn") == "1"
    operator = form.value(form.operator)
    in_case = form.value(form.in_case)
    filters = queries.EvidenceFilters(
        platform=form.value(form.platform),
        uploader_id=int(operator) if operator else None,
        date_from=form.value(form.date_from),
        date_to=form.value(form.date_to),
        text=form.value(form.q),
        include_withdrawn=show_withdrawn,
        in_case=None if in_case is None else in_case == "yes",
    )
    return form, filters


@bp.route("/evidence")
@login_required
def list_evidence():
    """The evidence list: the newest capture of each post, filtered and paged."""
    form, filters = list_filters()
    can_see_withdrawn = current_user.has_role(*WITHDRAW_ROLES)
    show_withdrawn = filters.include_withdrawn
    posts = queries.search_posts(filters, page=request.args.get("page", 1, type=int))
    counts = queries.version_counts(
        [capture.post_key for capture in posts.items], include_withdrawn=show_withdrawn
    )
    return render_template(
        "evidence/list.html",
        form=form,
        posts=posts,
        counts=counts,
        can_see_withdrawn=can_see_withdrawn,
        show_withdrawn=show_withdrawn,
    )


@bp.route("/evidence/upload", methods=["GET", "POST"])
@login_required
def upload_evidence():
    """Unggah Bukti: store files that did not come through the extension as a capture."""
    form = ManualUploadForm()
    if form.validate_on_submit():
        try:
            manifest, files = manual.prepare(form, user_agent=request.user_agent.string)
            capture, _created = captures.ingest(
                current_user,
                manifest,
                files,
                signing_key=current_app.extensions["receipt_key"],
                source="manual",
                ip=request.remote_addr,
            )
        except manual.UploadRefused as exc:
            flash(str(exc), "error")
        except captures.CaptureRejected as exc:
            detail = f" {exc.details}" if exc.code == "invalid_manifest" and exc.details else ""
            flash(_("The upload was refused: %(reason)s", reason=exc.message + detail), "error")
        else:
            flash(
                _(
                    "Evidence stored. Receipt: manifest SHA-256 %(digest)s",
                    digest=capture.manifest_sha256,
                ),
                "success",
            )
            return redirect(url_for(".get_capture", capture_uuid=capture.capture_uuid))
    return render_template("evidence/upload.html", form=form)


def _render_capture(capture, *, integrity_problems=None, withdraw_form=None):
    """The detail page; its CSP lets the replay frame load (same origin or REPLAY_ORIGIN)."""
    replay_origin = (current_app.config.get("REPLAY_ORIGIN") or "").rstrip("/")
    replay_url = None
    if media.replay_source(capture) is not None:
        replay_url = url_for(".get_replay", capture_uuid=capture.capture_uuid)
        if replay_origin:
            # The replay origin never sees our session cookie: a short-lived signed link
            # names the capture and the page origin allowed to frame it.
            token = media.replay_token(capture, request.host_url.rstrip("/"))
            replay_url = f"{replay_origin}{replay_url}?t={token}"
    can_withdraw = current_user.has_role(*WITHDRAW_ROLES) and not capture.is_withdrawn
    response = current_app.make_response(
        render_template(
            "evidence/capture.html",
            capture=capture,
            versions=queries.versions_of(capture),
            replay_url=replay_url,
            verify_form=ConfirmForm(),
            withdraw_form=(withdraw_form or WithdrawForm()) if can_withdraw else None,
            integrity_problems=integrity_problems,
            **case_links.context(capture),
        )
    )
    frame_src = " ".join(filter(None, ["'self'", replay_origin]))
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; "
        f"frame-src {frame_src}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )
    response.headers["X-Frame-Options"] = "DENY"
    return response


@bp.route("/evidence/<uuid:capture_uuid>")
@login_required
def get_capture(capture_uuid):
    """One capture: metadata, receipt, screenshots, replay, artifacts and versions."""
    return _render_capture(_capture_or_404(capture_uuid))


@bp.route("/evidence/<uuid:capture_uuid>/thumbnail")
@login_required
def get_thumbnail(capture_uuid):
    """A small JPEG made on request from the capture's screenshot (never stored)."""
    return media.thumbnail_response(_capture_or_404(capture_uuid), request)


@bp.route("/evidence/<uuid:capture_uuid>/artifacts/<name>")
@login_required
def download_artifact(capture_uuid, name):
    """One stored file as a download, byte for byte as captured."""
    capture = _capture_or_404(capture_uuid)
    return media.download_response(_artifact_or_404(capture, name))


@bp.route("/evidence/<uuid:capture_uuid>/artifacts/<name>/view")
@login_required
def view_artifact(capture_uuid, name):
    """An image artifact for display in the page (images only)."""
    artifact = _artifact_or_404(_capture_or_404(capture_uuid), name)
    if not media.is_image(artifact):
        abort(404)
    return media.image_response(artifact, request)


@bp.route("/evidence/<uuid:capture_uuid>/replay")
def get_replay(capture_uuid):
    """The captured page rebuilt for a sandboxed frame: no scripts, nothing fetched.

    Signed-in users load it from our origin; a separate replay origin gets a signed link.
    """
    frame_ancestor = None
    if request.args.get("t"):
        frame_ancestor = media.check_replay_token(request.args["t"], capture_uuid)
        if frame_ancestor is None:
            abort(403)
    elif not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    capture = _capture_or_404(capture_uuid)
    if media.replay_source(capture) is None:
        abort(404)
    return media.replay_response(capture, frame_ancestor=frame_ancestor)


@bp.route("/evidence/<uuid:capture_uuid>/withdraw", methods=["POST"])
@role_required(*WITHDRAW_ROLES)
def withdraw_capture(capture_uuid):
    """Tarik bukti: hide a capture from the list, with a reason; nothing is deleted."""
    capture = _capture_or_404(capture_uuid)
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for withdrawing this evidence."), "error")
        return _render_capture(capture, withdraw_form=form), 400
    try:
        captures.withdraw_capture(current_user, capture, form.reason.data, ip=request.remote_addr)
    except ValueError:
        flash(_("This evidence was already withdrawn."), "error")
    else:
        flash(_("Evidence withdrawn. It stays stored and can still be opened."), "success")
    return redirect(url_for(".get_capture", capture_uuid=capture.capture_uuid))


@bp.route("/evidence/<uuid:capture_uuid>/verify", methods=["POST"])
@login_required
def verify_capture(capture_uuid):
    """Verifikasi Integritas: re-read every stored file and check hashes and signature."""
    capture = _capture_or_404(capture_uuid)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _render_capture(capture, integrity_problems=integrity.verify_capture(capture))


# Capture → case routes register on ``bp`` and supply the capture page's case section.
from . import case_links  # noqa: E402
