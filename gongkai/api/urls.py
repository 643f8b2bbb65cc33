"""Routes of the JSON API: the operations of the routers assembled in gongkai.api.core (each
documented by the generated OpenAPI document and in docs/api.md), the document itself and its
HTML page."""

from django.urls import path

from gongkai.api import views
from gongkai.api.core import url_patterns

app_name = "api"

urlpatterns = [
    *url_patterns(),
    path("openapi.json", views.openapi, name="openapi"),
    path("docs", views.docs, name="docs"),
]
