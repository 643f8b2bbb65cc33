"""Suite-wide hooks: every JSON API response any test receives is checked against the generated
OpenAPI document (tests/api/openapi_check.py)."""

from __future__ import annotations

from django.test.client import Client

from tests.api.openapi_check import checked

Client.request = checked(Client.request)  # type: ignore[method-assign]
