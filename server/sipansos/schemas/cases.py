"""Cases as the extension sees them: the cases it can attach a capture to, the categories, and
the case part of an upload."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema


class CaseListArgsSchema(Schema):
    q = fields.String(
        load_default=None,
        validate=validate.Length(max=200),
        metadata={"description": "Text in the register number or title (or the case id)"},
    )
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class CaseSummarySchema(Schema):
    id = fields.Integer()
    number = fields.String(allow_none=True, metadata={"description": "None until registration"})
    title = fields.String()
    state = fields.String()
    state_label = fields.String(metadata={"description": "Indonesian"})
    category = fields.String(allow_none=True, metadata={"description": "Category code"})
    created_at = fields.AwareDateTime()
    url = fields.String(metadata={"description": "The case page"})


class CaseListSchema(Schema):
    cases = fields.List(fields.Nested(CaseSummarySchema))


class CategorySchema(Schema):
    code = fields.String()
    name = fields.String(metadata={"description": "Indonesian"})
    description = fields.String(allow_none=True)


class CategoryListSchema(Schema):
    categories = fields.List(fields.Nested(CategorySchema))


class NewCaseSchema(Schema):
    # A page title can be long; the case keeps its first 300 characters.
    title = fields.String(required=True, validate=validate.Length(max=2000))
    category = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=48),
        metadata={"description": "Category code; default: the capture's category"},
    )

    @validates_schema
    def check_title(self, data, **_kwargs):
        if not (data.get("title") or "").strip():
            raise ValidationError("a case needs a title", "title")


class CaseLinkRequestSchema(Schema):
    """The ``case`` form field of an upload: one of ``case_id`` or ``new_case``."""

    case_id = fields.Integer(strict=True, validate=validate.Range(min=1))
    new_case = fields.Nested(NewCaseSchema)

    @validates_schema
    def check_one(self, data, **_kwargs):
        if ("case_id" in data) == ("new_case" in data):
            raise ValidationError("give exactly one of case_id or new_case")


class AttachEvidenceSchema(Schema):
    capture_id = fields.UUID(required=True)


class CaseErrorSchema(Schema):
    code = fields.String(
        metadata={
            "description": "case_not_found, case_closed, forbidden, unknown_category, "
            "capture_withdrawn or case_refused"
        }
    )
    message = fields.String(metadata={"description": "Indonesian, for the operator"})


class CaseLinkSchema(CaseSummarySchema):
    created = fields.Boolean(
        metadata={"description": "The case was started from this capture (also on a retry)"}
    )
