"""Fixtures of the export tests: captures stored through the real API."""

from tests.evidence.conftest import api_secret, store_capture  # noqa: F401
