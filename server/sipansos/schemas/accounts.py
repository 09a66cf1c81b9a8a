"""Schemas for the account endpoints the extension uses."""

from marshmallow import Schema, fields, validate


class TokenRequestSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=1024)
    )
    name = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "The browser or device this token is for"},
    )


class TokenSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    prefix = fields.String(metadata={"description": "First characters of the secret"})
    created_at = fields.AwareDateTime()
    last_used_at = fields.AwareDateTime(allow_none=True)


class IssuedTokenSchema(TokenSchema):
    secret = fields.String(metadata={"description": "Shown once; send as `Authorization: Bearer`"})


class UserSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    full_name = fields.String()
    role = fields.Function(lambda user: user.role.value)


class MeSchema(Schema):
    user = fields.Nested(UserSchema)
    token = fields.Nested(TokenSchema)


class ErrorBodySchema(Schema):
    status = fields.Integer()
    code = fields.String()
    message = fields.String()
    details = fields.Dict()


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema)
