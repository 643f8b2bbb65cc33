"""Suite-wide hooks: every JSON API response any test receives is checked against the generated
OpenAPI document (tests/api/openapi_check.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test.client import Client

from tests.api.openapi_check import checked

Client.request = checked(Client.request)  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Every test starts with an empty cache, as it starts with an empty database."""
    cache.clear()
