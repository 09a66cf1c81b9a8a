"""One JSON error shape for the API, HTML pages for everything else."""

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException


def error_response(status, code, message, details=None):
    """The API's only error body: ``{"error": {"status", "code", "message", "details"}}``."""
    body = {"error": {"status": status, "code": code, "message": message}}
    if details:
        body["error"]["details"] = details
    response = jsonify(body)
    response.status_code = status
    return response


def _error_code(exc):
    return (exc.name or "error").lower().replace(" ", "_").replace("'", "")


def handle_http_exception(exc: HTTPException):
    status = exc.code or 500
    if request.path.startswith("/api/"):
        data = getattr(exc, "data", None) or {}
        # webargs puts validation errors in "messages"; flask-smorest's abort uses "message".
        details = data.get("messages")
        message = data.get("message") or exc.description
        if status >= 500:
            message = "Internal server error"
        response = error_response(status, _error_code(exc), message, details)
        for header, value in exc.get_headers():
            if header.lower() not in ("content-type", "content-length"):
                response.headers[header] = value
        return response
    messages = {
        400: _(
            "The request could not be processed. If you were filling in a form, reload the "
            "page and try again."
        ),
        403: _("You do not have access to this page."),
        404: _("The page was not found."),
        405: _("This action is not allowed here."),
        413: _("The upload is too large."),
        429: _("Too many attempts. Wait a minute and try again."),
    }
    message = messages.get(status, _("Something went wrong on the server. Try again later."))
    return render_template("errors/error.html", status=status, message=message), status
