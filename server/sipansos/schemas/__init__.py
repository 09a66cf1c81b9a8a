"""Marshmallow schemas at the API edge."""
