"""The capture manifest a client sends with its artifacts, and what the API returns."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..services.sniff import normalise
from .cases import CaseErrorSchema, CaseLinkSchema

PLATFORMS = (
    "facebook",
    "instagram",
    "x",
    "tiktok",
    "youtube",
    "whatsapp",
    "telegram",
    "web",
    "other",
)

_ANY_EVIDENCE_FILE = {
    "image/png",
    "image/jpeg",
    "image/webp",
    "image/gif",
    "application/pdf",
    "video/mp4",
    "video/webm",
    "text/html",
    "multipart/related",
    "application/json",
    "text/plain",
}
# Which media types each kind of artifact may have.
ARTIFACT_KINDS = {
    "screenshot_full": {"image/png"},
    "screenshot_viewport": {"image/png"},
    "post_screenshot": {"image/png"},
    "page_mhtml": {"multipart/related"},
    "dom_html": {"text/html"},
    "extra": _ANY_EVIDENCE_FILE,
}
ARTIFACT_NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$"
_HTTP_URL = validate.URL(schemes={"http", "https"}, require_tld=False)


class ArtifactSchema(Schema):
    name = fields.String(required=True, validate=validate.Regexp(ARTIFACT_NAME))
    kind = fields.String(required=True, validate=validate.OneOf(sorted(ARTIFACT_KINDS)))
    media_type = fields.String(required=True, validate=validate.Length(max=100))
    size = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))

    @validates_schema
    def check_media_type(self, data, **_kwargs):
        media_type = normalise(data.get("media_type"))
        kind = data.get("kind")
        if kind in ARTIFACT_KINDS and media_type not in ARTIFACT_KINDS[kind]:
            raise ValidationError(
                f"{media_type!r} is not allowed for {kind}; allowed: "
                + ", ".join(sorted(ARTIFACT_KINDS[kind])),
                "media_type",
            )


class SizeSchema(Schema):
    width = fields.Integer(required=True, validate=validate.Range(min=0, max=10_000_000))
    height = fields.Integer(required=True, validate=validate.Range(min=0, max=10_000_000))


class BrowserSchema(Schema):
    name = fields.String(validate=validate.Length(max=100))
    version = fields.String(validate=validate.Length(max=100))
    user_agent = fields.String(validate=validate.Length(max=1000))


class PostSchema(Schema):
    author_name = fields.String(allow_none=True, validate=validate.Length(max=500))
    author_handle = fields.String(allow_none=True, validate=validate.Length(max=200))
    author_url = fields.String(allow_none=True, validate=_HTTP_URL)
    post_id = fields.String(allow_none=True, validate=validate.Length(max=200))
    posted_at = fields.AwareDateTime(allow_none=True)
    text = fields.String(allow_none=True, validate=validate.Length(max=100_000))
    permalink = fields.String(allow_none=True, validate=_HTTP_URL)


class CaptureManifestSchema(Schema):
    capture_id = fields.UUID(required=True)
    url = fields.String(required=True, validate=[_HTTP_URL, validate.Length(max=8000)])
    title = fields.String(allow_none=True, validate=validate.Length(max=2000))
    captured_at = fields.AwareDateTime(required=True)
    platform = fields.String(load_default="web", validate=validate.OneOf(PLATFORMS))
    category = fields.String(allow_none=True, validate=validate.Length(max=64))
    note = fields.String(allow_none=True, validate=validate.Length(max=20_000))
    browser = fields.Nested(BrowserSchema, load_default=dict)
    extension_version = fields.String(allow_none=True, validate=validate.Length(max=50))
    viewport = fields.Nested(SizeSchema, allow_none=True)
    page = fields.Nested(SizeSchema, allow_none=True)
    post = fields.Nested(PostSchema, load_default=dict)
    artifacts = fields.List(
        fields.Nested(ArtifactSchema), required=True, validate=validate.Length(min=1, max=200)
    )

    @validates_schema
    def check_unique_names(self, data, **_kwargs):
        names = [artifact["name"] for artifact in data.get("artifacts", [])]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValidationError(f"artifact names must be unique: {duplicates}", "artifacts")


class ReceiptSchema(Schema):
    capture_id = fields.UUID()
    received_at = fields.AwareDateTime()
    manifest_sha256 = fields.String()
    signature = fields.String(metadata={"description": "Ed25519, base64"})
    key_id = fields.String()
    evidence_url = fields.String()
    case = fields.Nested(
        CaseLinkSchema, metadata={"description": "The case the upload's `case` field put it in"}
    )
    case_error = fields.Nested(
        CaseErrorSchema,
        metadata={"description": "Why the `case` field was not done; the capture is stored"},
    )
