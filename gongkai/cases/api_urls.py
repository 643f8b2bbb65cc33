"""Routes of the JSON API (gongkai.cases.api); each one is documented in api_schema and
docs/api.md, which tests/api/test_openapi.py checks against this list."""

from django.urls import path

from gongkai.cases import api

app_name = "api"

urlpatterns = [
    path("applications", api.applications, name="applications"),
    path("applications/<int:id>", api.application_detail, name="application"),
    path("applications/<int:id>/actions", api.application_actions, name="application_actions"),
    path("openapi.json", api.openapi, name="openapi"),
    path("docs", api.docs, name="docs"),
]
