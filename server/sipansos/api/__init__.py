"""JSON API for the browser extension, described by an OpenAPI document."""

from flask_smorest import Api

from ..extensions import csrf


class SipansosApi(Api):
    """flask-smorest, with the app's own error handler (one error shape, HTML for pages)."""

    def _register_error_handlers(self):
        pass


def init_api(app):
    from ..schemas.cases import CaseLinkRequestSchema
    from .accounts import bp as accounts_bp
    from .captures import bp as captures_bp
    from .cases import bp as cases_bp

    app.config.setdefault("API_TITLE", "SIPANSOS API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = SipansosApi(
        app,
        spec_kwargs={
            "components": {
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            },
        },
    )
    # Bearer tokens are never sent by a browser on its own, so CSRF does not apply here.
    for blueprint in (accounts_bp, captures_bp, cases_bp):
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint, url_prefix="/api/v1")
    # Sent as a multipart field of POST /captures, so no view names it: listed for clients.
    api.spec.components.schema("CaseLinkRequest", schema=CaseLinkRequestSchema)
