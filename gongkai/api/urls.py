"""Routes of the JSON API (gongkai.cases.api; the annual report's in gongkai.reports.api); each
one is documented in gongkai.api.schema and docs/api.md, which tests/api/test_openapi.py checks
against this list."""

from django.urls import path

from gongkai.api import views
from gongkai.cases import api
from gongkai.reports import api as reports_api

app_name = "api"

urlpatterns = [
    path("applications", api.applications, name="applications"),
    path("applications/<int:id>", api.application_detail, name="application"),
    path("applications/<int:id>/actions", api.application_actions, name="application_actions"),
    path("reports/<str:code>/<int:year>", reports_api.report, name="report"),
    path(
        "reports/<str:code>/<int:year>/versions/<int:number>.<str:format>",
        reports_api.report_file,
        name="report_file",
    ),
    path("openapi.json", views.openapi, name="openapi"),
    path("docs", views.docs, name="docs"),
]
